//! `meshstep compare` and `meshstep scale`: the figures the side-by-side view
//! and the scale lab show, printed for slides (markdown), spreadsheets (CSV)
//! or scripts (JSON).

use std::process::ExitCode;

use meshstep_sim::compare::format::Table;
use meshstep_sim::compare::{Approach, CompareOptions, Workload, compare};
use meshstep_sim::scale::{MeshKind, ScaleJob, ScaleParams, presets};
use serde::Serialize;

use crate::render::Format;

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// A scenario file, or the id of a bundled lesson.
    pub lesson: String,
    /// Calls to make through each approach (the side-by-side page makes as many).
    #[arg(long, default_value_t = meshstep_sim::compare::DEFAULT_REQUESTS)]
    pub requests: u32,
    /// Seed for the engine's random numbers (defaults to the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Calls per second (sets the load on each proxy).
    #[arg(long, default_value_t = 100.0)]
    pub rate: f64,
    /// Only these approaches (repeatable): direct, library, sidecar, ambient.
    #[arg(long = "approach", value_parser = parse_approach)]
    pub approaches: Vec<Approach>,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct ScaleArgs {
    /// Start from an experiment (the deep dives' myths link to these).
    #[arg(long, value_parser = parse_preset)]
    pub preset: Option<String>,
    /// App pods, 10 to 10,000.
    #[arg(long)]
    pub pods: Option<u32>,
    /// Services the pods belong to.
    #[arg(long)]
    pub services: Option<u32>,
    /// Calls per second, mesh-wide.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Languages the apps are written in (the library exists in one).
    #[arg(long)]
    pub languages: Option<u32>,
    /// The mesh beside the library: istio-sidecar, linkerd-sidecar, istio-ambient.
    #[arg(long, value_parser = parse_mesh)]
    pub mesh: Option<MeshKind>,
    /// Calls sampled per approach, 1,000 to 1,000,000.
    #[arg(long)]
    pub requests: Option<u32>,
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
}

fn parse_approach(s: &str) -> Result<Approach, String> {
    Approach::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = Approach::ALL.iter().map(|a| a.key()).collect();
        format!("`{s}` is not an approach; use one of {}", keys.join(", "))
    })
}

fn parse_mesh(s: &str) -> Result<MeshKind, String> {
    MeshKind::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = MeshKind::ALL.iter().map(|m| m.key()).collect();
        format!("`{s}` is not a mesh; use one of {}", keys.join(", "))
    })
}

fn parse_preset(s: &str) -> Result<String, String> {
    match presets::by_id(s) {
        Some(p) => Ok(p.id.to_string()),
        None => Err(format!(
            "`{s}` is not an experiment; use one of {}",
            presets::ids().join(", ")
        )),
    }
}

fn print<T: Serialize>(format: Format, table: &Table, value: &T) {
    match format {
        Format::Markdown => print!("{}", table.markdown()),
        Format::Csv => print!("{}", table.csv()),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(value).expect("figures serialize to JSON")
        ),
    }
}

pub fn run_compare(a: &CompareArgs, lesson: &meshstep_sim::Lesson) -> ExitCode {
    if !(a.rate > 0.0 && a.rate <= 1e6) {
        eprintln!("error: --rate must be above 0 and at most 1000000 calls per second");
        return ExitCode::from(2);
    }
    let w = match Workload::from_scenario(&lesson.scenario) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {}: {e}", lesson.file);
            return ExitCode::from(1);
        }
    };
    let approaches = if a.approaches.is_empty() {
        w.approaches()
    } else {
        a.approaches.clone()
    };
    let opts = CompareOptions {
        requests: a.requests,
        seed: a.seed.unwrap_or(lesson.scenario.seed),
        interval_us: (1e6 / a.rate).round().max(1.0) as u64,
        ..Default::default()
    };
    match compare(&w, &approaches, &opts) {
        Ok(c) => {
            print(a.format, &c.table(), &c);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", lesson.file);
            ExitCode::from(1)
        }
    }
}

pub fn run_scale(a: &ScaleArgs) -> ExitCode {
    let base = a
        .preset
        .as_deref()
        .and_then(presets::by_id)
        .map_or_else(ScaleParams::default, |p| p.params);
    let p = ScaleParams {
        pods: a.pods.unwrap_or(base.pods),
        services: a.services.unwrap_or(base.services),
        rate_rps: a.rate.unwrap_or(base.rate_rps),
        languages: a.languages.unwrap_or(base.languages),
        mesh: a.mesh.unwrap_or(base.mesh),
        requests: a.requests.unwrap_or(base.requests),
        seed: a.seed.unwrap_or(base.seed),
        ..base
    };
    let mut job = match ScaleJob::new(p) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    while !job.step(100_000) {}
    let r = job.result();
    if a.format == Format::Markdown && r.lanes.iter().any(|l| l.overloaded) {
        eprintln!(
            "note: some proxies are past their capacity at this rate; their latency is not sampled"
        );
    }
    print(a.format, &r.table(), &r);
    ExitCode::SUCCESS
}
