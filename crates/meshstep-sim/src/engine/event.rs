//! Events, grouped by the entity that handles them. Every field is named; ids
//! are typed. An event in the queue also carries the row that caused it.

use crate::ids::{HostId, JobId, PodId, ReqId, RowId};
use crate::queue::Micros;

/// What answered an attempt, as it travels back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// An HTTP response with this status.
    Status(u16),
    /// The connection was reset (strict mTLS refusing plaintext, a failed
    /// handshake): no HTTP status at all.
    Reset,
}

/// Where an attempt goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Pod(PodId),
    External(HostId),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    /// The stimulus at this index of the scenario's list.
    Stimulus {
        index: u32,
    },
    ControlPlane(CpEvent),
    Pod(PodEvent),
    /// The caller's side of a call: app, then its data path.
    Client(ClientEvent),
    /// The callee's side: its data path, then its app.
    Server(ServerEvent),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum CpEvent {
    /// The control plane's pods are Running.
    Ready,
    /// The debounce timer for a pending push fired.
    DebounceDue,
    /// The push has been built; send it.
    Push,
    /// A route lookup reached the control plane (on-demand discovery).
    Lookup { req: ReqId },
    /// A proxy receives config version `version`.
    ConfigArrives { pod: PodId, version: u32 },
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum PodEvent {
    /// A recreated pod is Running, with or without a sidecar (and with a
    /// new build of its app, when one was rolled out).
    Started {
        pod: PodId,
        sidecar: bool,
        build: Option<u32>,
    },
    /// A new image of an app (`RebuildApp`, the stimulus at this index) is
    /// built and pushed.
    Built { stimulus: u32, build: u32 },
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum ClientEvent {
    /// The client's sidecar captures the app's outbound connection.
    Intercept { req: ReqId },
    /// Ambient: the source node's ztunnel has the app's connection.
    Ztunnel { req: ReqId },
    /// Ambient without a waypoint: the ztunnel sends the attempt.
    ZtunnelForward { req: ReqId },
    /// The sidecar asks the control plane where the target is.
    Consult { req: ReqId },
    /// The control plane's answer reaches the sidecar.
    Routes { req: ReqId },
    /// The sidecar applies routing, policy and mTLS settings.
    ApplyPolicies { req: ReqId },
    /// The sidecar sends the first attempt.
    Forward { req: ReqId },
    /// The library, called in-process, sends the first attempt.
    LibraryProcess { req: ReqId },
    /// An attempt's reply reaches the client side.
    Reply {
        req: ReqId,
        attempt: u32,
        reply: Reply,
    },
    /// An attempt's timer fires.
    AttemptTimeout { req: ReqId, attempt: u32 },
    /// The back-off before a retry is over.
    Retry { req: ReqId },
    /// The route's timeout for the whole call runs out.
    RouteTimeout { req: ReqId },
    /// A connection to the Service freed up for a request waiting for one.
    ConnectionFree { req: ReqId },
    /// A route lookup's timer fires.
    LookupTimeout { req: ReqId },
    /// The app gets the final answer.
    AppReceive { req: ReqId, reply: Reply },
    /// `kubectl exec … curl` prints what the call got.
    ExecDone { req: ReqId },
}

/// Server-side events name the endpoint an attempt went to, so that work on
/// an attempt that was given up on stays with the pod doing it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ServerEvent {
    /// An attempt reaches the endpoint.
    Arrive {
        req: ReqId,
        attempt: u32,
        at: Endpoint,
    },
    /// The app starts handling it.
    Handle {
        req: ReqId,
        attempt: u32,
        pod: PodId,
    },
    /// The app has done its work and answers.
    Respond { job: JobId },
    /// One of the calls an app made while handling a request is over.
    CallDone { job: JobId, ok: bool },
    /// The server's sidecar sends the answer back.
    Return {
        req: ReqId,
        attempt: u32,
        pod: PodId,
        reply: Reply,
    },
}

/// An event in the queue, with the row that caused it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scheduled {
    pub event: Event,
    pub cause: Option<RowId>,
}

/// A debounced push in preparation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Debounce {
    pub first: Micros,
    pub last: Micros,
    /// The row of the latest change, which the push will name as its cause.
    pub cause: Option<RowId>,
    pub flow: Option<crate::trace::FlowId>,
}
