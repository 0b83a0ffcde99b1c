//! The viewer model: which lesson, which moment of its trace is shown, the
//! playback clock. No drawing here; the
//! bevy app and the egui panels read and drive it.

use meshstep_sim::lesson::{Lesson, LessonRun};
use meshstep_sim::scenario::schema::{Onset, StimulusAction};
use meshstep_sim::trace::Snapshot;
use meshstep_sim::{Fault, RunOptions};

use crate::packets::{PacketSpan, packet_spans};

/// A move between two moments, animated so packets travel. It is paced by
/// events, not by virtual time: each interval between two events of the
/// step gets the same share of the animation, so a hop of 50 µs inside a
/// step that spans seconds is still seen, and every hop is drawn in turn.
#[derive(Debug, Clone, PartialEq)]
struct Animation {
    /// The times the clock passes through: where it starts, then each
    /// event of the step (distinct times, in order).
    times: Vec<f64>,
    elapsed: f32,
    duration: f32,
}

impl Animation {
    /// The virtual time at `t` (0 to 1) of the animation.
    fn time_at(&self, t: f32) -> f64 {
        let segments = self.times.len().saturating_sub(1);
        if segments == 0 {
            return self.times.first().copied().unwrap_or(0.0);
        }
        let s = t.clamp(0.0, 1.0) * segments as f32;
        let i = (s.floor() as usize).min(segments - 1);
        let f = s - i as f32;
        // ease in-out on each hop so packets leave and arrive gently
        let e = f * f * (3.0 - 2.0 * f);
        self.times[i] + (self.times[i + 1] - self.times[i]) * f64::from(e)
    }
}

/// Seconds of animation per hop at speed 1, and the bounds of one step's.
const HOP_SECONDS: f32 = 0.45;
const STEP_SECONDS: f32 = 0.8;
const MAX_STEP_SECONDS: f32 = 4.0;

pub struct Viewer {
    pub lesson: Lesson,
    pub run: LessonRun,
    pub seed: u64,
    /// Trace rows the step controls stop at: each step's row, in order.
    stops: Vec<usize>,
    /// The trace row shown; `None` is the moment before the first event.
    cursor: Option<usize>,
    /// Virtual time drawn, in µs; moves smoothly during an animation.
    view_us: f64,
    anim: Option<Animation>,
    pub playing: bool,
    /// Playback speed multiplier (0.25 to 4).
    pub speed: f32,
    /// Reduced motion: steps jump to their moment instead of animating.
    /// How far the flow view is zoomed in and where it is panned to.
    pub zoom: crate::flow_zoom::FlowZoom,
    pub reduced_motion: bool,
    pub packets: Vec<PacketSpan>,
    /// Steps to stop before so the learner can predict them.
    pub gates: std::collections::BTreeSet<u32>,
    /// The gated step waiting for a prediction.
    pub awaiting: Option<u32>,
    /// Where the current faults start.
    from: Option<Onset>,
    /// The what-if lab's menu for this lesson.
    pub lab: Vec<meshstep_sim::lesson::lab::Intervention>,
    /// With faults or changes: how the run differs from the lesson as written.
    pub diff: Option<meshstep_sim::trace::diff::RunDiff>,
    /// The diff as the lab lists it, event by event.
    pub diff_lines: Vec<String>,
}

impl Viewer {
    pub fn new(lesson: Lesson) -> Result<Self, String> {
        let seed = lesson.scenario.seed;
        let run = lesson
            .run(&RunOptions {
                seed,
                ..Default::default()
            })
            .map_err(|e| meshstep_sim::topology::TopologyError::join(&e))?;
        let mut v = Viewer {
            packets: packet_spans(&lesson.topology, &run.trace),
            stops: stops(&run),
            lesson,
            run,
            seed,
            cursor: None,
            view_us: 0.0,
            anim: None,
            playing: false,
            speed: 1.0,
            reduced_motion: false,
            zoom: crate::flow_zoom::FlowZoom::default(),
            gates: Default::default(),
            awaiting: None,
            from: None,
            lab: Vec::new(),
            diff: None,
            diff_lines: Vec::new(),
        };
        v.lab = meshstep_sim::lesson::lab::catalogue(&v.lesson);
        v.view_us = v.rest_us(None);
        Ok(v)
    }

    /// Re-simulates with these faults from `from` on, staying at the same step.
    pub fn set_faults(&mut self, faults: Vec<Fault>, from: Option<Onset>) -> Result<(), String> {
        self.set_what_if(faults, Vec::new(), from)
    }

