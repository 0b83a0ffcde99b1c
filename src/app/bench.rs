//! `--bench-play SECONDS`: plays the lesson in a loop with frames drawn
//! continuously, then prints the frames per second and the CPU time per
//! frame and exits. The first pass through the lesson is not measured: egui
//! fills its font atlas the first time each piece of text appears, and a
//! frame that grows the atlas costs two to three times a normal one under
//! llvmpipe; that is a one-off a learner meets once per text, not the frame
//! rate of playing. `--bench-empty SECONDS` does the same for an empty bevy +
//! egui window, so `bench/window.sh` can show what the renderer itself costs
//! on the same machine in the same run (under llvmpipe the rasteriser runs
//! in the app's own threads and counts as its CPU time). Not tests.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::WinitSettings;

use super::session::Session;

#[derive(Resource)]
pub struct PlayBench {
    seconds: f32,
    started: Option<Instant>,
    cpu_start: Option<Duration>,
    frames: u64,
    /// Frames drawn before measuring started.
    warm_up_frames: u32,
    /// Whether the warm-up is over and frames are being measured.
    warm: bool,
}

impl PlayBench {
    pub fn new(seconds: f32) -> Self {
        Self {
            seconds,
            started: None,
            cpu_start: None,
            frames: 0,
            warm_up_frames: 0,
            warm: false,
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
        // Measured from the second pass on (see the module header).
        if v.at_end() && bench.warm_up_frames > 0 {
            bench.warm = true;
        }
        v.speed = 2.0;
        // A step to predict stops playback: go on as if it were answered.
        v.pass_gate();
        v.toggle_play(); // starts again from the beginning once at the end
    }
    if !bench.warm {
        bench.warm_up_frames += 1;
        return;
    }
    let lesson = session
        .library
        .entries
        .get(session.selected)
        .map_or("?", |e| e.name.as_str())
        .to_string();
    if bench.tick(&lesson) {
        exit.write(AppExit::Success);
    }
}

impl PlayBench {
    /// Counts a frame; prints the figures and says so once the time is up.
    fn tick(&mut self, what: &str) -> bool {
        let now = Instant::now();
        let Some(start) = self.started else {
            self.started = Some(now);
            self.cpu_start = cpu_time();
            return false;
        };
        self.frames += 1;
        let elapsed = now.duration_since(start);
        if elapsed < Duration::from_secs_f32(self.seconds) {
            return false;
        }
        let fps = self.frames as f64 / elapsed.as_secs_f64();
        let cpu = match (self.cpu_start, cpu_time()) {
            (Some(a), Some(b)) => format!(
                "{:.1} ms CPU per frame",
                (b - a).as_secs_f64() * 1000.0 / self.frames as f64
            ),
            _ => "CPU time unknown".into(),
        };
        println!(
            "fps {what}: {fps:.1}, {:.1} ms per frame, {cpu} ({} frames in {:.1} s)",
            1000.0 / fps,
            self.frames,
            elapsed.as_secs_f64()
        );
        true
    }
}

/// User plus system time of the whole process (every thread, llvmpipe's
/// included), from `/proc/self/stat`; clock ticks are 1/100 s on Linux.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The same window size, plugins and redraw policy as the app, with an
/// empty egui panel instead of meshstep: what a frame costs before
/// meshstep draws anything.
pub fn run_empty(seconds: f32, width: u32, height: u32) -> AppExit {
    let window = Window {
        title: "empty bevy + egui window".into(),
        resolution: bevy::window::WindowResolution::from((width, height)),
        ..default()
    };
    App::new()
        .add_plugins(
            DefaultPlugins
                .set(WindowPlugin {
                    primary_window: Some(window),
                    ..default()
                })
                .set(bevy::log::LogPlugin {
                    filter: "warn".into(),
                    ..default()
                }),
        )
        .insert_resource(WinitSettings::continuous())
        .add_plugins(bevy_egui::EguiPlugin::default())
        .insert_resource(PlayBench::new(seconds))
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn((Camera2d, Msaa::Off));
        })
        .add_systems(bevy_egui::EguiPrimaryContextPass, empty_ui)
        .add_systems(Last, measure_empty)
        .run()
}

fn empty_ui(mut contexts: bevy_egui::EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    // A root Ui over the whole window, as the app's own panels get.
    let mut root = egui::Ui::new(
        ctx.clone(),
        "empty-root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::CentralPanel::default().show(&mut root, |ui| ui.label("empty"));
    Ok(())
}

fn measure_empty(
    mut bench: ResMut<PlayBench>,
    mut exit: MessageWriter<AppExit>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    redraw.write(RequestRedraw);
    // A second of warm-up, as long as the lessons' first frames take.
    if !bench.warm {
        bench.warm_up_frames += 1;
        bench.warm = bench.warm_up_frames >= 30;
        return;
    }
    if bench.tick("empty bevy+egui window") {
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
