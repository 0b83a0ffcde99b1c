//! The learning panels as plain `fn …_ui` functions: the visual quiz,
//! practice by difficulty, the "predict, then reveal" prompt, the deep-dive
//! reading page and the progress window.

use egui::{RichText, Ui};
use meshstep_sim::learning::practice::PracticeStatus;
use meshstep_sim::lesson::quiz::letter;
use meshstep_sim::lesson::{Lesson, LessonRun};
use meshstep_sim::scenario::schema::{Difficulty, Level};

use crate::learn::Learning;
use crate::panels::UiAction;
use crate::theme::Palette;

fn verdict_ui(
    ui: &mut Ui,
    v: &meshstep_sim::learning::grading::Verdict,
    options: &[meshstep_sim::scenario::schema::AnswerOption],
    pal: &Palette,
) {
    if v.correct {
        ui.label(
            RichText::new(format!("✔ Right: {}", options[v.right].text))
                .strong()
                .color(pal.right),
        );
    } else {
        ui.label(
            RichText::new(format!(
                "✖ Not quite. You chose {}: {}",
                letter(v.chosen),
                options[v.chosen].text
            ))
            .strong()
            .color(pal.highlight),
        );
        if let Some(w) = &v.why_chosen_wrong {
            ui.label(format!("Why not: {w}"));
        }
        ui.label(
            RichText::new(format!(
                "The answer is {}: {}",
                letter(v.right),
                options[v.right].text
            ))
            .strong(),
        );
    }
    ui.label(format!("Why: {}", v.why_right));
}

fn options_ui(
    ui: &mut Ui,
    options: &[meshstep_sim::scenario::schema::AnswerOption],
    selected: &mut Option<usize>,
) {
    for (i, o) in options.iter().enumerate() {
        let text = format!("{}. {}", letter(i), o.text);
        if ui.radio(*selected == Some(i), text).clicked() {
            *selected = Some(i);
        }
    }
}

/// The visual quiz, one question at a time so checking an answer never
/// moves the options under the pointer: choose (click, or A–D / 1–4), check
/// (Enter) against the engine, hint, and a strip to move between questions.
pub fn quiz_ui(
    ui: &mut Ui,
    lesson: &Lesson,
    run: &LessonRun,
    learn: &mut Learning,
    pal: &Palette,
) -> Option<UiAction> {
    let quiz = &lesson.scenario.quiz;
    let n = quiz.len();
    if n == 0 {
        ui.label("This lesson has no quiz.");
        return None;
    }
    let mut action = None;
    let record = learn
        .progress
        .lessons
        .get(&lesson.scenario.id)
        .cloned()
        .unwrap_or_default();
    learn.quiz_at = learn.quiz_at.min(n - 1);
    ui.horizontal_wrapped(|ui| {
        ui.label("Question");
        for i in 0..n {
            // A mark in words as well as colour: ✔ right, ✖ wrong, • answered before.
            let mark = match learn.quiz.get(&i).and_then(|s| s.verdict.as_ref()) {
                Some(v) if v.correct => " ✔",
                Some(_) => " ✖",
                None if record.quiz.contains_key(&i) => " •",
                None => "",
            };
            if ui
                .selectable_label(learn.quiz_at == i, format!("{}{mark}", i + 1))
                .clicked()
                && learn.quiz_at != i
            {
                learn.quiz_at = i;
                learn.hint_focus = None;
            }
        }
    });
    ui.add_space(4.0);
    let qi = learn.quiz_at;
    let q = &quiz[qi];
    ui.push_id(("quiz", qi), |ui| {
        ui.label(RichText::new(format!("Q{}. {}", qi + 1, q.question)).strong());
        let state = learn.quiz.entry(qi).or_default();
        if state.selected.is_none() {
            state.selected = record.quiz.get(&qi).and_then(|r| r.last_choice);
        }
        options_ui(ui, &q.options, &mut state.selected);
        let can_check = state.selected.is_some();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(can_check, egui::Button::new("Check answer"))
                .on_hover_text("Enter")
                .clicked()
                && let Some(step) = learn.check_quiz(lesson, run, qi)
            {
                action = Some(UiAction::JumpToStep(step));
            }
            if ui.button("Hint").clicked() {
                learn.quiz_hint(lesson, qi);
            }
            if qi + 1 < n && ui.button("Next question").clicked() {
                learn.quiz_at = qi + 1;
                learn.hint_focus = None;
            }
            if let Some(r) = record.quiz.get(&qi) {
                let first = if r.first_correct {
                    "right first time"
                } else {
                    "first answer wrong"
                };
                ui.label(
                    RichText::new(format!("({first})"))
                        .small()
                        .color(pal.dim_text),
                );
            }
        });
        if learn.quiz.get(&qi).is_some_and(|s| s.hint_shown) {
            ui.label(RichText::new(format!("💡 {}", q.hint)).color(pal.highlight));
            if let Some((tab, what)) = q.hint_target.as_ref().map(hint_place) {
                let tip = format!("Open the {} tab with {what} marked", tab.label());
                if ui
                    .button(format!("Show me {what}"))
                    .on_hover_text(tip)
                    .clicked()
                {
                    action = Some(UiAction::OpenTab(tab));
                }
            }
        }
        if let Some(v) = learn.quiz.get(&qi).and_then(|s| s.verdict.clone()) {
            verdict_ui(ui, &v, &q.options, pal);
        }
    });
    action
}

