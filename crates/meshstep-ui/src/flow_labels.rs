//! The flow view's words: each box's title and current state, and each
//! packet's kind, placed in screen points over the shapes bevy draws.
//!
//! They are painted with egui, whose text stack the panels need anyway, so
//! the app (and above all the browser build) carries one text renderer, not
//! two. Placement is a pure function of the viewer, the layout and the view
//! rectangle, so it is tested without a window.

use std::sync::Arc;

use egui::{Align, Align2, Color32, FontId, Galley, Painter, Pos2, pos2};
use meshstep_sim::{ComponentId, ComponentKind};

use crate::failure_marks::{FailureMark, failure_of, paint_mark};
use crate::flow_zoom::FlowZoom;
use crate::layout::{Layout, Rect, node_label};
use crate::packets::in_flight;
use crate::theme::palette;
use crate::viewer::Viewer;

/// Maps layout coordinates to screen points the way the flow camera does:
/// the whole layout fits the view, scaled evenly and centred.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewTransform {
    /// Screen position of the layout's centre.
    pub center: Pos2,
    /// Screen points per layout pixel.
    pub scale: f32,
    half: (f32, f32),
    /// The layout point at the centre, as an offset from the layout's
    /// centre, in layout pixels.
    pan: (f32, f32),
}

impl ViewTransform {
    pub fn fit(view: egui::Rect, layout: &Layout) -> Self {
        let scale = if layout.width > 0.0 && layout.height > 0.0 {
            (view.width() / layout.width).min(view.height() / layout.height)
        } else {
            1.0
        };
        ViewTransform {
            center: view.center(),
            scale,
            half: (layout.width / 2.0, layout.height / 2.0),
            pan: (0.0, 0.0),
        }
    }

    /// The fitted view, zoomed and panned as the learner left it.
    pub fn zoomed(view: egui::Rect, layout: &Layout, zoom: &FlowZoom) -> Self {
        let fit = Self::fit(view, layout);
        ViewTransform {
            scale: fit.scale * zoom.level,
            pan: (zoom.pan.0 * fit.half.0, zoom.pan.1 * fit.half.1),
            ..fit
        }
    }

    pub fn point(&self, x: f32, y: f32) -> Pos2 {
        pos2(
            self.center.x + (x - self.half.0 - self.pan.0) * self.scale,
            self.center.y + (y - self.half.1 - self.pan.1) * self.scale,
        )
    }

    /// The layout point at a screen point, as an offset from the layout's
    /// centre in halves of its size (as [`FlowZoom::pan`] measures it).
    pub fn layout_offset(&self, p: Pos2) -> (f32, f32) {
        let (hx, hy) = (self.half.0.max(1.0), self.half.1.max(1.0));
        (
            (self.pan.0 + (p.x - self.center.x) / self.scale) / hx,
            (self.pan.1 + (p.y - self.center.y) / self.scale) / hy,
        )
    }

    /// Screen points, as a move of [`FlowZoom::pan`].
    pub fn pan_of(&self, d: egui::Vec2) -> (f32, f32) {
        let (hx, hy) = (self.half.0.max(1.0), self.half.1.max(1.0));
        (d.x / self.scale / hx, d.y / self.scale / hy)
    }

    pub fn rect(&self, r: Rect) -> egui::Rect {
        egui::Rect::from_center_size(
            self.point(r.x, r.y),
            egui::vec2(r.w * self.scale, r.h * self.scale),
        )
    }
}

/// Which kind of text a label is (tests and styling tell them apart by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelRole {
    /// A box's title: "pod checkout", "sidecar proxy".
    Title,
    /// A component's current state, lit while it acts.
    State,
    /// The kind of a packet in flight, above it.
    Packet,
    /// What went wrong where it went wrong: a drop, a refusal, a timeout, an
    /// error answer, on a plate over the box of the component it happened at.
    Failure,
}

/// Rows after the previous step's row, up to the row shown, that are failures.
fn failures_since_last_step(viewer: &Viewer) -> Vec<usize> {
    let Some(shown) = viewer.shown_row() else {
        return Vec::new();
    };
    let prev = (viewer.run.bindings.iter().flatten())
        .copied()
        .filter(|&b| b < shown)
        .max();
    let from = prev.map_or(0, |p| p + 1);
    (from..=shown)
        .filter(|&r| failure_text(&viewer.run.trace.rows[r]).is_some())
        .collect()
}

/// The words for a failure at a row, when the row is one (its shape is
/// [`failure_of`]'s mark, painted beside them).
pub fn failure_text(row: &meshstep_sim::TraceRow) -> Option<String> {
    failure_of(row).map(|(_, t)| t)
}

/// One piece of text, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLabel {
    pub role: LabelRole,
    /// The component whose box it is written in (titles and states).
    pub component: Option<ComponentId>,
    pub text: String,
    /// The point `align` is relative to, in screen points.
    pub anchor: Pos2,
    pub align: Align2,
    /// Font size in points.
    pub size: f32,
    pub color: Color32,
    /// Lines wrap at this width (points).
    pub wrap: f32,
    /// The area it must fit in, with the other labels of its box.
    pub bounds: egui::Rect,
    /// A plate painted behind it: packets fly over other words.
    pub plate: Option<Color32>,
    /// A failure's shape, painted before the words.
    pub mark: Option<FailureMark>,
}

