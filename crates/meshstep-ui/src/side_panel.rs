//! The side panel's sections, in order: the lesson's text, the process
//! table, status tracker, key moments, execution sample, process flow,
//! concept snapshot, what-ifs, the what-if lab, quiz, practice and transcript,
//! each shown as the Panels menu says.

use egui::{RichText, Ui};

use crate::learn::Learning;
use crate::learn_ui;
use crate::panels::{self, UiAction};
use crate::theme::Palette;
use crate::viewer::Viewer;

pub(crate) fn side_panels(
    ui: &mut Ui,
    v: &Viewer,
    learn: &mut Learning,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    let cur = v.current_step();
    let s = &v.lesson.scenario;
    ui.heading(&s.title);
    if !s.summary.is_empty() {
        ui.label(RichText::new(&s.summary).color(pal.dim_text));
    }
    let p = v.panels;
    let section = |ui: &mut Ui, id: &str, title: &str, open: bool, f: &mut dyn FnMut(&mut Ui)| {
        egui::CollapsingHeader::new(RichText::new(title).strong())
            .id_salt(id)
            .default_open(open)
            .show(ui, |ui| f(ui));
    };
    if p.table {
        section(ui, "table", "Process table", true, &mut |ui| {
            if let Some(a) = panels::table_ui(ui, &v.run.table, cur, learn.hint_focus.as_ref(), pal)
            {
                action = Some(a);
            }
        });
    }
    if p.tracker {
        let at: Vec<_> = s.tracker.checkpoints.iter().map(|c| c.at.clone()).collect();
        let active = panels::active_checkpoint(&at, cur, v.at_end());
        let now = active.is_some_and(|i| panels::checkpoint_is_now(&at[i], cur, v.at_end()));
        section(ui, "tracker", "Status tracker", true, &mut |ui| {
            panels::tracker_ui(
                ui,
                &v.run.tracker,
                active,
                now,
                learn.hint_focus.as_ref(),
                pal,
            )
        });
    }
    if p.quiz && !s.quiz.is_empty() {
        section(ui, "quiz", "Visual quiz", true, &mut |ui| {
            if let Some(a) = learn_ui::quiz_ui(ui, &v.lesson, &v.run, learn, pal) {
                action = Some(a);
            }
        });
    }
    if p.practice && !s.practice.is_empty() {
        section(ui, "practice", "Practice", true, &mut |ui| {
            learn_ui::practice_ui(ui, &v.lesson, &v.run, learn, pal)
        });
    }
    if p.key_moments && !s.key_moments.is_empty() {
        section(ui, "moments", "Key moments", true, &mut |ui| {
            if let Some(a) = panels::key_moments_ui(ui, &s.key_moments, cur, pal) {
                action = Some(a);
            }
        });
    }
    if p.sample && !s.execution_sample.lines.is_empty() {
        section(ui, "sample", "Execution sample", true, &mut |ui| {
            panels::sample_ui(ui, &s.execution_sample, cur, pal)
        });
    }
    if p.what_if && !s.what_if.is_empty() {
        section(ui, "what-if", "What if…", true, &mut |ui| {
            if let Some(a) = panels::what_if_ui(
                ui,
                &s.what_if,
                (v.faults(), v.changes()),
                &v.run.affected_steps(),
                pal,
            ) {
                action = Some(a);
            }
        });
    }
    if p.lab && !v.lab.is_empty() {
        // Open when the run is forked (say, from a link), so the fork is explained.
        let forked = !v.faults().is_empty() || !v.changes().is_empty();
        section(ui, "lab", "What-if lab", forked, &mut |ui| {
            if let Some(a) = crate::lab_ui::lab_ui(
                ui,
                &v.lab,
                &crate::lab_ui::LabState {
                    faults: v.faults(),
                    changes: v.changes(),
                    onset: v.fault_onset().as_ref(),
                    at_step: v.current_step(),
                    diff: v.diff.as_ref(),
                    diff_lines: &v.diff_lines,
                },
                pal,
            ) {
                action = Some(a);
            }
        });
    }
    if p.outline && !s.process_flow.nodes.is_empty() {
        section(ui, "outline", "Process flow", true, &mut |ui| {
            panels::outline_ui(ui, &s.process_flow, pal)
        });
    }
    if p.snapshot && !s.concept_snapshot.is_empty() {
        section(ui, "snapshot", "Concept snapshot", true, &mut |ui| {
            panels::snapshot_ui(ui, &s.concept_snapshot)
        });
    }
    if p.transcript && !s.transcript.is_empty() {
        section(ui, "transcript", "Full transcript", true, &mut |ui| {
            panels::transcript_ui(ui, &s.transcript)
        });
    }
    action
}
