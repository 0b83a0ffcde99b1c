//! The trace: one row per processed event, each naming the row that caused it,
//! and the history of every piece of state, so any moment can be shown again
//! by lookup ([`Trace::snapshot_after`]) without keeping a copy per row.

pub mod diff;
mod history;
mod outcome;
pub mod phase;

use serde::Serialize;

pub(crate) use history::{Changes, History, Progress, RequestLog, StateChange, push_log};
pub use outcome::{CallResult, Failure, Note, Outcome, Route, fmt_us, status_text};

use crate::action::Action;
use crate::component::{ComponentId, State};
use crate::ids::{ReqId, RowId};
use crate::queue::Micros;

/// Index into [`Trace::flows`]: the stimulus that set off a chain of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FlowId(pub u32);

/// One processed event. Its position in [`Trace::rows`] is its number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceRow {
    pub time_us: Micros,
    pub component: ComponentId,
    pub action: Action,
    pub outcome: Outcome,
    pub flow: Option<FlowId>,
    /// The request the row concerns.
    pub request: Option<ReqId>,
    /// The row whose event scheduled this one (`None`: a stimulus).
    pub cause: Option<RowId>,
    pub note: Note,
}

/// Where a request is, as the overview lesson's tracker shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RequestState {
    NotSent,
    Sent,
    InterceptedByClientSidecar,
    ForwardedToServerSidecar,
    ForwardedToServer,
    ProcessedByServer,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RoutingState {
    Empty,
    Fetched,
    Applied,
    /// The request is over; its routing no longer applies.
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyState {
    None,
    Checked,
    Enforced,
    Finished,
}

impl RequestState {
    pub const ALL: [RequestState; 7] = [
        RequestState::NotSent,
        RequestState::Sent,
        RequestState::InterceptedByClientSidecar,
        RequestState::ForwardedToServerSidecar,
        RequestState::ForwardedToServer,
        RequestState::ProcessedByServer,
        RequestState::Failed,
    ];
    pub fn key(self) -> &'static str {
        match self {
            RequestState::NotSent => "not_sent",
            RequestState::Sent => "sent",
            RequestState::InterceptedByClientSidecar => "intercepted",
            RequestState::ForwardedToServerSidecar => "forwarded_to_sidecar",
            RequestState::ForwardedToServer => "forwarded",
            RequestState::ProcessedByServer => "processed",
            RequestState::Failed => "failed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RequestState::NotSent => "Not sent",
            RequestState::Sent => "Sent",
            RequestState::InterceptedByClientSidecar => "Intercepted by client sidecar",
            RequestState::ForwardedToServerSidecar => "Forwarded to server sidecar",
            RequestState::ForwardedToServer => "Forwarded to server",
            RequestState::ProcessedByServer => "Processed by server pod",
            RequestState::Failed => "Failed",
        }
    }
}

impl RoutingState {
    pub const ALL: [RoutingState; 4] = [
        RoutingState::Empty,
        RoutingState::Fetched,
        RoutingState::Applied,
        RoutingState::Finished,
    ];
    pub fn key(self) -> &'static str {
        match self {
            RoutingState::Empty => "empty",
            RoutingState::Fetched => "fetched",
            RoutingState::Applied => "applied",
            RoutingState::Finished => "finished",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RoutingState::Empty => "Empty",
            RoutingState::Fetched => "Fetched from control plane",
            RoutingState::Applied => "Applied to request",
            RoutingState::Finished => "N/A",
        }
    }
}

impl PolicyState {
    pub const ALL: [PolicyState; 4] = [
        PolicyState::None,
        PolicyState::Checked,
        PolicyState::Enforced,
        PolicyState::Finished,
    ];
    pub fn key(self) -> &'static str {
        match self {
            PolicyState::None => "none",
            PolicyState::Checked => "checked",
            PolicyState::Enforced => "enforced",
            PolicyState::Finished => "finished",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PolicyState::None => "None",
            PolicyState::Checked => "Checked by sidecar",
            PolicyState::Enforced => "Enforced on request",
            PolicyState::Finished => "N/A",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RequestView {
    pub flow: FlowId,
    /// The request whose handling made this call.
    pub parent: Option<ReqId>,
    /// The distributed trace it is part of: its own id unless the app that
    /// made it copied the trace headers of the request it was handling.
    pub trace: ReqId,
    pub state: RequestState,
    pub routing: RoutingState,
    pub policy: PolicyState,
}

/// Everything the flow view needs to draw one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub time_us: Micros,
    /// Indexed by component.
    pub states: Vec<State>,
    /// Config version each component holds (proxies that have one).
    pub config: Vec<Option<u32>>,
    /// Whether each pod has a running sidecar now.
    pub injected: Vec<bool>,
}

/// A run cut short by the event limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Truncation {
    /// The limit that was reached.
    pub max_events: u64,
    /// Virtual time when it stopped.
    pub at_us: Micros,
    /// Calls that had not finished.
    pub calls_pending: u64,
}

