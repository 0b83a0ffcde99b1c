//! The process table: one row per step (current row highlighted, later rows
//! greyed, hidden past a step still to be predicted), each a focusable
//! control that shows its step; under the current row, why it happened and
//! the engine events it folds. Authored words the run on screen no longer
//! shows are marked as such.

use egui::{Align, Color32, Layout, RichText, Ui, vec2};
use meshstep_sim::lesson::{ProcessTable, StepStatus};
use meshstep_sim::scenario::schema::{Column, HintTarget};

use crate::theme::Palette;
use crate::ui_action::UiAction;

/// Where a table row stands relative to the step shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Done,
    Current,
    Later,
}

pub fn row_state(step: u32, current: Option<u32>) -> RowState {
    match current {
        Some(c) if step == c => RowState::Current,
        Some(c) if step < c => RowState::Done,
        _ => RowState::Later,
    }
}

/// The marker drawn in the step cell; tests find the current row by it.
pub fn step_marker(step: u32, state: RowState) -> String {
    match state {
        RowState::Current => format!("▶ {step}"),
        _ => step.to_string(),
    }
}

pub(crate) fn cell(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(vec2(width, 0.0), Layout::top_down(Align::LEFT), |ui| {
        ui.set_width(width);
        add(ui);
    });
}

/// The author's words for a step, marked when the run on screen no longer
/// shows them (a what-if changed or removed the step): they describe the
/// lesson as written.
pub fn as_written(text: &str, status: StepStatus) -> String {
    match status {
        StepStatus::AsWritten => text.to_string(),
        _ => format!("As written, not this run: {text}"),
    }
}

/// Marks what a quiz hint points at.
pub const HINT_MARK: &str = " (hint)";

/// What the process table shows besides its rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableView<'a> {
    /// The step on screen (`None`: before the first).
    pub current: Option<u32>,
    /// What a quiz hint points at.
    pub hint: Option<&'a HintTarget>,
    /// Rows from this step on are hidden (a step still to be predicted).
    pub hidden_from: Option<u32>,
    /// The engine events the current step folds, to open as a list.
    pub events: &'a [String],
    /// Why the current step happened, in one line.
    pub why: Option<&'a str>,
}

