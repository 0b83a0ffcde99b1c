//! `--screenshot FILE`: once the requested step is drawn and nothing moves,
//! save the window with bevy's screenshot API and exit.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};

use super::session::Session;

/// Frames to let layout, fonts and the egui panels settle first.
const SETTLE_FRAMES: u32 = 20;

#[derive(Resource)]
pub struct Capture {
    path: PathBuf,
    frames: u32,
    requested: bool,
    saved: bool,
}

impl Capture {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            frames: 0,
            requested: false,
            saved: false,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Last, capture);
}

fn capture(
    mut commands: Commands,
    mut cap: ResMut<Capture>,
    session: Res<Session>,
    mut exit: MessageWriter<AppExit>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    cap.frames += 1;
    redraw.write(bevy::window::RequestRedraw);
    if cap.saved {
        exit.write(AppExit::Success);
        return;
    }
    let still = !session.needs_frames();
    if !cap.requested && cap.frames >= SETTLE_FRAMES && still {
        cap.requested = true;
        let path = cap.path.clone();
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path))
            .observe(|_: On<ScreenshotCaptured>, mut cap: ResMut<Capture>| cap.saved = true);
    }
    if cap.frames > SETTLE_FRAMES + 600 {
        error!("no screenshot after {} frames; giving up", cap.frames);
        exit.write(AppExit::error());
    }
}
