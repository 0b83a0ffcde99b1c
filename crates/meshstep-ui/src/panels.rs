//! The lesson panels, each a plain function of an `egui::Ui` and the data it
//! shows, so they can be tested without a window. They return what the
//! learner asked for (a step to jump to, faults to try) instead of acting.

use egui::{Color32, RichText, Ui};
use meshstep_sim::Fault;
use meshstep_sim::lesson::TrackerTable;
use meshstep_sim::scenario::schema::{
    CheckpointAt, ExecutionSample, HintTarget, KeyMoment, ProcessFlow, StimulusAction, WhatIf,
};

use crate::table_ui::cell;
use crate::theme::Palette;
pub use crate::ui_action::UiAction;

pub use crate::table_ui::{
    HINT_MARK, RowState, TableView, as_written, row_state, step_marker, table_ui,
};

/// The first tracker column that shows a state from step `hidden_from` on
/// (so it would answer a prediction still open).
pub fn first_hidden_checkpoint(at: &[CheckpointAt], hidden_from: Option<u32>) -> Option<usize> {
    let g = hidden_from?;
    at.iter().position(|a| match a {
        CheckpointAt::Start => false,
        CheckpointAt::AfterStep(k) => k.number().is_none_or(|k| k >= g),
        CheckpointAt::Final => true,
    })
}

/// Which checkpoint is in effect at the current step.
pub fn active_checkpoint(at: &[CheckpointAt], current: Option<u32>, at_end: bool) -> Option<usize> {
    let mut best = None;
    for (i, a) in at.iter().enumerate() {
        let reached = match a {
            CheckpointAt::Start => true,
            CheckpointAt::AfterStep(k) => {
                current.is_some_and(|c| k.number().is_some_and(|k| c >= k))
            }
            CheckpointAt::Final => at_end && current.is_some(),
        };
        if reached {
            best = Some(i);
        }
    }
    best
}

/// Whether the checkpoint in effect was reached by exactly this step, so its
/// changed cells changed now.
pub fn checkpoint_is_now(at: &CheckpointAt, current: Option<u32>, at_end: bool) -> bool {
    match at {
        CheckpointAt::Start => current.is_none(),
        CheckpointAt::AfterStep(k) => current.is_some() && current == k.number(),
        CheckpointAt::Final => at_end && current.is_some(),
    }
}

/// The status tracker: the column in effect is marked, later columns greyed;
/// when that column was reached at this very step (`now`), the cells that
/// changed there are highlighted. Cells wrap so every checkpoint fits the
/// panel's width.
pub fn tracker_ui(
    ui: &mut Ui,
    tracker: &TrackerTable,
    active: Option<usize>,
    now: bool,
    hint: Option<&HintTarget>,
    hidden_from: Option<usize>,
    pal: &Palette,
) {
    if tracker.lines.is_empty() {
        ui.label(RichText::new("This lesson has no status tracker.").color(pal.dim_text));
        return;
    }
    let n = tracker.checkpoints.len().max(1) as f32;
    let first = 96.0;
    let col = ((ui.available_width() - first - 8.0 * n) / n).max(64.0);
    let widths: Vec<f32> = std::iter::once(first)
        .chain(std::iter::repeat_n(col, tracker.checkpoints.len()))
        .collect();
    let row = |ui: &mut Ui, cells: Vec<(RichText, Option<Color32>)>| {
        ui.horizontal_top(|ui| {
            for ((text, fill), w) in cells.into_iter().zip(&widths) {
                cell(ui, *w, |ui| match fill {
                    Some(f) => {
                        egui::Frame::new()
                            .fill(f)
                            .inner_margin(2.0)
                            .corner_radius(3.0)
                            .show(ui, |ui| {
                                ui.add(egui::Label::new(text).wrap());
                            });
                    }
                    None => {
                        ui.add(egui::Label::new(text).wrap());
                    }
                });
            }
        });
    };
    let mut head = vec![(RichText::new(&tracker.heading).strong(), None)];
    for (i, cp) in tracker.checkpoints.iter().enumerate() {
        let t = if Some(i) == active {
            format!("▶ {cp}")
        } else {
            cp.clone()
        };
        head.push((
            RichText::new(t).strong().color(if Some(i) == active {
                pal.highlight
            } else {
                pal.text
            }),
            None,
        ));
    }
    row(ui, head);
    ui.separator();
    for line in &tracker.lines {
        let row_hinted = matches!(hint, Some(HintTarget::TrackerRow(r)) if *r == line.id);
        let label = if row_hinted {
            format!("{}{HINT_MARK}", line.label)
        } else {
            line.label.clone()
        };
        let mut cells = vec![(
            RichText::new(label).strong(),
            row_hinted.then_some(pal.changed_cell),
        )];
        for (i, c) in line.cells.iter().enumerate() {
            let later = active.is_none_or(|a| i > a);
            let changed_now = now && Some(i) == active && c.changed;
            let cell_hinted = matches!(hint, Some(HintTarget::Cell { row, checkpoint })
                if *row == line.id && tracker.checkpoint_ids.get(i) == Some(checkpoint));
            let mut text = if hidden_from.is_some_and(|h| i >= h) {
                "? (predict first)".to_string()
            } else if changed_now {
                format!("• {}", c.text)
            } else {
                c.text.clone()
            };
            if cell_hinted {
                text.push_str(HINT_MARK);
            }
            let rt = RichText::new(text).color(if later && !cell_hinted {
                pal.future_text
            } else {
                pal.text
            });
            cells.push((rt, (changed_now || cell_hinted).then_some(pal.changed_cell)));
        }
        row(ui, cells);
        ui.add_space(2.0);
    }
}

