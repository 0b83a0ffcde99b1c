//! The harness the UI tests share: the whole shell in a kittest window.
//! Each test file uses some of these, so the rest would read as dead code.
#![allow(dead_code)]

use egui_kittest::Harness;
use meshstep_ui::{LessonLibrary, Shell};

/// The shell drawn in a `width`×`height` window, not yet run.
pub fn harness_sized(shell: Shell, width: f32, height: f32) -> Harness<'static, Shell> {
    Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_ui_state(
            |ui, shell: &mut Shell| {
                meshstep_ui::shell_ui(ui, shell);
            },
            shell,
        )
}

/// The shell at 1280×720, not yet run.
pub fn harness(shell: Shell) -> Harness<'static, Shell> {
    harness_sized(shell, 1280.0, 720.0)
}

/// A bundled lesson open in the shell at 1280×720, after its first frames.
pub fn shell(lesson: &str) -> Harness<'static, Shell> {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of(lesson).unwrap();
    let mut h = harness(Shell::new(lib, i));
    h.run();
    h
}

/// The title of the lesson on screen.
pub fn title(h: &Harness<'static, Shell>) -> String {
    let v = h.state().viewer.as_ref().expect("a lesson on screen");
    v.lesson.scenario.title.clone()
}

/// The step on screen.
pub fn step(h: &Harness<'static, Shell>) -> Option<u32> {
    h.state()
        .viewer
        .as_ref()
        .expect("a lesson on screen")
        .current_step()
}
