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

/// `--bench-scale`: opens the scale lab at 10,000 pods and 1,000,000 calls
/// per approach, draws continuously while it computes, then prints how long
/// the computation took and how many frames the window drew meanwhile.
#[derive(Resource, Default)]
pub struct ScaleBench {
    started: Option<Instant>,
    frames: u64,
}

pub(super) fn scale_plugin(app: &mut App) {
    app.insert_resource(WinitSettings::continuous())
        .init_resource::<ScaleBench>()
        .add_systems(Last, measure_scale);
}

fn measure_scale(
    mut bench: ResMut<ScaleBench>,
    mut session: ResMut<Session>,
    mut exit: MessageWriter<AppExit>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    use meshstep_ui::explore::Page;
    use meshstep_ui::panels::UiAction;
    use meshstep_ui::scale_ui::ScaleAction;
    redraw.write(RequestRedraw);
    let now = Instant::now();
    let Some(start) = bench.started else {
        session.apply(UiAction::TogglePage(Page::ScaleLab));
        let params = meshstep_sim::scale::ScaleParams {
            pods: 10_000,
            services: 1_000,
            requests: 1_000_000,
            ..Default::default()
        };
        session.apply(UiAction::Scale(ScaleAction::Params(params)));
        bench.started = Some(now);
        return;
    };
    bench.frames += 1;
    if !session.explore.scale.running() {
        let s = now.duration_since(start).as_secs_f64();
        println!(
            "scale lab 10,000 pods x 1,000,000 calls per approach: {s:.2} s, {} frames drawn meanwhile ({:.1} fps)",
            bench.frames,
            bench.frames as f64 / s
        );
        exit.write(AppExit::Success);
    }
}
