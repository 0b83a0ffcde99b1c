//! Hot reload as the shell does it: a valid save replaces the lesson at
//! the same step (tab and zoom kept); a broken save keeps the last good
//! version running and shows its diagnostics (file:line:col, hint) over
//! the view; fixing the file clears them. (The file watching itself is
//! tested with the desktop app, `tests/hot_reload.rs`.)

use egui_kittest::kittest::Queryable;
use meshstep_ui::panels::UiAction;
use meshstep_ui::reload::Reloaded;
use meshstep_ui::tabs::Tab;
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;
use shell_support::{harness, step, title};

#[test]
fn a_save_reloads_at_the_same_step_and_a_broken_one_keeps_the_last_good_version() {
    let src = meshstep_sim::bundled::source("mesh-vs-library").unwrap();
    let mut lib = LessonLibrary::bundled();
    let i = lib.add_source("my-lesson.ron", src);
    let mut h = harness(Shell::new(lib, i));
    h.run();
    h.state_mut().apply(UiAction::JumpToStep(5));
    h.state_mut().apply(UiAction::OpenTab(Tab::Tracker));
    h.state_mut()
        .apply(UiAction::View(meshstep_ui::ui_action::ViewMove::In));
    h.run();
    // An edit that is valid: on screen at once, where the learner was.
    let edited = src.replacen(
        "title: \"Service mesh vs library-based approach\"",
        "title: \"Mesh vs library, edited\"",
        1,
    );
    assert_ne!(edited, src);
    assert_eq!(
        h.state_mut().reload("my-lesson.ron", &edited),
        Reloaded::Replaced
    );
    h.run();
    assert_eq!(title(&h), "Mesh vs library, edited");
    assert_eq!(step(&h), Some(5));
    assert_eq!(h.state().tab, Tab::Tracker);
    assert!(
        h.state().viewer.as_ref().unwrap().zoom.level > 1.0,
        "zoom kept"
    );

    // A broken save: the last good version keeps running, the errors show.
    let broken = edited.replacen("steps:", "stepz:", 1);
    let line = broken[..broken.find("stepz").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(
        h.state_mut().reload("my-lesson.ron", &broken),
        Reloaded::KeptLastGood
    );
    h.run();
    assert_eq!(title(&h), "Mesh vs library, edited");
    assert_eq!(step(&h), Some(5));
    assert!(
        h.query_by_label_contains("my-lesson.ron has").is_some(),
        "the notice"
    );
    assert!(
        h.query_by_label_contains(&format!("my-lesson.ron:{line}:"))
            .is_some(),
        "it names the file, line and column ({line})"
    );
    assert!(
        h.query_by_label_contains("did you mean `steps`?").is_some(),
        "and the hint"
    );

    // Fixed: the notice goes, the lesson is the fixed one, same step.
    assert_eq!(
        h.state_mut().reload("my-lesson.ron", &edited),
        Reloaded::Replaced
    );
    h.run();
    assert!(h.state().reload_problem.is_none());
    assert!(h.query_by_label_contains("my-lesson.ron has").is_none());
    assert_eq!(step(&h), Some(5));
}
