//! The sidecar path: the app's connection is redirected (iptables) to a proxy
//! container in the same pod, which finds a route, applies policy and mTLS,
//! retries, records metrics, and on the server side terminates mTLS and hands
//! the request to its app.

use crate::action::Action;
use crate::component::{ComponentId, State};
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, CpEvent, Event, Reply};
use crate::engine::path;
use crate::engine::request::{Lookup, Target, status};
use crate::engine::{client, routing, security};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::{Flavour, MtlsMode, OutboundPolicy};
use crate::topology::PodKind;
use crate::trace::{
    CallResult, Failure, Note, Outcome, PolicyState, RequestState, Route, RoutingState,
};

/// How long an unused on-demand discovery result stays cached (Linkerd's
/// `outboundDiscoveryCacheUnusedTimeout`, 5 s).
const RESOLVED_FOR_US: u64 = 5_000_000;

fn sidecar(cx: &Cx<'_>, rq: ReqId) -> (PodId, ComponentId) {
    let pod = cx.world.req(rq).proxy;
    let p = cx.topo.pod(pod);
    (pod, p.sidecar.unwrap_or(p.app))
}

/// How far the proxy is from the app it works for: the same pod's loopback,
/// or, for an ingress gateway, the internet between it and its clients.
fn app_link_us(cx: &Cx<'_>, pod: PodId) -> u64 {
    match cx.topo.pod(pod).kind {
        PodKind::Workload => cx.topo.latency.loopback_us,
        PodKind::Gateway => cx.topo.latency.external_us,
        // Back through the caller's ztunnel.
        PodKind::Waypoint => cx.topo.latency.network_us + cx.topo.latency.loopback_us,
    }
}

pub(crate) fn send(cx: &mut Cx<'_>, rq: ReqId) {
    let pod = cx.world.req(rq).client;
    let app = cx.topo.pod(pod).app;
    cx.set(app, State::SentToSidecar);
    cx.progress(rq, |p| p.state = RequestState::Sent);
    let note: &'static &'static str = match cx.topo.pod(pod).kind {
        PodKind::Workload => &"outbound connection redirected to the sidecar",
        PodKind::Gateway => &"a client outside the cluster connects to the ingress gateway",
        PodKind::Waypoint => &"sent to the waypoint",
    };
    cx.row(app, Action::SendRequest)
        .request(rq)
        .outcome(Outcome::SentVia(Route::Sidecar))
        .note(note)
        .record();
    cx.after(
        app_link_us(cx, pod),
        Event::Client(ClientEvent::Intercept { req: rq }),
    );
}

/// Whether the proxy knows where the request's target is without asking.
fn knows_route(cx: &Cx<'_>, rq: ReqId) -> bool {
    let r = cx.world.req(rq);
    let Some(proxy) = &cx.world.pod(r.proxy).proxy else {
        return false;
    };
    match (cx.topo.flavour(), r.target) {
        (_, Target::External(_)) => true,
        (Some(Flavour::Linkerd), Target::Service(svc)) => proxy
            .resolved
            .iter()
            .any(|&(s, used)| s == svc && cx.now.saturating_sub(used) <= RESOLVED_FOR_US),
        // Istio pushes every route before traffic: known once any config arrived.
        _ => proxy.config.is_some(),
    }
}

pub(crate) fn intercept(cx: &mut Cx<'_>, rq: ReqId) {
    let (pod, s) = sidecar(cx, rq);
    cx.set(s, State::Intercepting);
    let known = knows_route(cx, rq);
    // A cached destination stays cached while it is in use.
    if let (true, Some(svc), Some(proxy)) = (
        known,
        cx.world.req(rq).service(),
        cx.world.pods[pod.index()].proxy.as_mut(),
    ) && let Some(entry) = proxy.resolved.iter_mut().find(|(x, _)| *x == svc)
    {
        entry.1 = cx.now;
    }
    let on_demand = cx.topo.flavour() == Some(Flavour::Linkerd);
    cx.progress(rq, |p| {
        p.state = RequestState::InterceptedByClientSidecar;
        p.policy = PolicyState::Checked;
        if known {
            p.routing = RoutingState::Fetched;
        }
    });
    let note: &'static &'static str = match cx.topo.pod(pod).kind {
        PodKind::Workload => &"captured by iptables redirect; access policy checked",
        PodKind::Gateway => &"the gateway's listener accepts the connection",
        PodKind::Waypoint => &"the waypoint ends the HBONE tunnel and reads the HTTP request",
    };
    if cx.topo.pod(pod).kind == PodKind::Waypoint
        && let Err(why) = path::ambient::authorize_at_waypoint(cx, rq)
    {
        cx.set(s, State::Idle);
        cx.row(s, Action::DenyRequest)
            .request(rq)
            .outcome(Outcome::Failed(Failure::Forbidden))
            .note(Note::from(why))
            .record();
        return answer(cx, rq, Reply::Status(status::FORBIDDEN));
    }
    cx.row(s, Action::Intercept).request(rq).note(note).record();
    let next = if on_demand && !known {
        ClientEvent::Consult { req: rq }
    } else {
        ClientEvent::ApplyPolicies { req: rq }
    };
    cx.after(cx.topo.latency.intercept_us, Event::Client(next));
}

