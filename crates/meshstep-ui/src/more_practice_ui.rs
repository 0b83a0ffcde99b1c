//! The Practice tab's generated part: questions the simulation writes from
//! the lesson (as many as the learner asks for, each answered by the
//! engine, with the step or the what-if run to look at), and "test this
//! pattern", ten questions easy to hard, scored and saved.

use egui::{RichText, Ui};
use meshstep_sim::learning::generate::Generated;
use meshstep_sim::lesson::quiz::letter;
use meshstep_sim::lesson::{Lesson, LessonRun};

use crate::learn::Learning;
use crate::more_practice::BATCH;
use crate::panels::UiAction;
use crate::theme::Palette;

/// Below the lesson's own practice: start a test, or generate questions.
pub fn more_practice_ui(
    ui: &mut Ui,
    lesson: &Lesson,
    run: &LessonRun,
    learn: &mut Learning,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    let kinds = lesson.scenario.generate.kinds();
    ui.separator();
    ui.label(RichText::new("Test this pattern").strong());
    ui.label(
        RichText::new(
            "Ten questions, easy to hard, from this lesson's practice and the simulation. \
             Your first answer to each counts; the score is saved.",
        )
        .color(pal.dim_text),
    );
    let best = (learn.progress.lessons.get(&lesson.scenario.id)).and_then(|p| p.best_test());
    if let Some(b) = best {
        ui.label(format!("Best so far: {} of {}", b.score, b.out_of));
    }
    if ui.button("Start the test").clicked() {
        learn.start_test(lesson, run);
    }
    if kinds.is_empty() {
        return None;
    }
    ui.separator();
    ui.label(RichText::new("More questions from the simulation").strong());
    ui.label(
        RichText::new(format!(
            "Set {}: the same set number gives the same questions (it is in the share link).",
            learn.more.seed
        ))
        .color(pal.dim_text),
    );
    ui.horizontal_wrapped(|ui| {
        let label = if learn.more.questions.is_empty() {
            format!("Generate {BATCH} questions")
        } else {
            format!("{BATCH} more")
        };
        if ui.button(label).clicked() {
            learn.more.more(lesson, run);
        }
        if !learn.more.questions.is_empty() && ui.button("New set").clicked() {
            learn.more.new_set(lesson, run);
        }
    });
    let count = learn.more.questions.len();
    if count > 0 && !count.is_multiple_of(BATCH) {
        ui.label(
            RichText::new(format!("This lesson gives {count} questions for this set."))
                .color(pal.dim_text),
        );
    }
    for i in 0..count {
        let q = learn.more.questions[i].clone();
        ui.push_id(("generated", learn.more.seed, i), |ui| {
            ui.add_space(6.0);
            ui.label(
                RichText::new(format!("{:?} · {}", q.difficulty(), q.kind.label()))
                    .small()
                    .color(pal.dim_text),
            );
            ui.label(RichText::new(format!("G{}. {}", i + 1, q.question)).strong());
            let a = &mut learn.more.answers[i];
            for (k, o) in q.options.iter().enumerate() {
                if ui
                    .radio(a.selected == Some(k), format!("{}. {o}", letter(k)))
                    .clicked()
                {
                    a.selected = Some(k);
                }
            }
            if ui
                .add_enabled(a.selected.is_some(), egui::Button::new("Check answer"))
                .clicked()
            {
                learn.more.check(i);
            }
            let a = learn.more.answers[i];
            if let Some(chosen) = a.checked
                && let Some(x) = feedback_ui(ui, &q, chosen, pal)
            {
                action = Some(x);
            }
        });
    }
    action
}

/// "✔ Right: …" or "✖ Not quite: <who> says B. …", by mark and colour.
fn verdict_line(
    ui: &mut Ui,
    chosen: usize,
    right: usize,
    options: &[String],
    who_says: &str,
    pal: &Palette,
) {
    let (text, color) = if chosen == right {
        (format!("✔ Right: {}", options[right]), pal.right)
    } else {
        (
            format!(
                "✖ Not quite: {who_says} {}. {}",
                letter(right),
                options[right]
            ),
            pal.highlight,
        )
    };
    ui.label(RichText::new(text).strong().color(color));
}

/// Right or wrong, why, and where to look.
fn feedback_ui(ui: &mut Ui, q: &Generated, chosen: usize, pal: &Palette) -> Option<UiAction> {
    verdict_line(ui, chosen, q.right, &q.options, "the simulation says", pal);
    ui.label(format!("Why: {}", q.explanation));
    let step = q.step?;
    let what_if = !q.faults.is_empty() || !q.changes.is_empty();
    let text = if what_if {
        format!("Run it as a what-if, at step {step}")
    } else {
        format!("Show step {step}")
    };
    ui.button(text).clicked().then(|| {
        if what_if {
            UiAction::TryWhatIfAt {
                faults: q.faults.clone(),
                changes: q.changes.clone(),
                step,
            }
        } else {
            UiAction::JumpToStep(step)
        }
    })
}

/// The running test: one question at a time, then the score.
pub fn test_ui(ui: &mut Ui, lesson: &Lesson, learn: &mut Learning, pal: &Palette) {
    let Some(t) = learn.more.test.as_ref() else {
        return;
    };
    let total = t.items.len();
    let mut close = false;
    if total == 0 {
        ui.label("This lesson has no practice questions to test with.");
        if ui.button("Close the test").clicked() {
            learn.more.test = None;
        }
        return;
    }
    let item = t.items[t.at].clone();
    let options = item.options(lesson);
    let (at, right, selected, checked) = (t.at, t.rights[t.at], t.selected, t.checked());
    ui.label(
        RichText::new(format!(
            "Test this pattern — question {} of {total}",
            at + 1
        ))
        .strong(),
    );
    ui.label(
        RichText::new(format!(
            "{:?} · score so far {} of {}",
            item.difficulty(lesson),
            t.score(),
            t.answers.len()
        ))
        .small()
        .color(pal.dim_text),
    );
    ui.add_space(4.0);
    ui.label(RichText::new(item.question(lesson)).strong());
    for (k, o) in options.iter().enumerate() {
        let r = ui.add_enabled(
            !checked,
            egui::RadioButton::new(selected == Some(k), format!("{}. {o}", letter(k))),
        );
        if r.clicked()
            && let Some(t) = &mut learn.more.test
        {
            t.choose(k, options.len());
        }
    }
    if !checked {
        if ui
            .add_enabled(selected.is_some(), egui::Button::new("Check answer"))
            .clicked()
        {
            learn.check_test(lesson);
        }
    } else {
        let chosen = learn.more.test.as_ref().map_or(0, |t| t.answers[at]);
        // A lesson's own question may be the author's mark, not the engine's.
        verdict_line(ui, chosen, right, &options, "the answer is", pal);
        let why = item.explanation(lesson);
        if !why.is_empty() {
            ui.label(format!("Why: {why}"));
        }
        if at + 1 < total {
            if ui.button("Next question").clicked()
                && let Some(t) = &mut learn.more.test
            {
                t.next();
            }
        } else if let Some(t) = &learn.more.test {
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "Test finished: {} of {total}. Saved with your progress.",
                    t.score()
                ))
                .strong(),
            );
            for (i, (a, r)) in t.answers.iter().zip(&t.rights).enumerate() {
                let mark = if a == r { "✔" } else { "✖" };
                ui.label(format!("{mark} {}. {}", i + 1, t.items[i].question(lesson)));
            }
            if ui.button("Close the test").clicked() {
                close = true;
            }
        }
    }
    if close {
        learn.more.test = None;
    }
}
