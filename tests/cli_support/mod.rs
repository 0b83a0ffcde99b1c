//! Running the `meshstep` binary as a user would, for the command-line tests.
#![allow(dead_code)]

use std::process::{Command, Output};

/// `meshstep ARGS…` run in the repository's root.
pub fn meshstep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshstep"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("meshstep runs")
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
