//! Draws the open explore page over the flow view (as the deep dive does)
//! and applies what the learner did on it.

use egui::Ui;

use crate::compare_ui::{SideAction, side_by_side_ui};
use crate::explore::{Explore, Page};
use crate::panels::UiAction;
use crate::scale_ui::{ScaleAction, scale_ui};
use crate::theme::Palette;

pub fn page_ui(
    ui: &mut Ui,
    explore: &Explore,
    page: Page,
    central: egui::Rect,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    ui.scope_builder(egui::UiBuilder::new().max_rect(central), |ui| {
        egui::Frame::new()
            .fill(pal.background)
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_min_size(central.size() - egui::vec2(24.0, 24.0));
                egui::ScrollArea::both()
                    .id_salt(("explore", page as u8))
                    .show(ui, |ui| match page {
                        Page::SideBySide => match &explore.side {
                            Some(s) => action = side_by_side_ui(ui, s, pal).map(UiAction::Side),
                            None => {
                                ui.label("Open a lesson to compare its calls.");
                            }
                        },
                        Page::ScaleLab => {
                            action = scale_ui(ui, &explore.scale, pal).map(UiAction::Scale)
                        }
                    });
            });
    });
    action
}

pub fn apply_side(explore: &mut Explore, a: SideAction, seed: u64) {
    let Some(s) = &mut explore.side else { return };
    match a {
        SideAction::Toggle(x) => s.toggle(x, seed),
        SideAction::Cursor(c) => s.cursor = c.min(meshstep_sim::trace::phase::Phase::ALL.len() - 1),
    }
}

pub fn apply_scale(explore: &mut Explore, a: ScaleAction) {
    let lab = &mut explore.scale;
    match a {
        ScaleAction::Params(p) => {
            lab.params = p;
            lab.preset = None;
            lab.start();
        }
        ScaleAction::Preset(id) => {
            lab.load_preset(id);
        }
    }
}
