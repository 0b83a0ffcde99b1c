//! Command-line interface: with no subcommand, the desktop app; `check`,
//! `table`, `run` and `lessons` for instructors and scripts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use meshstep_sim::diagnostics::render as render_diagnostics;
use meshstep_sim::{Fault, Lesson, RunOptions};

use crate::render;

/// The lesson shown when no file is named.
pub const DEFAULT_LESSON: &str = "mesh-vs-library";

#[derive(Parser, Debug)]
#[command(
    name = "meshstep",
    version,
    about = "Step through how a Kubernetes service mesh differs from library-based proxies",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// Opening the desktop app (no subcommand).
#[derive(clap::Args, Debug)]
pub struct WindowArgs {
    /// A bundled lesson id or a scenario file (default: mesh-vs-library).
    pub lesson: Option<String>,
    /// Open at this step.
    #[arg(long)]
    pub step: Option<u32>,
    /// Save a screenshot of the window to this PNG once drawn, then exit.
    #[arg(long, value_name = "FILE")]
    pub screenshot: Option<PathBuf>,
    /// Start in the light theme.
    #[arg(long)]
    pub light: bool,
    /// Answer visual-quiz question Q (1-based) with option K (A, B, …) at start: `--answer-quiz 1:C`.
    #[arg(long, value_name = "Q:K", value_parser = parse_answer)]
    pub answer_quiz: Option<(usize, usize)>,
    /// Open the deep-dive reading page.
    #[arg(long)]
    pub deep_dive: bool,
    /// Benchmark: play in a loop for SECONDS, print frames per second, exit.
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub bench_play: Option<f32>,
    /// Window size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x720", value_parser = parse_size)]
    pub size: (u32, u32),
}

