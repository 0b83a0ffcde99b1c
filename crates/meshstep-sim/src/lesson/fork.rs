//! "Run to here, change this, continue" for a lesson: a [`Fork`] holds the
//! lesson's unchanged run and a checkpoint of the engine stopped at the fork
//! point (just after a step's row, or at a time). Each change tried from
//! there copies the checkpoint and continues it, so the prefix is simulated
//! once however many changes a learner tries, and every changed run shares
//! the unchanged one's rows up to the fork exactly.
//!
//! ```
//! use meshstep_sim::scenario::schema::{Onset, StepRef};
//! use meshstep_sim::{Fault, bundled};
//!
//! let lesson = bundled::lesson("mesh-vs-library").unwrap().unwrap();
//! let fork = lesson.fork(7, Some(Onset::AfterStep(StepRef::Number(3)))).unwrap();
//! let down = fork.run(&[Fault::ControlPlaneDown], &[]).unwrap();
//! assert!(down.affected_steps().iter().all(|&s| s > 3));
//! ```

use crate::engine::{FaultStart, RunOptions, Sim};
use crate::fault::Fault;
use crate::lesson::{Lesson, LessonRun};
use crate::scenario::schema::{Onset, StepRef, StimulusAction};
use crate::topology::TopologyError;

/// A lesson's run stopped at a fork point, ready to continue with changes.
pub struct Fork<'l> {
    lesson: &'l Lesson,
    /// The lesson as written, which every changed run is compared with.
    pub base: LessonRun,
    /// Where the changes take effect.
    pub from: FaultStart,
    here: Sim<'l>,
}

impl Lesson {
    /// Runs the lesson as written and stops a copy at `from` (the start, just
    /// after step N's row, or at a time), for [`Fork::run`] to continue.
    pub fn fork(&self, seed: u64, from: Option<Onset>) -> Result<Fork<'_>, Vec<TopologyError>> {
        let base = self.run(&RunOptions {
            seed,
            ..Default::default()
        })?;
        let from = match from {
            None => FaultStart::Beginning,
            Some(Onset::AtUs(t)) => FaultStart::AtUs(t),
            Some(Onset::AfterStep(step)) => {
                // A lesson's own references are numbers by now; a caller may name a step.
                let index = match &step {
                    StepRef::Number(n) => n.checked_sub(1).map(|i| i as usize),
                    StepRef::Id(id) => (self.scenario.steps.iter())
                        .position(|s| s.id.as_deref() == Some(id.as_str())),
                };
                match index.and_then(|i| base.bindings.get(i).copied().flatten()) {
                    Some(row) => FaultStart::AfterRow(row),
                    None => {
                        return Err(vec![TopologyError::new(
                            "",
                            format!("{step} does not happen, so nothing can start after it"),
                            Some(
                                "start the changes after a step that happens, or at a time".into(),
                            ),
                        )]);
                    }
                }
            }
        };
        let mut here = Sim::start(&self.topology, &self.scenario.stimuli, &self.record(seed))?;
        match from {
            FaultStart::Beginning => {}
            FaultStart::AfterRow(row) => {
                here.run_through_row(row);
            }
            FaultStart::AtUs(t) => here.run_until(t),
        }
        Ok(Fork {
            lesson: self,
            base,
            from,
            here,
        })
    }

    fn record(&self, seed: u64) -> RunOptions {
        RunOptions {
            seed,
            record: true,
            ..Default::default()
        }
    }
}

impl Fork<'_> {
    /// The lesson continued from the fork point with `faults` and `changes`
    /// made there; the unchanged run is unaffected and can be forked again.
    pub fn run(
        &self,
        faults: &[Fault],
        changes: &[StimulusAction],
    ) -> Result<LessonRun, Vec<TopologyError>> {
        let lesson = self.lesson;
        if faults.is_empty() && changes.is_empty() {
            return Ok(self.base.clone());
        }
        let trace = if self.from == FaultStart::Beginning {
            // From time zero a fault is the world's state, not an event: no
            // row marks it, exactly as a lesson's what-if without `from`.
            let opts = RunOptions {
                faults: faults.to_vec(),
                changes: changes.to_vec(),
                ..lesson.record(self.base.trace.seed)
            };
            Sim::start(&lesson.topology, &lesson.scenario.stimuli, &opts)?.finish()
        } else {
            let mut fork = self.here.checkpoint();
            fork.change(faults, changes)?;
            fork.finish()
        };
        // The base run's bindings are each step's row there: no need to bind again.
        Ok(lesson.assemble(
            faults,
            changes,
            self.from,
            trace,
            Some((self.base.trace.clone(), self.base.bindings.clone())),
        ))
    }
}
