//! How a trace keeps every moment without a snapshot per row: every change
//! of state (a component's state, a proxy's config version, a pod's sidecar, a
//! request's progress) is logged once, tagged with the row after which it
//! holds. Memory grows with the changes, that is with the events.
//!
//! Component states change at almost every event, so they go to one log in
//! row order (appending is cheap) with a full copy of all states every
//! [`CHECKPOINT_EVERY`] changes: any row's states are a copy and a short
//! replay away. Config versions and sidecars change rarely and keep a list
//! per component; a request's changes are chained newest to oldest.

use crate::component::{ComponentId, State};
use crate::ids::ReqId;
use crate::trace::{FlowId, PolicyState, RequestState, RoutingState};

/// A value's changes: `(row, value)` means "`value` from just after row `row` on".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Changes<T> {
    list: Vec<(u32, T)>,
}

impl<T> Default for Changes<T> {
    fn default() -> Self {
        Self { list: Vec::new() }
    }
}

impl<T: Copy> Changes<T> {
    /// Records `value` as of row `row`; a second change before that row is
    /// recorded replaces the first.
    pub fn push(&mut self, row: u32, value: T) {
        match self.list.last_mut() {
            Some(last) if last.0 == row => last.1 = value,
            _ => self.list.push((row, value)),
        }
    }

    /// The value just after row `row` (`None`: before the first row).
    pub fn at(&self, row: Option<usize>, initial: T) -> T {
        let Some(row) = row else {
            return initial;
        };
        let n = self.list.partition_point(|(t, _)| *t as usize <= row);
        match n {
            0 => initial,
            n => self.list[n - 1].1,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &(u32, T)> {
        self.list.iter()
    }
}

/// Appends to one of a trace's long logs, growing it by a quarter rather than
/// doubling it, so that spare capacity stays small next to the data.
pub(crate) fn push_log<T>(v: &mut Vec<T>, x: T) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 4).max(1024));
    }
    v.push(x);
}

/// How many state changes go between two full copies of every state.
pub(crate) const CHECKPOINT_EVERY: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StateChange {
    pub row: u32,
    pub component: ComponentId,
    pub state: State,
}

/// Every component-state change in row order, with periodic full copies.
#[derive(Debug, Clone, Default)]
pub(crate) struct StateLog {
    pub changes: Vec<StateChange>,
    /// `(n, states)`: every state once the first `n` changes are applied.
    checkpoints: Vec<(usize, Box<[State]>)>,
}

impl StateLog {
    /// Logs a change; `all` is every state with it applied (copied now and then).
    pub fn push(&mut self, change: StateChange, all: &[State]) {
        push_log(&mut self.changes, change);
        if self.changes.len().is_multiple_of(CHECKPOINT_EVERY) {
            self.checkpoints.push((self.changes.len(), all.into()));
        }
    }

    /// Every state just after row `row`, from `initial` (the states before any row).
    pub fn at(&self, row: Option<usize>, initial: &[State]) -> Vec<State> {
        let Some(row) = row else {
            return initial.to_vec();
        };
        // Changes that hold by then: those tagged at or before `row`.
        let upto = self.changes.partition_point(|c| c.row as usize <= row);
        let k = self.checkpoints.partition_point(|(n, _)| *n <= upto);
        let (from, mut states) = match k {
            0 => (0, initial.to_vec()),
            k => (
                self.checkpoints[k - 1].0,
                self.checkpoints[k - 1].1.to_vec(),
            ),
        };
        for c in &self.changes[from..upto] {
            states[c.component.index()] = c.state;
        }
        states
    }

    /// One component's state just after row `row`.
    pub fn one_at(&self, c: ComponentId, row: Option<usize>, initial: State) -> State {
        let Some(row) = row else { return initial };
        let upto = self.changes.partition_point(|x| x.row as usize <= row);
        self.changes[..upto]
            .iter()
            .rev()
            .find(|x| x.component == c)
            .map_or(initial, |x| x.state)
    }
}

/// A request's progress, as the tracker shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Progress {
    pub state: RequestState,
    pub routing: RoutingState,
    pub policy: PolicyState,
}

impl Progress {
    pub const NEW: Progress = Progress {
        state: RequestState::NotSent,
        routing: RoutingState::Empty,
        policy: PolicyState::None,
    };
}

