//! The calling app: it starts a call, gets the final answer (or gives up),
//! and keeps its log. What happens in between belongs to the data path.

use crate::action::Action;
use crate::component::State;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Event, Reply, ServerEvent};
use crate::engine::path::PathKind;
use crate::engine::policy::AttemptEnd;
use crate::engine::request::{Request, Target};
use crate::engine::world::LogEntry;
use crate::engine::{breaker, kubectl};
use crate::ids::{PodId, ReqId};
use crate::topology::PodKind;
use crate::trace::{
    CallResult, Failure, FlowId, Note, Outcome, PolicyState, RequestState, RoutingState,
};

/// The app in `pod` calls `target` (for `kubectl exec … curl` when `exec`),
/// with the request attributes `http` (an entry of the world's table).
pub(crate) fn start_call(
    cx: &mut Cx<'_>,
    flow: FlowId,
    pod: PodId,
    target: Target,
    http: u32,
    exec: bool,
) {
    let path = PathKind::of(cx, pod);
    let id = ReqId::new(cx.world.requests.len());
    let mut r = Request::new(id, flow, pod, target, path, cx.now);
    r.exec = exec;
    r.http = http;
    let rq = cx.new_request(r);
    send(cx, rq);
}

/// The app sends a call it has made: its data path takes it from here.
pub(crate) fn send(cx: &mut Cx<'_>, rq: ReqId) {
    let pod = cx.world.req(rq).client;
    if !cx.world.is_running(pod) {
        // A container that exits at start sends nothing; say why the call never left.
        let app = cx.topo.pod(pod).app;
        finish(cx, rq, CallResult::Failed(Failure::NoLibrary));
        cx.row(app, Action::SendRequest)
            .request(rq)
            .outcome(Outcome::Failed(Failure::NoLibrary))
            .note(&"the container is in CrashLoopBackOff: its library import fails at start")
            .record();
        return follow_up(cx, rq);
    }
    if cx.topo.pod(pod).kind == PodKind::Gateway && !cx.world.has_sidecar(pod) {
        // The gateway's proxy starts with the control plane: before that
        // nothing listens on its address.
        let app = cx.topo.pod(pod).app;
        finish(cx, rq, CallResult::Failed(Failure::Refused));
        cx.set(app, State::RequestFailed);
        cx.row(app, Action::SendRequest)
            .request(rq)
            .outcome(Outcome::Failed(Failure::Refused))
            .note(&"connection refused: the ingress gateway is not running yet")
            .record();
        return follow_up(cx, rq);
    }
    cx.world.req(rq).path.send(cx, rq);
}

/// An attempt's reply reached the client side.
pub(crate) fn on_reply(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, reply: Reply) {
    let r = cx.world.req(rq);
    if r.shadow {
        let actor = r.path.client_actor(cx, r.client);
        cx.world.req_mut(rq).done = true;
        cx.row(actor, Action::DropLateReply)
            .request(rq)
            .outcome(Outcome::Dropped)
            .note(&"the mirror's answer is thrown away: the caller never sees it")
            .record();
        return;
    }
    if !r.awaits(attempt) {
        // The attempt was given up on: its proxy (or the app) has nothing to
        // hand this reply to. The server's work on it was done all the same.
        let actor = r.path.client_actor(cx, r.client);
        cx.row(actor, Action::DropLateReply)
            .request(rq)
            .outcome(Outcome::Dropped)
            .note(Note::LateReply(attempt))
            .record();
        return;
    }
    let path = r.path;
    cx.world.req_mut(rq).in_flight = false;
    breaker::attempt_over(cx, rq, Some(AttemptEnd::Replied(reply)));
    path.attempt_ended(cx, rq, AttemptEnd::Replied(reply));
}

/// An attempt's timer fired.
pub(crate) fn on_timeout(cx: &mut Cx<'_>, rq: ReqId, attempt: u32) {
    let r = cx.world.req(rq);
    if !r.awaits(attempt) {
        return;
    }
    let (path, client) = (r.path, r.client);
    let actor = path.client_actor(cx, client);
    cx.row(actor, Action::AttemptTimeout)
        .request(rq)
        .outcome(Outcome::Failed(Failure::Timeout))
        .note(Note::AttemptTimedOut(attempt))
        .record();
    cx.world.req_mut(rq).in_flight = false;
    breaker::attempt_over(cx, rq, Some(AttemptEnd::TimedOut));
    path.attempt_ended(cx, rq, AttemptEnd::TimedOut);
}

/// The route's timeout for the whole call ran out: the proxy gives up on
/// whatever is in flight and answers 504 (`UT`).
pub(crate) fn on_route_timeout(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req(rq);
    if r.done {
        return;
    }
    let (path, client) = (r.path, r.client);
    let actor = path.client_actor(cx, client);
    breaker::attempt_over(cx, rq, None);
    breaker::leave_queue(cx, rq);
    cx.row(actor, Action::AttemptTimeout)
        .request(rq)
        .outcome(Outcome::Failed(Failure::RouteTimeout))
        .note(&"the route's timeout covers every attempt, and it has run out")
        .record();
    path.answer(
        cx,
        rq,
        Reply::Status(crate::engine::request::status::GATEWAY_TIMEOUT),
    );
}