/// Font sizes are rounded to half points: egui keeps glyphs per size, and a
/// drag-resize would otherwise fill its atlas with near-identical sizes.
fn font_size(points: f32) -> f32 {
    (points * 2.0).round() / 2.0
}

/// What a box says it is doing: its simulated state, except that the
/// component acting is never shown resting ("Idle" for kubectl as it
/// applies a manifest): it says what it does at this step instead.
pub fn state_text(viewer: &Viewer, c: ComponentId, state: meshstep_sim::State) -> String {
    match viewer.shown_row() {
        Some(r) if viewer.acting() == Some(c) && state.is_resting() => {
            meshstep_sim::templates::sentence_case(viewer.run.trace.rows[r].action.describe())
        }
        _ => state.label().to_string(),
    }
}

/// Every label of the flow view at the moment the viewer shows.
pub fn flow_labels(
    viewer: &Viewer,
    layout: &Layout,
    view: egui::Rect,
    dark: bool,
) -> Vec<FlowLabel> {
    let pal = palette(dark);
    let to = ViewTransform::zoomed(view, layout, &viewer.zoom);
    let k = layout.scale * to.scale;
    let topo = &viewer.lesson.topology;
    let snap = viewer.snapshot();
    let acting = viewer.acting();
    let mut out = Vec::new();
    // Every failure since the step before, the latest per component, so a
    // drop between two steps shows.
    let mut failures: Vec<(ComponentId, FailureMark, String)> = Vec::new();
    for r in failures_since_last_step(viewer).into_iter().rev() {
        let row = &viewer.run.trace.rows[r];
        if let Some((mark, text)) = failure_of(row)
            && !failures.iter().any(|(c, _, _)| *c == row.component)
        {
            failures.push((row.component, mark, text));
        }
    }
    let failure_at = |c: ComponentId| failures.iter().find(|(x, _, _)| *x == c);
    let mut nodes: Vec<_> = layout.boxes.keys().copied().collect();
    nodes.sort_by_key(|c| c.0);
    for c in nodes {
        let kind = topo.component(c).kind;
        let text = to.rect(layout.text.get(&c).copied().unwrap_or(layout.boxes[&c]));
        let title = node_label(topo, c);
        if matches!(kind, ComponentKind::Pod | ComponentKind::Service) {
            out.push(FlowLabel {
                role: LabelRole::Title,
                component: Some(c),
                text: title,
                anchor: text.center(),
                align: Align2::CENTER_CENTER,
                size: font_size(14.0 * k),
                color: if kind == ComponentKind::Pod {
                    pal.dim_text
                } else {
                    pal.text
                },
                wrap: text.width(),
                bounds: text,
                plate: None,
                mark: None,
            });
            // A pod's box holds its containers' boxes: its mark goes above it.
            if let Some((_, mark, words)) = failure_at(c) {
                let b = to.rect(layout.boxes[&c]);
                out.push(FlowLabel {
                    role: LabelRole::Failure,
                    component: None,
                    text: words.clone(),
                    anchor: b.center_top() - egui::vec2(0.0, 4.0),
                    align: Align2::CENTER_BOTTOM,
                    size: font_size(12.0 * k.max(0.8)),
                    color: Color32::WHITE,
                    wrap: f32::INFINITY,
                    bounds: egui::Rect::EVERYTHING,
                    plate: Some(crate::failure_marks::FAILURE_PLATE),
                    mark: Some(*mark),
                });
            }
            continue;
        }
        // Title at the top of the text area, state at the bottom.
        out.push(FlowLabel {
            role: LabelRole::Title,
            component: Some(c),
            text: title,
            anchor: text.center_top(),
            align: Align2::CENTER_TOP,
            size: font_size(14.0 * k),
            color: pal.text,
            wrap: text.width(),
            bounds: text,
            plate: None,
            mark: None,
        });
        // A failure here takes the state's place (it says what happened
        // there in words and by shape) and shrinks with the title to fit.
        if let Some((_, mark, words)) = failure_at(c) {
            out.push(FlowLabel {
                role: LabelRole::Failure,
                component: Some(c),
                text: words.clone(),
                anchor: text.center_bottom(),
                align: Align2::CENTER_BOTTOM,
                size: font_size(12.0 * k.max(0.8)),
                color: Color32::WHITE,
                // Room for the plate's margins and the mark before the words.
                wrap: text.width() - 9.0 - font_size(12.0 * k.max(0.8)),
                bounds: text,
                plate: Some(crate::failure_marks::FAILURE_PLATE),
                mark: Some(*mark),
            });
        } else if let Some(state) = snap.states.get(c.index()) {
            out.push(FlowLabel {
                role: LabelRole::State,
                component: Some(c),
                text: state_text(viewer, c, *state),
                anchor: text.center_bottom(),
                align: Align2::CENTER_BOTTOM,
                size: font_size(13.0 * k),
                color: if acting == Some(c) {
                    pal.highlight
                } else {
                    pal.text
                },
                wrap: text.width(),
                bounds: text,
                plate: None,
                mark: None,
            });
        }
    }
    for p in in_flight(&viewer.packets, viewer.shown_row(), viewer.view_us()) {
        let Some((x, y)) = layout.packet_at(p.from, p.to, p.progress, p.kind) else {
            continue;
        };
        // Just above the packet's shape, which is about 20 pixels across.
        let above = to.point(x, y) - egui::vec2(0.0, 12.0 * to.scale);
        out.push(FlowLabel {
            role: LabelRole::Packet,
            component: None,
            text: p.kind.label().to_string(),
            anchor: above,
            align: Align2::CENTER_BOTTOM,
            size: font_size(12.0 * to.scale),
            color: pal.text,
            wrap: f32::INFINITY,
            bounds: egui::Rect::EVERYTHING,
            plate: Some(pal.background.gamma_multiply(0.8)),
            mark: None,
        });
    }
    out
}

