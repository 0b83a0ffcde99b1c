//! A run in progress, which can be stopped anywhere, copied and changed:
//! "run to here, change this, continue". [`simulate`](super::simulate) is
//! [`Sim::start`] then [`Sim::finish`]; the what-if lab keeps a [`Sim`] stopped
//! at a step as a checkpoint and forks it for each change the learner tries,
//! so every fork shares the unchanged run's history up to that point exactly.
//!
//! A checkpoint is the whole state of the run — the world, the event queue,
//! the random generator, the recorder and the stimuli still to come — so a
//! fork continued from it gives the same trace as a run from time zero with
//! the change made at the same moment (tests/engine_checkpoint.rs).
//!
//! ```
//! use meshstep_sim::engine::{RunOptions, Sim};
//! use meshstep_sim::{Fault, bundled};
//!
//! let lesson = bundled::lesson("mesh-vs-library").unwrap().unwrap();
//! let opts = RunOptions { seed: 7, record: true, ..Default::default() };
//! let mut here = Sim::start(&lesson.topology, &lesson.scenario.stimuli, &opts).unwrap();
//! here.run_through_row(4); // run to here…
//! let mut fork = here.checkpoint();
//! fork.change(&[Fault::ControlPlaneDown], &[]).unwrap(); // …change this…
//! let changed = fork.finish(); // …continue.
//! let unchanged = here.finish();
//! assert_eq!(changed.rows[..5], unchanged.rows[..5]);
//! assert_ne!(changed.rows.len(), unchanged.rows.len());
//! ```

use crate::action::Action;
use crate::component::{ComponentId, ComponentKind, State};
use crate::engine::cx::{Cx, Recorder};
use crate::engine::event::Event;
use crate::engine::rng::SimRng;
use crate::engine::world::World;
use crate::engine::{EVENT_LIMIT, FaultStart, Plan, RunOptions, dispatch, plans};
use crate::fault::Fault;
use crate::ids::PodId;
use crate::queue::{EventQueue, Micros};
use crate::scenario::schema::{Stimulus, StimulusAction};
use crate::topology::{Topology, TopologyError};
use crate::trace::{CallResult, Note, Snapshot, Trace, TraceRow, Truncation};

/// A simulation stopped between two events. Cloning it ([`Sim::checkpoint`])
/// copies the whole run, so the copy and the original go on independently.
#[derive(Clone)]
pub struct Sim<'t> {
    cx: Cx<'t>,
    /// The lesson's stimuli; a stimulus's index is its flow's number.
    stimuli: &'t [Stimulus],
    /// Each change made during the run, numbered after the lesson's stimuli.
    changes: Vec<Stimulus>,
    plans: Vec<Plan>,
    /// The lesson's stimuli by time, fed in as the clock reaches them.
    agenda: Vec<(Micros, u32)>,
    next_stimulus: usize,
    /// The options' faults and changes, while their onset is still to come.
    pending: Option<(FaultStart, Vec<Fault>, Vec<StimulusAction>)>,
    max_events: u64,
    truncated: Option<Truncation>,
    initial: Snapshot,
    seed: u64,
}

impl<'t> Sim<'t> {
    /// A run at time zero, before its first event. `opts.faults` and
    /// `opts.changes` take effect at `opts.from`, as [`simulate`](super::simulate) does.
    pub fn start(
        topo: &'t Topology,
        stimuli: &'t [Stimulus],
        opts: &RunOptions,
    ) -> Result<Self, Vec<TopologyError>> {
        let plans = plans(topo, stimuli, 0)?;
        check_faults(topo, &opts.faults)?;
        check_changes(topo, &opts.changes, stimuli.len())?;
        let mut world = World::new(topo);
        // One request per call stimulus at least: growing a vector of
        // 100,000 requests by doubling copies it a dozen times.
        (world.requests).reserve(
            plans
                .iter()
                .filter(|p| matches!(p, Plan::Call { .. }))
                .count(),
        );
        let beginning = opts.from == FaultStart::Beginning;
        if beginning {
            for f in &opts.faults {
                f.apply(topo, &mut world, 0);
            }
        }
        let initial = snapshot(topo, &world);
        let mut agenda: Vec<(Micros, u32)> = (stimuli.iter().enumerate())
            .map(|(i, s)| (s.at_us, i as u32))
            .collect();
        // Stable, by time alone: ties keep the stimuli's order, and a stable
        // sort finds the already-sorted runs a lesson's stimuli come in.
        agenda.sort_by_key(|&(t, _)| t);
        let cx = Cx {
            topo,
            now: 0,
            world,
            rng: SimRng::seed_from_u64(opts.seed),
            queue: EventQueue::with_capacity(1024),
            rec: Recorder::new(opts.record, topo, stimuli.len() + opts.changes.len()),
            cause: None,
        };
        let mut sim = Sim {
            cx,
            stimuli,
            changes: Vec::new(),
            plans,
            agenda,
            next_stimulus: 0,
            pending: None,
            max_events: opts.max_events.unwrap_or(EVENT_LIMIT).min(EVENT_LIMIT),
            truncated: None,
            initial,
            seed: opts.seed,
        };
        let empty = opts.faults.is_empty() && opts.changes.is_empty();
        if beginning {
            // The faults are already the world's state; the changes are made at once.
            sim.schedule_changes(&opts.changes)?;
        } else if !empty {
            sim.pending = Some((opts.from, opts.faults.clone(), opts.changes.clone()));
        }
        Ok(sim)
    }

