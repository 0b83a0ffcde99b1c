//! The side panel: the lesson's title, a strip of tabs ([`Tab::ALL`]) and
//! the open tab's contents, each tab scrolling on its own so a learner's
//! place in one is kept while they look at another.

use egui::{RichText, Ui};

use crate::learn::Learning;
use crate::learn_ui;
use crate::panels::{self, UiAction};
use crate::tabs::Tab;
use crate::theme::Palette;
use crate::viewer::Viewer;

/// The tab strip: one selectable label per tab, dimmed where the lesson has
/// nothing for it, with its Ctrl+digit in the tooltip.
pub(crate) fn tab_strip_ui(ui: &mut Ui, v: &Viewer, open: Tab) -> Option<UiAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        for t in Tab::ALL {
            let enabled = t.has_content(&v.lesson);
            let r = ui
                .add_enabled(enabled, egui::Button::selectable(t == open, t.label()))
                .on_hover_text(format!("{} (Ctrl+{})", t.hover(), t.digit()))
                .on_disabled_hover_text("This lesson has none");
            if r.clicked() {
                action = Some(UiAction::OpenTab(t));
            }
        }
    });
    action
}

/// The lesson after this one in the picker, offered at the end.
pub(crate) type NextLesson<'a> = Option<(usize, &'a str)>;

pub(crate) fn side_panel_ui(
    ui: &mut Ui,
    v: &Viewer,
    tab: Tab,
    learn: &mut Learning,
    next: NextLesson<'_>,
    pal: &Palette,
) -> Option<UiAction> {
    let s = &v.lesson.scenario;
    ui.heading(&s.title);
    let mut action = tab_strip_ui(ui, v, tab);
    ui.separator();
    // Both ways: a wide table scrolls inside the panel instead of widening
    // it, so the flow view never shifts as the learner steps or changes tab.
    egui::ScrollArea::both()
        .id_salt(("side-scroll", tab))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(a) = tab_ui(ui, v, tab, learn, next, pal) {
                action = Some(a);
            }
        });
    action
}

fn section(ui: &mut Ui, title: &str, open: bool, f: impl FnOnce(&mut Ui)) {
    egui::CollapsingHeader::new(RichText::new(title).strong())
        .id_salt(title)
        .default_open(open)
        .show(ui, f);
}

fn tab_ui(
    ui: &mut Ui,
    v: &Viewer,
    tab: Tab,
    learn: &mut Learning,
    next: NextLesson<'_>,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    let cur = v.current_step();
    let s = &v.lesson.scenario;
    match tab {
        Tab::Overview => {
            if !s.summary.is_empty() {
                ui.label(&s.summary);
            }
            if !s.concept_snapshot.is_empty() {
                section(ui, "Concept snapshot", true, |ui| {
                    panels::snapshot_ui(ui, &s.concept_snapshot)
                });
            }
            if !s.process_flow.nodes.is_empty() {
                section(ui, "Process flow", true, |ui| {
                    panels::outline_ui(ui, &s.process_flow, pal)
                });
            }
            if !s.transcript.is_empty() {
                section(ui, "Full transcript", false, |ui| {
                    panels::transcript_ui(ui, &s.transcript)
                });
            }
            ui.add_space(6.0);
            if ui
                .button("🖨 Printable handout")
                .on_hover_text(
                    "The flow at the key steps, the tables, the quiz and practice, and the \
                     answer key on its own page, as a page to print (`meshstep export`)",
                )
                .clicked()
            {
                action = Some(UiAction::ExportHandout);
            }
        }
        Tab::Steps => {
            if cur.is_none() {
                start_card_ui(ui, v, pal);
            }
            section(ui, "Process table", true, |ui| {
                let events = cur.map(|c| v.events_of_step(c)).unwrap_or_default();
                let why = cur.and_then(|c| v.why(c));
                let clicked = panels::table_ui(
                    ui,
                    &v.run.table,
                    panels::TableView {
                        current: cur,
                        hint: learn.hint_focus.as_ref(),
                        hidden_from: v.hidden_from(),
                        events: &events,
                        why: why.as_deref(),
                    },
                    pal,
                );
                action = clicked.or(action.take());
            });
            // Right under the last row, which the table has scrolled to.
            if cur.is_some() && v.at_end() {
                action = end_card_ui(ui, v, learn, next, pal).or(action.take());
            }
            if !s.key_moments.is_empty() {
                section(ui, "Key moments", true, |ui| {
                    if let Some(a) = panels::key_moments_ui(ui, &s.key_moments, cur, pal) {
                        action = Some(a);
                    }
                });
            }
            if !s.execution_sample.lines.is_empty() {
                section(ui, "Execution sample", true, |ui| {
                    panels::sample_ui(ui, &s.execution_sample, cur, pal)
                });
            }
        }
        Tab::Tracker => {
            let at: Vec<_> = s.tracker.checkpoints.iter().map(|c| c.at.clone()).collect();
            let active = panels::active_checkpoint(&at, cur, v.at_end());
            let now = active.is_some_and(|i| panels::checkpoint_is_now(&at[i], cur, v.at_end()));
            panels::tracker_ui(
                ui,
                &v.run.tracker,
                active,
                now,
                learn.hint_focus.as_ref(),
                panels::first_hidden_checkpoint(&at, v.hidden_from()),
                pal,
            );
        }
        Tab::Sequence => action = crate::sequence_ui::sequence_ui(ui, v, pal),
        Tab::Quiz => action = learn_ui::quiz_ui(ui, &v.lesson, &v.run, learn, pal),
        Tab::Practice => {
            if learn.more.test.is_some() {
                crate::more_practice_ui::test_ui(ui, &v.lesson, learn, pal);
            } else {
                learn_ui::practice_ui(ui, &v.lesson, &v.run, learn, pal);
                action =
                    crate::more_practice_ui::more_practice_ui(ui, &v.lesson, &v.run, learn, pal);
            }
        }
        Tab::WhatIf => {
            if !s.what_if.is_empty() {
                section(ui, "What if…", true, |ui| {
                    action = panels::what_if_ui(
                        ui,
                        &s.what_if,
                        (v.faults(), v.changes()),
                        &v.run.affected_steps(),
                        pal,
                    );
                });
            }
            if !v.lab.is_empty() {
                // Open when the run is forked (say, from a link), so the fork is explained.
                let forked = !v.faults().is_empty() || !v.changes().is_empty();
                let onset = v.fault_onset();
                section(ui, "What-if lab", forked || s.what_if.is_empty(), |ui| {
                    let state = crate::lab_ui::LabState {
                        faults: v.faults(),
                        changes: v.changes(),
                        onset: onset.as_ref(),
                        at_step: v.current_step(),
                        diff: v.diff.as_ref(),
                        diff_lines: &v.diff_lines,
                    };
                    if let Some(a) = crate::lab_ui::lab_ui(ui, &v.lab, &state, pal) {
                        action = Some(a);
                    }
                });
            }
        }
    }
    action
}

