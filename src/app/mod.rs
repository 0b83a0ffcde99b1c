//! The desktop app. bevy draws the flow view; bevy_egui draws the panels from
//! `meshstep-ui`; the simulation in `meshstep-sim` stays the only truth and
//! bevy entities mirror it for drawing. One plugin per file:
//!
//! - `session`: the lesson shown and its playback clock; idle means idle.
//! - `flow_model`: entities mirroring components and packets in flight (no rendering).
//! - `flow_draw`: sprites, shapes and links for those entities; the camera.
//! - `panels`: the egui layer (panels, and the flow view's labels).
//! - `files`: lessons dropped on the window.
//! - `hot_reload`: the lesson file on screen reloaded when it is saved.
//! - `capture`: `--step N --screenshot FILE` for tests and docs.

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod capture;
#[cfg(not(target_arch = "wasm32"))]
mod files;
mod flow_draw;
pub mod flow_model;
#[cfg(not(target_arch = "wasm32"))]
pub mod hot_reload;
#[cfg(target_arch = "wasm32")]
pub mod lms;
#[cfg(target_arch = "wasm32")]
mod page_io;
mod panels;
pub mod session;
#[cfg(target_arch = "wasm32")]
pub mod web;

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use meshstep_ui::learn::Learning;
use meshstep_ui::{DEFAULT_LESSON, LessonLibrary, Shell};

/// How the window starts.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// A bundled lesson id or a scenario file path.
    pub lesson: Option<String>,
    /// A share link to open (lesson, step, seed, faults and their start).
    pub link: Option<meshstep_sim::share::ShareLink>,
    /// Show this step when the window opens.
    pub step: Option<u32>,
    /// Save a screenshot here once the step is drawn, then exit.
    pub screenshot: Option<PathBuf>,
    pub light: bool,
    pub width: u32,
    pub height: u32,
    /// Play in a loop for this many seconds, print frames per second, exit.
    pub bench_play: Option<f32>,
    /// Answer visual-quiz question Q with option K at start (for screenshots).
    pub answer_quiz: Option<(usize, usize)>,
    /// Open the deep-dive reading page at start.
    pub deep_dive: bool,
    /// Show the what-if lab with the other side panels folded away.
    pub lab: bool,
    /// Open the lesson editor beside the lesson.
    pub edit: bool,
    /// Flow view zoom and the point (fractions of the layout) to zoom around.
    pub view_zoom: Option<(f32, f32, f32)>,
    /// Benchmark: run the scale lab at its largest while drawing, print, exit.
    pub bench_scale: bool,
    /// Open an explore page (side by side, scale lab) at start.
    pub page: Option<meshstep_ui::explore::Page>,
    /// Open the scale lab at this experiment.
    pub experiment: Option<&'static str>,
}

/// Where progress is saved: `$MESHSTEP_DATA_DIR`, else the user's data directory.
#[cfg(not(target_arch = "wasm32"))]
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("MESHSTEP_DATA_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("meshstep")))
        .unwrap_or_else(|| std::path::PathBuf::from(".meshstep"))
}

/// The lesson library with the requested lesson selected (opened from disk if it is a path).
pub fn initial_shell(lesson: Option<&str>, light: bool) -> Shell {
    initial_shell_with(lesson, light, Learning::default())
}

pub fn initial_shell_with(lesson: Option<&str>, light: bool, learn: Learning) -> Shell {
    #[cfg_attr(target_arch = "wasm32", allow(unused_mut))]
    let mut library = LessonLibrary::bundled();
    // The lesson named, else the bundled lesson open when the app was closed.
    let last = learn
        .progress
        .prefs
        .lesson
        .as_deref()
        .filter(|id| library.index_of(id).is_some());
    let wanted = lesson.or(last).unwrap_or(DEFAULT_LESSON);
    let index = match library.index_of(wanted) {
        Some(i) => i,
        #[cfg(not(target_arch = "wasm32"))]
        None => library.add_path(std::path::Path::new(wanted)),
        #[cfg(target_arch = "wasm32")]
        None => 0,
    };
    let mut shell = Shell::with_learning(library, index, learn);
    if light {
        shell.dark = false;
    }
    shell
}