    /// A copy of the run as it stands, to continue differently.
    pub fn checkpoint(&self) -> Self {
        self.clone()
    }

    /// The virtual time of the last event handled.
    pub fn now(&self) -> Micros {
        self.cx.now
    }

    /// Events handled so far (with recording on, also the number of rows).
    pub fn events(&self) -> u64 {
        self.cx.rec.events
    }

    /// The rows recorded so far.
    pub fn rows(&self) -> &[TraceRow] {
        &self.cx.rec.rows
    }

    /// Whether the run has stopped at its event limit.
    pub fn truncated(&self) -> bool {
        self.truncated.is_some()
    }

    /// Flows so far: one per stimulus, the changes' included.
    fn flows(&self) -> usize {
        self.stimuli.len() + self.changes.len()
    }

    /// The time of the next event, lesson stimuli included.
    fn next_time(&self) -> Option<Micros> {
        let stimulus = self.agenda.get(self.next_stimulus).map(|&(t, _)| t);
        match (stimulus, self.cx.queue.peek_time()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Handles the next event. `false` once nothing is left to do or the run
    /// reached its event limit.
    pub fn step(&mut self) -> bool {
        if self.truncated.is_some() {
            return false;
        }
        if let Some((FaultStart::AtUs(at), ..)) = self.pending
            && self.next_time().is_some_and(|t| t >= at)
        {
            self.cx.now = at.max(self.cx.now);
            self.take_pending();
        }
        // Stimuli are fed in as the clock reaches them rather than queued up
        // front, which keeps the heap small; a stimulus wins a tie with a
        // queued event, exactly as if all stimuli had been queued first.
        let next = match self.agenda.get(self.next_stimulus) {
            Some(&(t, i)) => match self.cx.queue.pop_before(t) {
                Some((q, s)) => Some((q, s.event, s.cause)),
                None => {
                    self.next_stimulus += 1;
                    Some((t, Event::Stimulus { index: i }, None))
                }
            },
            None => (self.cx.queue.pop()).map(|(t, s)| (t, s.event, s.cause)),
        };
        let Some((t, event, cause)) = next else {
            return false;
        };
        if self.cx.rec.events >= self.max_events {
            // The event just taken is dropped with the rest: the run stops here.
            let calls_pending = (self.cx.world.requests.iter())
                .filter(|r| r.result.is_none())
                .count()
                + (self.agenda.len() - self.next_stimulus);
            self.truncated = Some(Truncation {
                max_events: self.max_events,
                at_us: self.cx.now,
                calls_pending: calls_pending as u64,
            });
            return false;
        }
        self.cx.now = t;
        self.cx.cause = cause;
        dispatch(&mut self.cx, &self.plans, event);
        if let Some((FaultStart::AfterRow(row), ..)) = self.pending
            && self.cx.rec.events as usize > row
        {
            self.take_pending();
        }
        true
    }

    /// Runs until `row` (0-based) has been handled, so a change made next
    /// comes just after it; `false` if the run ends before that row.
    pub fn run_through_row(&mut self, row: usize) -> bool {
        while self.cx.rec.events as usize <= row {
            if !self.step() {
                return false;
            }
        }
        true
    }

    /// Runs every event before `time`, then moves the clock to it, so a
    /// change made next comes before any event of that time.
    pub fn run_until(&mut self, time: Micros) {
        while self.next_time().is_some_and(|t| t < time) && self.step() {}
        self.cx.now = self.cx.now.max(time);
    }

    /// Makes a change now: the faults alter the world at once (a row each
    /// marks where the run leaves the unchanged one) and each setting change
    /// is made as an operator would, as a stimulus with a flow of its own.
    pub fn change(
        &mut self,
        faults: &[Fault],
        changes: &[StimulusAction],
    ) -> Result<(), Vec<TopologyError>> {
        check_faults(self.cx.topo, faults)?;
        check_changes(self.cx.topo, changes, self.flows())?;
        self.cx.cause = None;
        inject(&mut self.cx, faults);
        self.schedule_changes(changes)
    }

    fn take_pending(&mut self) {
        if let Some((_, faults, changes)) = self.pending.take() {
            // Checked when the run started.
            self.change(&faults, &changes)
                .expect("faults and changes were checked at the start");
        }
    }

    fn schedule_changes(&mut self, changes: &[StimulusAction]) -> Result<(), Vec<TopologyError>> {
        let first = self.flows();
        let added: Vec<Stimulus> = (changes.iter())
            .map(|c| Stimulus {
                id: None,
                at_us: self.cx.now,
                action: c.clone(),
            })
            .collect();
        self.plans.extend(plans(self.cx.topo, &added, first)?);
        self.changes.extend(added);
        for index in first..self.flows() {
            self.cx.after(
                0,
                Event::Stimulus {
                    index: index as u32,
                },
            );
        }
        Ok(())
    }

    /// Runs to the end (or the event limit) and hands over the trace.
    pub fn finish(mut self) -> Trace {
        while self.step() {}
        let cx = &mut self.cx;
        cx.now = cx.rec.last_active;
        cx.cause = None;
        let end = cx.topo.end;
        cx.set(end, State::Idle);
        cx.row(end, Action::End)
            .note(if self.truncated.is_some() {
                Note::Text(&"stopped at the event limit: the run is incomplete")
            } else {
                Note::Text(&"the event queue is empty")
            })
            .record();
        let flows: Vec<String> = (self.stimuli.iter().chain(&self.changes))
            .map(|s| s.id.clone().unwrap_or_default())
            .collect();
        let mut call_results = vec![None; flows.len()];
        for r in cx.world.requests.iter().filter(|r| r.parent.is_none()) {
            call_results[r.flow.0 as usize] = Some(r.result.unwrap_or(CallResult::Pending));
        }
        Trace {
            seed: self.seed,
            flows,
            rows: self.cx.rec.rows,
            initial: self.initial,
            call_results,
            events: self.cx.rec.events,
            truncated: self.truncated,
            history: self.cx.rec.history,
        }
    }
}

fn check_faults(topo: &Topology, faults: &[Fault]) -> Result<(), Vec<TopologyError>> {
    let errors: Vec<TopologyError> = (faults.iter().enumerate())
        .filter_map(|(i, f)| {
            f.check(topo)
                .err()
                .map(|(message, hint)| TopologyError::new(format!("faults[{i}]"), message, hint))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Resolves the changes' names up front, so a bad one is an error before
/// the run rather than halfway through it.
fn check_changes(
    topo: &Topology,
    changes: &[StimulusAction],
    first: usize,
) -> Result<(), Vec<TopologyError>> {
    let as_stimuli: Vec<Stimulus> = (changes.iter())
        .map(|c| Stimulus {
            id: None,
            at_us: 0,
            action: c.clone(),
        })
        .collect();
    plans(topo, &as_stimuli, first).map(|_| ())
}

/// What the tracker shows before the first event.
fn snapshot(topo: &Topology, world: &World) -> Snapshot {
    Snapshot {
        time_us: 0,
        states: world.states.clone(),
        config: (topo.components.iter())
            .map(|c| {
                c.pod
                    .filter(|_| c.kind == ComponentKind::Sidecar)
                    .and_then(|p| world.pod(p).proxy.as_ref())
                    .and_then(|p| p.config)
            })
            .collect(),
        injected: world.pods.iter().map(|p| p.proxy.is_some()).collect(),
    }
}

/// Faults taking effect during a run: the world changes now, and a row per
/// fault marks where the run leaves the fault-free one.
fn inject(cx: &mut Cx<'_>, faults: &[Fault]) {
    let topo = cx.topo;
    let states = cx.world.states.clone();
    let injected: Vec<bool> = cx.world.pods.iter().map(|p| p.proxy.is_some()).collect();
    for f in faults {
        f.apply(topo, &mut cx.world, cx.now);
    }
    for (i, before) in states.into_iter().enumerate() {
        let now = cx.world.states[i];
        if now != before {
            cx.world.states[i] = before;
            cx.set(ComponentId(i as u32), now);
        }
    }
    for (i, before) in injected.into_iter().enumerate() {
        if cx.world.pods[i].proxy.is_some() != before {
            cx.set_injected(PodId(i as u32), !before);
        }
    }
    for f in faults {
        cx.row(f.actor(topo), Action::InjectFault)
            .note(format!("what-if: {f}"))
            .record();
    }
}