/// The process table: the current row highlighted, later rows greyed; a click
/// on a row jumps there. A hint outlines its row or marks its column. Rows
/// from `hidden_from` on (a step still to be predicted) are left out, with
/// one line saying why. Under the current row: why it happened, and the
/// events it folds.
pub fn table_ui(
    ui: &mut Ui,
    table: &ProcessTable,
    view: TableView<'_>,
    pal: &Palette,
) -> Option<UiAction> {
    let TableView {
        current,
        hint,
        hidden_from,
        events: current_events,
        why,
    } = view;
    let mut action = None;
    let w = ui.available_width();
    let widths = [34.0, (w * 0.2).max(70.0), (w * 0.33).max(100.0)];
    let rest = (w - widths.iter().sum::<f32>() - 24.0).max(90.0);
    // The column a hint names (one list, in the core); the state change and
    // notes are shown under the action and the result, and marked there.
    let hinted_col = match hint {
        Some(HintTarget::Column(c)) => Column::parse(c),
        _ => None,
    };
    let mark_sub = |ui: &mut Ui, col: Column, text: &str, color: Color32| {
        if hinted_col == Some(col) {
            egui::Frame::new()
                .fill(pal.changed_cell)
                .inner_margin(2.0)
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(format!("{}: {text}{HINT_MARK}", col.name()))
                            .color(pal.text)
                            .small(),
                    );
                });
        } else {
            ui.label(RichText::new(text).color(color).small());
        }
    };
    ui.horizontal_top(|ui| {
        for (col, width) in [
            (Column::Step, widths[0]),
            (Column::Component, widths[1]),
            (Column::Action, widths[2]),
            (Column::Result, rest),
        ] {
            let text = col.name();
            let hinted = hinted_col == Some(col);
            cell(ui, width, |ui| {
                if hinted {
                    egui::Frame::new()
                        .fill(pal.changed_cell)
                        .inner_margin(2.0)
                        .show(ui, |ui| {
                            ui.label(RichText::new(format!("{text}{HINT_MARK}")).strong());
                        });
                } else {
                    ui.label(RichText::new(text).strong());
                }
            });
        }
    });
    ui.separator();
    for row in &table.rows {
        if let Some(g) = hidden_from
            && row.step >= g
        {
            ui.label(
                RichText::new(format!(
                    "Step {g} onward is hidden until you predict step {g}: step forward to be asked."
                ))
                .italics()
                .color(pal.dim_text),
            );
            break;
        }
        let state = row_state(row.step, current);
        let color = match state {
            RowState::Later => pal.future_text,
            _ => pal.text,
        };
        let fill = if state == RowState::Current {
            pal.current_row
        } else {
            Color32::TRANSPARENT
        };
        let hinted = matches!(hint, Some(HintTarget::Step(n)) if *n == row.step);
        let stroke = if hinted {
            egui::Stroke::new(2.0, pal.highlight)
        } else {
            egui::Stroke::NONE
        };
        let resp = egui::Frame::new()
            .fill(fill)
            .stroke(stroke)
            .inner_margin(3.0)
            .corner_radius(3.0)
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    cell(ui, widths[0], |ui| {
                        let mark = step_marker(row.step, state);
                        let mark = if hinted {
                            format!("{mark}{HINT_MARK}")
                        } else {
                            mark
                        };
                        ui.label(RichText::new(mark).color(color).strong());
                    });
                    cell(ui, widths[1], |ui| {
                        ui.label(RichText::new(&row.component).color(color));
                    });
                    cell(ui, widths[2], |ui| {
                        ui.label(RichText::new(&row.action_text).color(color));
                        if !row.state_change.is_empty() {
                            mark_sub(
                                ui,
                                Column::StateChange,
                                &as_written(&row.state_change, row.status),
                                pal.dim_text,
                            );
                        }
                    });
                    cell(ui, rest, |ui| {
                        match row.status {
                            StepStatus::AsWritten => {
                                ui.label(RichText::new(&row.result).color(color));
                            }
                            StepStatus::Changed => {
                                ui.label(
                                    RichText::new(format!("⚠ changed: {}", row.engine))
                                        .color(pal.highlight),
                                );
                            }
                            StepStatus::Missing => {
                                ui.label(
                                    RichText::new("✖ did not happen in this run")
                                        .color(pal.highlight),
                                );
                            }
                            StepStatus::Consequence => {
                                ui.label(RichText::new(&row.result).color(color).strikethrough())
                                    .on_hover_text("As written; no longer true in this run");
                                ui.label(
                                    RichText::new(format!(
                                        "⚠ no longer true: {}",
                                        row.consequence.as_deref().unwrap_or_default()
                                    ))
                                    .color(pal.highlight),
                                );
                            }
                        }
                        if !row.notes.is_empty() {
                            mark_sub(
                                ui,
                                Column::Notes,
                                &as_written(&row.notes, row.status),
                                pal.dim_text,
                            );
                        }
                        if state == RowState::Current && row.status == StepStatus::AsWritten {
                            ui.label(
                                RichText::new(format!("engine: {}", row.engine))
                                    .color(pal.dim_text)
                                    .small(),
                            );
                        }
                    });
                });
            });
        // Its own id: the frame's inner Ui is re-created each frame as
        // not focusable, which would take keyboard focus straight back.
        let r = ui.interact(
            resp.response.rect,
            ui.id().with(("table-row", row.step)),
            egui::Sense::click(),
        );
        // A row is a control: named for screen readers and ringed when it
        // has keyboard focus (Enter or Space shows its step).
        r.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::WidgetType::Button,
                true,
                format!("Step {}: {}: {}", row.step, row.component, row.action_text),
            )
        });
        if r.has_focus() {
            ui.painter().rect_stroke(
                r.rect,
                3.0,
                ui.visuals().selection.stroke,
                egui::StrokeKind::Inside,
            );
        }
        if r.clicked() {
            action = Some(UiAction::JumpToStep(row.step));
        }
        // Bring the current row into view when the step changes (not every
        // frame: the learner may scroll away to read).
        if let (RowState::Current, Some(why)) = (state, why) {
            ui.label(RichText::new(format!("Why: {why}")).color(pal.text));
        }
        if state == RowState::Current && current_events.len() > 1 {
            // The events this one row stands for, to open as a list.
            egui::CollapsingHeader::new(format!(
                "Step {}: its {} engine events",
                row.step,
                current_events.len()
            ))
            .id_salt(("step-events", row.step))
            .show(ui, |ui| {
                for e in current_events {
                    ui.label(RichText::new(e).small().color(pal.text));
                }
            });
        }
        if state == RowState::Current {
            let seen = ui.id().with("table-scrolled-to");
            if ui.data(|d| d.get_temp::<u32>(seen)) != Some(row.step) {
                ui.data_mut(|d| d.insert_temp(seen, row.step));
                r.scroll_to_me(Some(egui::Align::Center));
            }
        }
        r.on_hover_text(format!(
            "Step {}: {}\nClick to show this step.",
            row.step, row.engine
        ));
    }
    action
}
