//! The engine cross-check: every place where a lesson's wording makes a claim
//! about the simulation (a step's event happens, a tracker cell, a quiz's
//! right answer, a what-if's affected steps) is compared with a real run.

use crate::diagnostics::Diagnostic;
use crate::engine::RunOptions;
use crate::lesson::quiz::{EngineAnswer, engine_answer, option_step, right_options};
use crate::lesson::{Lesson, LessonRun, StepStatus};
use crate::scenario::schema::{
    AnswerOption, Ask, Means, OutcomeClaim, StepRef, StimulusAction, letter, marked_correct,
};
use crate::scenario::validate::Sink;

impl Lesson {
    /// Compares what the lesson says with what its simulation does.
    pub fn cross_check(&self) -> Vec<Diagnostic> {
        let mut sink = Sink::new(&self.spans);
        let base = match self.run(&RunOptions {
            seed: self.scenario.seed,
            ..Default::default()
        }) {
            Ok(r) => r,
            Err(errs) => {
                for e in errs {
                    sink.error(&e.path, e.message, "here", e.hint);
                }
                return sink.out;
            }
        };
        if let Some(t) = base.trace.truncated {
            sink.error(
                "stimuli",
                format!(
                    "the simulation stopped at its limit of {} events with {} call(s) unfinished",
                    t.max_events, t.calls_pending
                ),
                "too much to simulate",
                ["use fewer stimuli: a lesson needs a handful of calls, not millions".into()],
            );
            return sink.out;
        }
        if !steps_happen(self, &base, &mut sink) {
            // Checkpoints and step answers depend on every step; more errors would only echo this one.
            return sink.out;
        }
        tracker_cells(self, &base, &mut sink);
        for (i, q) in self.scenario.quiz.iter().enumerate() {
            grade(
                self,
                &base,
                &mut sink,
                &format!("quiz[{i}]"),
                &q.asks,
                &q.options,
            );
        }
        for (i, q) in self.scenario.practice.iter().enumerate() {
            grade(
                self,
                &base,
                &mut sink,
                &format!("practice[{i}]"),
                &q.asks,
                &q.options,
            );
        }
        what_ifs(self, &mut sink);
        sink.out
    }
}

/// Every step's event must happen, in order. Returns whether all did.
fn steps_happen(lesson: &Lesson, base: &LessonRun, sink: &mut Sink<'_>) -> bool {
    let s = &lesson.scenario;
    let topo = &lesson.topology;
    let mut prev: Option<(usize, usize)> = None; // (step index, trace row) of the last bound step
    for (i, (st, b)) in s.steps.iter().zip(&base.bindings).enumerate() {
        if let Some(r) = b {
            prev = Some((i, *r));
            continue;
        }
        let comp = topo.find(&st.on.component);
        let after = prev.map_or(0, |(_, r)| r + 1).min(base.trace.rows.len());
        let since = prev.map_or_else(
            || "at all".to_string(),
            |(k, _)| format!("after step {}", k + 1),
        );
        let mut did: Vec<String> = Vec::new();
        for r in base.trace.rows[after..]
            .iter()
            .filter(|r| Some(r.component) == comp)
        {
            let a = format!("{:?}", r.action);
            if !did.contains(&a) {
                did.push(a);
            }
        }
        let earlier = base.trace.rows[..after]
            .iter()
            .any(|r| Some(r.component) == comp && r.action == st.on.action);
        let mut hints = Vec::new();
        if earlier {
            hints.push(
                "it happens earlier in the run: move this step before the one it now follows"
                    .to_string(),
            );
        }
        hints.push(if did.is_empty() {
            format!("`{}` does nothing {since}", st.on.component)
        } else {
            format!("{since}, `{}` does: {}", st.on.component, did.join(", "))
        });
        hints.push("`meshstep run FILE` lists every event; tracker and quiz checks wait until every step happens".into());
        sink.error(
            &format!("steps[{i}].on"),
            format!(
                "step {}: the simulation never shows `{}` doing {:?} {since}",
                i + 1,
                st.on.component,
                st.on.action
            ),
            "no such event in the trace",
            hints,
        );
    }
    base.bindings.iter().all(Option::is_some)
}

fn tracker_cells(lesson: &Lesson, base: &LessonRun, sink: &mut Sink<'_>) {
    let s = &lesson.scenario;
    for (i, r) in s.tracker.rows.iter().enumerate() {
        if r.expect.len() != s.tracker.checkpoints.len() {
            continue;
        }
        let Some(line) = base.tracker.lines.iter().find(|l| l.id == r.id) else {
            continue;
        };
        for (j, (want, got)) in r.expect.iter().zip(&line.cells).enumerate() {
            if want.trim() != got.text.trim() {
                let cp = &s.tracker.checkpoints[j];
                sink.error(
                    &format!("tracker.rows[{i}].expect[{j}]"),
                    format!(
                        "tracker row `{}` at `{}`: the text says \"{want}\", the simulation shows \"{}\"",
                        r.id, cp.id, got.text
                    ),
                    "disagrees with the engine",
                    [format!(
                        "the engine state there is `{}`; fix the expectation, or add `\"{}\": \"{want}\"` to the row's `wording` if only the words differ",
                        got.key, got.key
                    )],
                );
            }
        }
    }
}

