//! A lesson: a validated scenario plus everything derived from simulating it —
//! the process table, the status tracker and the engine's answers to quizzes.

pub mod quiz;
pub mod table;
pub mod tracker;

use std::collections::HashSet;
use std::path::Path;

use crate::component::ComponentId;
use crate::diagnostics::Diagnostic;
use crate::engine::{RunOptions, simulate};
use crate::fault::Fault;
use crate::scenario::load::load;
use crate::scenario::schema::{Scenario, Step};
use crate::scenario::spans::SpanIndex;
use crate::scenario::validate::{cross_check_engine, validate, validate_with};
use crate::topology::{Topology, TopologyError};
use crate::trace::{FlowId, Trace};

pub use table::{ProcessTable, StepStatus, TableRow};
pub use tracker::{TrackerCell, TrackerLine, TrackerTable};

/// A scenario that loaded and validated without errors.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// The name diagnostics use for the file.
    pub file: String,
    pub source: String,
    pub scenario: Scenario,
    pub topology: Topology,
    pub spans: SpanIndex,
    /// Problems that do not stop the lesson from running.
    pub warnings: Vec<Diagnostic>,
}

impl Lesson {
    /// Loads and validates a scenario; every problem found is returned at once.
    pub fn from_source(file: &str, source: &str) -> Result<Lesson, Vec<Diagnostic>> {
        let loaded = load(source)?;
        let (topology, diags) = validate(&loaded);
        let (errors, warnings): (Vec<_>, Vec<_>) =
            diags.into_iter().partition(Diagnostic::is_error);
        match topology {
            Some(topology) if errors.is_empty() => Ok(Lesson {
                file: file.to_string(),
                source: source.to_string(),
                scenario: loaded.scenario,
                topology,
                spans: loaded.spans,
                warnings,
            }),
            _ => {
                let mut all = errors;
                all.extend(warnings);
                all.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
                Err(all)
            }
        }
    }

    /// Loads a scenario that is structurally sound, even where its wording
    /// disagrees with the engine; those disagreements come back beside it.
    /// For authors debugging a lesson (`meshstep run`), not for learners.
    pub fn from_source_lenient(
        file: &str,
        source: &str,
    ) -> Result<(Lesson, Vec<Diagnostic>), Vec<Diagnostic>> {
        let loaded = load(source)?;
        let (topology, diags) = validate_with(&loaded, false);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        let Some(topology) = topology else {
            return Err(diags);
        };
        // The structure is sound: only the engine cross-check is left to run.
        let mut all = diags;
        all.extend(cross_check_engine(&loaded, &topology));
        Ok((
            Lesson {
                file: file.to_string(),
                source: source.to_string(),
                scenario: loaded.scenario,
                topology,
                spans: loaded.spans,
                warnings: Vec::new(),
            },
            all,
        ))
    }

    /// Reads a scenario file from disk.
    pub fn from_path(path: &Path) -> Result<Lesson, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| {
            vec![
                Diagnostic::error(format!("cannot read {name}: {e}"), None)
                    .with_hint("check the path, and that the file is UTF-8 text"),
            ]
        })?;
        Self::from_source(&name, &source)
    }

    /// Simulates the lesson. Rows and snapshots are always recorded; with
    /// faults, a fault-free baseline is run too so changed steps can be marked.
    pub fn run(&self, opts: &RunOptions) -> Result<LessonRun, Vec<TopologyError>> {
        let opts = RunOptions {
            record: true,
            ..opts.clone()
        };
        let trace = simulate(&self.topology, &self.scenario.stimuli, &opts)?;
        let (bindings, baseline) = if opts.faults.is_empty() {
            (
                bind_steps(&self.scenario.steps, &self.topology, &trace),
                None,
            )
        } else {
            let base_opts = RunOptions {
                faults: Vec::new(),
                ..opts.clone()
            };
            let t = simulate(&self.topology, &self.scenario.stimuli, &base_opts)?;
            let b = bind_steps(&self.scenario.steps, &self.topology, &t);
            // Each step keeps to the flow it showed without faults, so a call
            // that a fault delays does not steal or hide another call's steps.
            let flows: Vec<Option<FlowId>> =
                b.iter().map(|r| r.and_then(|i| t.rows[i].flow)).collect();
            let bound = bind_steps_in_flows(&self.scenario.steps, &self.topology, &trace, &flows);
            (bound, Some((t, b)))
        };
        let participants = participants(&trace);
        let table = table::build(self, &trace, &bindings, baseline.as_ref());
        let mut run = LessonRun {
            faults: opts.faults.clone(),
            trace,
            bindings,
            participants,
            table,
            tracker: TrackerTable::default(),
        };
        run.tracker = tracker::build(self, &run);
        Ok(run)
    }
}

