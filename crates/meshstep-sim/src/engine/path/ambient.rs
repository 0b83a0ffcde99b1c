//! Ambient mode (Istio): no proxy in the pod. The node's ztunnel captures
//! the app's connection and carries it to the destination's node in an
//! HBONE tunnel (HTTP CONNECT over mutual TLS, port 15008), where that
//! node's ztunnel hands it to the pod. ztunnel works at L4 only: it never
//! parses HTTP, so without a waypoint there are no routes, retries, HTTP
//! timeouts or HTTP authorization. When the target Service's namespace has a
//! waypoint, the source ztunnel sends the connection there instead; the
//! waypoint is an Envoy that does everything a client sidecar does, and from
//! then on the call follows the sidecar path with the waypoint as its proxy.
//! <https://istio.io/latest/docs/ambient/architecture/data-plane/>,
//! <https://istio.io/latest/docs/ambient/usage/waypoint/>

use crate::action::Action;
use crate::component::{ComponentId, State};
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply};
use crate::engine::path::{self, PathKind};
use crate::engine::policy::AttemptEnd;
use crate::engine::request::{Target, status};
use crate::engine::{client, net, security};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::MtlsMode;
use crate::trace::{CallResult, Failure, Note, Outcome, RequestState, Route};

/// The ztunnel on an ambient pod's node.
pub(crate) fn ztunnel(cx: &Cx<'_>, pod: PodId) -> ComponentId {
    cx.topo.ztunnel_of(pod).unwrap_or(cx.topo.pod(pod).app)
}

/// The waypoint a call to `target` goes through, if its namespace has one
/// that is running with its config.
fn waypoint(cx: &Cx<'_>, target: Target) -> Option<PodId> {
    let Target::Service(svc) = target else {
        return None;
    };
    let w = cx.topo.waypoint_for(&cx.topo.service(svc).namespace)?;
    cx.world.has_sidecar(w).then_some(w)
}

pub(crate) fn send(cx: &mut Cx<'_>, rq: ReqId) {
    let app = cx.topo.pod(cx.world.req(rq).client).app;
    cx.set(app, State::SentToZtunnel);
    cx.progress(rq, |p| p.state = RequestState::Sent);
    cx.row(app, Action::SendRequest)
        .request(rq)
        .outcome(Outcome::SentVia(Route::Ztunnel))
        .note(&"no proxy in the pod: the node's ztunnel captures the connection")
        .record();
    cx.after(
        cx.topo.latency.loopback_us,
        Event::Client(ClientEvent::Ztunnel { req: rq }),
    );
}

/// The source ztunnel has the connection: to the waypoint, or straight to
/// an endpoint it picks itself.
pub(crate) fn outbound(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req(rq);
    let (client, target) = (r.client, r.target);
    let z = ztunnel(cx, client);
    cx.set(z, State::Intercepting);
    match waypoint(cx, target) {
        Some(w) => {
            cx.row(z, Action::Intercept)
                .request(rq)
                .note(&"L4 only: the Service has a waypoint, so the connection goes there in an HBONE (mTLS) tunnel")
                .record();
            // From here the waypoint is the call's proxy, as a sidecar would be.
            let hbone = !cx.world.mtls_off;
            let r = cx.world.req_mut(rq);
            r.proxy = w;
            r.path = PathKind::Sidecar;
            r.encrypted = hbone;
            net::send(
                cx,
                Endpoint::Pod(client),
                Endpoint::Pod(w),
                rq,
                Event::Client(ClientEvent::Intercept { req: rq }),
            );
        }
        None => {
            cx.row(z, Action::Intercept)
                .request(rq)
                .note(&"L4 only: no waypoint, so no routes, retries or HTTP policy; the connection goes to an endpoint in an HBONE (mTLS) tunnel")
                .record();
            cx.after(
                cx.topo.latency.intercept_us,
                Event::Client(ClientEvent::ZtunnelForward { req: rq }),
            );
        }
    }
}

/// No waypoint: the ztunnel opens the tunnel to one endpoint.
pub(crate) fn forward(cx: &mut Cx<'_>, rq: ReqId) {
    let z = ztunnel(cx, cx.world.req(rq).client);
    path::attempt(cx, rq, z, Action::Forward);
}