/// On-demand discovery: ask the control plane's destination service.
pub(crate) fn consult(cx: &mut Cx<'_>, rq: ReqId) {
    let (_, s) = sidecar(cx, rq);
    cx.set(s, State::Consulting);
    let reachable = cx.world.cp.up;
    cx.world.req_mut(rq).lookup = Lookup::Pending;
    cx.row(s, Action::ConsultControlPlane)
        .request(rq)
        .outcome(if reachable {
            Outcome::Sent
        } else {
            Outcome::Lost
        })
        .record();
    if reachable {
        cx.after(
            cx.topo.latency.control_plane_us,
            Event::ControlPlane(CpEvent::Lookup { req: rq }),
        );
    }
    cx.after(
        cx.world.mesh.per_try_timeout_us,
        Event::Client(ClientEvent::LookupTimeout { req: rq }),
    );
}

pub(crate) fn routes(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req(rq);
    if r.done || r.lookup != Lookup::Pending {
        return;
    }
    let (pod, s) = sidecar(cx, rq);
    let (svc, now) = (r.service(), cx.now);
    cx.world.req_mut(rq).lookup = Lookup::Answered;
    if let (Some(proxy), Some(svc)) = (&mut cx.world.pod_mut(pod).proxy, svc) {
        proxy.resolved.retain(|(x, _)| *x != svc);
        proxy.resolved.push((svc, now));
    }
    cx.row(s, Action::ReceiveRoutes)
        .request(rq)
        .note(&"destination cached while it is in use")
        .record();
    cx.after(0, Event::Client(ClientEvent::ApplyPolicies { req: rq }));
}

pub(crate) fn lookup_timed_out(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req(rq);
    if r.done || r.lookup != Lookup::Pending {
        return;
    }
    let (_, s) = sidecar(cx, rq);
    cx.world.req_mut(rq).lookup = Lookup::GaveUp;
    cx.row(s, Action::AttemptTimeout)
        .request(rq)
        .outcome(Outcome::Failed(Failure::ControlPlaneDown))
        .note(&"no answer from the control plane's destination service")
        .record();
    answer(cx, rq, Reply::Status(status::SERVICE_UNAVAILABLE));
}

/// Why the proxy cannot send the request on, if it cannot.
enum Block {
    /// The proxy answers the app itself with this status.
    Answer(Failure, u16),
    /// The proxy does not even accept the app's connection.
    Refuse(Failure),
}

impl Block {
    fn failure(&self) -> Failure {
        match *self {
            Block::Answer(f, _) | Block::Refuse(f) => f,
        }
    }
}

fn blocked(cx: &Cx<'_>, rq: ReqId) -> Option<Block> {
    let r = cx.world.req(rq);
    match r.target {
        Target::External(h) => {
            let registered = cx.topo.external[h.index()].service_entry;
            (cx.world.mesh.outbound == OutboundPolicy::RegistryOnly && !registered)
                .then_some(Block::Answer(Failure::NotInRegistry, status::BAD_GATEWAY))
        }
        Target::Service(_) => match r.lookup {
            Lookup::Answered => None,
            Lookup::GaveUp | Lookup::Pending => Some(Block::Answer(
                Failure::ControlPlaneDown,
                status::SERVICE_UNAVAILABLE,
            )),
            Lookup::NotNeeded => {
                (!knows_route(cx, rq)).then_some(Block::Refuse(Failure::NotConfigured))
            }
        },
    }
}

pub(crate) fn apply_policies(cx: &mut Cx<'_>, rq: ReqId) {
    let (pod, s) = sidecar(cx, rq);
    let app = cx.topo.pod(pod).app;
    cx.set(s, State::ApplyingPolicies);
    cx.set(app, State::WaitingForResponse);
    let block = blocked(cx, rq).or_else(|| {
        routing::take(cx, rq).err().map(|r| {
            let (f, code) = r.failure();
            Block::Answer(f, code)
        })
    });
    let max = cx.world.req(rq).max_attempts;
    let mtls = cx.world.mesh.mtls != MtlsMode::Off;
    cx.row(s, Action::ApplyPolicies)
        .request(rq)
        .outcome(
            block
                .as_ref()
                .map_or(Outcome::Done, |b| Outcome::Failed(b.failure())),
        )
        .note(Note::Policies {
            mtls,
            retries: max - 1,
        })
        .record();
    match block {
        None => cx.after(
            cx.topo.latency.sidecar_us,
            Event::Client(ClientEvent::Forward { req: rq }),
        ),
        Some(Block::Answer(_, code)) => answer(cx, rq, Reply::Status(code)),
        Some(Block::Refuse(why)) => {
            cx.set(s, State::Idle);
            client::finish(cx, rq, CallResult::Failed(why));
            client::receive_failure(cx, rq, why);
        }
    }
}