/// One simulation of a lesson and the views derived from it.
#[derive(Debug, Clone)]
pub struct LessonRun {
    pub faults: Vec<Fault>,
    pub trace: Trace,
    /// For each step, the trace row it shows (`None`: the event did not happen).
    pub bindings: Vec<Option<usize>>,
    /// For each flow, the components that acted or changed state in it.
    pub participants: Vec<HashSet<ComponentId>>,
    pub table: ProcessTable,
    pub tracker: TrackerTable,
}

impl LessonRun {
    /// Steps whose event vanished or whose outcome differs from the fault-free run.
    pub fn affected_steps(&self) -> Vec<u32> {
        self.table
            .rows
            .iter()
            .filter(|r| r.status != StepStatus::AsWritten)
            .map(|r| r.step)
            .collect()
    }

    /// The flow a step belongs to.
    pub fn step_flow(&self, step: u32) -> Option<FlowId> {
        let i = self
            .bindings
            .get(step.checked_sub(1)? as usize)
            .copied()
            .flatten()?;
        self.trace.rows[i].flow
    }
}

/// Each step shows the first matching event after the previous step's event.
pub fn bind_steps(steps: &[Step], topo: &Topology, trace: &Trace) -> Vec<Option<usize>> {
    let mut from = 0;
    steps
        .iter()
        .map(|s| {
            let comp = topo.find(&s.on.component)?;
            let flow = match &s.on.flow {
                Some(f) => Some(trace.flow(f)?),
                None => None,
            };
            let i = trace.rows[from.min(trace.rows.len())..]
                .iter()
                .position(|r| {
                    r.component == comp
                        && r.action == s.on.action
                        && (flow.is_none() || r.flow == flow)
                })?
                + from;
            from = i + 1;
            Some(i)
        })
        .collect()
}

/// Binding for a fault run: each step matches only events of the flow it had
/// in the fault-free run, after the previous step of that same flow.
fn bind_steps_in_flows(
    steps: &[Step],
    topo: &Topology,
    trace: &Trace,
    flows: &[Option<FlowId>],
) -> Vec<Option<usize>> {
    let mut cursor: std::collections::HashMap<Option<FlowId>, usize> =
        std::collections::HashMap::new();
    steps
        .iter()
        .zip(flows)
        .map(|(s, &flow)| {
            let comp = topo.find(&s.on.component)?;
            let from = cursor
                .get(&flow)
                .copied()
                .unwrap_or(0)
                .min(trace.rows.len());
            let i = trace.rows[from..]
                .iter()
                .position(|r| r.component == comp && r.action == s.on.action && r.flow == flow)?
                + from;
            cursor.insert(flow, i + 1);
            Some(i)
        })
        .collect()
}

fn participants(trace: &Trace) -> Vec<HashSet<ComponentId>> {
    let mut out = vec![HashSet::new(); trace.flows.len()];
    for (i, r) in trace.rows.iter().enumerate() {
        let Some(f) = r.flow else { continue };
        let set = &mut out[f.0 as usize];
        set.insert(r.component);
        let before = trace.snapshot_after(i.checked_sub(1));
        let after = &trace.snapshots[i];
        for (c, (a, b)) in before.states.iter().zip(&after.states).enumerate() {
            if a != b {
                set.insert(ComponentId(c as u32));
            }
        }
    }
    out
}
