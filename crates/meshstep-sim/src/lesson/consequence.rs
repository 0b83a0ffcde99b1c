//! What followed a step, when a what-if changed it but not the step's own
//! event. A sidecar still forwards at step 5 under a lossy network — its row
//! reads as written — yet the message it sent is lost, so "the payments pod
//! receives the request" is no longer true; and a call whose answer no step
//! shows (the library's, in the mesh-vs-library lesson) can fail with no
//! row saying so. Both are found here by comparing with the fault-free run.

use crate::action::Action;
use crate::topology::Topology;
use crate::trace::{Outcome, Trace, TraceRow};

/// Whether a row says a message was lost or refused on its way.
fn is_lost(r: &TraceRow) -> bool {
    matches!(
        r.action,
        Action::DropMessage
            | Action::RejectPlaintext
            | Action::DenyRequest
            | Action::AttemptTimeout
    ) || matches!(r.outcome, Outcome::Dropped)
}

/// What row `j` sent that was lost or refused: rows it caused directly, for
/// the same call. (A control plane that stops pushing after `kubectl apply`
/// does not make the apply's own result untrue, so other failures do not count.)
fn failed_children(trace: &Trace, j: usize) -> Vec<&TraceRow> {
    let req = trace.rows[j].request;
    trace
        .rows
        .iter()
        .filter(|r| {
            r.cause.is_some_and(|c| c.index() == j)
                && req.is_some()
                && r.request == req
                && is_lost(r)
        })
        .collect()
}

/// A new failure right after step row `j` (`base_j` in the fault-free run).
pub(crate) fn new_failure_after(
    topo: &Topology,
    trace: &Trace,
    j: usize,
    base: &Trace,
    base_j: usize,
) -> Option<String> {
    let before: Vec<Action> = failed_children(base, base_j)
        .iter()
        .map(|r| r.action)
        .collect();
    let new: Vec<String> = failed_children(trace, j)
        .into_iter()
        .filter(|r| !before.contains(&r.action))
        .map(|r| {
            format!(
                "{}: {}",
                topo.component(r.component).label,
                r.outcome.describe(topo)
            )
        })
        .collect();
    (!new.is_empty()).then(|| format!("then {}", new.join("; ")))
}

/// How the call `row` belongs to ends: the answer its caller received.
fn call_end(trace: &Trace, row: &TraceRow) -> Option<Outcome> {
    let req = row.request?;
    trace
        .rows
        .iter()
        .rev()
        .find(|r| r.request == Some(req) && r.action == Action::ReceiveResponse)
        .map(|r| r.outcome.clone())
}

/// The part of an answer a step's words are about: its status, or that it
/// failed (not its latency, nor encryption, which the rows that apply mTLS
/// show changed themselves).
fn verdict(o: &Outcome) -> (Option<u16>, bool) {
    match o {
        Outcome::Http { status, .. } => (Some(*status), false),
        other => (None, matches!(other, Outcome::Failed(_))),
    }
}

/// The call of step row `j` now ends differently from the fault-free run.
pub(crate) fn call_ends_differently(
    topo: &Topology,
    trace: &Trace,
    j: usize,
    base: &Trace,
    base_j: usize,
) -> Option<String> {
    let now = call_end(trace, &trace.rows[j]);
    let was = call_end(base, &base.rows[base_j]);
    match (now, was) {
        (Some(now), Some(was)) if verdict(&now) != verdict(&was) => Some(format!(
            "this call now ends: {} (it was {})",
            now.describe(topo),
            was.describe(topo)
        )),
        (None, Some(was)) => Some(format!(
            "this call now never gets an answer (it was {})",
            was.describe(topo)
        )),
        _ => None,
    }
}
