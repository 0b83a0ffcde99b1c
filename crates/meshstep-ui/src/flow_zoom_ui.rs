//! The flow view's zoom and pan by pointer: the wheel (or a pinch) zooms
//! around the pointer, a drag pans, a double-click fits the whole view
//! again; and "−", "+", "Fit" buttons in the view's corner for those who do
//! not use a wheel. The keys are in the key map (`keys.rs`).

use egui::{Rect, Sense, Ui};

use crate::flow_labels::ViewTransform;
use crate::flow_zoom::FlowZoom;
use crate::layout::Layout;
use crate::panels::UiAction;
use crate::ui_action::ViewMove;
use crate::viewer::Viewer;

/// Reads the pointer over the flow view (`central`) and draws the zoom
/// buttons; returns what a button asks for.
pub fn flow_zoom_ui(
    ui: &mut Ui,
    viewer: &mut Viewer,
    layout: &Layout,
    central: Rect,
) -> Option<UiAction> {
    let to = ViewTransform::zoomed(central, layout, &viewer.zoom);
    // Not focusable: the keys zoom and pan without putting focus here.
    let resp = ui.interact(
        central,
        ui.id().with("flow-view"),
        Sense::CLICK | Sense::DRAG,
    );
    if resp.hovered() {
        let (scroll, pinch, pointer) = ui.input(|i| {
            (
                i.smooth_scroll_delta.y,
                i.zoom_delta(),
                i.pointer.hover_pos(),
            )
        });
        let factor = pinch * (scroll / 300.0).exp();
        if (factor - 1.0).abs() > 1e-4 {
            let anchor = pointer.map(|p| to.layout_offset(p));
            viewer.zoom.zoom_by(factor, anchor);
        }
    }
    if resp.dragged() {
        let (dx, dy) = to.pan_of(resp.drag_delta());
        viewer.zoom.pan_by(-dx, -dy);
    }
    if resp.double_clicked() {
        viewer.zoom = FlowZoom::default();
    }
    let mut action = None;
    let fit = viewer.zoom.is_fit();
    egui::Area::new(ui.id().with("flow-zoom-buttons"))
        .fixed_pos(central.right_top() + egui::vec2(-8.0, 8.0))
        .pivot(egui::Align2::RIGHT_TOP)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                ui.label(format!("{:.0}%", viewer.zoom.level * 100.0));
                let mut button = |ui: &mut Ui, text: &str, name: &str, enabled: bool, m| {
                    let r = ui
                        .add_enabled(enabled, egui::Button::new(text))
                        .on_hover_text(name);
                    // The symbol is not a name a screen reader can say.
                    r.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::WidgetType::Button, enabled, name)
                    });
                    if r.clicked() {
                        action = Some(UiAction::View(m));
                    }
                };
                let max = viewer.zoom.level >= crate::flow_zoom::MAX_ZOOM;
                button(ui, "−", "Zoom the flow view out", !fit, ViewMove::Out);
                button(ui, "+", "Zoom the flow view in", !max, ViewMove::In);
                button(ui, "Fit", "Fit the whole flow view", !fit, ViewMove::Fit);
            });
        });
    action
}