/// Sends an attempt (the first, or a retry).
pub(crate) fn forward(cx: &mut Cx<'_>, rq: ReqId, retry: bool) {
    let (_, s) = sidecar(cx, rq);
    cx.set(s, State::Forwarding);
    cx.progress(rq, |p| {
        p.routing = RoutingState::Applied;
        p.policy = PolicyState::Enforced;
    });
    let action = if retry {
        Action::Retry
    } else {
        Action::Forward
    };
    path::attempt(cx, rq, s, action);
    let r = cx.world.req(rq);
    if r.attempt == 1 && !r.done && !retry {
        path::mirror(cx, rq, s);
        report(cx, rq);
    }
}

/// The proxy counts the request in its own stats as it sends it, which Prometheus scrapes
/// (`:15020/stats/prometheus` in Istio, port 4191 in Linkerd). Nothing goes to
/// the control plane. Istio's `istio_requests_total` is counted when the
/// response completes; Envoy's upstream request counters when it is sent.
fn report(cx: &mut Cx<'_>, rq: ReqId) {
    let (_, s) = sidecar(cx, rq);
    cx.set(s, State::ReportingMetrics);
    cx.row(s, Action::ReportMetrics)
        .request(rq)
        .note(&"request counted in the proxy's stats, ready for Prometheus to scrape")
        .record();
}

/// Hands the final answer to the app over loopback, logging it.
pub(crate) fn answer(cx: &mut Cx<'_>, rq: ReqId, reply: Reply) {
    let (pod, s) = sidecar(cx, rq);
    let code = match reply {
        Reply::Status(c) => c,
        Reply::Reset => status::SERVICE_UNAVAILABLE,
    };
    client::close(cx, rq, code, true);
    cx.set(s, State::Idle);
    let out = client::http_outcome(cx, rq, code);
    let note: &'static &'static str = match (cx.topo.pod(pod).kind, cx.world.mesh.access_log) {
        (PodKind::Workload, true) => &"response handed to the app and written to the access log",
        (PodKind::Workload, false) => &"response handed to the app",
        (PodKind::Gateway, true) => {
            &"response sent to the outside client and written to the access log"
        }
        (PodKind::Gateway, false) => &"response sent to the outside client",
        (PodKind::Waypoint, true) => {
            &"response sent back to the caller's ztunnel and written to the access log"
        }
        (PodKind::Waypoint, false) => &"response sent back to the caller's ztunnel",
    };
    cx.row(s, Action::ReturnResponse)
        .request(rq)
        .outcome(out)
        .note(note)
        .record();
    cx.after(
        app_link_us(cx, pod),
        Event::Client(ClientEvent::AppReceive {
            req: rq,
            reply: Reply::Status(code),
        }),
    );
}

/// Server side: traffic arriving at the pod is captured by its sidecar.
pub(crate) fn inbound(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
    let Some(s) = cx.topo.pod(pod).sidecar else {
        return;
    };
    let encrypted = cx.world.req(rq).encrypted;
    let strict = security::enforced(cx, pod) == MtlsMode::Strict;
    if strict && !encrypted {
        cx.set(s, State::Idle);
        cx.row(s, Action::RejectPlaintext)
            .request(rq)
            .outcome(Outcome::Failed(Failure::Refused))
            .note(&"strict mTLS: plaintext connection reset")
            .record();
        return path::reply_over_network(cx, rq, attempt, pod, Reply::Reset);
    }
    if encrypted && !path::certificates_valid(cx, rq, pod) {
        cx.set(s, State::Idle);
        cx.row(s, Action::InterceptInbound)
            .request(rq)
            .outcome(Outcome::Failed(Failure::CertExpired))
            .note(&"TLS handshake failed: a workload certificate has expired")
            .record();
        return path::reply_over_network(cx, rq, attempt, pod, Reply::Reset);
    }
    if let Err(policy) = security::authorize(cx, rq, pod) {
        cx.set(s, State::Idle);
        let why = security::denial(policy);
        cx.row(s, Action::DenyRequest)
            .request(rq)
            .outcome(Outcome::Failed(Failure::Forbidden))
            .note(Note::from(why))
            .record();
        return path::reply_over_network(cx, rq, attempt, pod, Reply::Status(status::FORBIDDEN));
    }
    let note: &'static &'static str = if encrypted {
        &"mTLS terminated"
    } else {
        &"plaintext accepted"
    };
    path::hand_to_app(cx, (rq, attempt, pod), s, note);
}

/// Server side: the app's answer leaves through the sidecar.
pub(crate) fn return_reply(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId, reply: Reply) {
    let Some(s) = cx.topo.pod(pod).sidecar else {
        return path::reply_over_network(cx, rq, attempt, pod, reply);
    };
    cx.set(s, State::Idle);
    let note: &'static &'static str = if cx.world.mesh.access_log {
        &"response captured on its way out and written to the access log"
    } else {
        &"response captured on its way out"
    };
    cx.row(s, Action::ReturnResponse)
        .request(rq)
        .note(note)
        .record();
    path::reply_over_network(cx, rq, attempt, pod, reply);
}
