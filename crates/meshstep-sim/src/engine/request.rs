//! A request: one call from an app, with all the attempts its proxy makes,
//! and the HTTP statuses the engine's components answer with.

use crate::engine::config::Backend;
use crate::engine::event::Endpoint;
use crate::ids::{JobId, PodId, ReqId, SvcId};
use crate::queue::Micros;
use crate::trace::{CallResult, FlowId, Progress};

/// HTTP statuses the modelled components produce, named.
pub(crate) mod status {
    pub const OK: u16 = 200;
    /// Istio `REGISTRY_ONLY` mode, unknown host (`BlackHoleCluster`).
    pub const BAD_GATEWAY: u16 = 502;
    /// Envoy's answer to a failed or reset connection (`UF`, `UC`, `URX`)
    /// or to a service with no healthy endpoint (`UH`).
    pub const SERVICE_UNAVAILABLE: u16 = 503;
    /// Envoy's answer when the (last) attempt or the route timed out (`UT`).
    pub const GATEWAY_TIMEOUT: u16 = 504;
    /// Envoy's answer when no route matches the request (`NR`).
    pub const NOT_FOUND: u16 = 404;
    /// An authorization policy refused the caller (`RBAC: access denied`).
    pub const FORBIDDEN: u16 = 403;
}

/// Which way a call leaves its pod: the data path that handles it (its
/// behaviour is in `engine::path`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathKind {
    Direct,
    Sidecar,
    Library,
    /// Ambient mode: the node's ztunnel, and the waypoint if the target's
    /// namespace has one.
    Ambient,
}

pub(crate) use crate::topology::Target;

/// Progress of an on-demand route lookup (Linkerd-style discovery).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The proxy already knew the target (or config was pushed).
    NotNeeded,
    Pending,
    Answered,
    /// Its timer fired first.
    GaveUp,
}

#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub flow: FlowId,
    /// The request whose handling made this call (call chains).
    pub parent: Option<ReqId>,
    /// The handling that waits for this call's answer.
    pub job: Option<JobId>,
    /// Its method, path and headers: an entry of the world's table.
    pub http: u32,
    /// The distributed trace it belongs to (the first request of that trace).
    pub trace: ReqId,
    pub client: PodId,
    /// The pod whose proxy makes the attempts: the caller's own, or the
    /// waypoint an ambient call goes through.
    pub proxy: PodId,
    pub target: Target,
    pub path: PathKind,
    /// The current attempt, 1-based (0 before the first).
    pub attempt: u32,
    pub max_attempts: u32,
    /// Where the current attempt went.
    pub endpoint: Option<Endpoint>,
    pub encrypted: bool,
    pub lookup: Lookup,
    /// The caller has its answer; later replies are late.
    pub done: bool,
    /// The subset its route chose (an index into the destination's subsets).
    pub subset: Option<u16>,
    /// Its route's retry policy (an entry of the world's table); none: the mesh's.
    pub policy: Option<u32>,
    /// When its route's timeout runs out.
    pub deadline: Option<Micros>,
    /// A copy goes here too (its route's mirror).
    pub mirror: Option<Backend>,
    /// A mirrored copy: nobody waits for its answer.
    pub shadow: bool,
    /// Its current attempt holds one of the caller's connections to the Service.
    pub holding: bool,
    /// Its current attempt is in flight: neither answered nor timed out.
    pub in_flight: bool,
    /// Started by `kubectl exec … curl`, which prints the result.
    pub exec: bool,
    pub started: Micros,
    pub result: Option<CallResult>,
    pub progress: Progress,
}

impl Request {
    /// A call; `id` is the id it will get, which starts its own trace.
    pub fn new(
        id: ReqId,
        flow: FlowId,
        client: PodId,
        target: Target,
        path: PathKind,
        now: Micros,
    ) -> Self {
        Request {
            flow,
            parent: None,
            job: None,
            http: 0,
            trace: id,
            client,
            proxy: client,
            target,
            path,
            attempt: 0,
            max_attempts: 1,
            endpoint: None,
            encrypted: false,
            lookup: Lookup::NotNeeded,
            done: false,
            subset: None,
            policy: None,
            deadline: None,
            mirror: None,
            shadow: false,
            holding: false,
            in_flight: false,
            exec: false,
            started: now,
            result: None,
            progress: Progress::NEW,
        }
    }

    /// The service it calls, if it calls one in the cluster.
    pub fn service(&self) -> Option<SvcId> {
        match self.target {
            Target::Service(s) => Some(s),
            Target::External(_) => None,
        }
    }

    /// Whether a reply to `attempt` is still awaited: the call is not over
    /// and that attempt has neither been answered nor timed out (a retry
    /// waiting out its back-off awaits nothing).
    pub fn awaits(&self, attempt: u32) -> bool {
        !self.done && self.in_flight && attempt == self.attempt
    }
}
