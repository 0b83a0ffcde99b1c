//! A lesson: a validated scenario plus everything derived from simulating it —
//! the process table, the status tracker and the engine's answers to quizzes.

pub mod check;
mod consequence;
pub mod fork;
pub mod lab;
pub mod quiz;
pub mod table;
pub mod tracker;
pub mod why;

use std::collections::HashSet;
use std::path::Path;

use crate::component::ComponentId;
use crate::diagnostics::Diagnostic;
use crate::engine::{FaultStart, RunOptions, simulate};
use crate::fault::Fault;
use crate::scenario::load::load;
use crate::scenario::schema::{Onset, Scenario, Step, StimulusAction};
use crate::scenario::spans::SpanIndex;
use crate::scenario::validate::validate;
use crate::topology::{Topology, TopologyError};
use crate::trace::{FlowId, Trace, fmt_us};

pub use fork::Fork;
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

/// Each diagnostic with the section of the format reference that explains it.
fn located(mut all: Vec<Diagnostic>, source: &str) -> Vec<Diagnostic> {
    crate::scenario::reference::annotate(&mut all, source);
    all
}

fn by_position(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    all.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    all
}

impl Lesson {
    /// Loads and validates a scenario, then checks its wording against a
    /// simulation; every problem found is returned at once.
    pub fn from_source(file: &str, source: &str) -> Result<Lesson, Vec<Diagnostic>> {
        let (lesson, found) = Self::from_source_lenient(file, source)?;
        let (errors, warnings): (Vec<_>, Vec<_>) =
            found.into_iter().partition(Diagnostic::is_error);
        if errors.is_empty() {
            Ok(Lesson { warnings, ..lesson })
        } else {
            Err(by_position(errors.into_iter().chain(warnings).collect()))
        }
    }

