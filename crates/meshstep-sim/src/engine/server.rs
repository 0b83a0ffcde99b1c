//! The called side: an attempt arrives at a pod (its data path takes it in)
//! or at a host outside the cluster; the pod's app handles it and answers.
//! Work on an attempt stays with the pod it reached, even once its caller
//! has given up on it.

use crate::action::Action;
use crate::component::State;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply, ServerEvent};
use crate::engine::net;
use crate::engine::path::{self, PathKind};
use crate::engine::request::status;
use crate::ids::{PodId, ReqId};
use crate::trace::RequestState;

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

pub(crate) fn handle(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
    let app = cx.topo.pod(pod).app;
    cx.world.pod_mut(pod).handling += 1;
    cx.world.served[pod.index()] += 1;
    cx.progress(rq, |p| p.state = RequestState::ProcessedByServer);
    cx.set(app, State::Handling);
    cx.row(app, Action::HandleRequest)
        .request(rq)
        .note(&"application code unchanged")
        .record();
    cx.after(
        cx.topo.pod(pod).service_time_us,
        Event::Server(ServerEvent::Respond {
            req: rq,
            attempt,
            pod,
        }),
    );
}

pub(crate) fn respond(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
    let app = cx.topo.pod(pod).app;
    let p = cx.world.pod_mut(pod);
    p.handling = p.handling.saturating_sub(1);
    // Still busy while it handles other requests.
    if p.handling == 0 {
        cx.set(app, State::Idle);
    }
    cx.row(app, Action::SendResponse).request(rq).record();
    PathKind::reply_out(cx, rq, attempt, pod, Reply::Status(status::OK));
}

/// The server pod's sidecar sends the app's answer on.
pub(crate) fn returned(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId, reply: Reply) {
    path::sidecar::return_reply(cx, rq, attempt, pod, reply);
}