#[derive(Debug, Clone)]
pub struct Trace {
    pub seed: u64,
    /// Flow names, one per stimulus (its id; empty for stimuli without one).
    pub flows: Vec<String>,
    pub rows: Vec<TraceRow>,
    pub initial: Snapshot,
    /// Final result of each flow's call, where the flow made one.
    pub call_results: Vec<Option<CallResult>>,
    /// Events processed (equals `rows.len()` when recording).
    pub events: u64,
    /// `Some` when the run hit its event limit before the queue emptied.
    pub truncated: Option<Truncation>,
    pub(crate) history: History,
}

impl Trace {
    pub fn flow(&self, name: &str) -> Option<FlowId> {
        if name.is_empty() {
            return None;
        }
        self.flows
            .iter()
            .position(|f| f == name)
            .map(|i| FlowId(i as u32))
    }

    /// A flow's display name: its id, or `#<index>` for an anonymous stimulus.
    pub fn flow_name(&self, f: FlowId) -> String {
        match self.flows.get(f.0 as usize) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("#{}", f.0),
        }
    }

    /// The state after row `i`; `None` means before the first row.
    pub fn snapshot_after(&self, i: Option<usize>) -> Snapshot {
        let i = i.filter(|&i| i < self.rows.len());
        let h = &self.history;
        let init = &self.initial;
        Snapshot {
            time_us: i.map_or(init.time_us, |i| self.rows[i].time_us),
            states: h.states.at(i, &init.states),
            config: (h.config.iter().zip(&init.config))
                .map(|(c, &v)| c.at(i, v))
                .collect(),
            injected: (h.injected.iter().zip(&init.injected))
                .map(|(c, &v)| c.at(i, v))
                .collect(),
        }
    }

    /// One component's state after row `i`.
    pub fn state_after(&self, c: ComponentId, i: Option<usize>) -> State {
        let init = self.initial.states[c.index()];
        self.history.states.one_at(c, i, init)
    }

    /// The state after the last row.
    pub fn final_snapshot(&self) -> Snapshot {
        self.snapshot_after(self.rows.len().checked_sub(1))
    }

    /// Requests recorded in this run.
    pub fn requests(&self) -> usize {
        self.history.requests.len()
    }

    /// A request's progress after row `i`, if it existed then.
    pub fn request_after(&self, r: ReqId, i: Option<usize>) -> Option<RequestView> {
        let log = self.history.requests.get(r.index())?;
        let i = i.filter(|&i| i >= log.created as usize)?;
        let p = self.history.progress_at(r, i);
        Some(RequestView {
            flow: log.flow,
            parent: log.parent,
            trace: log.trace,
            state: p.state,
            routing: p.routing,
            policy: p.policy,
        })
    }

    /// The newest request of a flow that existed after row `i`.
    pub fn flow_request_after(&self, flow: FlowId, i: Option<usize>) -> Option<RequestView> {
        let h = &self.history.requests;
        (0..h.len())
            .rev()
            .filter(|&k| h[k].flow == flow)
            .find_map(|k| self.request_after(ReqId::new(k), i))
    }

    /// Components whose state changed at row `i` (compared with just before it).
    pub fn changed_at(&self, i: usize) -> impl Iterator<Item = ComponentId> + '_ {
        let log = &self.history.states.changes;
        let from = log.partition_point(|c| (c.row as usize) < i);
        log[from..]
            .iter()
            .take_while(move |c| c.row as usize == i)
            .map(|c| c.component)
    }

    /// Each state change as (component, row at which it holds).
    pub(crate) fn state_changes(&self) -> impl Iterator<Item = (ComponentId, u32)> + '_ {
        self.history
            .states
            .changes
            .iter()
            .map(|c| (c.component, c.row))
    }

    /// The chain of rows that led to row `i`, nearest cause first.
    pub fn causes(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.rows.get(i).and_then(|r| r.cause), |c| {
            self.rows.get(c.index()).and_then(|r| r.cause)
        })
        .map(|c| c.index())
    }

    /// A stable digest of the whole trace, for cross-target determinism checks.
    pub fn digest(&self) -> u64 {
        // FNV-1a over a canonical text rendering: simple, dependency-free and identical on every target.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |s: &str| {
            for b in s.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for (i, r) in self.rows.iter().enumerate() {
            eat(&format!(
                "{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{}\n",
                i,
                r.time_us,
                r.component.0,
                r.action,
                r.outcome,
                r.flow,
                r.request,
                r.cause,
                r.note
            ));
        }
        let h2 = &self.history;
        eat(&format!("{:?}", self.initial));
        for c in &h2.states.changes {
            eat(&format!("{}|{}|{:?}\n", c.row, c.component.0, c.state));
        }
        for c in &h2.config {
            eat(&format!("{:?}\n", c.iter().collect::<Vec<_>>()));
        }
        for c in &h2.injected {
            eat(&format!("{:?}\n", c.iter().collect::<Vec<_>>()));
        }
        for (k, r) in h2.requests.iter().enumerate() {
            eat(&format!(
                "{:?}{:?}{:?}{}{:?}\n",
                r.flow,
                r.parent,
                r.trace,
                r.created,
                h2.request_changes(ReqId::new(k))
            ));
        }
        eat(&format!("{:?}{:?}", self.call_results, self.truncated));
        h
    }
}
