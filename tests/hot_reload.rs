//! Hot reload with a real file and the OS's file notifications: the app
//! (headless, with the hot-reload plugin) watches the lesson file on screen;
//! a broken save shows its diagnostics while the last good version keeps
//! its step, and the fixed save is on screen at the same step.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use meshstep::app::headless_app;
use meshstep::app::session::Session;
use meshstep_ui::panels::UiAction;
use meshstep_ui::{LessonLibrary, Shell};

/// Updates the app until `done` holds, for at most 10 s.
fn until(app: &mut App, what: &str, done: impl Fn(&Session) -> bool) {
    let start = Instant::now();
    while !done(app.world().resource::<Session>()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited 10 s for {what}"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_saved_lesson_file_reloads_at_the_same_step_and_a_broken_save_shows_why() {
    let dir = std::env::temp_dir().join(format!("meshstep-hot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lesson.ron");
    let src = meshstep_sim::bundled::source("mesh-vs-library").unwrap();
    std::fs::write(&file, src).unwrap();
    let mut lib = LessonLibrary::bundled();
    let i = lib.add_path(&file);
    let mut app = headless_app(Shell::new(lib, i));
    app.add_plugins(meshstep::app::hot_reload::plugin);
    app.update();
    app.update();
    app.world_mut()
        .resource_mut::<Session>()
        .apply(UiAction::JumpToStep(4));
    app.update();

    std::fs::write(&file, src.replacen("steps:", "stepz:", 1)).unwrap();
    until(&mut app, "the broken save's diagnostics", |s| {
        s.reload_problem.is_some()
    });
    let s = app.world().resource::<Session>();
    let step = s.viewer.as_ref().unwrap().current_step();
    assert_eq!(step, Some(4), "the last good version keeps its step");

    let edited = src.replacen(
        "title: \"Service mesh vs library-based approach\"",
        "title: \"Edited while open\"",
        1,
    );
    std::fs::write(&file, &edited).unwrap();
    until(&mut app, "the fixed save on screen", |s| {
        s.viewer
            .as_ref()
            .is_some_and(|v| v.lesson.scenario.title == "Edited while open")
    });
    let s = app.world().resource::<Session>();
    assert!(s.reload_problem.is_none());
    assert_eq!(s.viewer.as_ref().unwrap().current_step(), Some(4));
    let _ = std::fs::remove_dir_all(&dir);
}