/// Whether a key moment should be open at this step.
pub fn moment_open(m: &KeyMoment, current: Option<u32>) -> bool {
    current.is_some_and(|c| m.steps.iter().any(|s| *s == c))
}

/// Key moments: each opens by itself at the step it refers to.
pub fn key_moments_ui(
    ui: &mut Ui,
    moments: &[KeyMoment],
    current: Option<u32>,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    for (i, m) in moments.iter().enumerate() {
        let open = moment_open(m, current);
        let title = if open {
            RichText::new(&m.question).strong().color(pal.highlight)
        } else {
            RichText::new(&m.question)
        };
        egui::CollapsingHeader::new(title)
            .id_salt(("moment", i))
            .open(open.then_some(true))
            .show(ui, |ui| {
                ui.label(&m.answer);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("See step").color(pal.dim_text));
                    for s in m.steps.iter().filter_map(|s| s.number()) {
                        if ui
                            .small_button(s.to_string())
                            .on_hover_text(format!("Show step {s}"))
                            .clicked()
                        {
                            action = Some(UiAction::JumpToStep(s));
                        }
                    }
                });
            });
    }
    action
}

/// The process-flow outline: the lesson's stages top to bottom.
pub fn outline_ui(ui: &mut Ui, flow: &ProcessFlow, pal: &Palette) {
    for (i, n) in flow.nodes.iter().enumerate() {
        if i > 0 {
            ui.label(RichText::new("↓").color(pal.dim_text));
        }
        egui::Frame::new()
            .stroke((1.0, pal.pod_stroke))
            .inner_margin(4.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.label(n);
            });
    }
    if !flow.caption.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new(&flow.caption).color(pal.dim_text).italics());
    }
}

/// The line of the execution sample that goes with the current step.
pub fn current_sample_line(sample: &ExecutionSample, current: Option<u32>) -> Option<usize> {
    let c = current?;
    sample
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, l.step.as_ref()?.number()?)))
        .filter(|&(_, s)| s <= c)
        .max_by_key(|&(i, s)| (s, i))
        .map(|(i, _)| i)
}

/// The execution sample (`kubectl` lines or call chains), current line marked.
pub fn sample_ui(ui: &mut Ui, sample: &ExecutionSample, current: Option<u32>, pal: &Palette) {
    let mark = current_sample_line(sample, current);
    if !sample.language.is_empty() {
        ui.label(RichText::new(&sample.language).color(pal.dim_text).small());
    }
    egui::Frame::new()
        .fill(pal.pod_fill)
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            for (i, l) in sample.lines.iter().enumerate() {
                let here = Some(i) == mark;
                let text = format!("{} {}", if here { "▶" } else { " " }, l.text);
                let rt = RichText::new(text).monospace().color(if here {
                    pal.highlight
                } else {
                    pal.text
                });
                ui.label(rt);
            }
        });
    if !sample.caption.is_empty() {
        ui.label(RichText::new(&sample.caption).color(pal.dim_text).italics());
    }
}

