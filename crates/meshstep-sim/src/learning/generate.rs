//! Generated practice: questions the engine writes from a lesson's run, as
//! many as the learner wants, each answered by the simulation itself — the
//! table for "who acts next", the tracker for states, a what-if run for
//! faults, the mesh-versus-library comparison for hops and latency. A seed
//! picks and orders them, so a link with the same seed gives the same set.
//!
//! ```
//! use meshstep_sim::engine::RunOptions;
//! use meshstep_sim::learning::generate::generate;
//! use meshstep_sim::{Lesson, bundled};
//!
//! let lesson = Lesson::from_source("w.ron", bundled::source("why-mesh-matters").unwrap()).unwrap();
//! let run = lesson.run(&RunOptions { seed: lesson.scenario.seed, ..Default::default() }).unwrap();
//! let set = generate(&lesson, &run, 7, 6);
//! assert_eq!(set.len(), 6);
//! assert_eq!(set, generate(&lesson, &run, 7, 6)); // same seed, same questions
//! ```

use crate::templates::sentence_case as capitalised;
use std::collections::HashMap;

use rand::RngExt;
use rand::seq::SliceRandom;

use crate::compare::{Approach, CompareOptions, Comparison, Workload, compare};
use crate::engine::rng::SimRng;
use crate::fault::Fault;
use crate::lesson::quiz::{claim_text, failure_claim};
use crate::lesson::tracker::cell;
use crate::lesson::{Lesson, LessonRun, lab};
use crate::scenario::schema::{Difficulty, OutcomeClaim, QuestionKind, StimulusAction, TrackerRow};
use crate::trace::CallResult;

/// Most options a generated question offers.
const MAX_OPTIONS: usize = 4;

/// One generated question with its engine-computed answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub kind: QuestionKind,
    pub question: String,
    pub options: Vec<String>,
    /// Index of the right option.
    pub right: usize,
    /// Why the right answer is right, from the run.
    pub explanation: String,
    /// The step to show with the feedback.
    pub step: Option<u32>,
    /// The what-if the question is about (faults and setting changes from
    /// the start), so "show me" can run it.
    pub faults: Vec<Fault>,
    pub changes: Vec<StimulusAction>,
    /// What was asked, in the engine's terms (for checking and links).
    pub about: About,
}

impl Generated {
    pub fn difficulty(&self) -> Difficulty {
        self.kind.difficulty()
    }
}

/// What a generated question is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// The step after `after`.
    NextComponent { after: u32 },
    /// Tracker row `row` just after step `step`.
    StateAfter { row: String, step: u32 },
    /// A lab intervention's changed steps, by its id.
    StepsChanged { intervention: String },
    /// The call of `flow` under a lab intervention.
    OutcomeUnder { intervention: String, flow: String },
    /// Hops per call, sidecar and library.
    Hops,
    /// Which adds more median latency, sidecar or library.
    AddedLatency,
}

/// Up to `count` questions of the kinds the lesson allows, chosen and
/// ordered by `seed`. Fewer when the lesson cannot make that many.
pub fn generate(lesson: &Lesson, base: &LessonRun, seed: u64, count: usize) -> Vec<Generated> {
    let kinds = lesson.scenario.generate.kinds();
    Generator::new(lesson, base, seed).take(&kinds, count)
}

/// Up to `count` questions of one difficulty (for the pattern test).
pub fn generate_of(
    lesson: &Lesson,
    base: &LessonRun,
    seed: u64,
    level: Difficulty,
    count: usize,
) -> Vec<Generated> {
    let kinds: Vec<QuestionKind> = (lesson.scenario.generate.kinds().into_iter())
        .filter(|k| k.difficulty() == level)
        .collect();
    Generator::new(lesson, base, seed).take(&kinds, count)
}

/// Hops to one decimal, without a trailing ".0".
pub fn hops_text(x: f64) -> String {
    let t = format!("{x:.1}");
    let t = t.strip_suffix(".0").map(str::to_string).unwrap_or(t);
    if t == "1" {
        "1 hop".into()
    } else {
        format!("{t} hops")
    }
}