    /// Loads a scenario that is structurally sound, even where its wording
    /// disagrees with the engine; those disagreements come back beside it.
    /// For authors debugging a lesson (`meshstep run`), not for learners.
    pub fn from_source_lenient(
        file: &str,
        source: &str,
    ) -> Result<(Lesson, Vec<Diagnostic>), Vec<Diagnostic>> {
        let loaded = load(source).map_err(|d| located(d, source))?;
        let (topology, mut found) = validate(&loaded);
        let topology = match topology {
            Some(t) if !found.iter().any(Diagnostic::is_error) => t,
            _ => return Err(located(by_position(found), source)),
        };
        let lesson = Lesson {
            file: file.to_string(),
            source: source.to_string(),
            scenario: loaded.scenario,
            topology,
            spans: loaded.spans,
            warnings: Vec::new(),
        };
        // The structure is sound: only the engine cross-check is left to run.
        found.extend(lesson.cross_check());
        let found = located(by_position(found), &lesson.source);
        Ok((lesson, found))
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

    /// A what-if: the lesson run with `faults` from `from` on.
    pub fn run_what_if(
        &self,
        seed: u64,
        faults: &[Fault],
        from: Option<Onset>,
    ) -> Result<LessonRun, Vec<TopologyError>> {
        self.run_changed(seed, faults, &[], from)
    }

    /// A what-if that also changes settings (`changes`, made as an operator
    /// would, at the same moment as the faults).
    pub fn run_changed(
        &self,
        seed: u64,
        faults: &[Fault],
        changes: &[StimulusAction],
        from: Option<Onset>,
    ) -> Result<LessonRun, Vec<TopologyError>> {
        self.fork(seed, from)?.run(faults, changes)
    }

    /// A lesson's own what-if, by its index.
    pub fn run_lesson_what_if(&self, seed: u64, i: usize) -> Result<LessonRun, Vec<TopologyError>> {
        let w = &self.scenario.what_if[i];
        self.run_changed(seed, &w.faults, &w.changes, w.from.clone())
    }

    /// Simulates the lesson. Rows and history are always recorded; with
    /// faults, a fault-free baseline is run too so changed steps can be marked.
    pub fn run(&self, opts: &RunOptions) -> Result<LessonRun, Vec<TopologyError>> {
        let opts = RunOptions {
            record: true,
            ..opts.clone()
        };
        let trace = simulate(&self.topology, &self.scenario.stimuli, &opts)?;
        let baseline = if opts.faults.is_empty() && opts.changes.is_empty() {
            None
        } else {
            let base_opts = RunOptions {
                faults: Vec::new(),
                changes: Vec::new(),
                from: FaultStart::Beginning,
                ..opts.clone()
            };
            let t = simulate(&self.topology, &self.scenario.stimuli, &base_opts)?;
            let b = bind_steps(&self.scenario.steps, &self.topology, &t).rows;
            Some((t, b))
        };
        Ok(self.assemble(&opts.faults, &opts.changes, opts.from, trace, baseline))
    }

    /// The views of a run, against the unchanged run (`baseline`: its trace
    /// and each step's row there) when something was changed.
    fn assemble(
        &self,
        faults: &[Fault],
        changes: &[StimulusAction],
        from: FaultStart,
        trace: Trace,
        baseline: Option<(Trace, Vec<Option<usize>>)>,
    ) -> LessonRun {
        let binding = match &baseline {
            None => bind_steps(&self.scenario.steps, &self.topology, &trace),
            Some((t, b)) => {
                // Each step keeps to the flow it showed without faults, so a call
                // that a fault delays does not steal or hide another call's steps.
                let flows: Vec<Option<FlowId>> =
                    b.iter().map(|r| r.and_then(|i| t.rows[i].flow)).collect();
                bind_steps_in_flows(&self.scenario.steps, &self.topology, &trace, &flows)
            }
        };
        let participants = participants(&trace);
        let table = table::build(self, &trace, &binding, baseline.as_ref());
        let mut run = LessonRun {
            faults: faults.to_vec(),
            changes: changes.to_vec(),
            from,
            trace,
            bindings: binding.rows,
            participants,
            table,
            tracker: TrackerTable::default(),
        };
        run.tracker = tracker::build(self, &run);
        run
    }
}

/// One simulation of a lesson and the views derived from it.
#[derive(Debug, Clone)]
pub struct LessonRun {
    pub faults: Vec<Fault>,
    /// Settings changed as a what-if.
    pub changes: Vec<StimulusAction>,
    /// When the faults took effect.
    pub from: FaultStart,
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

/// Which trace row each step shows, and why a step shows none.
#[derive(Debug, Clone, Default)]
pub struct Binding {
    pub rows: Vec<Option<usize>>,
    /// For a step with no row: why, when it is not simply "its event never happened".
    pub why: Vec<Option<String>>,
}

/// Each step shows the first matching event after the previous step's event.
pub fn bind_steps(steps: &[Step], topo: &Topology, trace: &Trace) -> Binding {
    let mut from = 0;
    let rows = steps
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
        .collect::<Vec<_>>();
    Binding {
        why: vec![None; rows.len()],
        rows,
    }
}

/// Binding for a fault run: each step matches only events of the flow it had
/// in the fault-free run, after the previous step of that same flow. A step
/// whose event would come before the step above it did not happen in this
/// run's order, and says so.
fn bind_steps_in_flows(
    steps: &[Step],
    topo: &Topology,
    trace: &Trace,
    flows: &[Option<FlowId>],
) -> Binding {
    let mut cursor: std::collections::HashMap<Option<FlowId>, usize> =
        std::collections::HashMap::new();
    let mut rows: Vec<Option<usize>> = steps
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
        .collect();
    let mut why = vec![None; rows.len()];
    let mut last: Option<(usize, usize)> = None; // (step index, row) of the last step kept
    for k in 0..rows.len() {
        let Some(r) = rows[k] else { continue };
        match last {
            Some((j, lr)) if r < lr => {
                why[k] = Some(format!(
                    "its event came at {}, before step {}'s",
                    fmt_us(trace.rows[r].time_us),
                    j + 1
                ));
                rows[k] = None;
            }
            _ => last = Some((k, r)),
        }
    }
    Binding { rows, why }
}

fn participants(trace: &Trace) -> Vec<HashSet<ComponentId>> {
    let mut out = vec![HashSet::new(); trace.flows.len()];
    for r in &trace.rows {
        if let Some(f) = r.flow {
            out[f.0 as usize].insert(r.component);
        }
    }
    for (c, row) in trace.state_changes() {
        if let Some(f) = trace.rows.get(row as usize).and_then(|r| r.flow) {
            out[f.0 as usize].insert(c);
        }
    }
    out
}
