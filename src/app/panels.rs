//! The egui layer: runs `meshstep-ui`'s shell each frame over the whole window
//! and hands the free rectangle to the flow view's camera.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::{
    EguiContexts, EguiGlobalSettings, EguiInput, EguiPreUpdateSet, EguiPrimaryContextPass,
};

use super::flow_draw::FlowViewport;
use super::flow_model::ViewSize;
use super::session::Session;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, manual_context)
        .add_systems(
            PreUpdate,
            drop_unchanged_modifiers
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        )
        .add_systems(EguiPrimaryContextPass, ui);
}

/// bevy_egui reports the modifier keys to egui on every frame; egui counts any
/// event as input worth another frame, so the app would never go idle. Only a
/// real change of modifiers is passed on.
fn drop_unchanged_modifiers(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        input.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let changed = *last != Some(*m);
                *last = Some(*m);
                changed
            }
            _ => true,
        });
    }
}

fn manual_context(mut settings: ResMut<EguiGlobalSettings>) {
    // The egui camera is spawned by the flow view, separate from the world camera.
    settings.auto_create_primary_context = false;
}

fn ui(
    mut contexts: EguiContexts,
    mut session: ResMut<Session>,
    mut vp: ResMut<FlowViewport>,
    mut size: ResMut<ViewSize>,
    window: Single<&Window, With<PrimaryWindow>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = egui::Ui::new(
        ctx.clone(),
        "meshstep-root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let central = meshstep_ui::shell_ui(&mut root, &mut session);
    if session.needs_frames() {
        ctx.request_repaint();
    }
    // egui points to physical pixels: the window's scale times the text
    // size the learner chose (Ctrl +/−), so the flow view keeps its place.
    let scale = ctx.pixels_per_point();
    let min = UVec2::new(
        (central.min.x * scale).max(0.0) as u32,
        (central.min.y * scale).max(0.0) as u32,
    );
    let max = UVec2::new(
        ((central.max.x * scale) as u32).min(window.physical_width()),
        ((central.max.y * scale) as u32).min(window.physical_height()),
    );
    let next = FlowViewport {
        min,
        size: max.saturating_sub(min).max(UVec2::ONE),
    };
    if *vp != next {
        *vp = next;
    }
    let logical = ViewSize {
        width: central.width(),
        height: central.height(),
    };
    if *size != logical {
        *size = logical;
    }
    Ok(())
}