#[derive(Debug, Clone)]
pub(crate) struct RequestLog {
    pub flow: FlowId,
    pub parent: Option<ReqId>,
    /// The distributed trace it belongs to.
    pub trace: ReqId,
    /// The row from which the request exists.
    pub created: u32,
    /// Its newest change in [`History::progress`].
    pub last: Option<u32>,
}

/// One change of a request's progress; the changes of one request are
/// chained newest to oldest, so they need no list of their own.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProgressChange {
    pub row: u32,
    /// The request's previous change.
    pub prev: Option<std::num::NonZeroU32>,
    pub progress: Progress,
}

/// Every piece of state's changes over a run.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub states: StateLog,
    /// Per component (proxies): the config version held.
    pub config: Vec<Changes<Option<u32>>>,
    /// Per pod: whether a sidecar runs in it.
    pub injected: Vec<Changes<bool>>,
    pub requests: Vec<RequestLog>,
    /// Every request's progress changes, in the order they happened.
    pub progress: Vec<ProgressChange>,
}

impl History {
    /// Records a request's progress as of row `row`.
    pub fn progress(&mut self, req: ReqId, row: u32, progress: Progress) {
        let log = &mut self.requests[req.index()];
        if let Some(last) = log.last
            && let Some(c) = self.progress.get_mut(last as usize)
            && c.row == row
        {
            c.progress = progress;
            return;
        }
        let prev = log.last.and_then(|l| std::num::NonZeroU32::new(l + 1));
        log.last = Some(self.progress.len() as u32);
        push_log(
            &mut self.progress,
            ProgressChange {
                row,
                prev,
                progress,
            },
        );
    }

    /// A request's progress just after row `row`.
    pub fn progress_at(&self, req: ReqId, row: usize) -> Progress {
        let mut at = self.requests[req.index()].last;
        while let Some(i) = at {
            let c = &self.progress[i as usize];
            if c.row as usize <= row {
                return c.progress;
            }
            at = c.prev.map(|p| p.get() - 1);
        }
        Progress::NEW
    }

    /// A request's changes, oldest first (for the digest).
    pub fn request_changes(&self, req: ReqId) -> Vec<(u32, Progress)> {
        let mut out = Vec::new();
        let mut at = self.requests[req.index()].last;
        while let Some(i) = at {
            let c = &self.progress[i as usize];
            out.push((c.row, c.progress));
            at = c.prev.map(|p| p.get() - 1);
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_at_any_row_match_a_replay_from_the_start() {
        let n = 5;
        let initial = vec![State::Idle; n];
        let mut log = StateLog::default();
        let mut world = initial.clone();
        let mut after_row: Vec<Vec<State>> = Vec::new();
        let all = [State::Idle, State::Forwarding, State::Handling, State::Down];
        for row in 0..3000u32 {
            // One or two changes before each row, as handlers make them.
            for k in 0..(1 + row % 2) {
                let c = ((row * 7 + k) as usize) % n;
                let st = all[(row as usize + k as usize) % all.len()];
                world[c] = st;
                log.push(
                    StateChange {
                        row,
                        component: ComponentId(c as u32),
                        state: st,
                    },
                    &world,
                );
            }
            after_row.push(world.clone());
        }
        assert!(log.checkpoints.len() >= 4, "checkpoints were taken");
        assert_eq!(log.at(None, &initial), initial);
        for row in [0usize, 1, 511, 1023, 1024, 2047, 2999] {
            assert_eq!(log.at(Some(row), &initial), after_row[row], "row {row}");
            for (c, want) in after_row[row].iter().enumerate() {
                let id = ComponentId(c as u32);
                assert_eq!(log.one_at(id, Some(row), State::Idle), *want);
            }
        }
    }

    #[test]
    fn a_value_holds_from_its_row_until_the_next_change() {
        let mut c = Changes::default();
        c.push(2, 'b');
        c.push(2, 'c'); // two changes before row 2: the later stands
        c.push(5, 'd');
        assert_eq!(c.at(None, 'a'), 'a');
        assert_eq!(c.at(Some(1), 'a'), 'a');
        assert_eq!(c.at(Some(2), 'a'), 'c');
        assert_eq!(c.at(Some(4), 'a'), 'c');
        assert_eq!(c.at(Some(5), 'a'), 'd');
        assert_eq!(c.at(Some(99), 'a'), 'd');
    }
}
