//! The `meshstep` application: the bevy + bevy_egui desktop app as a library,
//! so integration tests can build it headless; `main.rs` adds the command line.

pub mod app;
