//! Marks painted over the flow view's boxes (by egui, above bevy's shapes):
//! a component that is not there — a sidecar never injected, an app whose
//! library is missing, a control plane that is down — is washed out, drawn
//! dashed and crossed, so it does not look like a working box. The state
//! label in the box says which in words.

use egui::{Painter, Stroke};
use meshstep_sim::ComponentId;

use crate::flow_labels::ViewTransform;
use crate::layout::Layout;
use crate::theme::palette;
use crate::viewer::Viewer;

/// The boxes of components absent at the moment shown, in screen space.
pub fn absent_boxes(
    viewer: &Viewer,
    layout: &Layout,
    view: egui::Rect,
) -> Vec<(ComponentId, egui::Rect)> {
    let to = ViewTransform::zoomed(view, layout, &viewer.zoom);
    let snap = viewer.snapshot();
    let mut out: Vec<(ComponentId, egui::Rect)> = layout
        .boxes
        .iter()
        .filter(|(c, _)| snap.states.get(c.index()).is_some_and(|s| s.is_absent()))
        .map(|(c, b)| (*c, to.rect(*b)))
        .collect();
    out.sort_by_key(|(c, _)| c.0);
    out
}

/// Washes each box out, outlines it dashed and crosses it.
pub fn paint_absent(painter: &Painter, boxes: &[(ComponentId, egui::Rect)], dark: bool) {
    let pal = palette(dark);
    let stroke = Stroke::new(2.0, pal.dim_text);
    for (_, r) in boxes {
        painter.rect_filled(*r, 3.0, pal.background.gamma_multiply(0.75));
        let corners = [
            r.left_top(),
            r.right_top(),
            r.right_bottom(),
            r.left_bottom(),
            r.left_top(),
        ];
        painter.extend(egui::Shape::dashed_line(&corners, stroke, 8.0, 5.0));
        let cross = Stroke::new(1.5, pal.dim_text.gamma_multiply(0.6));
        painter.line_segment([r.left_top(), r.right_bottom()], cross);
        painter.line_segment([r.right_top(), r.left_bottom()], cross);
    }
}
