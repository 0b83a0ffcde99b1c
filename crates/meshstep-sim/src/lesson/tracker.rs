//! The status tracker: for each checkpoint the scenario chooses, what each
//! tracked subject (a component, a request, or what a call path gets) shows,
//! looked up from the trace's snapshots.

use serde::Serialize;

use crate::component::ComponentId;
use crate::fault::Fault;
use crate::ids::PodId;
use crate::lesson::{Lesson, LessonRun};
use crate::scenario::schema::{
    CheckpointAt, MtlsMode, PathProperty, ProxyMode, RequestField, Subject, TrackerRow,
};
use crate::trace::{FlowId, PolicyState, RequestState, RoutingState, Snapshot};

/// A checkpoint's position: the row after which to read (`None`: before the first).
type At = Option<usize>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackerCell {
    /// The engine's state key (`intercepting`), or `outside_flow`.
    pub key: String,
    /// What the learner sees.
    pub text: String,
    /// Differs from the previous checkpoint's cell.
    pub changed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackerLine {
    pub id: String,
    pub label: String,
    pub cells: Vec<TrackerCell>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TrackerTable {
    pub heading: String,
    pub checkpoint_ids: Vec<String>,
    pub checkpoints: Vec<String>,
    pub lines: Vec<TrackerLine>,
}

impl TrackerTable {
    pub fn cell(&self, row: &str, checkpoint: &str) -> Option<&TrackerCell> {
        let c = self.checkpoint_ids.iter().position(|x| x == checkpoint)?;
        self.lines.iter().find(|l| l.id == row)?.cells.get(c)
    }
}

/// Where a checkpoint sits: the snapshot to read (`None` = initial) and the
/// flow of the step it follows.
pub fn checkpoint_position(run: &LessonRun, at: &CheckpointAt) -> (Option<usize>, Option<FlowId>) {
    let last = run.trace.rows.len().checked_sub(1);
    match at {
        CheckpointAt::Start => (None, None),
        CheckpointAt::Final => (last, None),
        CheckpointAt::AfterStep(k) => {
            let Some(k) = k.number() else {
                return (last, None);
            };
            let flow = run.step_flow(k);
            // Everything the engine does up to (not including) the next step that happened.
            let next = run
                .bindings
                .iter()
                .skip(k as usize)
                .flatten()
                .next()
                .copied();
            match next {
                Some(0) => (None, flow),
                Some(j) => (Some(j - 1), flow),
                None => (last, flow),
            }
        }
    }
}

/// One cell: what `row` shows just after trace row `at`, during `flow`.
pub fn cell(
    lesson: &Lesson,
    run: &LessonRun,
    row: &TrackerRow,
    at: At,
    flow: Option<FlowId>,
) -> TrackerCell {
    let snap = &run.trace.snapshot_after(at);
    let topo = &lesson.topology;
    let takes_part =
        |c: ComponentId| flow.is_none_or(|f| run.participants[f.0 as usize].contains(&c));
    let (key, label): (String, String) = match &row.subject {
        Subject::Component(id) => component_cell(topo.find(id), snap, row, &takes_part),
        Subject::Components(ids) => {
            let comps: Vec<ComponentId> = ids.iter().filter_map(|i| topo.find(i)).collect();
            let pick = comps
                .iter()
                .copied()
                .find(|&c| flow.is_some() && takes_part(c))
                .or(comps.first().copied());
            component_cell(pick, snap, row, &takes_part)
        }
        Subject::Request { flow: name, field } => {
            let view = run
                .trace
                .flow(name)
                .and_then(|f| run.trace.flow_request_after(f, at));
            let (k, l) = match (field, view) {
                (RequestField::State, v) => {
                    let s = v.map_or(RequestState::NotSent, |v| v.state);
                    (s.key(), s.label())
                }
                (RequestField::Routing, v) => {
                    let s = v.map_or(RoutingState::Empty, |v| v.routing);
                    (s.key(), s.label())
                }
                (RequestField::Policy, v) => {
                    let s = v.map_or(PolicyState::None, |v| v.policy);
                    (s.key(), s.label())
                }
            };
            (k.to_string(), l.to_string())
        }
        Subject::Path { from, to, property } => {
            let (k, l) = path_property(lesson, &run.faults, snap, from, to, *property);
            (k.to_string(), l.to_string())
        }
    };
    let text = row.wording.get(&key).cloned().unwrap_or(label);
    TrackerCell {
        key,
        text,
        changed: false,
    }
}

fn component_cell(
    c: Option<ComponentId>,
    snap: &Snapshot,
    row: &TrackerRow,
    takes_part: &dyn Fn(ComponentId) -> bool,
) -> (String, String) {
    let Some(c) = c else {
        return ("unknown".into(), "?".into());
    };
    if let Some(na) = &row.outside_flow
        && !takes_part(c)
    {
        return ("outside_flow".into(), na.clone());
    }
    let s = snap.states[c.index()];
    (s.key().to_string(), s.label().to_string())
}

/// What a call from pod `from` to service `to` would get in this snapshot.
fn path_property(
    lesson: &Lesson,
    faults: &[Fault],
    snap: &Snapshot,
    from: &str,
    to: &str,
    property: PathProperty,
) -> (&'static str, &'static str) {
    let topo = &lesson.topology;
    let no_sidecar = |p: &str| {
        faults
            .iter()
            .any(|f| matches!(f, Fault::NoSidecar(x) if x == p))
    };
    let no_library = |p: &str| {
        faults
            .iter()
            .any(|f| matches!(f, Fault::NoLibrary(x) if x == p))
    };
    let has_sidecar = |i: PodId| {
        snap.injected.get(i.index()).copied().unwrap_or(false) && !no_sidecar(&topo.pod(i).id)
    };
    let client = topo.pod_id(from);
    let via = match client {
        Some(i) if topo.pod(i).proxy == ProxyMode::Proxyless => ProxyMode::Proxyless,
        Some(i) if has_sidecar(i) => ProxyMode::Sidecar,
        Some(i) if topo.pod(i).proxy == ProxyMode::Library && !no_library(from) => {
            ProxyMode::Library
        }
        Some(i) if topo.pod(i).proxy == ProxyMode::Ambient && topo.ztunnel_of(i).is_some() => {
            ProxyMode::Ambient
        }
        _ => ProxyMode::None,
    };
    let endpoints = topo
        .service_id(to)
        .map(|s| topo.service(s).endpoints.clone())
        .unwrap_or_default();
    let mtls = topo.mesh.mtls != MtlsMode::Off && !faults.contains(&Fault::MtlsOff);
    let retries = topo.mesh.retries > 0 && !faults.contains(&Fault::RetriesOff);
    match (property, via) {
        (PathProperty::Communication, ProxyMode::None) => ("direct", "Direct calls, no control"),
        (PathProperty::Communication, ProxyMode::Sidecar) => {
            ("sidecar", "Managed by sidecar proxies")
        }
        (PathProperty::Communication, ProxyMode::Library) => {
            ("library", "Handled by the in-app library")
        }
        (PathProperty::Communication, ProxyMode::Proxyless) => {
            ("proxyless", "gRPC library configured by the control plane")
        }
        // No auto mTLS: only a STRICT server makes the client use mTLS.
        (PathProperty::Security, ProxyMode::Proxyless)
            if mtls && topo.mesh.mtls == MtlsMode::Strict =>
        {
            ("mtls", "Mutual TLS encryption enabled")
        }
        (PathProperty::Communication, ProxyMode::Ambient) => {
            ("ambient", "Carried by the node's ztunnel (ambient)")
        }
        // HBONE is always mutual TLS, to ambient and sidecar pods alike.
        (PathProperty::Security, ProxyMode::Ambient)
            if mtls
                && !endpoints.is_empty()
                && endpoints
                    .iter()
                    .all(|&e| has_sidecar(e) || topo.pod(e).proxy == ProxyMode::Ambient) =>
        {
            ("mtls", "Mutual TLS encryption enabled")
        }
        (PathProperty::Security, ProxyMode::Sidecar)
            if mtls && !endpoints.is_empty() && endpoints.iter().all(|&e| has_sidecar(e)) =>
        {
            ("mtls", "Mutual TLS encryption enabled")
        }
        (PathProperty::Security, ProxyMode::Library)
            if mtls
                && !endpoints.is_empty()
                && endpoints
                    .iter()
                    .all(|&e| topo.pod(e).proxy == ProxyMode::Library) =>
        {
            ("library_tls", "Encrypted by the app's library")
        }
        (PathProperty::Security, _) => ("plaintext", "No automatic encryption"),
        (PathProperty::Observability, ProxyMode::Sidecar) => {
            ("telemetry", "Detailed telemetry and tracing available")
        }
        (PathProperty::Observability, ProxyMode::Library | ProxyMode::Proxyless) => {
            ("library_metrics", "Metrics the library was built to emit")
        }
        (PathProperty::Observability, ProxyMode::None) => ("limited", "Limited logs and metrics"),
        (PathProperty::Observability, ProxyMode::Ambient) => (
            "l4_telemetry",
            "TCP metrics from ztunnel; HTTP metrics need a waypoint",
        ),
        (PathProperty::Reliability, ProxyMode::Sidecar | ProxyMode::Library) if retries => {
            ("retries", "Automatic retries and circuit breaking")
        }
        (PathProperty::Reliability, _) => ("none", "No automatic retries"),
    }
}

pub(crate) fn build(lesson: &Lesson, run: &LessonRun) -> TrackerTable {
    let t = &lesson.scenario.tracker;
    let positions: Vec<_> = t
        .checkpoints
        .iter()
        .map(|c| checkpoint_position(run, &c.at))
        .collect();
    let lines = t
        .rows
        .iter()
        .map(|row| {
            let mut cells: Vec<TrackerCell> = positions
                .iter()
                .map(|&(at, flow)| cell(lesson, run, row, at, flow))
                .collect();
            for i in 1..cells.len() {
                cells[i].changed = cells[i].text != cells[i - 1].text;
            }
            TrackerLine {
                id: row.id.clone(),
                label: row.label.clone(),
                cells,
            }
        })
        .collect();
    TrackerTable {
        heading: if t.subject_heading.is_empty() {
            "Component".into()
        } else {
            t.subject_heading.clone()
        },
        checkpoint_ids: t.checkpoints.iter().map(|c| c.id.clone()).collect(),
        checkpoints: t.checkpoints.iter().map(|c| c.label.clone()).collect(),
        lines,
    }
}
