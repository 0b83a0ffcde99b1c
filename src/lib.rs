//! The `meshstep` application: the bevy + bevy_egui desktop app as a library,
//! so integration tests can build it headless; `main.rs` adds the command line.

pub mod app;
/// SCORM 1.2 packages (`meshstep export --format scorm`) and their check;
/// here rather than in the binary so tests can check packages directly.
#[cfg(not(target_arch = "wasm32"))]
pub mod scorm;
#[cfg(not(target_arch = "wasm32"))]
pub mod scorm_check;
/// Lessons from paths, web addresses, packs and links (desktop and CLI).
#[cfg(not(target_arch = "wasm32"))]
pub mod sources;