    /// Re-simulates with these faults and setting changes from `from` on.
    pub fn set_what_if(
        &mut self,
        faults: Vec<Fault>,
        changes: Vec<StimulusAction>,
        from: Option<Onset>,
    ) -> Result<(), String> {
        let step = self.current_step();
        let join = |e: Vec<meshstep_sim::topology::TopologyError>| {
            meshstep_sim::topology::TopologyError::join(&e)
        };
        let fork = self.lesson.fork(self.seed, from.clone()).map_err(join)?;
        let run = fork.run(&faults, &changes).map_err(join)?;
        self.diff = (!faults.is_empty() || !changes.is_empty())
            .then(|| meshstep_sim::trace::diff::diff(&fork.base.trace, &run.trace));
        self.diff_lines = self.diff.as_ref().map_or(Vec::new(), |d| {
            crate::lab_ui::diff_lines(&self.lesson.topology, &fork.base.trace, &run.trace, d)
        });
        self.from = from;
        self.packets = packet_spans(&self.lesson.topology, &run.trace);
        self.stops = stops(&run);
        self.run = run;
        match step {
            Some(n) => self.jump_to_step(n),
            None => self.jump_to(None),
        }
        Ok(())
    }

    pub fn faults(&self) -> &[Fault] {
        &self.run.faults
    }

    /// The settings the current run changed as a what-if.
    pub fn changes(&self) -> &[StimulusAction] {
        &self.run.changes
    }

    /// Where the faults start, as the lesson or the link said.
    pub fn fault_onset(&self) -> Option<Onset> {
        self.from.clone()
    }

    pub fn step_count(&self) -> u32 {
        self.run.table.rows.len() as u32
    }

    pub fn cursor(&self) -> Option<usize> {
        self.cursor
    }

    /// The step whose row is shown (or the last step before it); `None` at the start.
    pub fn current_step(&self) -> Option<u32> {
        self.cursor
            .and_then(|c| self.run.table.step_at_trace_row(c))
    }

    /// Virtual time drawn now, in µs.
    pub fn view_us(&self) -> f64 {
        self.view_us
    }

    pub fn animating(&self) -> bool {
        self.anim.is_some()
    }

    /// Whether the app must keep drawing frames (otherwise it can sleep until input).
    pub fn needs_frames(&self) -> bool {
        self.playing || self.anim.is_some()
    }

    fn time_of(&self, row: Option<usize>) -> f64 {
        match row {
            Some(r) => self.run.trace.rows.get(r).map_or(0.0, |x| x.time_us as f64),
            None => self
                .run
                .trace
                .rows
                .first()
                .map_or(0.0, |x| x.time_us as f64),
        }
    }

    /// Where the clock rests at a row: once what the row's event sent has
    /// arrived. A step such as "the sidecar forwards; the payments pod
    /// receives the request" then shows the request at the payments pod, as
    /// its words say, not still leaving the sidecar; the states stay those
    /// of the step's own event.
    fn rest_us(&self, row: Option<usize>) -> f64 {
        let t = self.time_of(row);
        let Some(r) = row else { return t };
        self.packets
            .iter()
            .filter(|p| p.start_row == r)
            .map(|p| p.t1)
            .fold(t, f64::max)
    }

    /// Moves to a row without animation (timeline jumps, Home, End).
    pub fn jump_to(&mut self, row: Option<usize>) {
        self.cursor = row;
        self.anim = None;
        self.view_us = self.rest_us(row);
    }

    /// Moves to a row, animating the packets in between, hop by hop.
    fn move_to(&mut self, row: Option<usize>) {
        let from = self.view_us;
        let first = self.cursor.map_or(0, |c| c + 1);
        self.cursor = row;
        let to = self.rest_us(row);
        let mut times = vec![from];
        if let Some(r) = row {
            for x in self.run.trace.rows.iter().take(r + 1).skip(first) {
                let t = x.time_us as f64;
                if t > *times.last().unwrap_or(&from) {
                    times.push(t);
                }
            }
        }
        if times.last() != Some(&to) && to > from {
            times.push(to);
        }
        if times.len() < 2 || self.reduced_motion {
            self.anim = None;
            self.view_us = to;
            return;
        }
        let hops = (times.len() - 1) as f32;
        let seconds = (HOP_SECONDS * hops).clamp(STEP_SECONDS, MAX_STEP_SECONDS);
        self.anim = Some(Animation {
            times,
            elapsed: 0.0,
            duration: seconds / self.speed.max(0.05),
        });
    }

    pub fn step_forward(&mut self) {
        let next = match self.cursor {
            None => self.stops.first().copied(),
            Some(c) => self.stops.iter().copied().find(|&s| s > c),
        };
        let Some(r) = next else {
            self.playing = false;
            return;
        };
        // A step marked for prediction waits until the learner has committed.
        if let Some(step) = self.run.table.step_at_trace_row(r)
            && self.gates.contains(&step)
        {
            self.awaiting = Some(step);
            self.playing = false;
            return;
        }
        self.move_to(Some(r));
    }

