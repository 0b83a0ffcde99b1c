//! The direct path: an app with no proxy. Its call goes through the
//! Service's cluster IP (kube-proxy picks the endpoint); nothing retries,
//! encrypts or counts it, and only the app's own timeout bounds it.

use crate::action::Action;
use crate::component::State;
use crate::engine::client;
use crate::engine::cx::Cx;
use crate::engine::path;
use crate::engine::policy::AttemptEnd;
use crate::ids::ReqId;
use crate::trace::{CallResult, Failure, Outcome, RequestState, Route};

pub(crate) fn send(cx: &mut Cx<'_>, rq: ReqId) {
    let app = cx.topo.pod(cx.world.req(rq).client).app;
    cx.set(app, State::SentDirect);
    cx.progress(rq, |p| p.state = RequestState::Sent);
    let to = path::prepare(cx, rq);
    cx.row(app, Action::SendRequest)
        .request(rq)
        .outcome(Outcome::SentVia(Route::Direct))
        .note(&"direct call: no proxy, no retries, no encryption, no metrics")
        .record();
    match to {
        Some(_) => path::launch(cx, rq),
        None => client::fail(cx, rq, Failure::NoEndpoints),
    }
}

/// The one attempt ended: the app sees exactly what happened.
pub(crate) fn ended(cx: &mut Cx<'_>, rq: ReqId, end: AttemptEnd) {
    match end {
        AttemptEnd::Replied(reply) => {
            if let crate::engine::event::Reply::Status(code) = reply {
                client::close(cx, rq, code, false);
            }
            client::receive(cx, rq, reply);
        }
        AttemptEnd::TimedOut => {
            client::close(
                cx,
                rq,
                crate::engine::request::status::GATEWAY_TIMEOUT,
                false,
            );
            client::finish(cx, rq, CallResult::Failed(Failure::Timeout));
            client::receive_failure(cx, rq, Failure::Timeout);
        }
    }
}
