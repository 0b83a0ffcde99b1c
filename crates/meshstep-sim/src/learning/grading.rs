//! Grading a chosen option: the right answer is the one the engine computes
//! (where it can), else the author's mark; feedback says why the right answer
//! is right and why the chosen one is wrong, and which step to show.

use crate::lesson::quiz::{engine_answer, right_options};
use crate::lesson::tracker::cell;
use crate::lesson::{Lesson, LessonRun};
use crate::scenario::schema::{AnswerOption, Ask, CheckpointAt, HintTarget, PredictAsk};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub correct: bool,
    pub chosen: usize,
    pub right: usize,
    /// Why the right answer is right.
    pub why_right: String,
    /// Why the chosen option is wrong (when it is).
    pub why_chosen_wrong: Option<String>,
    /// The step the question is about, for the step view to move to.
    pub show_step: Option<u32>,
}

/// The right option: the engine's answer when it can grade the question and
/// exactly one option says it, else the option the author marked.
pub fn right_option(
    lesson: &Lesson,
    base: &LessonRun,
    ask: &Ask,
    options: &[AnswerOption],
) -> usize {
    let engine = right_options(&engine_answer(lesson, base, ask), options);
    match engine.as_deref() {
        Some([one]) => *one,
        _ => options.iter().position(|o| o.correct).unwrap_or(0),
    }
}

/// The step a question is about: from what it asks, else from its hint.
pub fn step_of(
    lesson: &Lesson,
    base: &LessonRun,
    ask: &Ask,
    hint: Option<&HintTarget>,
) -> Option<u32> {
    let from_ask = match ask {
        Ask::StepOf { .. } | Ask::FirstStepAffectedBy { .. } => {
            match engine_answer(lesson, base, ask) {
                crate::lesson::quiz::EngineAnswer::Step(n) => Some(n),
                _ => None,
            }
        }
        Ask::StepOutcome { step } => step.number(),
        Ask::TrackerCell { checkpoint, .. } => {
            let cp = lesson
                .scenario
                .tracker
                .checkpoints
                .iter()
                .find(|c| &c.id == checkpoint)?;
            match &cp.at {
                CheckpointAt::AfterStep(n) => n.number(),
                CheckpointAt::Final => Some(lesson.scenario.steps.len() as u32),
                CheckpointAt::Start => None,
            }
        }
        Ask::FlowOutcomeWith { .. } | Ask::Concept => None,
    };
    from_ask.or(match hint {
        Some(HintTarget::Step(n)) => n.number(),
        _ => None,
    })
}

/// Grades option `chosen` of a question.
pub fn grade(
    lesson: &Lesson,
    base: &LessonRun,
    ask: &Ask,
    options: &[AnswerOption],
    explanation: &str,
    hint: Option<&HintTarget>,
    chosen: usize,
) -> Verdict {
    let right = right_option(lesson, base, ask, options);
    let correct = chosen == right;
    let right_text = options.get(right).map_or("", |o| o.text.as_str());
    let why_right = if explanation.is_empty() {
        format!("The answer is \"{right_text}\".")
    } else {
        explanation.to_string()
    };
    let why_chosen_wrong = (!correct).then(|| {
        let o = options.get(chosen);
        match o.map(|o| o.why_wrong.as_str()) {
            Some(w) if !w.is_empty() => w.to_string(),
            _ => format!(
                "\"{}\" is not what the simulation shows.",
                o.map_or("", |o| o.text.as_str())
            ),
        }
    });
    Verdict {
        correct,
        chosen,
        right,
        why_right,
        why_chosen_wrong,
        show_step: step_of(lesson, base, ask, hint),
    }
}

/// Grades quiz question `q`.
pub fn grade_quiz(lesson: &Lesson, base: &LessonRun, q: usize, chosen: usize) -> Option<Verdict> {
    let qq = lesson.scenario.quiz.get(q)?;
    Some(grade(
        lesson,
        base,
        &qq.asks,
        &qq.options,
        &qq.explanation,
        qq.hint_target.as_ref(),
        chosen,
    ))
}

/// Grades practice question `q`; its explanation is the worked solution's last line.
pub fn grade_practice(
    lesson: &Lesson,
    base: &LessonRun,
    q: usize,
    chosen: usize,
) -> Option<Verdict> {
    let p = lesson.scenario.practice.get(q)?;
    let explanation = p.solution.last().cloned().unwrap_or_default();
    Some(grade(
        lesson,
        base,
        &p.asks,
        &p.options,
        &explanation,
        None,
        chosen,
    ))
}

