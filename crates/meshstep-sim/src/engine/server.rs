//! The called side: an attempt arrives at a pod (its data path takes it in)
//! or at a host outside the cluster; the pod's app handles it — makes its own
//! calls, works for its service time — and answers. Work on an attempt stays
//! with the pod it reached, even once its caller has given up on it.
//!
//! An app's answer depends on its calls: when one fails, it answers its
//! fallback status (500 unless the lesson gives one). Whether the calls it
//! makes belong to the same distributed trace depends on the app copying the
//! trace headers, which no proxy can do for it
//! (<https://istio.io/latest/docs/tasks/observability/distributed-tracing/overview/>).

use rand::RngExt;

use crate::action::Action;
use crate::component::State;
use crate::engine::client;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply, ServerEvent};
use crate::engine::net;
use crate::engine::path::{self, PathKind};
use crate::engine::request::{Request, status};
use crate::engine::world::Job;
use crate::ids::{JobId, PodId, ReqId};
use crate::queue::Micros;
use crate::scenario::schema::ServiceTime;
use crate::trace::{Note, RequestState};

pub(crate) fn arrive(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, at: Endpoint) {
    match at {
        Endpoint::Pod(pod) => PathKind::inbound(cx, rq, attempt, pod),
        Endpoint::External(h) => {
            // A host outside the mesh answers; nothing of the mesh runs there.
            let c = cx.topo.external[h.index()].component;
            cx.row(c, Action::HandleRequest)
                .request(rq)
                .note(&"a host outside the cluster answers")
                .record();
            let client = cx.world.req(rq).client;
            net::send(
                cx,
                at,
                Endpoint::Pod(client),
                rq,
                Event::Client(ClientEvent::Reply {
                    req: rq,
                    attempt,
                    reply: Reply::Status(status::OK),
                }),
            );
        }
    }
}

/// The app takes the request in: its calls first, then its own work.
pub(crate) fn handle(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
    let app = cx.topo.pod(pod).app;
    cx.world.pod_mut(pod).handling += 1;
    cx.world.served[pod.index()] += 1;
    cx.progress(rq, |p| p.state = RequestState::ProcessedByServer);
    cx.set(app, State::Handling);
    let calls = cx.topo.pod(pod).work.calls.len();
    cx.row(app, Action::HandleRequest)
        .request(rq)
        .note(match calls {
            0 => Note::Text(&"application code unchanged"),
            1 => Note::Text(&"application code unchanged; it calls 1 service before it answers"),
            n => Note::from(format!(
                "application code unchanged; it calls {n} service{} before it answers",
                if n == 1 { "" } else { "s" }
            )),
        })
        .record();
    let job = JobId(cx.world.jobs.len() as u32);
    cx.world.jobs.push(Job {
        req: rq,
        attempt,
        pod,
        next_call: 0,
        waiting: 0,
        call_failed: false,
    });
    advance(cx, job);
}

/// Sends the next run of calls, or, when all are answered, starts the work.
fn advance(cx: &mut Cx<'_>, job: JobId) {
    let j = &cx.world.jobs[job.index()];
    let (pod, first) = (j.pod, j.next_call as usize);
    let calls = &cx.topo.pod(pod).work.calls;
    if first >= calls.len() {
        let time = service_time(cx, pod);
        return cx.after(time, Event::Server(ServerEvent::Respond { job }));
    }
    // This call and every `parallel` one right after it go out together.
    let n = 1 + calls[first + 1..].iter().take_while(|c| c.parallel).count();
    let j = &mut cx.world.jobs[job.index()];
    j.next_call += n as u32;
    j.waiting = n as u32;
    for k in first..first + n {
        make_call(cx, job, k);
    }
}

/// The app makes its `k`-th call while handling the job's request.
fn make_call(cx: &mut Cx<'_>, job: JobId, k: usize) {
    let j = &cx.world.jobs[job.index()];
    let (parent, pod) = (j.req, j.pod);
    let spec = cx.topo.pod(pod);
    let call = &spec.work.calls[k];
    let http = cx.world.intern(&call.http);
    let p = cx.world.req(parent);
    let flow = p.flow;
    let trace = spec.work.propagates_trace.then_some(p.trace);
    let path = PathKind::of(cx, pod);
    let id = ReqId::new(cx.world.requests.len());
    let mut r = Request::new(id, flow, pod, call.target, path, cx.now);
    r.parent = Some(parent);
    r.job = Some(job);
    r.http = http;
    if let Some(t) = trace {
        r.trace = t;
    }
    let rq = cx.new_request(r);
    client::send(cx, rq);
}

/// One of the job's calls has its answer (`ok`: a 2xx).
pub(crate) fn call_done(cx: &mut Cx<'_>, job: JobId, ok: bool) {
    let j = &mut cx.world.jobs[job.index()];
    j.waiting = j.waiting.saturating_sub(1);
    j.call_failed |= !ok;
    if j.waiting == 0 {
        advance(cx, job);
    }
}

/// How long the app works on one request: drawn from the seeded generator
/// with integer arithmetic and `libm`, so every platform draws the same.
fn service_time(cx: &mut Cx<'_>, pod: PodId) -> Micros {
    match cx.topo.pod(pod).work.time {
        ServiceTime::Fixed(us) => us,
        ServiceTime::Uniform { min_us, max_us } => {
            cx.rng.random_range(min_us.min(max_us)..=max_us.max(min_us))
        }
        ServiceTime::Exponential { mean_us } => {
            // 53 random bits make a uniform value in [0, 1) exactly.
            let u = (cx.rng.random::<u64>() >> 11) as f64 / (1u64 << 53) as f64;
            let t = -(mean_us as f64) * libm::log(1.0 - u);
            t.round().min(crate::scenario::validate::MAX_TIME_US as f64) as u64
        }
    }
}

pub(crate) fn respond(cx: &mut Cx<'_>, job: JobId) {
    let Job {
        req: rq,
        attempt,
        pod,
        call_failed,
        ..
    } = cx.world.jobs[job.index()];
    let app = cx.topo.pod(pod).app;
    let work = &cx.topo.pod(pod).work;
    let (fallback, errors) = (work.fallback, work.errors);
    let p = cx.world.pod_mut(pod);
    p.handling = p.handling.saturating_sub(1);
    // Still busy while it handles other requests.
    if p.handling == 0 {
        cx.set(app, State::Idle);
    }
    let (code, note) = if call_failed {
        (
            fallback,
            Note::Text(&"a call it made failed, so it answers its fallback"),
        )
    } else if let Some(e) = errors
        && (e.probability >= 1.0 || (e.probability > 0.0 && cx.rng.random_bool(e.probability)))
    {
        (e.status, Note::Text(&"the app answers with an error"))
    } else {
        (status::OK, Note::None)
    };
    cx.row(app, Action::SendResponse)
        .request(rq)
        .outcome(crate::trace::Outcome::Answered { status: code })
        .note(note)
        .record();
    PathKind::reply_out(cx, rq, attempt, pod, Reply::Status(code));
}

/// The server pod's sidecar sends the app's answer on.
pub(crate) fn returned(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId, reply: Reply) {
    path::sidecar::return_reply(cx, rq, attempt, pod, reply);
}