/// Opens the window and runs until it is closed.
#[cfg(not(target_arch = "wasm32"))]
pub fn run(opts: AppOptions) -> AppExit {
    let dir = data_dir();
    let learn = Learning::with_store(Box::new(meshstep_ui::store::FileStore::new(&dir)));
    // A bundled lesson by id; anything else (a path, an address, a pack's
    // index, a lesson inside the link) is read before the window opens.
    let bundled = (opts.lesson.as_deref()).filter(|l| {
        meshstep_sim::bundled::source(l).is_some() && !std::path::Path::new(l).exists()
    });
    let mut shell = initial_shell_with(bundled, opts.light, learn);
    shell.export_dir = Some(dirs::download_dir().unwrap_or_else(|| dir.join("exports")));
    let opened = match (
        &opts.lesson,
        opts.link.as_ref().and_then(|l| l.lz.as_deref()),
    ) {
        (_, Some(lz)) => crate::sources::open_inline(&mut shell, lz),
        (Some(src), None) if bundled.is_none() => crate::sources::open(&mut shell, src),
        _ => Ok(()),
    };
    if let Err(e) = opened {
        eprintln!("error: {e}");
        return AppExit::error();
    }
    if let Some(link) = &opts.link {
        for p in shell.open_link(link) {
            eprintln!("warning: share link: {p}");
        }
    }
    if let (Some(step), Some(v)) = (opts.step, shell.viewer.as_mut()) {
        v.jump_to_step(step);
    }
    if let (Some((q, k)), Some(v)) = (opts.answer_quiz, shell.viewer.as_mut()) {
        let (lesson, run) = (v.lesson.clone(), v.run.clone());
        shell.learn.quiz.entry(q).or_default().selected = Some(k);
        if let Some(step) = shell.learn.check_quiz(&lesson, &run, q) {
            shell.apply(meshstep_ui::panels::UiAction::JumpToStep(step));
        }
        shell.learn.quiz_at = q;
        shell.apply(meshstep_ui::panels::UiAction::OpenTab(
            meshstep_ui::tabs::Tab::Quiz,
        ));
    }
    if opts.deep_dive {
        shell.apply(meshstep_ui::panels::UiAction::OpenDeepDive);
    }
    if let Some(page) = opts.page {
        shell.apply(meshstep_ui::panels::UiAction::TogglePage(page));
    }
    if let Some(id) = opts.experiment {
        shell.apply(meshstep_ui::panels::UiAction::TryExperiment(id));
    }
    if opts.lab {
        shell.apply(meshstep_ui::panels::UiAction::OpenTab(
            meshstep_ui::tabs::Tab::WhatIf,
        ));
    }
    if opts.edit {
        shell.open_editor();
    }
    if let (Some((z, x, y)), Some(v)) = (opts.view_zoom, shell.viewer.as_mut()) {
        v.zoom.zoom_by(z, None);
        v.zoom.center_on((2.0 * x - 1.0, 2.0 * y - 1.0));
    }
    let (w, h) = (
        if opts.width == 0 { 1280 } else { opts.width },
        if opts.height == 0 { 720 } else { opts.height },
    );
    let window = Window {
        title: "meshstep — service mesh vs library proxies".into(),
        resolution: bevy::window::WindowResolution::from((w, h)),
        ..default()
    };
    let mut app = windowed_app(shell, window);
    if opts.bench_scale {
        app.add_plugins(bench::scale_plugin);
    }
    if let Some(seconds) = opts.bench_play {
        app.add_plugins(bench::plugin)
            .insert_resource(bench::PlayBench::new(seconds));
    }
    if let Some(path) = opts.screenshot {
        app.add_plugins(capture::plugin)
            .insert_resource(capture::Capture::new(path));
    }
    app.run()
}

/// `--bench-empty`: an empty bevy + egui window, for `bench/window.sh`.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_empty_bench(seconds: f32, width: u32, height: u32) -> AppExit {
    bench::run_empty(seconds, width, height)
}

/// The browser build: the page's canvas, progress in localStorage, the
/// lesson and step from the share link.
#[cfg(target_arch = "wasm32")]
pub fn run_web() -> AppExit {
    let link = web::initial_link();
    let learn = Learning::with_store(Box::new(web::WebStore));
    let mut shell = initial_shell_with(None, false, learn);
    // The page's own "Open file…" button sits at the top right, over the canvas.
    shell.top_bar_reserve = 120.0;
    // Until the learner chooses, reduced motion follows the browser's setting.
    if shell.learn.progress.prefs.reduced_motion.is_none() && web::prefers_reduced_motion() {
        shell.apply(meshstep_ui::panels::UiAction::ToggleReducedMotion);
    }
    let mut session = session::Session(shell);
    if link.src.is_some() || link.lz.is_some() {
        // The page fetches (or unpacks) the lesson; the rest of the link waits for it.
        web::await_src(&link);
    } else {
        web::apply_link(&mut session, &link);
    }
    shell = session.0;
    let window = Window {
        title: "meshstep".into(),
        canvas: Some("#meshstep-canvas".into()),
        fit_canvas_to_parent: true,
        prevent_default_event_handling: true,
        ..default()
    };
    let mut app = windowed_app(shell, window);
    app.add_plugins(web::plugin);
    app.run()
}

/// The app with a window: bevy, egui and every plugin of ours that draws.
fn windowed_app(shell: Shell, window: Window) -> App {
    let mut app = App::new();
    let plugins = DefaultPlugins.set(WindowPlugin {
        primary_window: Some(window),
        ..default()
    });
    #[cfg(not(target_arch = "wasm32"))]
    let plugins = plugins.set(bevy::log::LogPlugin {
        filter: "warn,meshstep=info".into(),
        ..default()
    });
    #[cfg(target_arch = "wasm32")]
    web::init_console_log();
    app.add_plugins(plugins)
        // Reactive: while paused, frames are drawn only on input.
        .insert_resource(WinitSettings::desktop_app())
        .add_plugins(bevy_egui::EguiPlugin::default())
        .add_plugins((
            session::plugin,
            flow_model::plugin,
            flow_draw::plugin,
            panels::plugin,
        ));
    // In the browser the page hands files over (web.rs); winit has no dropped paths there.
    #[cfg(not(target_arch = "wasm32"))]
    app.add_plugins((files::plugin, hot_reload::plugin));
    app.insert_resource(session::Session(shell));
    app
}

/// An app with the session and the mirrored entities but no window or
/// renderer, for tests: step it with `app.update()`.
pub fn headless_app(shell: Shell) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins((session::plugin, flow_model::plugin))
        .insert_resource(session::Session(shell));
    app
}