fn parse_answer(s: &str) -> Result<(usize, usize), String> {
    let (q, k) = s
        .split_once(':')
        .ok_or("expected QUESTION:OPTION, such as 1:C")?;
    let q: usize = q
        .trim()
        .parse()
        .map_err(|_| format!("`{q}` is not a question number"))?;
    let k = k.trim().to_ascii_uppercase();
    let letter = k
        .chars()
        .next()
        .filter(|c| c.is_ascii_uppercase() && k.len() == 1)
        .ok_or(format!("`{k}` is not an option letter"))?;
    Ok((q.max(1) - 1, (letter as u8 - b'A') as usize))
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or("expected WIDTHxHEIGHT, such as 1280x720")?;
    let n = |v: &str| {
        v.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{v}` is not a number of pixels"))
    };
    Ok((n(w)?.max(320), n(h)?.max(240)))
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check scenario files; prints every problem with file:line:col. Exits 1 on errors.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a lesson's process table and status tracker.
    Table {
        /// A scenario file, or the id of a bundled lesson.
        lesson: String,
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Print the full simulation trace: every event, in order.
    Run {
        lesson: String,
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        #[command(flatten)]
        run: RunArgs,
    },
    /// List the bundled lessons.
    Lessons,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Seed for the engine's random numbers (defaults to the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Inject a fault; repeat for several.
    #[arg(long = "fault", value_name = "FAULT", help = format!("Inject a fault (repeatable): {}", Fault::SYNTAX))]
    pub faults: Vec<Fault>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => open_window(cli.window),
        Some(Command::Check { files }) => check(&files),
        Some(Command::Table {
            lesson,
            format,
            run,
        }) => match load_lenient(&lesson) {
            Ok(l) => print_table(&l, format, &run),
            Err(code) => code,
        },
        Some(Command::Run {
            lesson,
            format,
            run,
        }) => match load_lenient(&lesson) {
            Ok(l) => match l.run(&options(&l, &run)) {
                Ok(r) => {
                    print!("{}", render::trace(&l, &r, format));
                    ExitCode::SUCCESS
                }
                Err(e) => fault_errors(&e),
            },
            Err(code) => code,
        },
        Some(Command::Lessons) => {
            for (id, path) in bundled() {
                match Lesson::from_path(&path) {
                    Ok(l) => println!("{id:<20} {}", l.scenario.title),
                    Err(_) => println!(
                        "{id:<20} (has errors: run `meshstep check {}`)",
                        path.display()
                    ),
                }
            }
            ExitCode::SUCCESS
        }
    }
}

fn open_window(w: WindowArgs) -> ExitCode {
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("error: no display to open a window on (DISPLAY is not set)");
        eprintln!(
            "  help: run it on a desktop, under `xvfb-run`, or use `meshstep table {}` for the text version",
            w.lesson.as_deref().unwrap_or(DEFAULT_LESSON)
        );
        return ExitCode::from(2);
    }
    if let Some(l) = &w.lesson
        && !Path::new(l).exists()
        && !meshstep_ui::BUNDLED.iter().any(|(id, _)| id == l)
    {
        let ids: Vec<&str> = meshstep_ui::BUNDLED.iter().map(|(id, _)| *id).collect();
        eprintln!("error: `{l}` is neither a file nor a bundled lesson");
        eprintln!("  help: bundled lessons: {}", ids.join(", "));
        return ExitCode::from(2);
    }
    let exit = meshstep::app::run(meshstep::app::AppOptions {
        lesson: w.lesson,
        step: w.step,
        screenshot: w.screenshot,
        light: w.light,
        width: w.size.0,
        height: w.size.1,
        bench_play: w.bench_play,
        answer_quiz: w.answer_quiz,
        deep_dive: w.deep_dive,
    });
    if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn options(lesson: &Lesson, run: &RunArgs) -> RunOptions {
    RunOptions {
        seed: run.seed.unwrap_or(lesson.scenario.seed),
        faults: run.faults.clone(),
        record: true,
        max_events: 0,
    }
}

fn print_table(lesson: &Lesson, format: Format, run: &RunArgs) -> ExitCode {
    match lesson.run(&options(lesson, run)) {
        Ok(r) => {
            print!("{}", render::table(lesson, &r, format));
            ExitCode::SUCCESS
        }
        Err(e) => fault_errors(&e),
    }
}

fn fault_errors(errors: &[meshstep_sim::topology::TopologyError]) -> ExitCode {
    for e in errors {
        eprintln!("error: {}", e.message);
        if let Some(h) = &e.hint {
            eprintln!("  help: {h}");
        }
    }
    ExitCode::from(2)
}

/// The `scenarios/` folder: next to the executable's project, or the current directory's.
fn scenarios_dir() -> PathBuf {
    let here = Path::new("scenarios");
    if here.is_dir() {
        return here.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn bundled() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(scenarios_dir())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .map(|p| {
                    (
                        p.file_stem()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned(),
                        p,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Like [`load`], but a lesson whose text disagrees with the engine still
/// runs (the disagreements are printed), so authors can see the trace.
fn load_lenient(name: &str) -> Result<Lesson, ExitCode> {
    let path = resolve(name)?;
    let source = std::fs::read_to_string(&path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        ExitCode::from(2)
    })?;
    let file = path.display().to_string();
    match Lesson::from_source_lenient(&file, &source) {
        Ok((lesson, diags)) => {
            if !diags.is_empty() {
                eprint!("{}", render_diagnostics(&file, &source, &diags));
                eprintln!(
                    "note: {file} disagrees with the simulation in the places above; showing the simulation anyway"
                );
            }
            Ok(lesson)
        }
        Err(diags) => {
            eprint!("{}", render_diagnostics(&file, &source, &diags));
            eprintln!(
                "error: {file} has problems; fix them and try again (`meshstep check {file}`)"
            );
            Err(ExitCode::from(1))
        }
    }
}

fn resolve(name: &str) -> Result<PathBuf, ExitCode> {
    Ok(if Path::new(name).exists() {
        PathBuf::from(name)
    } else if let Some((_, p)) = bundled().into_iter().find(|(id, _)| id == name) {
        p
    } else {
        let ids: Vec<String> = bundled().into_iter().map(|(id, _)| id).collect();
        eprintln!("error: `{name}` is neither a file nor a bundled lesson");
        eprintln!("  help: bundled lessons: {}", ids.join(", "));
        return Err(ExitCode::from(2));
    })
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut failed = 0;
    for f in files {
        let name = f.display().to_string();
        match Lesson::from_path(f) {
            Ok(l) => {
                if !l.warnings.is_empty() {
                    eprint!("{}", render_diagnostics(&name, &l.source, &l.warnings));
                }
                println!(
                    "ok: {name} ({} steps, {} quiz questions, {} warning(s))",
                    l.scenario.steps.len(),
                    l.scenario.quiz.len(),
                    l.warnings.len()
                );
            }
            Err(diags) => {
                failed += 1;
                let source = std::fs::read_to_string(f).unwrap_or_default();
                eprint!("{}", render_diagnostics(&name, &source, &diags));
                let n = diags.iter().filter(|d| d.is_error()).count();
                eprintln!("error: {name}: {n} error(s)");
            }
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
