//! The sequence chart, as OMNeT++'s: a lane per component that sends or
//! receives a message, time downwards (one row per engine event, so a hop of
//! microseconds is as visible as a wait of seconds), an arrow per message
//! from the event that sent it to the one that received it, drawn with its
//! kind's shape and colour. The current step's events are banded, messages
//! after a step still to be predicted are left out, and a click on an arrow
//! shows its step. It reads the same viewer as the flow view, so both show
//! the same moment.

use egui::{Align2, FontId, Rect, RichText, Sense, Stroke, Ui, pos2, vec2};
use meshstep_sim::ComponentId;

use crate::layout::node_label;
use crate::packets::PacketSpan;
use crate::theme::{Palette, packet_color, paint_packet};
use crate::ui_action::UiAction;
use crate::viewer::Viewer;

/// Pixels per engine event, and the width of a lane.
const ROW: f32 = 18.0;
const LANE: f32 = 92.0;
const HEAD: f32 = 40.0;

/// The messages the chart draws: those sent before the first step still to
/// be predicted (what comes after would answer it).
pub fn chart_spans(v: &Viewer) -> Vec<&PacketSpan> {
    // With a step still to predict: the last event of the steps before it
    // (`None` inside: none of them happened, so nothing is shown).
    let limit = v.hidden_from().map(|g| {
        v.run
            .table
            .rows
            .iter()
            .filter(|r| r.step < g)
            .filter_map(|r| r.trace_row)
            .max()
    });
    v.packets
        .iter()
        .filter(|p| p.from != p.to)
        .filter(|p| limit.is_none_or(|last| last.is_some_and(|l| p.end_row <= l)))
        .collect()
}

/// The lanes, in the order components first take part.
fn lanes(spans: &[&PacketSpan]) -> Vec<ComponentId> {
    let mut out: Vec<ComponentId> = Vec::new();
    let mut by_row: Vec<&&PacketSpan> = spans.iter().collect();
    by_row.sort_by_key(|p| p.start_row);
    for p in by_row {
        for c in [p.from, p.to] {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// What an arrow is called (its tooltip and its name for screen readers).
pub fn arrow_label(v: &Viewer, p: &PacketSpan) -> String {
    let topo = &v.lesson.topology;
    let step = v
        .run
        .table
        .step_at_trace_row(p.start_row)
        .map_or_else(|| "before step 1".to_string(), |s| format!("step {s}"));
    format!(
        "{}: {} → {} ({step})",
        p.kind.label(),
        node_label(topo, p.from),
        node_label(topo, p.to)
    )
}

pub fn sequence_ui(ui: &mut Ui, v: &Viewer, pal: &Palette) -> Option<UiAction> {
    let dark = ui.visuals().dark_mode;
    let spans = chart_spans(v);
    if spans.is_empty() {
        ui.label(RichText::new("No message has travelled yet.").color(pal.dim_text));
        return None;
    }
    let lanes = lanes(&spans);
    let first = spans.iter().map(|p| p.start_row).min().unwrap_or(0);
    let last = spans.iter().map(|p| p.end_row).max().unwrap_or(first);
    let rows = (last - first + 1) as f32;
    let size = vec2(lanes.len() as f32 * LANE, HEAD + rows * ROW + 8.0);
    let mut action = None;
    ui.label(
        RichText::new("Time runs down, one row per engine event; click an arrow to show its step.")
            .color(pal.dim_text),
    );
    egui::ScrollArea::horizontal()
        .id_salt("sequence-chart")
        .show(ui, |ui| {
            let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
            let p = ui.painter_at(rect);
            let x = |c: ComponentId| {
                let i = lanes.iter().position(|l| *l == c).unwrap_or(0);
                rect.left() + (i as f32 + 0.5) * LANE
            };
            let y = |row: usize| rect.top() + HEAD + ((row - first) as f32 + 0.5) * ROW;
            // The current step's events, banded.
            if let Some(cur) = v.current_step() {
                let rows_of_step = v.events_rows(cur);
                if let Some((a, b)) = rows_of_step
                    && b >= first
                {
                    let (a, b) = (a.max(first), b.min(last));
                    let band = Rect::from_min_max(
                        pos2(rect.left(), y(a) - ROW / 2.0),
                        pos2(rect.right(), y(b) + ROW / 2.0),
                    );
                    p.rect_filled(band, 2.0, pal.current_row);
                }
            }
            for (i, c) in lanes.iter().enumerate() {
                let cx = rect.left() + (i as f32 + 0.5) * LANE;
                p.line_segment(
                    [pos2(cx, rect.top() + HEAD - 4.0), pos2(cx, rect.bottom())],
                    Stroke::new(1.0, pal.link),
                );
                let name = node_label(&v.lesson.topology, *c);
                let galley = p.layout(name, FontId::proportional(12.0), pal.text, LANE - 6.0);
                p.galley(
                    Align2::CENTER_TOP
                        .anchor_size(pos2(cx, rect.top() + 2.0), galley.size())
                        .min,
                    galley,
                    pal.text,
                );
            }
            for (n, s) in spans.iter().enumerate() {
                let (a, b) = (pos2(x(s.from), y(s.start_row)), pos2(x(s.to), y(s.end_row)));
                let color = packet_color(s.kind, dark);
                // A line with a small head of fixed size (egui's arrow scales
                // its head with the length, and long hops got huge heads).
                let stroke = Stroke::new(1.5, color);
                p.line_segment([a, b], stroke);
                let dir = (b - a).normalized();
                for angle in [0.45_f32, -0.45] {
                    let back = egui::emath::Rot2::from_angle(angle) * -dir;
                    p.line_segment([b, b + back * 8.0], stroke);
                }
                paint_packet(&p, a + (b - a) * 0.5, 4.5, s.kind, color);
                // Each arrow is a control, at its marker: a click (or Enter)
                // shows the step its message arrives in.
                let hit = Rect::from_center_size(a + (b - a) * 0.5, vec2(14.0, 14.0));
                let r = ui.interact(hit, ui.id().with(("seq-arrow", n)), Sense::click());
                let label = arrow_label(v, s);
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::WidgetType::Button, true, label.clone())
                });
                if r.has_focus() {
                    p.rect_stroke(
                        hit,
                        2.0,
                        ui.visuals().selection.stroke,
                        egui::StrokeKind::Inside,
                    );
                }
                let r = r.on_hover_text(&label);
                if r.clicked()
                    && let Some(step) = v.run.table.step_at_trace_row(s.end_row)
                {
                    action = Some(UiAction::JumpToStep(step));
                }
            }
        });
    action
}
