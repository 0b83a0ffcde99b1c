//! What a changed run did differently: each of its rows is the same as the
//! original's, changed, or new, and the original's rows it lacks are gone.
//! The what-if lab marks the process table and the tracker with this, the
//! way a diff marks lines.
//!
//! Two runs of one lesson share their rows exactly up to the change (a fork
//! copies the run, tests/engine_checkpoint.rs). After it, a row is matched
//! with the original's row that plays the same part: the same flow, component
//! and action, and the same occurrence of those in the run (the second retry
//! of flow `o2` by `web/sidecar` matches the second retry). A matched row is
//! the same if it happened at the same time with the same outcome, and
//! changed otherwise.

use std::collections::HashMap;

use crate::action::Action;
use crate::component::ComponentId;
use crate::trace::{FlowId, Trace, TraceRow};

/// How a row of the changed run compares with the original run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFate {
    /// The original has the same row: same moment, same outcome.
    Same,
    /// The original has this row, at another time or with another outcome.
    Changed {
        /// The original's row.
        was: usize,
    },
    /// The original has no such row.
    New,
}

/// A changed run against the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDiff {
    /// For each row of the changed run, in order.
    pub rows: Vec<RowFate>,
    /// Rows of the original that the changed run does not have.
    pub gone: Vec<usize>,
    /// How many rows the two runs share from the start.
    pub shared: usize,
}

impl RunDiff {
    /// Whether the change made any difference at all.
    pub fn is_empty(&self) -> bool {
        self.gone.is_empty() && self.rows.iter().all(|f| *f == RowFate::Same)
    }
}

type Key = (Option<FlowId>, ComponentId, Action, u32);

/// Each row's key: what it is and which occurrence of that it is.
fn keys(rows: &[TraceRow]) -> Vec<Key> {
    let mut seen: HashMap<(Option<FlowId>, ComponentId, Action), u32> = HashMap::new();
    (rows.iter())
        .map(|r| {
            let n = seen.entry((r.flow, r.component, r.action)).or_default();
            *n += 1;
            (r.flow, r.component, r.action, *n)
        })
        .collect()
}

/// Rows equal apart from what caused them and their request's number (both
/// shift after a change: a retry or a chained call made earlier or later).
fn same(a: &TraceRow, b: &TraceRow) -> bool {
    a.time_us == b.time_us && a.outcome == b.outcome && a.note == b.note
}

/// Compares `changed` with `original` (two runs of the same stimuli).
pub fn diff(original: &Trace, changed: &Trace) -> RunDiff {
    let shared = (original.rows.iter().zip(&changed.rows))
        .take_while(|(a, b)| a == b)
        .count();
    let (old_keys, new_keys) = (keys(&original.rows), keys(&changed.rows));
    let old_at: HashMap<Key, usize> = (old_keys.iter().enumerate())
        .skip(shared)
        .map(|(i, k)| (*k, i))
        .collect();
    let mut matched = vec![false; original.rows.len()];
    matched[..shared].fill(true);
    let rows = (changed.rows.iter().enumerate())
        .map(|(i, r)| {
            if i < shared {
                return RowFate::Same;
            }
            match old_at.get(&new_keys[i]) {
                Some(&was) => {
                    matched[was] = true;
                    if same(&original.rows[was], r) {
                        RowFate::Same
                    } else {
                        RowFate::Changed { was }
                    }
                }
                None => RowFate::New,
            }
        })
        .collect();
    let gone = (matched.iter().enumerate())
        .filter(|(_, m)| !**m)
        .map(|(i, _)| i)
        .collect();
    RunDiff { rows, gone, shared }
}
