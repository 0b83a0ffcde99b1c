//! The `meshstep` binary: command-line tools for instructors and scripts.

mod cli;
mod render;

fn main() -> std::process::ExitCode {
    cli::main()
}
