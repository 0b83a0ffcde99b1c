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
use crate::engine::breaker::{self, Admission};
use crate::engine::config::Backend;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply, ServerEvent};
use crate::engine::policy::{self, AttemptEnd, Next};
use crate::engine::request::Request;
use crate::engine::{client, control_plane, net, routing, security, server};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::{MtlsMode, ProxyMode};
use crate::trace::{Note, Outcome, RequestState};

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

    /// An attempt ended: the path's proxy decides what follows. A retry
    /// waits out Envoy's jittered back-off first, if the retry budget
    /// allows one at all.
    pub fn attempt_ended(self, cx: &mut Cx<'_>, rq: ReqId, end: AttemptEnd) {
        if self == PathKind::Direct {
            return direct::ended(cx, rq, end);
        }
        let p = routing::policy(cx, rq);
        match policy::after_attempt(cx.world.req(rq), end, &p) {
            Next::Retry if breaker::retry_allowed(cx, rq) => {
                let n = cx.world.req(rq).attempt;
                let wait = routing::backoff(cx, p.backoff_us, n);
                cx.after(wait, Event::Client(ClientEvent::Retry { req: rq }));
            }
            Next::Retry => {
                let actor = self.client_actor(cx, cx.world.req(rq).client);
                cx.row(actor, Action::AttemptTimeout)
                    .request(rq)
                    .note(&"no retry: the retry budget is used up")
                    .record();
                self.answer(cx, rq, policy::final_answer(end))
            }
            Next::Answer(reply) => self.answer(cx, rq, reply),
        }
    }

    /// A connection freed up: the request that waited for one goes now.
    pub fn resume(self, cx: &mut Cx<'_>, rq: ReqId) {
        let r = cx.world.req(rq);
        if r.done {
            return;
        }
        let retry = r.attempt > 0;
        match self {
            PathKind::Sidecar => sidecar::forward(cx, rq, retry),
            PathKind::Library if retry => library::retry(cx, rq),
            PathKind::Library => {
                let lib = self.client_actor(cx, r.client);
                attempt(cx, rq, lib, Action::LibraryProcess)
            }
            PathKind::Direct => {}
        }
    }

    /// The back-off is over: the proxy sends the retry (unless the call
    /// ended meanwhile, by its route's timeout).
    pub fn retry(self, cx: &mut Cx<'_>, rq: ReqId) {
        if cx.world.req(rq).done {
            return;
        }
        match self {
            PathKind::Sidecar => sidecar::forward(cx, rq, true),
            PathKind::Library => library::retry(cx, rq),
            PathKind::Direct => {}
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
    fn encrypts(self, cx: &Cx<'_>, rq: ReqId, to: Endpoint) -> bool {
        match (self, to) {
            (_, Endpoint::External(_)) | (PathKind::Direct, _) => false,
            // Auto mTLS: a sidecar encrypts to servers that have a sidecar,
            // unless its config says the server takes plaintext only.
            (PathKind::Sidecar, Endpoint::Pod(p)) => {
                let config = routing::config_of(cx, rq);
                cx.world.has_sidecar(p) && security::mode_in(cx, config, p) != MtlsMode::Off
            }
            (PathKind::Library, Endpoint::Pod(p)) => {
                security::mode_in(cx, None, p) != MtlsMode::Off
                    && cx.topo.pod(p).proxy == ProxyMode::Library
                    && cx.world.is_running(p)
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
    let (attempt, client, path, shadow) = (r.attempt, r.client, r.path, r.shadow);
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
    let client = cx.world.req(rq).client;
    control_plane::cert_valid(cx, client) && control_plane::cert_valid(cx, server)
}