fn grade(
    lesson: &Lesson,
    base: &LessonRun,
    sink: &mut Sink<'_>,
    p: &str,
    ask: &Ask,
    options: &[AnswerOption],
) {
    let answer = engine_answer(lesson, base, ask);
    if let EngineAnswer::Unanswerable(why) = &answer {
        sink.error(
            &format!("{p}.asks"),
            format!("the engine cannot answer this question: {why}"),
            "unanswerable",
            ["point `asks` at something the simulation does, or use `Concept`".into()],
        );
        return;
    }
    let Some(right) = right_options(&answer, options) else {
        return;
    };
    let marked = marked_correct(options);
    if marked.len() != 1 {
        return; // already reported
    }
    if matches!(ask, Ask::StepOf { .. } | Ask::FirstStepAffectedBy { .. }) {
        for (i, o) in options.iter().enumerate() {
            if option_step(o).is_none() {
                sink.error(
                    &format!("{p}.options[{i}]"),
                    format!("option {} does not say which step it means", letter(i)),
                    "no step",
                    ["start its text with \"Step N\" or add `means: Some(Step(N))`".into()],
                );
            }
        }
    }
    // A proxy's 504 used to be graded as a timeout; say so where it matters.
    let timeout_for_504 = answer == EngineAnswer::Outcome(OutcomeClaim::Http(504))
        && options[marked[0]].means == Some(Means::Outcome(OutcomeClaim::Timeout));
    let hint_504 = timeout_for_504.then(|| {
        "a proxy that gives up answers HTTP 504 (`means: Some(Outcome(Http(504)))`); `Timeout` is for a caller with no proxy whose own timer fires. `meshstep migrate FILE` rewrites it".to_string()
    });
    match right.as_slice() {
        [r] if *r == marked[0] => {}
        [] => sink.error(
            &format!("{p}.options"),
            format!("the engine's answer is {answer}, and no option says that"),
            "no option matches the engine",
            hint_504
                .into_iter()
                .chain(["add an option with that answer and mark it correct".into()]),
        ),
        [r] => sink.error(
            &format!("{p}.options[{}].correct", marked[0]),
            format!(
                "option {} is marked correct, but the engine's answer is {answer}: option {} (\"{}\")",
                letter(marked[0]),
                letter(*r),
                options[*r].text
            ),
            "disagrees with the engine",
            hint_504.into_iter().chain([format!(
                "mark option {} `correct: true` instead, or change the question",
                letter(*r)
            )]),
        ),
        many => {
            let ls: Vec<String> = many.iter().map(|&i| letter(i).to_string()).collect();
            sink.error(
                &format!("{p}.options"),
                format!(
                    "options {} all match the engine's answer ({answer})",
                    ls.join(" and ")
                ),
                "ambiguous",
                ["reword the options so only one is right".into()],
            );
        }
    }
}

fn what_ifs(lesson: &Lesson, sink: &mut Sink<'_>) {
    let s = &lesson.scenario;
    for (i, w) in s.what_if.iter().enumerate() {
        let Some(expect) = &w.expect_affected else {
            continue;
        };
        let Ok(run) = lesson.run_lesson_what_if(s.seed, i) else {
            continue;
        };
        let got = run.affected_steps();
        let expect: Vec<u32> = expect.iter().filter_map(StepRef::number).collect();
        if got != expect {
            let missing: Vec<u32> = run
                .table
                .rows
                .iter()
                .filter(|r| r.status == StepStatus::Missing)
                .map(|r| r.step)
                .collect();
            let faults = w.faults.iter().map(|f| f.to_string()).collect::<Vec<_>>();
            let changes = w.changes.iter().map(|c| match c {
                StimulusAction::KubectlApplyConfig { manifest, .. } => {
                    format!("kubectl apply -f {manifest}")
                }
                StimulusAction::KubectlDeleteConfig { manifest, .. } => {
                    format!("kubectl delete -f {manifest}")
                }
                StimulusAction::RebuildApp { app, .. } => format!("a rebuild of {app}"),
                _ => "a change".to_string(),
            });
            let what: Vec<String> = faults.iter().cloned().chain(changes).collect();
            sink.error(
                &format!("what_if[{i}].expect_affected"),
                format!(
                    "with {}, the text expects steps {expect:?} to change; the simulation changes {got:?}",
                    what.join(" + ")
                ),
                "disagrees with the engine",
                [if w.changes.is_empty() {
                    format!(
                        "steps that no longer happen: {missing:?}; run `meshstep table FILE {}` to see the changed table",
                        faults
                            .iter()
                            .map(|f| format!("--fault {f}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                } else {
                    format!(
                        "steps that no longer happen: {missing:?}; open the lesson and pick this what-if to see the changed table"
                    )
                }],
            );
        }
    }
}
