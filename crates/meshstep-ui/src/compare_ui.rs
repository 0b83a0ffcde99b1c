//! The side-by-side page: one call of the lesson made through two or three
//! approaches, laid out by phase (sent, intercepted, forwarded, served,
//! answered) so the extra hops of one stand against the empty cells of the
//! other; one cursor moves every column. Under it, the strip of figures the
//! engine computed over many calls.

use egui::{RichText, Ui};
use meshstep_sim::compare::{Figure, fmt_duration};
use meshstep_sim::trace::fmt_us;
use meshstep_sim::trace::phase::Phase;

use crate::explore::{Column, STRIP_REQUESTS, SideBySide};
use crate::theme::Palette;

/// What a change on the page asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SideAction {
    Toggle(meshstep_sim::compare::Approach),
    Cursor(usize),
}

/// Why a phase cell is empty, so an empty cell teaches too.
fn empty_cell(phase: Phase) -> &'static str {
    match phase {
        Phase::Intercepted => "nothing: no proxy outside the app takes the call",
        _ => "nothing",
    }
}

pub fn side_by_side_ui(ui: &mut Ui, s: &SideBySide, pal: &Palette) -> Option<SideAction> {
    let mut action = None;
    ui.heading("Mesh vs library, side by side");
    let call = s
        .workload
        .as_ref()
        .ok()
        .and_then(|w| w.calls.first())
        .map(|(from, to, _)| format!("{from} calls {to}"));
    if let Some(call) = call {
        ui.label(format!(
            "The lesson's first call ({call}), made once through each approach on the same cluster. Each row is a phase of the call; a cell lists what each component did in it."
        ));
    }
    if let Err(e) = &s.workload {
        ui.colored_label(pal.highlight, e);
        return None;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Compare:");
        for a in s.available() {
            let on = s.chosen.contains(&a);
            if ui
                .selectable_label(on, format!("{} {}", if on { "☑" } else { "☐" }, a.label()))
                .on_hover_text("Two or three approaches at a time")
                .clicked()
            {
                action = Some(SideAction::Toggle(a));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Phase:");
        if ui.button("◀").on_hover_text("Earlier phase").clicked() && s.cursor > 0 {
            action = Some(SideAction::Cursor(s.cursor - 1));
        }
        for (i, p) in Phase::ALL.iter().enumerate() {
            if ui
                .selectable_label(i == s.cursor, format!("{} {}", i + 1, p.label()))
                .clicked()
            {
                action = Some(SideAction::Cursor(i));
            }
        }
        if ui.button("▶").on_hover_text("Later phase").clicked() && s.cursor + 1 < Phase::ALL.len()
        {
            action = Some(SideAction::Cursor(s.cursor + 1));
        }
    });
    ui.add_space(4.0);
    phases_grid(ui, s, pal);
    ui.add_space(8.0);
    ui.separator();
    strip_ui(ui, s, pal);
    action
}

fn phases_grid(ui: &mut Ui, s: &SideBySide, pal: &Palette) {
    let col_w = ((ui.available_width() - 110.0) / s.columns.len().max(1) as f32).max(160.0);
    let rows: Vec<Vec<(usize, Phase)>> = s.columns.iter().map(Column::rows).collect();
    egui::Grid::new("side-by-side")
        .striped(true)
        .min_col_width(90.0)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Phase").strong());
            for c in &s.columns {
                ui.vertical(|ui| {
                    ui.set_width(col_w);
                    ui.label(RichText::new(c.approach.label()).strong());
                    ui.label(RichText::new(c.answer()).small().color(pal.dim_text));
                });
            }
            ui.end_row();
            for (pi, phase) in Phase::ALL.iter().enumerate() {
                let current = pi == s.cursor;
                let later = pi > s.cursor;
                let name = if current {
                    format!("▶ {}", phase.label())
                } else {
                    phase.label().to_string()
                };
                ui.label(RichText::new(name).strong().color(if current {
                    pal.highlight
                } else {
                    pal.text
                }));
                for (c, rs) in s.columns.iter().zip(&rows) {
                    ui.vertical(|ui| {
                        ui.set_width(col_w);
                        let mine: Vec<usize> = rs
                            .iter()
                            .filter(|(_, p)| p == phase)
                            .map(|(i, _)| *i)
                            .collect();
                        let color = if later { pal.future_text } else { pal.text };
                        if mine.is_empty() {
                            ui.label(
                                RichText::new(format!("— {}", empty_cell(*phase)))
                                    .italics()
                                    .color(pal.dim_text),
                            );
                        }
                        for i in mine {
                            let r = &c.trace.rows[i];
                            let who = who(c, r.component);
                            ui.label(
                                RichText::new(format!(
                                    "{} · {who}: {}",
                                    fmt_us(r.time_us),
                                    r.action.describe()
                                ))
                                .color(color),
                            );
                        }
                    });
                }
                ui.end_row();
            }
        });
}

fn strip_ui(ui: &mut Ui, s: &SideBySide, pal: &Palette) {
    ui.label(RichText::new("Figures over many calls").strong());
    let c = match &s.figures {
        Ok(c) => c,
        Err(e) => {
            ui.colored_label(pal.highlight, e);
            return;
        }
    };
    ui.label(
        RichText::new(format!(
            "{STRIP_REQUESTS} calls through each approach at one every {}; one policy change rolled out in a separate run. CPU and memory are modelled from Istio's and Linkerd's published measurements.",
            fmt_duration(c.interval_us)
        ))
        .small()
        .color(pal.dim_text),
    );
    egui::Grid::new("figures-strip")
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Figure").strong());
            for f in &c.figures {
                ui.label(RichText::new(f.approach.label()).strong());
            }
            ui.end_row();
            for fig in Figure::ALL {
                ui.label(fig.label());
                for f in &c.figures {
                    ui.label(fig.value(f, c.languages.len()));
                }
                ui.end_row();
            }
        });
}

/// A component's label with its pod, so two sidecars are told apart.
fn who(c: &Column, id: meshstep_sim::ComponentId) -> String {
    let comp = c.topology.component(id);
    match comp.pod.map(|p| &c.topology.pod(p).id) {
        Some(pod) if !comp.label.contains(pod.as_str()) => format!("{} ({pod})", comp.label),
        _ => comp.label.clone(),
    }
}