    /// Every engine event a step folds into its one row (from just after
    /// the step before's event to its own), in words: the "open the step"
    /// list, as Packet Tracer's event list.
    pub fn events_of_step(&self, step: u32) -> Vec<String> {
        let Some((start, end)) = self.events_rows(step) else {
            return Vec::new();
        };
        let topo = &self.lesson.topology;
        self.run.trace.rows[start..=end]
            .iter()
            .map(|r| {
                format!(
                    "{} · {}: {} → {}",
                    meshstep_sim::trace::fmt_us(r.time_us),
                    topo.component(r.component).label,
                    r.action.describe(),
                    r.outcome.describe(topo)
                )
            })
            .collect()
    }

    /// The trace rows a step folds: from just after the step before's event
    /// to its own (`None` when its event did not happen).
    pub fn events_rows(&self, step: u32) -> Option<(usize, usize)> {
        let rows = &self.run.table.rows;
        let end = rows.iter().find(|r| r.step == step)?.trace_row?;
        let start = rows
            .iter()
            .filter(|r| r.step < step)
            .filter_map(|r| r.trace_row)
            .filter(|&t| t < end)
            .max()
            .map_or(0, |t| t + 1);
        Some((start, end))
    }

    /// Why step `step` happened, in one line (from the engine's cause chain).
    pub fn why(&self, step: u32) -> Option<String> {
        meshstep_sim::lesson::why::why_line(&self.lesson, &self.run, step)
    }

    /// The prediction is in: show the step it was about.
    /// The first step the learner has still to predict ahead of the one
    /// shown: it and every step after it stay hidden (table rows, tracker
    /// columns), so nothing on screen answers the prediction.
    pub fn hidden_from(&self) -> Option<u32> {
        let cur = self.current_step().unwrap_or(0);
        self.gates.iter().copied().find(|&g| g > cur)
    }

    pub fn pass_gate(&mut self) {
        if let Some(step) = self.awaiting.take() {
            self.gates.remove(&step);
            self.step_forward();
        }
    }

    pub fn step_back(&mut self) {
        let Some(c) = self.cursor else { return };
        let prev = self.stops.iter().copied().rfind(|&s| s < c);
        // Back shows the earlier state exactly: no animation, straight lookup.
        self.playing = false;
        self.jump_to(prev);
    }

    pub fn home(&mut self) {
        self.playing = false;
        self.jump_to(None);
    }

    pub fn end(&mut self) {
        self.playing = false;
        let last = self.stops.last().copied();
        self.jump_to(last);
    }

    /// Restarts the lesson from the beginning, paused.
    pub fn restart(&mut self) {
        self.home();
    }

    pub fn jump_to_step(&mut self, step: u32) {
        let row = self
            .run
            .table
            .rows
            .iter()
            .filter(|r| r.step <= step)
            .filter_map(|r| r.trace_row)
            .max();
        self.jump_to(row.or(if step == 0 { None } else { self.cursor }));
    }

    pub fn toggle_play(&mut self) {
        if !self.playing && self.stops.last().is_some_and(|&l| self.cursor == Some(l)) {
            self.jump_to(None); // at the end: play again from the start
        }
        self.playing = !self.playing;
    }

    pub fn at_end(&self) -> bool {
        self.stops
            .last()
            .is_none_or(|&l| self.cursor.is_some_and(|c| c >= l))
    }

    /// Advances the animation and playback by `dt` seconds of real time.
    pub fn tick(&mut self, dt: f32) {
        if let Some(a) = &mut self.anim {
            a.elapsed += dt;
            let t = (a.elapsed / a.duration).clamp(0.0, 1.0);
            self.view_us = a.time_at(t);
            if t >= 1.0 {
                self.view_us = a.times.last().copied().unwrap_or(self.view_us);
                self.anim = None;
            }
        }
        if self.playing && self.anim.is_none() {
            if self.at_end() {
                self.playing = false;
            } else {
                self.step_forward();
            }
        }
    }

    /// The row whose state is drawn: the cursor at rest; during an animation,
    /// the last row the moving clock has reached.
    pub fn shown_row(&self) -> Option<usize> {
        let target = self.cursor?;
        if self.anim.is_none() {
            return Some(target);
        }
        let rows = &self.run.trace.rows;
        let start = self
            .stops
            .iter()
            .copied()
            .rfind(|&s| s < target)
            .map_or(0, |s| s + 1);
        let mut shown = start.checked_sub(1);
        for (i, r) in rows.iter().enumerate().take(target + 1).skip(start) {
            if (r.time_us as f64) <= self.view_us {
                shown = Some(i);
            }
        }
        shown
    }

    /// The state of every component at the shown row (rebuilt from the
    /// trace's history: a lookup per component, no copy per row).
    pub fn snapshot(&self) -> Snapshot {
        self.run.trace.snapshot_after(self.shown_row())
    }

    /// The component acting at the shown row, which lights up.
    pub fn acting(&self) -> Option<meshstep_sim::ComponentId> {
        self.shown_row().map(|r| self.run.trace.rows[r].component)
    }
}

fn stops(run: &LessonRun) -> Vec<usize> {
    let mut s: Vec<usize> = run.bindings.iter().flatten().copied().collect();
    s.sort_unstable();
    s.dedup();
    s
}
