//! Command-line interface: with no subcommand, the desktop app; `check`,
//! `table`, `run`, `compare`, `scale` and `lessons` for instructors and scripts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use meshstep_sim::bundled::{self, DEFAULT_LESSON};
use meshstep_sim::diagnostics::render as render_diagnostics;
use meshstep_sim::scenario::schema::Onset;
use meshstep_sim::share::ShareLink;
use meshstep_sim::{Fault, Lesson, LessonRun};

use crate::render::{self, Format};

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
    /// Open a share link (`#v=1&lesson=…&step=…&faults=…`), as the web page does.
    #[arg(long, value_name = "LINK")]
    pub link: Option<String>,
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
    /// Show the what-if lab with the other side panels folded away (for screenshots).
    #[arg(long)]
    pub lab: bool,
    /// Open the lesson editor beside the lesson (Ctrl+E in the app).
    #[arg(long)]
    pub edit: bool,
    /// Zoom the flow view in by this factor around a point given as a
    /// fraction of the layout (`2`, `2@0.25,0.5`); for screenshots.
    #[arg(long, value_name = "ZOOM", hide = true, value_parser = parse_view_zoom)]
    pub view_zoom: Option<(f32, f32, f32)>,
    /// Open an explore page: side-by-side or scale-lab.
    #[arg(long, value_name = "PAGE", value_parser = parse_page)]
    pub page: Option<meshstep_ui::explore::Page>,
    /// Open the scale lab at an experiment (the deep dives' myths link to them).
    #[arg(long, value_name = "ID", value_parser = parse_experiment)]
    pub experiment: Option<&'static str>,
    /// Benchmark: run the scale lab at 10,000 pods while drawing, print, exit.
    #[arg(long, hide = true)]
    pub bench_scale: bool,
    /// Benchmark: play in a loop for SECONDS, print frames per second, exit.
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub bench_play: Option<f32>,
    /// Benchmark: an empty bevy + egui window for SECONDS, print, exit.
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub bench_empty: Option<f32>,
    /// Window size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x720", value_parser = parse_size)]
    pub size: (u32, u32),
}

