//! The library path: proxy logic compiled into the app. The app calls the
//! library in-process; the library picks an endpoint, encrypts, retries and
//! times out itself, with no extra container and no extra network hop.

use crate::action::Action;
use crate::component::{ComponentId, State};
use crate::engine::client;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Event, Reply};
use crate::engine::path::{self, mirror};
use crate::engine::{routing, security, server};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::MtlsMode;
use crate::trace::{Failure, Outcome, PolicyState, RequestState, Route, RoutingState};

fn library(cx: &Cx<'_>, rq: ReqId) -> (ComponentId, ComponentId) {
    let p = cx.topo.pod(cx.world.req(rq).client);
    (p.app, p.library.unwrap_or(p.app))
}

pub(crate) fn send(cx: &mut Cx<'_>, rq: ReqId) {
    let (app, lib) = library(cx, rq);
    cx.set(app, State::SentViaLibrary);
    cx.set(lib, State::ProcessingRequest);
    cx.progress(rq, |p| p.state = RequestState::Sent);
    cx.row(app, Action::SendRequest)
        .request(rq)
        .outcome(Outcome::SentVia(Route::Library))
        .note(&"function call into the embedded library")
        .record();
    cx.after(
        cx.topo.latency.library_us,
        Event::Client(ClientEvent::LibraryProcess { req: rq }),
    );
}

pub(crate) fn process(cx: &mut Cx<'_>, rq: ReqId) {
    let (app, lib) = library(cx, rq);
    cx.progress(rq, |p| {
        p.routing = RoutingState::Applied;
        p.policy = PolicyState::Enforced;
    });
    cx.set(lib, State::AwaitingResponse);
    cx.set(app, State::WaitingForResponse);
    if let Err(r) = routing::take(cx, rq) {
        // The library's own routing table has no way for this request.
        let (f, code) = r.failure();
        cx.row(lib, Action::LibraryProcess)
            .request(rq)
            .outcome(Outcome::Failed(f))
            .record();
        return answer(cx, rq, Reply::Status(code));
    }
    path::attempt(cx, rq, lib, Action::LibraryProcess);
    mirror(cx, rq, lib);
}

pub(crate) fn retry(cx: &mut Cx<'_>, rq: ReqId) {
    let (_, lib) = library(cx, rq);
    path::attempt(cx, rq, lib, Action::LibraryRetry);
}

/// A proxyless gRPC server: its xDS server credentials enforce STRICT
/// (PERMISSIVE is not supported, so anything else takes plaintext).
pub(crate) fn proxyless_inbound(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
    let encrypted = cx.world.req(rq).encrypted;
    let config = (cx.world.pod(pod).proxy.as_ref())
        .and_then(|p| p.config)
        .and_then(|v| cx.world.configs.get(v as usize))
        .map(|c| &**c);
    if security::mode_in(cx, config, pod) == MtlsMode::Strict && !encrypted {
        let lib = cx.topo.pod(pod).library.unwrap_or(cx.topo.pod(pod).app);
        cx.row(lib, Action::RejectPlaintext)
            .request(rq)
            .outcome(Outcome::Failed(Failure::Refused))
            .note(&"strict mTLS: the gRPC server's xDS credentials refuse plaintext")
            .record();
        return path::reply_over_network(cx, rq, attempt, pod, Reply::Reset);
    }
    server::handle(cx, rq, attempt, pod);
}

/// The library returns the answer from the app's own function call.
pub(crate) fn answer(cx: &mut Cx<'_>, rq: ReqId, reply: Reply) {
    let (_, lib) = library(cx, rq);
    cx.set(lib, State::Idle);
    let code = match reply {
        Reply::Status(c) => c,
        Reply::Reset => crate::engine::request::status::SERVICE_UNAVAILABLE,
    };
    client::close(cx, rq, code, true);
    client::receive(cx, rq, Reply::Status(code));
}
