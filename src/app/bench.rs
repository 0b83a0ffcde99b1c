//! `--bench-play SECONDS`: plays the lesson in a loop with frames drawn
//! continuously, then prints the frames per second and exits. Used by
//! `bench/window.sh`; not a test.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::WinitSettings;

use super::session::Session;

#[derive(Resource)]
pub struct PlayBench {
    seconds: f32,
    started: Option<Instant>,
    frames: u64,
}

impl PlayBench {
    pub fn new(seconds: f32) -> Self {
        Self {
            seconds,
            started: None,
            frames: 0,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(WinitSettings::continuous())
        .add_systems(Last, measure);
}

fn measure(
    mut bench: ResMut<PlayBench>,
    mut session: ResMut<Session>,
    mut exit: MessageWriter<AppExit>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    redraw.write(RequestRedraw);
    if let Some(v) = session.viewer.as_mut()
        && !v.playing
    {
        v.speed = 2.0;
        v.toggle_play(); // starts again from the beginning once at the end
    }
    let now = Instant::now();
    let Some(start) = bench.started else {
        bench.started = Some(now);
        return;
    };
    bench.frames += 1;
    let elapsed = now.duration_since(start);
    if elapsed >= Duration::from_secs_f32(bench.seconds) {
        let fps = bench.frames as f64 / elapsed.as_secs_f64();
        let lesson = session
            .library
            .entries
            .get(session.selected)
            .map_or("?", |e| e.name.as_str());
        println!(
            "fps {lesson}: {fps:.1} ({} frames in {:.1} s)",
            bench.frames,
            elapsed.as_secs_f64()
        );
        exit.write(AppExit::Success);
    }
}