fn parse_view_zoom(s: &str) -> Result<(f32, f32, f32), String> {
    let (z, at) = s.split_once('@').unwrap_or((s, "0.5,0.5"));
    let (x, y) = at
        .split_once(',')
        .ok_or("write ZOOM@X,Y, X and Y from 0 to 1")?;
    let num = |t: &str| t.trim().parse::<f32>().map_err(|e| format!("`{t}`: {e}"));
    Ok((num(z)?, num(x)?, num(y)?))
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

fn parse_page(s: &str) -> Result<meshstep_ui::explore::Page, String> {
    use meshstep_ui::explore::Page;
    Page::ALL.into_iter().find(|p| p.key() == s).ok_or_else(|| {
        let keys: Vec<_> = Page::ALL.iter().map(|p| p.key()).collect();
        format!("`{s}` is not a page; use one of {}", keys.join(", "))
    })
}

fn parse_experiment(s: &str) -> Result<&'static str, String> {
    let ids = meshstep_sim::scale::presets::ids();
    ids.iter()
        .copied()
        .find(|id| *id == s)
        .ok_or_else(|| format!("`{s}` is not an experiment; use one of {}", ids.join(", ")))
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
    /// Check scenario files (or bundled lessons by id); prints every problem with file:line:col. Exits 1 on errors.
    Check {
        #[arg(required = true)]
        files: Vec<String>,
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
    /// Run a lesson's calls through each approach (no proxy, library,
    /// sidecar, ambient) and print the figures: hops, added latency, proxies
    /// and their CPU and memory, policy rollout, mTLS, metrics, languages.
    Compare(crate::explore::CompareArgs),
    /// Run the scale lab (10 to 10,000 pods) and print its figures.
    Scale(crate::explore::ScaleArgs),
    /// List the bundled lessons.
    Lessons,
    /// Print a link that carries the lesson itself (`#lz=…`), for lessons
    /// small enough to share without a host.
    Link {
        /// A scenario file, or the id of a bundled lesson.
        lesson: String,
        /// The page's address to put in front (`https://…/meshstep/`).
        #[arg(long, value_name = "URL")]
        base: Option<String>,
        /// The step the link opens at.
        #[arg(long)]
        step: Option<u32>,
    },
    /// Write a printable handout of a lesson: the flow view at its key steps
    /// (SVG), the process table, the tracker, key moments, quiz and practice,
    /// and the answer key on a page of its own (print the HTML to PDF from a
    /// browser); or a SCORM 1.2 package for a learning platform.
    Export {
        /// A scenario file, or the id of a bundled lesson.
        lesson: String,
        #[arg(long, value_enum, default_value_t = crate::handout::ExportFormat::Html)]
        format: crate::handout::ExportFormat,
        /// Where to write it (default: ID-handout.html, ID-handout.md with its
        /// figures in a folder beside it, or ID-scorm.zip).
        #[arg(long)]
        out: Option<PathBuf>,
        /// SCORM: the browser build to package (`bash web/build.sh` writes it).
        #[arg(long, value_name = "DIR", default_value = "web/dist")]
        web_dist: PathBuf,
        /// SCORM: the score (0-100) that passes; without it a finished
        /// lesson is "completed".
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=100))]
        mastery: Option<u32>,
    },
    /// Write a new lesson to start from: commented, every optional section
    /// present and explained, passing `check`. Open it with `meshstep FILE`:
    /// the app reloads it each time you save.
    New {
        /// The lesson's file (`my-lesson` writes `my-lesson.ron`); its name gives the id.
        name: String,
        /// The kind of lesson to start from.
        #[arg(long, default_value = "single-call", value_parser = crate::scaffold::template_parser())]
        template: crate::scaffold::Template,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Rewrite what a format-1 lesson says that no longer describes a real
    /// mesh; prints what changed and what is left to fix by hand.
    Migrate {
        file: PathBuf,
        /// Print the rewritten lesson instead of writing the file.
        #[arg(long)]
        stdout: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Seed for the engine's random numbers (defaults to the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Inject a fault; repeat for several.
    #[arg(long = "fault", value_name = "FAULT", help = format!("Inject a fault (repeatable): {}", Fault::SYNTAX))]
    pub faults: Vec<Fault>,
    /// Start the faults just after step N (steps before it stay as written).
    #[arg(long, value_name = "N", conflicts_with = "from_us")]
    pub from_step: Option<u32>,
    /// Start the faults at this virtual time, in microseconds.
    #[arg(long, value_name = "T")]
    pub from_us: Option<u64>,
    /// Take the seed, faults and starting point from a share link (`#v=1&…`).
    #[arg(long, value_name = "LINK", conflicts_with_all = ["seed", "faults", "from_step", "from_us"])]
    pub link: Option<String>,
}

impl RunArgs {
    /// What to run (seed, faults, where they start), from the flags or the link.
    fn what(&self) -> Result<ShareLink, String> {
        if let Some(text) = &self.link {
            let (link, problems) = ShareLink::parse(text);
            if let Some(p) = problems.first() {
                return Err(format!("the link cannot be read: {p}"));
            }
            return Ok(link);
        }
        let from = match (self.from_step, self.from_us) {
            (Some(n), _) => Some(Onset::AfterStep(n.into())),
            (_, Some(t)) => Some(Onset::AtUs(t)),
            _ => None,
        };
        Ok(ShareLink {
            seed: self.seed,
            faults: self.faults.clone(),
            from,
            ..Default::default()
        })
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => open_window(cli.window),
        Some(Command::Check { files }) => crate::check::check(&files),
        Some(Command::Link { lesson, base, step }) => crate::check::link(&lesson, base, step),
        Some(Command::New {
            name,
            template,
            force,
        }) => crate::scaffold::run(&name, template, force),
        Some(Command::Export {
            lesson,
            format,
            out,
            web_dist,
            mastery,
        }) => match load_lenient(&lesson) {
            Ok(l) => crate::handout::export(
                &l,
                format,
                out,
                crate::handout::ScormOptions { web_dist, mastery },
            ),
            Err(code) => code,
        },
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
            Ok(l) => match simulate(&l, &run) {
                Ok(r) => {
                    print!("{}", render::trace(&l, &r, format));
                    ExitCode::SUCCESS
                }
                Err(code) => code,
            },
            Err(code) => code,
        },
        Some(Command::Compare(args)) => match load_lenient(&args.lesson) {
            Ok(l) => crate::explore::run_compare(&args, &l),
            Err(code) => code,
        },
        Some(Command::Scale(args)) => crate::explore::run_scale(&args),
        Some(Command::Lessons) => {
            for id in bundled::ids() {
                match bundled::lesson(id) {
                    Some(Ok(l)) => println!("{id:<20} {}", l.scenario.title),
                    _ => println!("{id:<20} (has errors: run `meshstep check {id}`)"),
                }
            }
            ExitCode::SUCCESS
        }
        Some(Command::Migrate { file, stdout }) => migrate(&file, stdout),
    }
}

