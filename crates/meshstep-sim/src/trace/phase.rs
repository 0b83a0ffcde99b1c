//! Where in a call's life each row stands — sent, intercepted, forwarded,
//! served, answered — so that two runs of the same call (through a library,
//! a sidecar, ambient's ztunnels) can be laid side by side by phase and the
//! extra hops of one are seen against the other.
//!
//! A library has no `Intercepted` phase: its logic runs in the app and the
//! request leaves already routed (`LibraryProcess` is `Forwarded`); a plain
//! app's call goes from `Sent` to `Served`.

use crate::action::Action;
use crate::topology::Topology;
use crate::trace::Trace;

/// A call's phases, in the order a call goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The calling app sends it.
    Sent,
    /// A proxy outside the app takes it over: captures it, looks up routes,
    /// applies policy.
    Intercepted,
    /// It goes over the network to an endpoint (again, for a retry).
    Forwarded,
    /// The server's side takes it in, handles it and answers (or refuses).
    Served,
    /// The answer comes back and the caller gets it (or gives up).
    Answered,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Sent,
        Phase::Intercepted,
        Phase::Forwarded,
        Phase::Served,
        Phase::Answered,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Phase::Sent => "sent",
            Phase::Intercepted => "intercepted",
            Phase::Forwarded => "forwarded",
            Phase::Served => "served",
            Phase::Answered => "answered",
        }
    }
}

impl Trace {
    /// The phase of a call that row `i` belongs to; `None` for rows that are
    /// not part of a call (kubectl, the control plane, config, faults).
    pub fn phase(&self, topo: &Topology, i: usize) -> Option<Phase> {
        let row = self.rows.get(i)?;
        row.request?;
        Some(match row.action {
            Action::SendRequest => Phase::Sent,
            Action::Intercept
            | Action::ConsultControlPlane
            | Action::ReceiveRoutes
            | Action::ApplyPolicies => Phase::Intercepted,
            Action::Forward
            | Action::Retry
            | Action::LibraryProcess
            | Action::LibraryRetry
            | Action::MirrorRequest
            | Action::ReportMetrics
            | Action::DropMessage => Phase::Forwarded,
            Action::InterceptInbound
            | Action::HandleRequest
            | Action::SendResponse
            | Action::RejectPlaintext
            | Action::DenyRequest => Phase::Served,
            // A server's sidecar hands on its own app's answer (the row that
            // caused it is that app's `SendResponse`, in the same pod); any
            // other proxy returning a response is on the caller's side.
            Action::ReturnResponse => {
                let pod = |r: usize| topo.component(self.rows[r].component).pod;
                match row.cause.map(|c| c.index()) {
                    Some(c)
                        if self.rows[c].action == Action::SendResponse
                            && pod(c).is_some()
                            && pod(c) == pod(i) =>
                    {
                        Phase::Served
                    }
                    _ => Phase::Answered,
                }
            }
            Action::ReceiveResponse
            | Action::AttemptTimeout
            | Action::DropLateReply
            | Action::EjectEndpoint
            | Action::ExecCurl => Phase::Answered,
            _ => return None,
        })
    }
}