/// The app gets its answer.
pub(crate) fn receive(cx: &mut Cx<'_>, rq: ReqId, reply: Reply) {
    let code = match reply {
        Reply::Status(c) => c,
        Reply::Reset => {
            finish(cx, rq, CallResult::Failed(Failure::Refused));
            return receive_failure(cx, rq, Failure::Refused);
        }
    };
    let app = cx.topo.pod(cx.world.req(rq).client).app;
    cx.set(
        app,
        if (200..300).contains(&code) {
            State::ResponseReceived
        } else {
            State::RequestFailed
        },
    );
    finish(cx, rq, CallResult::Http(code));
    let out = http_outcome(cx, rq, code);
    cx.row(app, Action::ReceiveResponse)
        .request(rq)
        .outcome(out)
        .record();
    follow_up(cx, rq);
}

/// The app learns its call failed without any HTTP answer.
pub(crate) fn receive_failure(cx: &mut Cx<'_>, rq: ReqId, why: Failure) {
    let app = cx.topo.pod(cx.world.req(rq).client).app;
    cx.set(app, State::RequestFailed);
    cx.row(app, Action::ReceiveResponse)
        .request(rq)
        .outcome(Outcome::Failed(why))
        .record();
    follow_up(cx, rq);
}

/// The call fails at the client's side before anything is sent.
pub(crate) fn fail(cx: &mut Cx<'_>, rq: ReqId, why: Failure) {
    let proxied = cx.world.req(rq).path != PathKind::Direct;
    close(
        cx,
        rq,
        crate::engine::request::status::SERVICE_UNAVAILABLE,
        proxied,
    );
    finish(cx, rq, CallResult::Failed(why));
    receive_failure(cx, rq, why);
}

/// Whoever waits for the call's end hears of it: `kubectl exec` prints it,
/// an app handling a request goes on.
fn follow_up(cx: &mut Cx<'_>, rq: ReqId) {
    if cx.world.req(rq).exec {
        cx.after(0, Event::Client(ClientEvent::ExecDone { req: rq }));
    }
    // The app that made this call while handling a request goes on.
    let r = cx.world.req(rq);
    if let Some(job) = r.job {
        let ok = matches!(r.result, Some(CallResult::Http(200..=299)));
        cx.after(0, Event::Server(ServerEvent::CallDone { job, ok }));
    }
}

/// The outcome the caller's side reports for an HTTP answer.
pub(crate) fn http_outcome(cx: &Cx<'_>, rq: ReqId, status: u16) -> Outcome {
    let r = cx.world.req(rq);
    Outcome::Http {
        status,
        latency_us: cx.now.saturating_sub(r.started),
        attempts: r.attempt.max(1),
        encrypted: r.encrypted,
    }
}

/// Marks the request answered and writes the caller's log line (the proxy's
/// access log when `proxied`).
pub(crate) fn close(cx: &mut Cx<'_>, rq: ReqId, status: u16, proxied: bool) {
    let now = cx.now;
    let r = cx.world.req_mut(rq);
    r.done = true;
    let entry = LogEntry {
        status,
        latency_us: now.saturating_sub(r.started),
        retries: r.attempt.saturating_sub(1),
        encrypted: r.encrypted,
        proxied,
    };
    let client = r.client;
    cx.world.logs[client.index()].push(entry);
    cx.progress(rq, |p| {
        p.routing = RoutingState::Finished;
        p.policy = PolicyState::Finished;
    });
}

/// Records how the call ended.
pub(crate) fn finish(cx: &mut Cx<'_>, rq: ReqId, result: CallResult) {
    let r = cx.world.req_mut(rq);
    r.done = true;
    r.result = Some(result);
    cx.progress(rq, |p| {
        if !matches!(result, CallResult::Http(200..=299)) {
            p.state = RequestState::Failed;
        }
        p.routing = RoutingState::Finished;
        p.policy = PolicyState::Finished;
    });
}

/// `kubectl exec … curl` prints what the call got.
pub(crate) fn exec_done(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req(rq);
    let result = r.result.unwrap_or(CallResult::Pending);
    let out = kubectl::curl_output(cx.topo, result, r.target);
    let outcome = match result {
        CallResult::Http(s) => http_outcome(cx, rq, s),
        CallResult::Failed(f) => Outcome::Failed(f),
        CallResult::Pending => Outcome::Output(out.clone().into_boxed_str()),
    };
    let kubectl = cx.topo.kubectl;
    cx.row(kubectl, Action::ExecCurl)
        .request(rq)
        .outcome(outcome)
        .note(out)
        .record();
}