/// Which tab shows what a hint points at, and how to name it.
pub fn hint_place(t: &meshstep_sim::scenario::schema::HintTarget) -> (crate::tabs::Tab, String) {
    use crate::tabs::Tab;
    use meshstep_sim::scenario::schema::HintTarget;
    match t {
        HintTarget::Column(c) => (Tab::Steps, format!("the \"{c}\" column")),
        HintTarget::Step(n) => (Tab::Steps, n.to_string()),
        HintTarget::TrackerRow(r) => (Tab::Tracker, format!("the tracker's \"{r}\" row")),
        HintTarget::Cell { row, checkpoint } => (
            Tab::Tracker,
            format!("the tracker's \"{row}\" row at \"{checkpoint}\""),
        ),
    }
}

/// Practice, easy to hard: hint first, then the worked solution step by step.
pub fn practice_ui(
    ui: &mut Ui,
    lesson: &Lesson,
    run: &LessonRun,
    learn: &mut Learning,
    pal: &Palette,
) {
    let record = learn
        .progress
        .lessons
        .get(&lesson.scenario.id)
        .cloned()
        .unwrap_or_default();
    for level in [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard] {
        let qs: Vec<usize> = (0..lesson.scenario.practice.len())
            .filter(|&i| lesson.scenario.practice[i].difficulty == level)
            .collect();
        if qs.is_empty() {
            continue;
        }
        ui.label(
            RichText::new(format!("{level:?}"))
                .strong()
                .color(pal.dim_text),
        );
        for qi in qs {
            let q = &lesson.scenario.practice[qi];
            let status = record
                .practice
                .get(&qi)
                .map_or(PracticeStatus::NotTried, |r| r.status());
            ui.push_id(("practice", qi), |ui| {
                // The question wraps as a label; header titles never wrap and would widen the panel.
                ui.label(RichText::new(format!("{}. {}", qi + 1, q.question)).strong());
                ui.label(
                    RichText::new(format!("Status: {}", status.label()))
                        .small()
                        .color(pal.dim_text),
                );
                egui::CollapsingHeader::new(format!("Answer {}: options, hint, solution", qi + 1))
                    .id_salt(("pq", qi))
                    .show(ui, |ui| {
                        let state = learn.practice.entry(qi).or_default();
                        options_ui(ui, &q.options, &mut state.selected);
                        let (can_check, steps) = (state.selected.is_some(), state.solution_steps);
                        ui.horizontal(|ui| {
                            if ui
                                .add_enabled(can_check, egui::Button::new("Check answer"))
                                .clicked()
                            {
                                learn.check_practice(lesson, run, qi);
                            }
                            if ui.button("Hint").clicked() {
                                learn.practice_hint(lesson, qi);
                            }
                            let more = if steps == 0 {
                                "Show solution"
                            } else {
                                "Next solution step"
                            };
                            if steps < q.solution.len()
                                && ui
                                    .button(more)
                                    .on_hover_text(
                                        "Showing the solution does not count as solving it",
                                    )
                                    .clicked()
                            {
                                learn.practice_next_solution_step(lesson, qi);
                            }
                        });
                        let state = learn.practice.get(&qi).cloned().unwrap_or_default();
                        if state.hint_shown {
                            ui.label(RichText::new(format!("💡 {}", q.hint)).color(pal.highlight));
                        }
                        if let Some(v) = &state.verdict {
                            verdict_ui(ui, v, &q.options, pal);
                        }
                        for (i, s) in q.solution.iter().take(state.solution_steps).enumerate() {
                            ui.label(format!("{}. {s}", i + 1));
                        }
                        if state.solution_steps == q.solution.len() && !q.solution.is_empty() {
                            ui.label(
                                RichText::new(format!("Quick check: {}", q.quick_check)).italics(),
                            );
                            ui.label(RichText::new("Common mistakes:").strong());
                            for m in &q.mistakes {
                                ui.label(format!("• {m}"));
                            }
                        }
                    });
            });
        }
    }
}

