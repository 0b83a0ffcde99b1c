//! The data paths a call can take out of a pod and into one: straight from the
//! app (`direct`), through the pod's sidecar (`sidecar`) or through the proxy
//! library compiled into the app (`library`). This module is the only place
//! that tells them apart: adding a path (an ingress gateway, a ztunnel) means
//! one new module and one new variant here.

pub(crate) mod direct;
pub(crate) mod library;
pub(crate) mod sidecar;

use crate::action::Action;
use crate::component::ComponentId;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply, ServerEvent};
use crate::engine::policy::{self, AttemptEnd, Next};
use crate::engine::{client, control_plane, net, server};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::{MtlsMode, ProxyMode};
use crate::trace::{Outcome, RequestState};

pub(crate) use crate::engine::request::PathKind;

impl PathKind {
    /// The path a pod's traffic takes now (a sidecar only while one runs).
    pub fn of(cx: &Cx<'_>, pod: PodId) -> PathKind {
        if cx.world.has_sidecar(pod) {
            PathKind::Sidecar
        } else if cx.topo.pod(pod).proxy == ProxyMode::Library {
            PathKind::Library
        } else {
            PathKind::Direct
        }
    }

    /// The component that acts for the caller on this path.
    pub fn client_actor(self, cx: &Cx<'_>, pod: PodId) -> ComponentId {
        let p = cx.topo.pod(pod);
        match self {
            PathKind::Sidecar => p.sidecar.unwrap_or(p.app),
            PathKind::Library => p.library.unwrap_or(p.app),
            PathKind::Direct => p.app,
        }
    }

    /// The app hands its call to the path.
    pub fn send(self, cx: &mut Cx<'_>, rq: ReqId) {
        match self {
            PathKind::Direct => direct::send(cx, rq),
            PathKind::Sidecar => sidecar::send(cx, rq),
            PathKind::Library => library::send(cx, rq),
        }
    }

    /// An attempt ended: the path's proxy decides what follows.
    pub fn attempt_ended(self, cx: &mut Cx<'_>, rq: ReqId, end: AttemptEnd) {
        if self == PathKind::Direct {
            return direct::ended(cx, rq, end);
        }
        match policy::after_attempt(cx.world.req(rq), end) {
            Next::Retry => match self {
                PathKind::Sidecar => sidecar::forward(cx, rq, true),
                _ => library::retry(cx, rq),
            },
            Next::Answer(reply) => self.answer(cx, rq, reply),
        }
    }

    /// The path hands the final answer to the app.
    pub fn answer(self, cx: &mut Cx<'_>, rq: ReqId, reply: Reply) {
        match self {
            PathKind::Direct => client::receive(cx, rq, reply),
            PathKind::Sidecar => sidecar::answer(cx, rq, reply),
            PathKind::Library => library::answer(cx, rq, reply),
        }
    }

    /// An attempt reaches a pod: whatever handles the pod's inbound traffic takes it.
    pub fn inbound(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
        match PathKind::of(cx, pod) {
            PathKind::Sidecar => sidecar::inbound(cx, rq, attempt, pod),
            // A library terminates its TLS inside the app; a plain app just reads.
            PathKind::Library | PathKind::Direct => server::handle(cx, rq, attempt, pod),
        }
    }

    /// The server's app has answered: the answer leaves through the pod's path.
    pub fn reply_out(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId, reply: Reply) {
        match PathKind::of(cx, pod) {
            PathKind::Sidecar => {
                let d = cx.topo.latency.loopback_us;
                cx.after(
                    d,
                    Event::Server(ServerEvent::Return {
                        req: rq,
                        attempt,
                        pod,
                        reply,
                    }),
                );
            }
            PathKind::Library | PathKind::Direct => reply_over_network(cx, rq, attempt, pod, reply),
        }
    }

    /// Whether an attempt from this path to `to` is mutual TLS.
    fn encrypts(self, cx: &Cx<'_>, to: Endpoint) -> bool {
        let on = cx.world.mesh.mtls != MtlsMode::Off;
        match (self, to) {
            (_, Endpoint::External(_)) | (PathKind::Direct, _) => false,
            // Auto mTLS: a sidecar encrypts to servers that have a sidecar.
            (PathKind::Sidecar, Endpoint::Pod(p)) => on && cx.world.has_sidecar(p),
            (PathKind::Library, Endpoint::Pod(p)) => {
                on && cx.topo.pod(p).proxy == ProxyMode::Library && cx.world.is_running(p)
            }
        }
    }
}

/// Sends a reply from `pod` back to the request's caller.
pub(crate) fn reply_over_network(
    cx: &mut Cx<'_>,
    rq: ReqId,
    attempt: u32,
    pod: PodId,
    reply: Reply,
) {
    let client = cx.world.req(rq).client;
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
    let encrypted = path.encrypts(cx, to);
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
    let r = cx.world.req(rq);
    let (attempt, client, path) = (r.attempt, r.client, r.path);
    let Some(to) = r.endpoint else { return };
    let timeout = policy::attempt_timeout(&cx.world, path);
    cx.after(
        timeout,
        Event::Client(ClientEvent::AttemptTimeout { req: rq, attempt }),
    );
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

/// One attempt by a proxy: picks the endpoint, records `action` by `actor`,
/// sends it. When no endpoint is ready, a sidecar answers 503 itself (Envoy's
/// `UH`, no healthy upstream); a library's call fails in the app.
pub(crate) fn attempt(cx: &mut Cx<'_>, rq: ReqId, actor: ComponentId, action: Action) {
    let Some(to) = prepare(cx, rq) else {
        return match cx.world.req(rq).path {
            PathKind::Sidecar => {
                cx.row(actor, action)
                    .request(rq)
                    .outcome(Outcome::Failed(crate::trace::Failure::NoEndpoints))
                    .note(&"no healthy upstream (UH)")
                    .record();
                sidecar::answer(
                    cx,
                    rq,
                    Reply::Status(crate::engine::request::status::SERVICE_UNAVAILABLE),
                )
            }
            _ => client::fail(cx, rq, crate::trace::Failure::NoEndpoints),
        };
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

/// Whether both ends of an encrypted attempt hold a valid certificate.
pub(crate) fn certificates_valid(cx: &Cx<'_>, rq: ReqId, server: PodId) -> bool {
    let client = cx.world.req(rq).client;
    control_plane::cert_valid(cx, client) && control_plane::cert_valid(cx, server)
}