pub fn snapshot_ui(ui: &mut Ui, lines: &[String]) {
    for l in lines {
        ui.label(format!("• {l}"));
    }
}

pub fn transcript_ui(ui: &mut Ui, transcript: &str) {
    ui.label(transcript);
}

/// "What if": the lesson's experiments; picking one re-runs the simulation.
pub fn what_if_ui(
    ui: &mut Ui,
    items: &[WhatIf],
    (active, changed): (&[Fault], &[StimulusAction]),
    affected: &[u32],
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    if active.is_empty() && changed.is_empty() {
        ui.label(RichText::new("No faults: the lesson as written.").color(pal.dim_text));
    } else {
        if !active.is_empty() {
            let names: Vec<String> = active.iter().map(|f| f.to_string()).collect();
            ui.label(
                RichText::new(format!("Faults on: {}", names.join(", "))).color(pal.highlight),
            );
        }
        if !changed.is_empty() {
            let what: Vec<String> = changed.iter().map(change_label).collect();
            ui.label(
                RichText::new(format!("Settings changed: {}", what.join(", ")))
                    .color(pal.highlight),
            );
        }
        ui.label(if affected.is_empty() {
            "No step changes.".to_string()
        } else {
            format!(
                "Steps that changed: {}",
                affected
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        if ui.button("Back to the lesson as written").clicked() {
            action = Some(UiAction::SetFaults {
                faults: Vec::new(),
                changes: Vec::new(),
                from: None,
            });
        }
    }
    ui.add_space(4.0);
    for w in items {
        let on = active == w.faults.as_slice() && changed == w.changes.as_slice();
        let r = ui.selectable_label(on, &w.label);
        let r = if w.explanation.is_empty() {
            r
        } else {
            r.on_hover_text(&w.explanation)
        };
        if on && !w.explanation.is_empty() {
            // What the experiment shows, beside its result rather than in a tooltip.
            ui.indent(("what-if-why", &w.label), |ui| {
                ui.label(RichText::new(&w.explanation).color(pal.text));
            });
        }
        if r.clicked() {
            action = Some(if on {
                UiAction::SetFaults {
                    faults: Vec::new(),
                    changes: Vec::new(),
                    from: None,
                }
            } else {
                UiAction::SetFaults {
                    faults: w.faults.clone(),
                    changes: w.changes.clone(),
                    from: w.from.clone(),
                }
            });
        }
    }
    action
}

/// How a what-if's setting change reads: the command an operator would run.
fn change_label(c: &StimulusAction) -> String {
    match c {
        StimulusAction::KubectlApplyConfig { manifest, .. } => {
            format!("kubectl apply -f {manifest}")
        }
        StimulusAction::KubectlDeleteConfig { manifest, .. } => {
            format!("kubectl delete -f {manifest}")
        }
        StimulusAction::RebuildApp { app, .. } => format!("rebuild and roll out {app}"),
        _ => "a change".into(),
    }
}

/// A broken lesson's problems, as `meshstep check` prints them.
pub fn diagnostics_ui(
    ui: &mut Ui,
    name: &str,
    source: &str,
    diagnostics: &[meshstep_sim::Diagnostic],
    pal: &Palette,
) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    ui.heading(format!("{name} cannot be opened"));
    ui.label(RichText::new(format!(
        "{errors} problem(s) found. Fix them in the file and open it again; each one names its line and column."
    ))
    .color(pal.highlight));
    ui.add_space(6.0);
    let text = meshstep_sim::diagnostics::render(name, source, diagnostics);
    egui::ScrollArea::both()
        .id_salt("diagnostics")
        .show(ui, |ui| {
            ui.label(RichText::new(text).monospace());
        });
}
