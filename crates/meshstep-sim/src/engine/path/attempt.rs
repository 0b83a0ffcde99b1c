//! One attempt of a call, whichever proxy makes it: taking a connection
//! (or waiting for one), picking the endpoint, sending with a timer, the
//! route's mirror, and sending the server's reply back.

use crate::action::Action;
use crate::component::ComponentId;
use crate::engine::breaker::{self, Admission};
use crate::engine::config::Backend;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply, ServerEvent};
use crate::engine::request::Request;
use crate::engine::{control_plane, net, policy, routing};
use crate::ids::{PodId, ReqId};
use crate::trace::{Note, Outcome, RequestState};

/// A server-side proxy (sidecar or ztunnel) lets attempt `attempt` of `rq`
/// into `pod`: its row, then the app has the request after the loopback hop.
pub(crate) fn hand_to_app(
    cx: &mut Cx<'_>,
    (rq, attempt, pod): (ReqId, u32, PodId),
    proxy: ComponentId,
    note: &'static &'static str,
) {
    cx.set(proxy, crate::component::State::Intercepting);
    cx.row(proxy, Action::InterceptInbound)
        .request(rq)
        .note(note)
        .record();
    cx.after(
        cx.topo.latency.loopback_us,
        Event::Server(ServerEvent::Handle {
            req: rq,
            attempt,
            pod,
        }),
    );
}

/// Sends a reply from `pod` back to the request's caller.
pub(crate) fn reply_over_network(
    cx: &mut Cx<'_>,
    rq: ReqId,
    attempt: u32,
    pod: PodId,
    reply: Reply,
) {
    let client = cx.world.req(rq).proxy;
    net::send(
        cx,
        Endpoint::Pod(pod),
        Endpoint::Pod(client),
        rq,
        Event::Client(ClientEvent::Reply {
            req: rq,
            attempt,
            reply,
        }),
    );
}

/// Picks the endpoint for the next attempt and notes where the request goes.
/// `None`: the service has no ready endpoint.
pub(crate) fn prepare(cx: &mut Cx<'_>, rq: ReqId) -> Option<Endpoint> {
    let to = net::pick(cx, rq)?;
    let path = cx.world.req(rq).path;
    let encrypted = path.encrypts(cx, rq, to);
    let to_sidecar = matches!(to, Endpoint::Pod(p) if cx.world.has_sidecar(p));
    let r = cx.world.req_mut(rq);
    r.attempt += 1;
    r.endpoint = Some(to);
    r.encrypted = encrypted;
    cx.progress(rq, |p| {
        p.state = if to_sidecar {
            RequestState::ForwardedToServerSidecar
        } else {
            RequestState::ForwardedToServer
        }
    });
    Some(to)
}

/// Sends the prepared attempt and arms its timer. Called after the row that
/// announces it, so a drop on the wire is recorded after the send.
pub(crate) fn launch(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req_mut(rq);
    r.in_flight = true;
    let (attempt, client, path, shadow) = (r.attempt, r.proxy, r.path, r.shadow);
    let Some(to) = r.endpoint else { return };
    let p = routing::policy(cx, rq);
    // Nobody waits for a mirrored copy, so nothing times it out.
    if let Some(timeout) = policy::attempt_timeout(&cx.world, path, &p).filter(|_| !shadow) {
        cx.after(
            timeout,
            Event::Client(ClientEvent::AttemptTimeout { req: rq, attempt }),
        );
    }
    net::send(
        cx,
        Endpoint::Pod(client),
        to,
        rq,
        Event::Server(ServerEvent::Arrive {
            req: rq,
            attempt,
            at: to,
        }),
    );
}

