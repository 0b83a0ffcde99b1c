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
    /// The event happened as written, but what it led to changed (a message
    /// it sent was lost, or its call now ends differently): the step's
    /// result, as written, may no longer hold. [`TableRow::consequence`] says how.
    Consequence,
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
    /// With [`StepStatus::Consequence`]: what followed the step instead.
    pub consequence: Option<String>,
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
                consequence: None,
            }
        })
        .collect();
    let mut table = ProcessTable { rows };
    if let Some((base, base_rows)) = baseline {
        mark_consequences(lesson, trace, &mut table, base, base_rows);
    }
    table
}

/// Marks steps that read as written but whose consequences changed: a new
/// failure right after the step's event, or — on the last step of a call —
/// a different answer at the end of the call that no step shows.
fn mark_consequences(
    lesson: &Lesson,
    trace: &Trace,
    table: &mut ProcessTable,
    base: &Trace,
    base_rows: &[Option<usize>],
) {
    use super::consequence::{call_ends_differently, new_failure_after};
    let topo = &lesson.topology;
    let n = table.rows.len();
    for i in 0..n {
        let row = &table.rows[i];
        let (Some(j), Some(Some(bj)), StepStatus::AsWritten) =
            (row.trace_row, base_rows.get(i), row.status)
        else {
            continue;
        };
        let req = trace.rows[j].request;
        // The last step of its call: no later step shows the same request.
        let last_of_call = req.is_some()
            && table.rows[i + 1..]
                .iter()
                .all(|r| r.trace_row.is_none_or(|k| trace.rows[k].request != req));
        let parts: Vec<String> = [
            new_failure_after(topo, trace, j, base, *bj),
            last_of_call
                .then(|| call_ends_differently(topo, trace, j, base, *bj))
                .flatten(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            let why = parts.join("; ");
            let row = &mut table.rows[i];
            row.status = StepStatus::Consequence;
            row.consequence = Some(why);
        }
    }
}