fn card(ui: &mut Ui, pal: &Palette, f: impl FnOnce(&mut Ui)) {
    egui::Frame::new()
        .stroke((1.0, pal.pod_stroke))
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            f(ui);
        });
    ui.add_space(4.0);
}

/// Before the first step: how to use the step-through, and the concept
/// snapshot (the best first read) right where the learner starts.
fn start_card_ui(ui: &mut Ui, v: &Viewer, pal: &Palette) {
    card(ui, pal, |ui| {
        ui.label(RichText::new("How to use this lesson").strong());
        for line in [
            "Press → (or ▶|) to take one step; ← goes back to exactly the step before.",
            "The box that acts is outlined, and the table's row for the step is marked ▶.",
            "At some steps you are asked to predict what happens next: answer with A–D.",
            "Quiz, Practice and What if are in the tabs above; ? lists every key.",
        ] {
            ui.label(format!("• {line}"));
        }
        let snap = &v.lesson.scenario.concept_snapshot;
        if !snap.is_empty() {
            ui.add_space(4.0);
            ui.label(RichText::new("The idea in brief").strong());
            panels::snapshot_ui(ui, snap);
        }
    });
}

/// At the last step: what the lesson showed and what to do next.
fn end_card_ui(
    ui: &mut Ui,
    v: &Viewer,
    learn: &Learning,
    next: NextLesson<'_>,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    let s = &v.lesson.scenario;
    card(ui, pal, |ui| {
        ui.label(RichText::new("✔ You have reached the end of the lesson").strong());
        if let Some(last) = s.process_flow.nodes.last() {
            ui.label(format!("Where it leads: {last}"));
        }
        ui.label(format!(
            "{} steps stepped through. Score so far: {}.",
            v.step_count(),
            learn.score(&v.lesson)
        ));
        ui.label(RichText::new("What next").strong());
        ui.horizontal_wrapped(|ui| {
            for (tab, text) in [
                (Tab::Quiz, "Take the quiz"),
                (Tab::WhatIf, "Break something (what if)"),
                (Tab::Practice, "Practise"),
            ] {
                if tab.has_content(&v.lesson) && ui.button(text).clicked() {
                    action = Some(UiAction::OpenTab(tab));
                }
            }
            if let Some((i, title)) = next
                && ui.button(format!("Next lesson: {title}")).clicked()
            {
                action = Some(UiAction::SelectLesson(i));
            }
        });
    });
    action
}
