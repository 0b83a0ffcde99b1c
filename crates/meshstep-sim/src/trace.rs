//! The trace: one row per processed event, and the state of every component
//! and request after each row, so any moment can be shown again by lookup.

use serde::Serialize;

use crate::action::Action;
use crate::component::{ComponentId, State};
use crate::queue::Micros;
use crate::topology::Topology;

/// Index into [`Trace::flows`]: the stimulus that set off a chain of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FlowId(pub u32);

/// Why something did not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Failure {
    /// The app has no client library, so it cannot discover or reach services.
    NoLibrary,
    /// The sidecar has no route for the destination.
    NoRoute,
    /// The control plane did not answer.
    ControlPlaneDown,
    /// The control plane is up but pushes no config.
    PushHalted,
    Timeout,
    Refused,
    NoEndpoints,
    InjectionFailed,
}

impl Failure {
    pub fn describe(self) -> &'static str {
        match self {
            Failure::NoLibrary => {
                "app built without its communication library: cannot reach the service"
            }
            Failure::NoRoute => "no route to the destination",
            Failure::ControlPlaneDown => "control plane unreachable",
            Failure::PushHalted => "control plane is not pushing config",
            Failure::Timeout => "timed out",
            Failure::Refused => "connection refused",
            Failure::NoEndpoints => "service has no endpoints",
            Failure::InjectionFailed => "sidecar injection failed",
        }
    }
}

/// Which way an app's call leaves its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Route {
    Sidecar,
    Library,
    Direct,
}

/// What an event achieved, as the engine sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Outcome {
    Done,
    /// Handed to the next hop.
    Sent,
    /// An app's call left by this route.
    SentVia(Route),
    /// Printed by kubectl.
    Output(String),
    /// A call completed (or was answered by a proxy) with an HTTP status.
    Http {
        status: u16,
        latency_us: Micros,
        attempts: u32,
        encrypted: bool,
    },
    Forwarded {
        endpoint: u32,
        attempt: u32,
        encrypted: bool,
    },
    Failed(Failure),
    /// A lossy link dropped the message.
    Dropped,
    /// Sent to a component that is down; nobody received it.
    Lost,
    Config {
        version: u32,
    },
    Pushed {
        version: u32,
        sidecars: u32,
    },
}

impl Outcome {
    /// A one-line description, naming pods through the topology.
    pub fn describe(&self, topo: &Topology) -> String {
        match self {
            Outcome::Done => "done".into(),
            Outcome::Sent => "sent".into(),
            Outcome::SentVia(Route::Sidecar) => "redirected to the sidecar".into(),
            Outcome::SentVia(Route::Library) => "handed to the in-process library".into(),
            Outcome::SentVia(Route::Direct) => "sent directly, no proxy".into(),
            Outcome::Output(s) => s.clone(),
            Outcome::Http {
                status,
                latency_us,
                attempts,
                encrypted,
            } => format!(
                "HTTP {status} {} after {}, {} attempt{}, {}",
                status_text(*status),
                fmt_us(*latency_us),
                attempts,
                if *attempts == 1 { "" } else { "s" },
                if *encrypted { "mTLS" } else { "plaintext" }
            ),
            Outcome::Forwarded {
                endpoint,
                attempt,
                encrypted,
            } => format!(
                "to {} (attempt {attempt}, {})",
                topo.pods
                    .get(*endpoint as usize)
                    .map_or("?", |p| p.id.as_str()),
                if *encrypted { "mTLS" } else { "plaintext" }
            ),
            Outcome::Failed(f) => format!("failed: {}", f.describe()),
            Outcome::Dropped => "message dropped by lossy link".into(),
            Outcome::Lost => "not delivered: receiver is down".into(),
            Outcome::Config { version } => format!("config v{version} installed"),
            Outcome::Pushed { version, sidecars } => {
                format!("config v{version} sent to {sidecars} sidecar(s)")
            }
        }
    }
}

pub fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `2.000300 s`, `1.234 ms` or `850 µs`.
pub fn fmt_us(us: Micros) -> String {
    if us >= 1_000_000 {
        format!("{}.{:06} s", us / 1_000_000, us % 1_000_000)
    } else if us >= 1000 {
        format!("{}.{:03} ms", us / 1000, us % 1000)
    } else {
        format!("{us} µs")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceRow {
    /// 0-based position in the trace.
    pub seq: u32,
    pub time_us: Micros,
    pub component: ComponentId,
    pub action: Action,
    pub outcome: Outcome,
    pub flow: Option<FlowId>,
    /// Index into [`Snapshot::requests`] when the row concerns a request.
    pub request: Option<u32>,
    pub note: String,
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
    pub flow: Option<FlowId>,
    pub state: RequestState,
    pub routing: RoutingState,
    pub policy: PolicyState,
}

/// Everything the GUI needs to draw one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub time_us: Micros,
    /// Indexed by component.
    pub states: Vec<State>,
    /// Config version each component holds (sidecars; 0 = none).
    pub config: Vec<u32>,
    /// Whether each pod has a running sidecar now.
    pub injected: Vec<bool>,
    pub requests: Vec<RequestView>,
}

/// How a call ended, for summaries and quiz checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CallResult {
    Http(u16),
    Failed(Failure),
    /// Still in flight when the run ended (cannot happen when every timer fires).
    Pending,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    pub seed: u64,
    /// Flow names, one per stimulus (its id; empty for stimuli without one).
    pub flows: Vec<String>,
    pub rows: Vec<TraceRow>,
    pub initial: Snapshot,
    /// `snapshots[i]` is the state after `rows[i]`.
    pub snapshots: Vec<Snapshot>,
    /// Final result of each flow's call, where the flow made one.
    pub call_results: Vec<Option<CallResult>>,
    /// Events processed (equals `rows.len()` when tracing).
    pub events: u64,
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
    pub fn snapshot_after(&self, i: Option<usize>) -> &Snapshot {
        match i {
            None => &self.initial,
            Some(i) => self.snapshots.get(i).unwrap_or(&self.initial),
        }
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
        for r in &self.rows {
            eat(&format!(
                "{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{}\n",
                r.seq, r.time_us, r.component.0, r.action, r.outcome, r.flow, r.request, r.note
            ));
        }
        for s in &self.snapshots {
            eat(&format!(
                "{:?}{:?}{:?}{:?}\n",
                s.states, s.config, s.injected, s.requests
            ));
        }
        h
    }
}
