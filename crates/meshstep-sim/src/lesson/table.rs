//! The process table: the scenario's wording per step, bound to the engine
//! event that step shows, marked where a fault changed or removed it.

use serde::Serialize;

use crate::action::Action;
use crate::lesson::{Binding, Lesson};
use crate::trace::{Outcome, Trace, fmt_us};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StepStatus {
    /// The event happened as in the fault-free run.
    AsWritten,
    /// The event happened, with a different outcome.
    Changed,
    /// The event did not happen.
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// 1-based.
    pub step: u32,
    pub component_id: String,
    /// The component's display label.
    pub component: String,
    pub action: Action,
    pub action_text: String,
    pub result: String,
    pub state_change: String,
    pub notes: String,
    /// The trace row this step shows.
    pub trace_row: Option<usize>,
    pub time_us: Option<u64>,
    /// What the engine says happened.
    pub engine: String,
    pub outcome: Option<Outcome>,
    pub status: StepStatus,
    /// Why a step did not happen, when the reason is more than "its event never came".
    pub why: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProcessTable {
    pub rows: Vec<TableRow>,
}

impl ProcessTable {
    /// The row a trace row belongs to: the last step at or before it.
    pub fn step_at_trace_row(&self, row: usize) -> Option<u32> {
        self.rows
            .iter()
            .filter(|r| r.trace_row.is_some_and(|t| t <= row))
            .map(|r| r.step)
            .next_back()
    }
}

pub(crate) fn build(
    lesson: &Lesson,
    trace: &Trace,
    binding: &Binding,
    baseline: Option<&(Trace, Vec<Option<usize>>)>,
) -> ProcessTable {
    let topo = &lesson.topology;
    let rows = lesson
        .scenario
        .steps
        .iter()
        .zip(&binding.rows)
        .enumerate()
        .map(|(i, (s, b))| {
            let comp = topo.find(&s.on.component);
            let row = b.map(|j| &trace.rows[j]);
            let status = match (row, baseline) {
                (None, _) => StepStatus::Missing,
                (Some(_), None) => StepStatus::AsWritten,
                (Some(r), Some((bt, bb))) => match bb.get(i).copied().flatten() {
                    Some(k) if bt.rows[k].outcome == r.outcome => StepStatus::AsWritten,
                    _ => StepStatus::Changed,
                },
            };
            TableRow {
                step: i as u32 + 1,
                component_id: s.on.component.clone(),
                component: comp.map_or_else(
                    || s.on.component.clone(),
                    |c| topo.component(c).label.clone(),
                ),
                action: s.on.action,
                action_text: s.action.clone(),
                result: s.result.clone(),
                state_change: s.state_change.clone(),
                notes: s.notes.clone(),
                trace_row: *b,
                time_us: row.map(|r| r.time_us),
                engine: match row {
                    Some(r) if r.note.is_empty() => {
                        format!("t={} {}", fmt_us(r.time_us), r.outcome.describe(topo))
                    }
                    Some(r) => format!(
                        "t={} {} ({})",
                        fmt_us(r.time_us),
                        r.outcome.describe(topo),
                        r.note
                    ),
                    None => match &binding.why[i] {
                        Some(why) => format!("did not happen in this run: {why}"),
                        None => "did not happen in this run".to_string(),
                    },
                },
                outcome: row.map(|r| r.outcome.clone()),
                status,
                why: binding.why[i].clone(),
            }
        })
        .collect();
    ProcessTable { rows }
}