/// The "predict, then reveal" prompt. Returns `true` when the learner asks to see the step.
pub fn predict_ui(ui: &mut Ui, lesson: &Lesson, learn: &mut Learning, pal: &Palette) -> bool {
    let Some(p) = learn.predict.clone() else {
        return false;
    };
    let mut reveal = false;
    ui.label(RichText::new(format!("Before step {}: {}", p.step, p.question)).strong());
    match p.chosen {
        None => {
            for (i, c) in p.choices.iter().enumerate() {
                if ui.button(format!("{}. {c}", letter(i))).clicked() {
                    learn.commit_prediction(lesson, i);
                }
            }
            ui.label(RichText::new("Commit to an answer to see what happens.").color(pal.dim_text));
        }
        Some(c) => {
            if c == p.right {
                ui.label(
                    RichText::new(format!("✔ Yes: {}", p.choices[p.right]))
                        .strong()
                        .color(pal.right),
                );
            } else {
                ui.label(
                    RichText::new(format!(
                        "✖ You said {}; the simulation says {}.",
                        p.choices[c], p.choices[p.right]
                    ))
                    .strong()
                    .color(pal.highlight),
                );
                if !p.mistakes.is_empty() {
                    ui.label("Common mistakes here:");
                    for m in &p.mistakes {
                        ui.label(format!("• {m}"));
                    }
                }
            }
            if ui.button("Show me the step").clicked() {
                reveal = true;
            }
        }
    }
    reveal
}

fn level_label(l: Level) -> &'static str {
    match l {
        Level::Foundation => "Foundation",
        Level::Intermediate => "Intermediate",
        Level::Advanced => "Advanced",
        Level::Expert => "Expert",
    }
}

/// The deep-dive reading page. A build-up step with a prediction hides its
/// explanation until the learner commits to an answer.
pub fn deep_dive_ui(
    ui: &mut Ui,
    lesson: &Lesson,
    learn: &mut Learning,
    pal: &Palette,
) -> Option<UiAction> {
    let Some(d) = &lesson.scenario.deep_dive else {
        ui.label("This lesson has no deep dive.");
        return None;
    };
    let mut action = None;
    let committed = learn
        .progress
        .lessons
        .get(&lesson.scenario.id)
        .map(|p| p.deep_dive.clone())
        .unwrap_or_default();
    let h = |ui: &mut Ui, t: &str| {
        ui.add_space(10.0);
        ui.heading(t);
    };
    ui.heading(RichText::new(format!("Deep dive: {}", lesson.scenario.title)).strong());
    if ui.button("Back to the step-through").clicked() {
        action = Some(UiAction::CloseDeepDive);
    }
    h(ui, "Overview");
    ui.label(RichText::new("What is it?").strong());
    ui.label(&d.overview.what);
    ui.label(RichText::new("Why it matters").strong());
    ui.label(&d.overview.why_it_matters);
    ui.label(RichText::new("Where it fits").strong());
    ui.label(&d.overview.where_it_fits);
    h(ui, "Mental model");
    ui.label(RichText::new(&d.mental_model.core_idea).strong());
    ui.label(RichText::new(format!("Think of it like this: {}", d.mental_model.analogy)).italics());
    if !d.mental_model.diagram.is_empty() {
        ui.label(RichText::new(&d.mental_model.diagram).monospace());
    }
    h(ui, "Build-up");
    for (i, b) in d.build_up.iter().enumerate() {
        ui.push_id(("build", i), |ui| {
            egui::Frame::new()
                .stroke((1.0, pal.pod_stroke))
                .inner_margin(8.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(format!("{}. {} · {}", i + 1, b.title, level_label(b.level)))
                            .strong(),
                    );
                    // The concept line sums the step up, answer included: it
                    // waits behind the prediction with the body.
                    let gated = b
                        .prediction
                        .as_ref()
                        .filter(|_| !committed.contains_key(&i));
                    if let Some(p) = gated {
                        ui.label(
                            RichText::new(format!("Before reading on: {}", p.question))
                                .color(pal.highlight),
                        );
                        ui.horizontal_wrapped(|ui| {
                            for (k, c) in p.choices.iter().enumerate() {
                                if ui.button(c).clicked() {
                                    learn.commit_deep_dive(lesson, i, k);
                                }
                            }
                        });
                        ui.label(
                            RichText::new("Commit to an answer to read on.")
                                .small()
                                .color(pal.dim_text),
                        );
                        return;
                    }
                    ui.label(RichText::new(&b.concept).italics());
                    if let (Some(p), Some(&k)) = (&b.prediction, committed.get(&i)) {
                        let verdict = if k == p.answer {
                            "✔ as you predicted"
                        } else {
                            "✖ not what you predicted"
                        };
                        ui.label(
                            RichText::new(format!(
                                "You said \"{}\" — {verdict}.",
                                p.choices.get(k).map_or("", |s| s.as_str())
                            ))
                            .small(),
                        );
                    }
                    ui.label(&b.body);
                    ui.label(RichText::new(format!("Result: {}", b.result)).strong());
                    ui.label(RichText::new(format!("Insight: {}", b.insight)).italics());
                    if let Some(step) = b.sim_step.as_ref().and_then(|s| s.number())
                        && ui
                            .button(format!("See this in the step-through (step {step})"))
                            .clicked()
                    {
                        action = Some(UiAction::OpenStepFromDeepDive(step));
                    }
                });
        });
    }
    h(ui, "Under the hood");
    ui.label(&d.under_the_hood.mechanism);
    ui.label(RichText::new(&d.under_the_hood.why_designed).italics());
    if !d.under_the_hood.diagram.is_empty() {
        ui.label(RichText::new(&d.under_the_hood.diagram).monospace());
    }
    h(ui, "Myths and reality");
    for (i, m) in d.myths.iter().enumerate() {
        ui.label(RichText::new(&m.question).strong());
        ui.label(format!("Common belief: {}", m.belief));
        if learn.myths_revealed.contains(&i) {
            ui.label(RichText::new(format!("Reality: {}", m.reality)).color(pal.highlight));
            ui.label(RichText::new(format!("Why it matters: {}", m.why_it_matters)).small());
        } else if ui.button("Reveal the reality").clicked() {
            learn.myths_revealed.insert(i);
        }
        if let Some(x) = m
            .experiment
            .as_deref()
            .and_then(meshstep_sim::scale::presets::by_id)
            && ui
                .button(format!("📈 Test it in the scale lab: {}", x.title))
                .on_hover_text(format!("Look at {}", x.look_at))
                .clicked()
        {
            action = Some(UiAction::TryExperiment(x.id));
        }
    }
    h(ui, "Expert zone");
    for n in &d.expert_notes {
        ui.label(format!("• {n}"));
    }
    h(ui, "When not to use it");
    ui.label(&d.when_not_to_use);
    h(ui, "Production patterns");
    ui.label(&d.production_patterns);
    h(ui, "Pitfalls");
    for (i, p) in d.pitfalls.iter().enumerate() {
        ui.push_id(("pitfall", i), |ui| {
            ui.label(RichText::new(&p.title).strong());
            ui.label(RichText::new("✖ Wrong").strong().color(pal.highlight));
            code_block(ui, "wrong", &p.wrong, pal);
            ui.label(RichText::new("✔ Right").strong().color(pal.right));
            code_block(ui, "right", &p.right, pal);
            ui.label(RichText::new(format!("Root cause: {}", p.root_cause)).small());
        });
    }
    h(ui, "Connections");
    for c in &d.connections {
        ui.label(RichText::new(format!("{} ({})", c.topic, c.relation)).strong());
        ui.label(&c.insight);
    }
    h(ui, "Key takeaways");
    for t in &d.takeaways {
        ui.label(format!("• {t}"));
    }
    action
}