/// "step 3", "steps 3 and 5", "steps 3, 5 and 7", runs of three or more as
/// ranges ("steps 2–9 and 12").
pub fn steps_text(steps: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let mut j = i;
        while j + 1 < steps.len() && steps[j + 1] == steps[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}–{}", steps[i], steps[j]));
        } else {
            parts.extend(steps[i..=j].iter().map(u32::to_string));
        }
        i = j + 1;
    }
    match parts.as_slice() {
        [] => "no step".into(),
        [one] if steps.len() == 1 => format!("step {one}"),
        [one] => format!("steps {one}"),
        [init @ .., last] => format!("steps {} and {last}", init.join(", ")),
    }
}

struct Generator<'l> {
    lesson: &'l Lesson,
    base: &'l LessonRun,
    rng: SimRng,
    menu: Vec<lab::Intervention>,
    runs: HashMap<String, Option<LessonRun>>,
    comparison: Option<Option<Comparison>>,
}

impl<'l> Generator<'l> {
    fn new(lesson: &'l Lesson, base: &'l LessonRun, seed: u64) -> Self {
        Generator {
            lesson,
            base,
            rng: SimRng::seed_from_u64(seed),
            menu: lab::catalogue(lesson),
            runs: HashMap::new(),
            comparison: None,
        }
    }

    /// Shuffles each kind's candidates, then takes one kind after another
    /// (in an order the seed picks) until `count` questions are made.
    fn take(&mut self, kinds: &[QuestionKind], count: usize) -> Vec<Generated> {
        let mut pools: Vec<Vec<About>> = kinds
            .iter()
            .map(|&k| {
                let mut c = self.candidates(k);
                c.shuffle(&mut self.rng);
                c
            })
            .collect();
        let mut order: Vec<usize> = (0..pools.len()).collect();
        order.shuffle(&mut self.rng);
        let mut out = Vec::new();
        while out.len() < count && pools.iter().any(|p| !p.is_empty()) {
            for &k in &order {
                if out.len() == count {
                    break;
                }
                // A candidate that cannot make a question (a fault that
                // changes nothing) gives way to the next of its kind.
                while let Some(about) = pools[k].pop() {
                    if let Some(q) = self.build(about) {
                        out.push(q);
                        break;
                    }
                }
            }
        }
        out
    }