/// A label laid out: what to paint where.
pub struct Placed {
    pub label: FlowLabel,
    pub pos: Pos2,
    pub galley: Arc<Galley>,
}

impl Placed {
    /// The screen rectangle its ink covers, a failure's mark included.
    pub fn rect(&self) -> egui::Rect {
        let mut r = self.galley.rect.translate(self.pos.to_vec2());
        r.min.x -= mark_room(&self.label);
        r
    }
}

/// Width a failure's mark takes before its words.
fn mark_room(l: &FlowLabel) -> f32 {
    if l.mark.is_some() { l.size + 3.0 } else { 0.0 }
}

fn lay_out(painter: &Painter, l: &FlowLabel) -> Arc<Galley> {
    let mut job = egui::text::LayoutJob::simple(
        l.text.clone(),
        FontId::proportional(l.size),
        l.color,
        l.wrap,
    );
    // Multi-line text is centred line by line.
    job.halign = Align::Center;
    painter.layout_job(job)
}

/// The smallest font size labels shrink to; below it they may spill over.
const MIN_SIZE: f32 = 7.0;

/// Lays the labels out with egui's fonts. A box's title and state shrink
/// together until they fit its text area: a long state wraps, and in a small
/// view two lines at full size would run into each other.
pub fn place_labels(painter: &Painter, labels: Vec<FlowLabel>) -> Vec<Placed> {
    let mut labels = labels;
    let mut galleys: Vec<Arc<Galley>> = labels.iter().map(|l| lay_out(painter, l)).collect();
    let mut i = 0;
    while i < labels.len() {
        let mut end = i + 1;
        while end < labels.len()
            && labels[i].component.is_some()
            && labels[end].component == labels[i].component
        {
            end += 1;
        }
        let area = labels[i].bounds;
        for _ in 0..12 {
            let height: f32 = galleys[i..end].iter().map(|g| g.size().y).sum();
            let width = galleys[i..end]
                .iter()
                .map(|g| g.size().x)
                .fold(0.0, f32::max);
            let shrink = (area.height() / height).min(area.width() / width);
            if shrink >= 1.0 || labels[i..end].iter().all(|l| l.size <= MIN_SIZE) {
                break;
            }
            for j in i..end {
                let smaller = font_size(labels[j].size * shrink.max(0.8)).min(labels[j].size - 0.5);
                labels[j].size = smaller.max(MIN_SIZE);
                galleys[j] = lay_out(painter, &labels[j]);
            }
        }
        i = end;
    }
    let placed: Vec<Placed> = labels
        .into_iter()
        .zip(galleys)
        .map(|(label, galley)| {
            let room = mark_room(&label);
            let placed =
                (label.align).anchor_size(label.anchor, galley.size() + egui::vec2(room, 0.0));
            Placed {
                pos: placed.min + egui::vec2(room, 0.0) - galley.rect.min.to_vec2(),
                label,
                galley,
            }
        })
        .collect();
    // A packet's name gives way to the names and states of the boxes it
    // passes (the legend names its shape anyway): drawn over a box's title
    // it made both unreadable.
    let words: Vec<egui::Rect> = placed
        .iter()
        .filter(|p| matches!(p.label.role, LabelRole::Title | LabelRole::State))
        .map(Placed::rect)
        .collect();
    placed
        .into_iter()
        .filter(|p| {
            p.label.role != LabelRole::Packet
                || !words.iter().any(|w| w.expand(2.0).intersects(p.rect()))
        })
        .collect()
}

pub fn paint_flow_labels(painter: &Painter, labels: Vec<FlowLabel>) {
    for p in place_labels(painter, labels) {
        if let Some(plate) = p.label.plate {
            painter.rect_filled(p.rect().expand2(egui::vec2(3.0, 1.0)), 3.0, plate);
        }
        if let Some(mark) = p.label.mark {
            let r = p.rect();
            let c = egui::pos2(r.min.x + p.label.size / 2.0, r.center().y);
            paint_mark(painter, c, p.label.size, mark, p.label.color);
        }
        painter.galley(p.pos, p.galley, p.label.color);
    }
}
