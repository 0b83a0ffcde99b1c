//! Text renderings of a lesson run for the command line: Markdown for people,
//! CSV for spreadsheets, JSON for scripts.

use meshstep_sim::lesson::{LessonRun, StepStatus};
use meshstep_sim::scenario::schema::{Column, Onset};
use meshstep_sim::share::ShareLink;
use meshstep_sim::trace::fmt_us;
use meshstep_sim::{FaultStart, Lesson};
use serde::Serialize;

/// The text formats the command line prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

/// What the Result column says: the author's words, or what the fault changed.
fn result_cell(r: &meshstep_sim::lesson::TableRow) -> String {
    match r.status {
        StepStatus::AsWritten => r.result.clone(),
        StepStatus::Changed => format!("CHANGED: {}", r.engine),
        StepStatus::Missing => "DID NOT HAPPEN in this run".to_string(),
        StepStatus::Consequence => format!(
            "NO LONGER TRUE: {}; {}",
            r.result,
            r.consequence.as_deref().unwrap_or_default()
        ),
    }
}

/// The share link that opens this run in the app or the page.
fn share_link(lesson: &Lesson, run: &LessonRun) -> ShareLink {
    ShareLink {
        lesson: Some(lesson.scenario.id.clone()),
        seed: (run.trace.seed != lesson.scenario.seed).then_some(run.trace.seed),
        faults: run.faults.clone(),
        settings: meshstep_sim::lesson::lab::setting_ids(
            &meshstep_sim::lesson::lab::catalogue(lesson),
            &run.changes,
        )
        .unwrap_or_default(),
        from: match run.from {
            FaultStart::Beginning => None,
            FaultStart::AtUs(t) => Some(Onset::AtUs(t)),
            // The row a step's start became: say it as that step again.
            FaultStart::AfterRow(row) => run
                .table
                .step_at_trace_row(row)
                .map(|n| Onset::AfterStep(n.into())),
        },
        ..Default::default()
    }
}

fn faults_line(run: &LessonRun) -> String {
    if run.faults.is_empty() {
        "none".into()
    } else {
        run.faults
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn md_row(cells: &[String]) -> String {
    format!(
        "| {} |\n",
        cells
            .iter()
            .map(|c| md_escape(c))
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

fn md_rule(n: usize) -> String {
    format!("|{}\n", "---|".repeat(n))
}

pub fn table(lesson: &Lesson, run: &LessonRun, format: Format) -> String {
    let t = &run.table;
    // The columns the lesson shows (the one list, shared with the app), then the engine's own.
    let columns = Column::shown_in(&lesson.scenario.steps);
    let mut head: Vec<&str> = columns.iter().map(|c| c.name()).collect();
    head.push("Engine");
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            let mut v: Vec<String> = columns
                .iter()
                .map(|c| match c {
                    Column::Step => r.step.to_string(),
                    Column::Component => r.component.clone(),
                    Column::Action => r.action_text.clone(),
                    Column::StateChange => r.state_change.clone(),
                    Column::Result => result_cell(r),
                    Column::Notes => r.notes.clone(),
                })
                .collect();
            v.push(r.engine.clone());
            v
        })
        .collect();
    let tr = &run.tracker;
    let mut thead = vec![tr.heading.clone()];
    thead.extend(tr.checkpoints.iter().cloned());
    let trows: Vec<Vec<String>> = tr
        .lines
        .iter()
        .map(|l| {
            let mut v = vec![l.label.clone()];
            v.extend(l.cells.iter().map(|c| c.text.clone()));
            v
        })
        .collect();
    match format {
        Format::Markdown => {
            let mut out = format!(
                "# {}\n\nseed {}, faults: {}\n\nshare: #{}\n\n## Process table\n\n",
                lesson.scenario.title,
                run.trace.seed,
                faults_line(run),
                share_link(lesson, run).to_fragment()
            );
            out += &md_row(&head.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            out += &md_rule(head.len());
            for r in &rows {
                out += &md_row(r);
            }
            if !tr.lines.is_empty() {
                out += "\n## Status tracker\n\n";
                out += &md_row(&thead);
                out += &md_rule(thead.len());
                for r in &trows {
                    out += &md_row(r);
                }
            }
            out
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(&head);
            for r in &rows {
                let _ = w.write_record(r);
            }
            let mut out = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
            if !tr.lines.is_empty() {
                let mut w = csv::Writer::from_writer(Vec::new());
                let _ = w.write_record(&thead);
                for r in &trows {
                    let _ = w.write_record(r);
                }
                out.push('\n');
                out += &String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
            }
            out
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                lesson: &'a str,
                title: &'a str,
                seed: u64,
                faults: Vec<String>,
                table: &'a meshstep_sim::lesson::ProcessTable,
                tracker: &'a meshstep_sim::lesson::TrackerTable,
            }
            let o = Out {
                lesson: &lesson.scenario.id,
                title: &lesson.scenario.title,
                seed: run.trace.seed,
                faults: run.faults.iter().map(|f| f.to_string()).collect(),
                table: &run.table,
                tracker: &run.tracker,
            };
            serde_json::to_string_pretty(&o).unwrap_or_default() + "\n"
        }
    }
}

pub fn trace(lesson: &Lesson, run: &LessonRun, format: Format) -> String {
    let topo = &lesson.topology;
    let head = [
        "#",
        "Time",
        "Component",
        "Action",
        "Outcome",
        "Flow",
        "Note",
        "Step",
    ];
    let rows: Vec<Vec<String>> = run
        .trace
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let step = run
                .bindings
                .iter()
                .position(|b| *b == Some(i))
                .map(|s| (s + 1).to_string())
                .unwrap_or_default();
            vec![
                i.to_string(),
                fmt_us(r.time_us),
                topo.component(r.component).id.clone(),
                format!("{:?}", r.action),
                r.outcome.describe(topo),
                r.flow.map(|f| run.trace.flow_name(f)).unwrap_or_default(),
                r.note.to_string(),
                step,
            ]
        })
        .collect();
    match format {
        Format::Markdown => {
            let mut out = format!(
                "# {} — trace\n\nseed {}, faults: {}, {} events, digest {:016x}\n\n",
                lesson.scenario.title,
                run.trace.seed,
                faults_line(run),
                run.trace.events,
                run.trace.digest()
            );
            out += &md_row(&head.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            out += &md_rule(head.len());
            for r in &rows {
                out += &md_row(r);
            }
            out
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(head);
            for r in &rows {
                let _ = w.write_record(r);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                lesson: &'a str,
                seed: u64,
                faults: Vec<String>,
                digest: String,
                rows: Vec<serde_json::Value>,
            }
            let o = Out {
                lesson: &lesson.scenario.id,
                seed: run.trace.seed,
                faults: run.faults.iter().map(|f| f.to_string()).collect(),
                digest: format!("{:016x}", run.trace.digest()),
                rows: rows
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "seq": r[0], "time": r[1], "component": r[2], "action": r[3],
                            "outcome": r[4], "flow": r[5], "note": r[6], "step": r[7],
                        })
                    })
                    .collect(),
            };
            serde_json::to_string_pretty(&o).unwrap_or_default() + "\n"
        }
    }
}