fn migrate(file: &Path, stdout: bool) -> ExitCode {
    let name = file.display().to_string();
    let source = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let m = match meshstep_sim::scenario::migrate::migrate(&source) {
        Ok(m) => m,
        Err(diags) => {
            eprint!("{}", render_diagnostics(&name, &source, &diags));
            eprintln!(
                "error: {name} cannot be read, so nothing was rewritten; fix the problems above first"
            );
            return ExitCode::from(1);
        }
    };
    for c in &m.changes {
        eprintln!("changed: {c}");
    }
    if stdout {
        print!("{}", m.text);
    } else if !m.changes.is_empty() {
        let backup = file.with_extension("ron.bak");
        if let Err(e) = std::fs::copy(file, &backup).and_then(|_| std::fs::write(file, &m.text)) {
            eprintln!("error: cannot write {name}: {e}");
            return ExitCode::from(2);
        }
        eprintln!("wrote {name} (the old version is in {})", backup.display());
    } else {
        eprintln!("{name}: nothing to rewrite");
    }
    match Lesson::from_source(&name, &m.text) {
        Ok(_) => ExitCode::SUCCESS,
        Err(diags) => {
            eprint!("{}", render_diagnostics(&name, &m.text, &diags));
            eprintln!(
                "error: {name}: what is left above needs a person; `meshstep check {name}` shows it again"
            );
            ExitCode::from(1)
        }
    }
}

fn open_window(mut w: WindowArgs) -> ExitCode {
    // A link's `src=` names the lesson's file or a pack's index: a path, a
    // file:// address or a web address, which the app reads before opening.
    let src = w.link.as_deref().and_then(|l| ShareLink::parse(l).0.src);
    if let Some(src) = src {
        w.lesson = Some(src.strip_prefix("file://").unwrap_or(&src).to_string());
    }
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
        && !meshstep::sources::is_address(l)
        && bundled::source(l).is_none()
    {
        let ids: Vec<&str> = bundled::ids().collect();
        eprintln!("error: `{l}` is neither a file nor a bundled lesson");
        eprintln!("  help: bundled lessons: {}", ids.join(", "));
        return ExitCode::from(2);
    }
    let link = match w.link.as_deref().map(ShareLink::parse) {
        Some((_, problems)) if !problems.is_empty() => {
            eprintln!("error: the link cannot be read: {}", problems.join("; "));
            return ExitCode::from(2);
        }
        // The app opens `src` or `lz` first; the rest of the link applies to
        // it (`lesson` then picks one of a pack's lessons).
        other => other.map(|(l, _)| l),
    };
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(seconds) = w.bench_empty {
        return match meshstep::app::run_empty_bench(seconds, w.size.0, w.size.1) {
            e if e.is_success() => ExitCode::SUCCESS,
            _ => ExitCode::from(1),
        };
    }
    let exit = meshstep::app::run(meshstep::app::AppOptions {
        lesson: w.lesson,
        link,
        step: w.step,
        screenshot: w.screenshot,
        light: w.light,
        width: w.size.0,
        height: w.size.1,
        bench_play: w.bench_play,
        answer_quiz: w.answer_quiz,
        deep_dive: w.deep_dive,
        lab: w.lab,
        edit: w.edit,
        view_zoom: w.view_zoom,
        bench_scale: w.bench_scale,
        page: w.page,
        experiment: w.experiment,
    });
    if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Runs the lesson as the flags (or the link) say.
fn simulate(lesson: &Lesson, run: &RunArgs) -> Result<LessonRun, ExitCode> {
    let what = run.what().map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let seed = what.seed.unwrap_or(lesson.scenario.seed);
    let changes = meshstep_sim::lesson::lab::changes_for(
        &meshstep_sim::lesson::lab::catalogue(lesson),
        &what.settings,
    )
    .map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    lesson
        .run_changed(seed, &what.faults, &changes, what.from)
        .map_err(|e| fault_errors(&e))
}

fn print_table(lesson: &Lesson, format: Format, run: &RunArgs) -> ExitCode {
    match simulate(lesson, run) {
        Ok(r) => {
            print!("{}", render::table(lesson, &r, format));
            ExitCode::SUCCESS
        }
        Err(code) => code,
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

/// Like [`load`], but a lesson whose text disagrees with the engine still
/// runs (the disagreements are printed), so authors can see the trace.
fn load_lenient(name: &str) -> Result<Lesson, ExitCode> {
    let (file, source) = crate::check::resolve(name)?;
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