/// Configuration as written: monospace, never wrapped or justified (YAML
/// means its indentation), scrolling sideways when a line is long.
pub fn code_block(ui: &mut Ui, id: &str, code: &str, pal: &Palette) {
    egui::Frame::new()
        .fill(pal.code_background)
        .inner_margin(6.0)
        .corner_radius(3.0)
        .show(ui, |ui| {
            egui::ScrollArea::horizontal().id_salt(id).show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(code).monospace().color(pal.text)).extend());
            });
        });
}

/// Scores and the progress file: where it is, export and import.
pub fn progress_ui(
    ui: &mut Ui,
    lessons: &[&Lesson],
    learn: &mut Learning,
    pal: &Palette,
) -> Option<String> {
    let mut export = None;
    let mut total = meshstep_sim::learning::progress::Score::default();
    egui::Grid::new("scores")
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for l in lessons {
                let s = learn.score(l);
                total = total + s;
                ui.label(&l.scenario.title);
                ui.label(s.to_string());
                ui.end_row();
            }
            ui.label(RichText::new("All lessons").strong());
            ui.label(RichText::new(total.to_string()).strong());
            ui.end_row();
        });
    ui.label(
        RichText::new(format!("Saved in {}", learn.store_location()))
            .small()
            .color(pal.dim_text),
    );
    ui.horizontal(|ui| {
        if ui.button("Export…").clicked() {
            export = Some(learn.export_text());
        }
    });
    ui.horizontal(|ui| {
        ui.label("Import from file:");
        ui.text_edit_singleline(&mut learn.import_path);
        if ui.button("Import").clicked() {
            learn.import_from_path();
        }
    });
    ui.label(
        RichText::new("You can also drop an exported .json file on the window.")
            .small()
            .color(pal.dim_text),
    );
    export
}