/// A waypoint's authorization policies, checked before it routes the call:
/// the caller's identity comes with the HBONE tunnel. `Err`: the 403's note.
pub(crate) fn authorize_at_waypoint(cx: &Cx<'_>, rq: ReqId) -> Result<(), String> {
    let r = cx.world.req(rq);
    let (Target::Service(svc), w) = (r.target, r.proxy) else {
        return Ok(());
    };
    let Some(&server) = cx.topo.service(svc).endpoints.first() else {
        return Ok(());
    };
    let config = cx.world.pod(w).proxy.as_ref().and_then(|p| p.config);
    let config = config
        .and_then(|v| cx.world.configs.get(v as usize))
        .map(|c| &**c);
    security::authorize_in(cx, rq, config, server).map_err(security::denial)
}

/// The one attempt ended (a ztunnel neither retries nor times out HTTP):
/// the answer goes back through the tunnel, or the app's own timeout fires.
pub(crate) fn ended(cx: &mut Cx<'_>, rq: ReqId, end: AttemptEnd) {
    match end {
        AttemptEnd::Replied(reply) => answer(cx, rq, reply),
        AttemptEnd::TimedOut => {
            client::close(cx, rq, status::GATEWAY_TIMEOUT, false);
            client::finish(cx, rq, CallResult::Failed(Failure::Timeout));
            client::receive_failure(cx, rq, Failure::Timeout);
        }
    }
}

/// The source ztunnel hands what came back to the app, as it came.
pub(crate) fn answer(cx: &mut Cx<'_>, rq: ReqId, reply: Reply) {
    let z = ztunnel(cx, cx.world.req(rq).client);
    cx.set(z, State::Idle);
    let note: &'static &'static str = match reply {
        Reply::Status(_) => &"the answer comes back through the tunnel to the app",
        Reply::Reset => &"the tunnel was reset: the app's connection is reset",
    };
    cx.row(z, Action::ReturnResponse)
        .request(rq)
        .note(note)
        .record();
    if let Reply::Status(code) = reply {
        client::close(cx, rq, code, false);
    }
    cx.after(
        cx.topo.latency.loopback_us,
        Event::Client(ClientEvent::AppReceive { req: rq, reply }),
    );
}

/// Server side: the destination node's ztunnel ends the tunnel, enforces
/// peer authentication and the L4 part of authorization, and hands the
/// connection to the pod.
pub(crate) fn inbound(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
    let z = ztunnel(cx, pod);
    let r = cx.world.req(rq);
    let (encrypted, via_waypoint) = (r.encrypted, r.proxy != r.client);
    let refuse = |cx: &mut Cx<'_>, action: Action, why: Failure, note: Note| {
        cx.set(z, State::Idle);
        cx.row(z, action)
            .request(rq)
            .outcome(Outcome::Failed(why))
            .note(note)
            .record();
        path::reply_over_network(cx, rq, attempt, pod, Reply::Reset);
    };
    if security::enforced(cx, pod) == MtlsMode::Strict && !encrypted {
        let note = Note::from(&"strict mTLS: plaintext connection reset by ztunnel");
        return refuse(cx, Action::RejectPlaintext, Failure::Refused, note);
    }
    if encrypted && !path::certificates_valid(cx, rq, pod) {
        let note = Note::from(&"HBONE handshake failed: a workload certificate has expired");
        return refuse(cx, Action::InterceptInbound, Failure::CertExpired, note);
    }
    // The waypoint has already checked its policies; a ztunnel can check only
    // who calls, and a rule on methods or paths it cannot read denies all.
    if !via_waypoint {
        let config = cx
            .world
            .configs
            .get(cx.world.cp.version as usize)
            .map(|c| &**c);
        if let Err(why) = security::authorize_l4(cx, rq, config, pod) {
            let note = Note::from(format!("connection reset by ztunnel's L4 policy: {why}"));
            return refuse(cx, Action::DenyRequest, Failure::Refused, note);
        }
    }
    let note: &'static &'static str = if encrypted {
        &"HBONE tunnel ended (mTLS), connection handed to the pod"
    } else {
        &"plaintext accepted (permissive)"
    };
    path::hand_to_app(cx, (rq, attempt, pod), z, note);
}

/// Whether ambient's HBONE reaches `to`: an ambient pod or a sidecar
/// (Istio's sidecars speak HBONE to ambient workloads).
pub(crate) fn speaks_hbone(cx: &Cx<'_>, to: PodId) -> bool {
    cx.ambient(to) || cx.world.has_sidecar(to)
}