/// The choices offered before step `step` (1-based) and the index of the one
/// the engine says will happen.
pub fn prediction(lesson: &Lesson, base: &LessonRun, step: u32) -> Option<(Vec<String>, usize)> {
    let s = lesson.scenario.steps.get(step.checked_sub(1)? as usize)?;
    let p = s.predict.as_ref()?;
    let row_idx = base.bindings.get(step as usize - 1).copied().flatten()?;
    let (mut choices, answer) = match &p.asks {
        PredictAsk::NextComponent => {
            let mut c: Vec<String> = Vec::new();
            for r in &base.table.rows {
                if !c.contains(&r.component) {
                    c.push(r.component.clone());
                }
            }
            (c, base.table.rows[step as usize - 1].component.clone())
        }
        PredictAsk::NextState { row } => {
            let tr = lesson.scenario.tracker.rows.iter().find(|r| &r.id == row)?;
            let flow = base.trace.rows[row_idx].flow;
            let after = cell(lesson, base, tr, Some(row_idx), flow).text;
            let before = cell(lesson, base, tr, row_idx.checked_sub(1), flow).text;
            let mut c: Vec<String> = base
                .tracker
                .lines
                .iter()
                .find(|l| &l.id == row)?
                .cells
                .iter()
                .map(|c| c.text.clone())
                .collect();
            c.push(before);
            let mut uniq = Vec::new();
            for x in c {
                if !uniq.contains(&x) {
                    uniq.push(x);
                }
            }
            (uniq, after)
        }
    };
    if !choices.contains(&answer) {
        choices.push(answer.clone());
    }
    let right = choices.iter().position(|c| *c == answer)?;
    Some((choices, right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RunOptions;

    fn lesson(id: &str) -> (Lesson, LessonRun) {
        let p = format!("{}/../../scenarios/{id}.ron", env!("CARGO_MANIFEST_DIR"));
        let l = Lesson::from_path(std::path::Path::new(&p)).unwrap();
        let r = l
            .run(&RunOptions {
                seed: l.scenario.seed,
                ..Default::default()
            })
            .unwrap();
        (l, r)
    }

    #[test]
    fn right_and_wrong_answers_get_their_feedback_and_step() {
        let (l, r) = lesson("mesh-vs-library");
        // Q1: at which step does the sidecar apply policies? B (step 4).
        let right = grade_quiz(&l, &r, 0, 1).unwrap();
        assert!(right.correct && right.why_chosen_wrong.is_none());
        assert_eq!(right.show_step, Some(4));
        let wrong = grade_quiz(&l, &r, 0, 2).unwrap();
        assert!(!wrong.correct);
        assert_eq!(wrong.right, 1);
        assert!(
            wrong
                .why_chosen_wrong
                .unwrap()
                .contains("reporting metrics")
        );
        assert!(wrong.why_right.contains("step 4"));
        // Q2 is about the tracker after step 1; Q3 about step 7.
        assert_eq!(grade_quiz(&l, &r, 1, 0).unwrap().show_step, Some(1));
        assert_eq!(grade_quiz(&l, &r, 2, 0).unwrap().show_step, Some(7));
        assert!(grade_quiz(&l, &r, 9, 0).is_none());
    }

    #[test]
    fn the_engine_decides_even_against_a_wrong_mark() {
        let (mut l, r) = lesson("mesh-vs-library");
        // Mark the wrong option: grading still follows the simulation.
        for o in &mut l.scenario.quiz[0].options {
            o.correct = false;
        }
        l.scenario.quiz[0].options[0].correct = true;
        assert_eq!(grade_quiz(&l, &r, 0, 1).unwrap().right, 1);
    }

    #[test]
    fn predictions_come_from_the_engine() {
        // Each lesson's prediction steps, and what the engine says happens there.
        for (id, want) in [
            (
                "mesh-vs-library",
                &[(4, "Sidecar Proxy (checkout-mesh)"), (7, "Control Plane")][..],
            ),
            (
                "mesh-overview",
                &[(4, "Forwarded to server sidecar"), (5, "Server Pod")][..],
            ),
        ] {
            let (l, r) = lesson(id);
            let steps: Vec<u32> = l.scenario.predict_steps().collect();
            assert_eq!(
                steps,
                want.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
                "{id}"
            );
            for &(step, answer) in want {
                let (choices, right) = prediction(&l, &r, step).unwrap();
                assert_eq!(choices[right], answer, "{id} step {step}");
                assert!(choices.len() >= 2, "{id} step {step}: something to choose");
            }
            // Steps without a prediction ask nothing.
            assert!(prediction(&l, &r, 1).is_none());
        }
    }
}