    fn candidates(&self, kind: QuestionKind) -> Vec<About> {
        let rows = &self.base.table.rows;
        let happened = |n: u32| {
            rows.get(n as usize - 1)
                .is_some_and(|r| r.trace_row.is_some())
        };
        match kind {
            QuestionKind::NextComponent => (1..rows.len() as u32)
                .filter(|&n| happened(n) && happened(n + 1))
                .map(|after| About::NextComponent { after })
                .collect(),
            QuestionKind::StateAfter => {
                let mut out = Vec::new();
                for tr in &self.lesson.scenario.tracker.rows {
                    for n in 1..=rows.len() as u32 {
                        if happened(n) && self.state_change(tr, n).is_some() {
                            out.push(About::StateAfter {
                                row: tr.id.clone(),
                                step: n,
                            });
                        }
                    }
                }
                out
            }
            QuestionKind::StepsChanged => (self.menu.iter())
                .map(|i| About::StepsChanged {
                    intervention: i.id.clone(),
                })
                .collect(),
            QuestionKind::OutcomeUnder => {
                let trace = &self.base.trace;
                let calls: Vec<String> = (0..trace.flows.len())
                    .filter(|&f| matches!(trace.call_results[f], Some(CallResult::Http(_))))
                    .map(|f| trace.flows[f].clone())
                    .collect();
                let mut out = Vec::new();
                for i in &self.menu {
                    for flow in &calls {
                        out.push(About::OutcomeUnder {
                            intervention: i.id.clone(),
                            flow: flow.clone(),
                        });
                    }
                }
                out
            }
            QuestionKind::MeshVsLibrary => {
                if Workload::from_scenario(&self.lesson.scenario).is_ok() {
                    vec![About::Hops, About::AddedLatency]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// Tracker row `tr` just before and just after step `n`, when they differ.
    fn state_change(&self, tr: &TrackerRow, n: u32) -> Option<(String, String)> {
        let i = self.base.bindings.get(n as usize - 1).copied().flatten()?;
        let flow = self.base.trace.rows[i].flow;
        let after = cell(self.lesson, self.base, tr, Some(i), flow).text;
        let before = cell(self.lesson, self.base, tr, i.checked_sub(1), flow).text;
        (after != before).then_some((before, after))
    }

    fn build(&mut self, about: About) -> Option<Generated> {
        match about.clone() {
            About::NextComponent { after } => self.next_component(after, about),
            About::StateAfter { row, step } => self.state_after(&row, step, about),
            About::StepsChanged { intervention } => self.steps_changed(&intervention, about),
            About::OutcomeUnder { intervention, flow } => {
                self.outcome_under(&intervention, &flow, about)
            }
            About::Hops => self.hops(about),
            About::AddedLatency => self.added_latency(about),
        }
    }

    /// Puts the right answer among up to three distractors, in a seeded order.
    fn question(
        &mut self,
        kind: QuestionKind,
        question: String,
        right: String,
        distractors: Vec<String>,
        explanation: String,
        about: About,
    ) -> Option<Generated> {
        let mut others: Vec<String> = Vec::new();
        for d in distractors {
            if d != right && !others.contains(&d) {
                others.push(d);
            }
        }
        if others.is_empty() {
            return None;
        }
        // Keep the first distractor (the most tempting), pick among the rest.
        let (first, rest) = others.split_at_mut(1);
        rest.shuffle(&mut self.rng);
        let mut options: Vec<String> = first.iter().chain(rest.iter()).cloned().collect();
        options.truncate(MAX_OPTIONS - 1);
        let at = self.rng.random_range(0..=options.len());
        options.insert(at, right);
        Some(Generated {
            kind,
            question,
            options,
            right: at,
            explanation,
            step: None,
            faults: Vec::new(),
            changes: Vec::new(),
            about,
        })
    }

    fn next_component(&mut self, after: u32, about: About) -> Option<Generated> {
        let rows = &self.base.table.rows;
        let (now, next) = (rows.get(after as usize - 1)?, rows.get(after as usize)?);
        let mut names: Vec<String> = Vec::new();
        for r in rows {
            if !names.contains(&r.component) {
                names.push(r.component.clone());
            }
        }
        // The component acting now is the likeliest wrong guess when it hands on.
        let mut distractors = vec![now.component.clone()];
        distractors.extend(names);
        let q = format!(
            "Step {after}: {} — {}. Which component acts next?",
            now.component, now.action_text
        );
        let why = format!(
            "Step {}: {} — {}.",
            next.step, next.component, next.action_text
        );
        let mut g = self.question(
            QuestionKind::NextComponent,
            q,
            next.component.clone(),
            distractors,
            why,
            about,
        )?;
        g.step = Some(next.step);
        Some(g)
    }

    fn state_after(&mut self, row: &str, step: u32, about: About) -> Option<Generated> {
        let tr = (self.lesson.scenario.tracker.rows.iter()).find(|r| r.id == row)?;
        let (before, after) = self.state_change(tr, step)?;
        let mut distractors = vec![before.clone()];
        for n in 1..=self.base.table.rows.len() as u32 {
            let Some(i) = self.base.bindings.get(n as usize - 1).copied().flatten() else {
                continue;
            };
            let flow = self.base.trace.rows[i].flow;
            distractors.push(cell(self.lesson, self.base, tr, Some(i), flow).text);
        }
        let r = &self.base.table.rows[step as usize - 1];
        let q = format!(
            "Step {step}: {} — {}. What does the tracker's \"{}\" show just after it?",
            r.component, r.action_text, tr.label
        );
        let why = format!(
            "Step {step} changes \"{}\" from \"{before}\" to \"{after}\".",
            tr.label
        );
        let mut g = self.question(QuestionKind::StateAfter, q, after, distractors, why, about)?;
        g.step = Some(step);
        Some(g)
    }

    /// The run with intervention `id` from the start (computed once).
    fn run_with(&mut self, id: &str) -> Option<(&LessonRun, &lab::Intervention)> {
        let i = self.menu.iter().find(|i| i.id == id)?;
        if !self.runs.contains_key(id) {
            let seed = self.base.trace.seed;
            let run = (self.lesson)
                .run_changed(seed, &i.faults, &i.changes, None)
                .ok();
            self.runs.insert(id.to_string(), run);
        }
        Some((self.runs.get(id)?.as_ref()?, i))
    }

    fn steps_changed(&mut self, id: &str, about: About) -> Option<Generated> {
        let total = self.base.table.rows.len() as u32;
        let lesson = self.lesson;
        let (run, i) = self.run_with(id)?;
        let changed = run.affected_steps();
        let (&first, &last) = (changed.first()?, changed.last()?);
        let label = i.label.clone();
        let (faults, changes) = (i.faults.clone(), i.changes.clone());
        let row = &run.table.rows[first as usize - 1];
        // In plain words where the cause chain gives them, else what the step became.
        let first_why = (row.why.clone())
            .or_else(|| row.consequence.clone())
            .or_else(|| crate::lesson::why::why_line(lesson, run, first))
            .or_else(|| row.outcome.as_ref().map(|o| o.describe(&lesson.topology)))
            .unwrap_or_else(|| "it no longer happens".into());
        let mut distractors: Vec<Vec<u32>> = vec![
            vec![first],
            (first..=total).collect(),
            changed[..changed.len() - 1].to_vec(),
            changed.iter().copied().chain([last + 1]).collect(),
            (first.saturating_sub(1).max(1)..=last).collect(),
        ];
        distractors.retain(|d| !d.is_empty() && d.iter().all(|&s| s <= total));
        let q = format!(
            "Suppose this from the start: {label}. Which steps no longer happen as the table shows them?"
        );
        let why = format!(
            "With \"{label}\" the run differs at {}. The first, step {first}: {first_why}",
            steps_text(&changed)
        );
        let right = capitalised(&steps_text(&changed));
        let d = distractors
            .iter()
            .map(|d| capitalised(&steps_text(d)))
            .collect();
        let mut g = self.question(QuestionKind::StepsChanged, q, right, d, why, about)?;
        g.step = Some(first);
        (g.faults, g.changes) = (faults, changes);
        Some(g)
    }

    fn outcome_under(&mut self, id: &str, flow: &str, about: About) -> Option<Generated> {
        let base_claim = {
            let f = self.base.trace.flow(flow)?;
            match self.base.trace.call_results[f.0 as usize]? {
                CallResult::Http(s) => OutcomeClaim::Http(s),
                _ => return None,
            }
        };
        let (run, i) = self.run_with(id)?;
        let f = run.trace.flow(flow)?;
        let claim = match run.trace.call_results[f.0 as usize]? {
            CallResult::Pending => return None,
            CallResult::Http(s) => OutcomeClaim::Http(s),
            CallResult::Failed(x) => failure_claim(x),
        };
        let (label, faults, changes) = (i.label.clone(), i.faults.clone(), i.changes.clone());
        // The step that starts the call, to name it as the learner saw it.
        let start = (self.base.table.rows.iter())
            .find(|r| r.trace_row.is_some() && self.base.step_flow(r.step) == Some(f))?;
        let q = format!(
            "Suppose this from the start: {label}. The call that begins at step {} ({} — {}): what does it end with?",
            start.step, start.component, start.action_text
        );
        let said = |c: OutcomeClaim| capitalised(&claim_text(c));
        let why = if claim == base_claim {
            format!(
                "It still ends with {}: \"{label}\" does not change this call's answer.",
                claim_text(claim)
            )
        } else {
            format!(
                "It ends with {} instead of {}.",
                claim_text(claim),
                claim_text(base_claim)
            )
        };
        let mut distractors = vec![said(base_claim)];
        distractors.extend(
            [
                OutcomeClaim::Http(200),
                OutcomeClaim::Http(503),
                OutcomeClaim::Http(504),
                OutcomeClaim::Http(403),
                OutcomeClaim::Timeout,
                OutcomeClaim::ConnectionRefused,
            ]
            .map(said),
        );
        let mut g = self.question(
            QuestionKind::OutcomeUnder,
            q,
            said(claim),
            distractors,
            why,
            about,
        )?;
        g.step = Some(start.step);
        (g.faults, g.changes) = (faults, changes);
        Some(g)
    }

    /// The lesson's calls made through a library and through sidecars.
    fn comparison(&mut self) -> Option<&Comparison> {
        if self.comparison.is_none() {
            let opts = CompareOptions {
                requests: 4,
                seed: self.base.trace.seed,
                rollout: false,
                ..CompareOptions::default()
            };
            let c = Workload::from_scenario(&self.lesson.scenario)
                .ok()
                .and_then(|w| compare(&w, &[Approach::Library, Approach::Sidecar], &opts).ok());
            self.comparison = Some(c);
        }
        self.comparison.as_ref()?.as_ref()
    }

    fn hops(&mut self, about: About) -> Option<Generated> {
        let c = self.comparison()?;
        let (s, l) = (
            c.figures(Approach::Sidecar)?.hops_per_call,
            c.figures(Approach::Library)?.hops_per_call,
        );
        let n = hops_text;
        let pair = |s: f64, l: f64| format!("Sidecar: {}; library: {}", n(s), n(l));
        let q = "Make this lesson's calls once with a sidecar proxy in every pod and once with a proxy library compiled into every app. On average, how many hops (messages between processes) does a call take in each?".to_string();
        let why = format!(
            "Measured over the same calls: {} with sidecars, {} with libraries. A sidecar call is captured by the caller's proxy and handed on by the callee's, two more messages each way.",
            n(s),
            n(l)
        );
        let distractors = vec![pair(l, s), pair(s, s), pair(l, l), pair(s + 2.0, l)];
        self.question(
            QuestionKind::MeshVsLibrary,
            q,
            pair(s, l),
            distractors,
            why,
            about,
        )
    }

    fn added_latency(&mut self, about: About) -> Option<Generated> {
        let c = self.comparison()?;
        let s = c.figures(Approach::Sidecar)?.added_p50_us?;
        let l = c.figures(Approach::Library)?.added_p50_us?;
        let (side, lib, same) = (
            "The sidecars add more".to_string(),
            "The library adds more".to_string(),
            "They add the same".to_string(),
        );
        let right = match s.cmp(&l) {
            std::cmp::Ordering::Greater => side.clone(),
            std::cmp::Ordering::Less => lib.clone(),
            std::cmp::Ordering::Equal => same.clone(),
        };
        let us = |x: i64| crate::trace::fmt_us(x.max(0) as u64);
        let q = "Compared with the same calls made with no proxy at all, which adds more to the median (p50) latency: a sidecar in every pod, or a library in every app?".to_string();
        let why = format!(
            "Median added latency, measured: sidecars {}, library {}.",
            us(s),
            us(l)
        );
        self.question(
            QuestionKind::MeshVsLibrary,
            q,
            right,
            vec![lib, side, same],
            why,
            about,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_lists_read_as_a_person_writes_them() {
        assert_eq!(steps_text(&[3]), "step 3");
        assert_eq!(steps_text(&[3, 5]), "steps 3 and 5");
        assert_eq!(steps_text(&[3, 4]), "steps 3 and 4");
        assert_eq!(steps_text(&[2, 3, 4, 5, 9]), "steps 2–5 and 9");
        assert_eq!(steps_text(&[5, 6, 8, 9, 10]), "steps 5, 6 and 8–10");
        assert_eq!(steps_text(&[]), "no step");
        assert_eq!(hops_text(1.0), "1 hop");
        assert_eq!(hops_text(3.25), "3.2 hops");
    }
}
