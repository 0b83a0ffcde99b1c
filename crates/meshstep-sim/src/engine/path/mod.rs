//! The data paths a call can take out of a pod and into one: straight from the
//! app (`direct`), through the pod's sidecar (`sidecar`) or through the proxy
//! library compiled into the app (`library`). This module is the only place
//! that tells them apart: adding a path (an ingress gateway, a ztunnel) means
//! one new module and one new variant here.

pub(crate) mod ambient;
mod attempt;
pub(crate) mod direct;
pub(crate) mod library;
pub(crate) mod sidecar;

use crate::action::Action;
use crate::component::ComponentId;
use crate::engine::breaker;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply, ServerEvent};
use crate::engine::policy::{self, AttemptEnd, Next};
use crate::engine::{client, routing, security, server};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::{MtlsMode, ProxyMode};
use crate::trace::{Failure, Outcome};

pub(crate) use crate::engine::request::PathKind;
pub(crate) use attempt::{
    attempt, certificates_valid, hand_to_app, launch, mirror, prepare, reply_over_network,
};

impl PathKind {
    /// The path a pod's traffic takes now (a sidecar only while one runs).
    pub fn of(cx: &Cx<'_>, pod: PodId) -> PathKind {
        if cx.world.has_sidecar(pod) {
            PathKind::Sidecar
        } else if matches!(
            cx.topo.pod(pod).proxy,
            ProxyMode::Library | ProxyMode::Proxyless
        ) {
            PathKind::Library
        } else if cx.ambient(pod) {
            PathKind::Ambient
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
            PathKind::Ambient => ambient::ztunnel(cx, pod),
        }
    }

    /// No endpoint is ready for an attempt: a proxy answers 503 with
    /// "no healthy upstream" (UH); an app without one sees the call fail.
    pub fn no_endpoint(self, cx: &mut Cx<'_>, rq: ReqId, actor: ComponentId, action: Action) {
        match self {
            PathKind::Sidecar => {
                cx.row(actor, action)
                    .request(rq)
                    .outcome(Outcome::Failed(Failure::NoEndpoints))
                    .note(&"no healthy upstream (UH)")
                    .record();
                sidecar::answer(
                    cx,
                    rq,
                    Reply::Status(crate::engine::request::status::SERVICE_UNAVAILABLE),
                )
            }
            PathKind::Library | PathKind::Direct | PathKind::Ambient => {
                client::fail(cx, rq, Failure::NoEndpoints)
            }
        }
    }

    /// The app hands its call to the path.
    pub fn send(self, cx: &mut Cx<'_>, rq: ReqId) {
        match self {
            PathKind::Direct => direct::send(cx, rq),
            PathKind::Sidecar => sidecar::send(cx, rq),
            PathKind::Library => library::send(cx, rq),
            PathKind::Ambient => ambient::send(cx, rq),
        }
    }

    /// An attempt ended: the path's proxy decides what follows. A retry
    /// waits out Envoy's jittered back-off first, if the retry budget
    /// allows one at all.
    pub fn attempt_ended(self, cx: &mut Cx<'_>, rq: ReqId, end: AttemptEnd) {
        match self {
            PathKind::Direct => return direct::ended(cx, rq, end),
            PathKind::Ambient => return ambient::ended(cx, rq, end),
            PathKind::Sidecar | PathKind::Library => {}
        }
        let p = routing::policy(cx, rq);
        match policy::after_attempt(cx.world.req(rq), end, &p) {
            Next::Retry if breaker::retry_allowed(cx, rq) => {
                let n = cx.world.req(rq).attempt;
                let wait = routing::backoff(cx, p.backoff_us, n);
                cx.after(wait, Event::Client(ClientEvent::Retry { req: rq }));
            }
            Next::Retry => {
                let actor = self.client_actor(cx, cx.world.req(rq).proxy);
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
                let lib = self.client_actor(cx, r.proxy);
                attempt(cx, rq, lib, Action::LibraryProcess)
            }
            PathKind::Ambient => ambient::forward(cx, rq),
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
            PathKind::Direct | PathKind::Ambient => {}
        }
    }

    /// The path hands the final answer to the app.
    pub fn answer(self, cx: &mut Cx<'_>, rq: ReqId, reply: Reply) {
        match self {
            PathKind::Direct => client::receive(cx, rq, reply),
            PathKind::Sidecar => sidecar::answer(cx, rq, reply),
            PathKind::Library => library::answer(cx, rq, reply),
            PathKind::Ambient => ambient::answer(cx, rq, reply),
        }
    }

    /// An attempt reaches a pod: whatever handles the pod's inbound traffic takes it.
    pub fn inbound(cx: &mut Cx<'_>, rq: ReqId, attempt: u32, pod: PodId) {
        match PathKind::of(cx, pod) {
            PathKind::Sidecar => sidecar::inbound(cx, rq, attempt, pod),
            PathKind::Ambient => ambient::inbound(cx, rq, attempt, pod),
            PathKind::Library if cx.world.has_xds_client(pod) => {
                library::proxyless_inbound(cx, rq, attempt, pod)
            }
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
            // ztunnel passes the answer back down the tunnel as it is.
            PathKind::Library | PathKind::Direct | PathKind::Ambient => {
                reply_over_network(cx, rq, attempt, pod, reply)
            }
        }
    }

    /// Whether an attempt from this path to `to` is mutual TLS.
    fn encrypts(self, cx: &Cx<'_>, rq: ReqId, to: Endpoint) -> bool {
        match (self, to) {
            (_, Endpoint::External(_)) | (PathKind::Direct, _) => false,
            // Auto mTLS: a sidecar encrypts to servers that have a sidecar,
            // unless its config says the server takes plaintext only.
            // HBONE to an ambient pod is always mTLS (ambient ignores DISABLE).
            (PathKind::Sidecar, Endpoint::Pod(p)) if cx.ambient(p) => !cx.world.mtls_off,
            // A proxyless pod is labelled for mTLS (`tlsMode: istio`) like a
            // sidecar pod, so auto mTLS reaches it too.
            (PathKind::Sidecar, Endpoint::Pod(p)) => {
                let config = routing::config_of(cx, rq);
                (cx.world.has_sidecar(p) || cx.world.has_xds_client(p))
                    && security::mode_in(cx, config, p) != MtlsMode::Off
            }
            // HBONE is always mutual TLS (ambient ignores `DISABLE`).
            (PathKind::Ambient, Endpoint::Pod(p)) => {
                ambient::speaks_hbone(cx, p) && !cx.world.mtls_off
            }
            // No auto mTLS: a proxyless client uses mTLS where the server
            // requires it (its DestinationRule is taken to say ISTIO_MUTUAL).
            (PathKind::Library, Endpoint::Pod(p))
                if cx.topo.pod(cx.world.req(rq).proxy).proxy == ProxyMode::Proxyless =>
            {
                cx.world.has_xds_client(cx.world.req(rq).proxy)
                    && security::mode_in(cx, routing::config_of(cx, rq), p) == MtlsMode::Strict
            }
            (PathKind::Library, Endpoint::Pod(p)) => {
                security::mode_in(cx, None, p) != MtlsMode::Off
                    && cx.topo.pod(p).proxy == ProxyMode::Library
                    && cx.world.is_running(p)
            }
        }
    }
}