/// One attempt by a proxy: takes a connection (or waits for one, or finds
/// the circuit breaker open), picks the endpoint, records `action` by
/// `actor`, sends it. When no endpoint is ready, a sidecar answers 503 itself
/// (Envoy's `UH`, no healthy upstream); a library's call fails in the app.
pub(crate) fn attempt(cx: &mut Cx<'_>, rq: ReqId, actor: ComponentId, action: Action) {
    match breaker::admit(cx, rq) {
        Admission::Go => {}
        Admission::Wait => {
            cx.row(actor, action)
                .request(rq)
                .outcome(Outcome::Waiting)
                .note(&"every connection the circuit breaker allows is busy: it waits its turn")
                .record();
            return;
        }
        Admission::Overflow => {
            cx.row(actor, action)
                .request(rq)
                .outcome(Outcome::Failed(crate::trace::Failure::Overflow))
                .note(&"circuit breaker open: the proxy answers 503 without trying (UO)")
                .record();
            let path = cx.world.req(rq).path;
            return path.answer(
                cx,
                rq,
                Reply::Status(crate::engine::request::status::SERVICE_UNAVAILABLE),
            );
        }
    }
    let Some(to) = prepare(cx, rq) else {
        breaker::attempt_over(cx, rq, None);
        let path = cx.world.req(rq).path;
        return path.no_endpoint(cx, rq, actor, action);
    };
    let r = cx.world.req(rq);
    let (attempt, encrypted) = (r.attempt, r.encrypted);
    let endpoint = match to {
        Endpoint::Pod(p) => Some(p),
        Endpoint::External(_) => None,
    };
    cx.row(actor, action)
        .request(rq)
        .outcome(Outcome::Forwarded {
            endpoint,
            attempt,
            encrypted,
        })
        .record();
    launch(cx, rq);
}

/// A route's mirror: a copy of the request goes to the mirror's endpoints,
/// fire and forget; nobody waits for its answer (Envoy sends it with
/// `-shadow` appended to its Host,
/// <https://istio.io/latest/docs/tasks/traffic-management/mirroring/>).
pub(crate) fn mirror(cx: &mut Cx<'_>, rq: ReqId, actor: ComponentId) {
    let r = cx.world.req(rq);
    let Some(b) = r.mirror.filter(|_| r.attempt == 1 && !r.done) else {
        return;
    };
    let id = ReqId::new(cx.world.requests.len());
    let mut copy = Request::new(id, r.flow, r.client, r.target, r.path, cx.now);
    copy.proxy = r.proxy;
    copy.parent = Some(rq);
    copy.shadow = true;
    copy.http = r.http;
    copy.trace = r.trace;
    copy.subset = match b {
        Backend::Subset(i) => Some(i),
        Backend::All | Backend::Undefined => None,
    };
    let host = match r.target {
        crate::engine::request::Target::Service(s) => cx.topo.service(s).name.clone(),
        crate::engine::request::Target::External(h) => cx.topo.external[h.index()].host.clone(),
    };
    let c = cx.new_request(copy);
    let Some(to) = prepare(cx, c) else {
        cx.world.req_mut(c).done = true;
        cx.row(actor, Action::MirrorRequest)
            .request(c)
            .outcome(Outcome::Failed(crate::trace::Failure::NoEndpoints))
            .note(&"the mirror has no ready endpoint: no copy is sent")
            .record();
        return;
    };
    let endpoint = match to {
        Endpoint::Pod(p) => Some(p),
        Endpoint::External(_) => None,
    };
    let encrypted = cx.world.req(c).encrypted;
    cx.row(actor, Action::MirrorRequest)
        .request(c)
        .outcome(Outcome::Forwarded {
            endpoint,
            attempt: 1,
            encrypted,
        })
        .note(Note::from(format!(
            "a copy (Host: {host}-shadow); its answer will be thrown away"
        )))
        .record();
    launch(cx, c);
}

/// Whether both ends of an encrypted attempt hold a valid certificate.
pub(crate) fn certificates_valid(cx: &Cx<'_>, rq: ReqId, server: PodId) -> bool {
    let client = cx.world.req(rq).proxy;
    control_plane::cert_valid(cx, client) && control_plane::cert_valid(cx, server)
}
