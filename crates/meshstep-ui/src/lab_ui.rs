//! The what-if lab: every fault and setting change that fits the lesson
//! (`meshstep_sim::lesson::lab`), made from the step on screen. Picking one
//! forks the run there — the steps before stay as they were, the process
//! table marks the steps that change — and "Back to the lesson as written"
//! (in the what-if panel) returns.

use egui::{RichText, Ui};
use meshstep_sim::Fault;
use meshstep_sim::lesson::lab::{Intervention, Kind};
use meshstep_sim::scenario::schema::{Onset, StepRef, StimulusAction};
use meshstep_sim::trace::diff::{RowFate, RunDiff};

use crate::panels::UiAction;
use crate::theme::Palette;

/// The lab's two groups, in the order shown.
const GROUPS: [(Kind, &str); 2] = [
    (Kind::Fault, "Break something"),
    (Kind::Setting, "Change a setting"),
];

/// What the lab shows besides its menu: the run in force and the step on screen.
pub struct LabState<'a> {
    pub faults: &'a [Fault],
    pub changes: &'a [StimulusAction],
    /// Where the run in force was forked.
    pub onset: Option<&'a Onset>,
    /// The step on screen, where a pick forks.
    pub at_step: Option<u32>,
    /// How the run in force differs from the lesson as written.
    pub diff: Option<&'a RunDiff>,
    /// The same, event by event ([`diff_lines`]).
    pub diff_lines: &'a [String],
}

/// Lists the lab's entries, and what the fork in force changed.
pub fn lab_ui(
    ui: &mut Ui,
    menu: &[Intervention],
    st: &LabState<'_>,
    pal: &Palette,
) -> Option<UiAction> {
    let (active, changed, onset, at_step) = (st.faults, st.changes, st.onset, st.at_step);
    let mut action = None;
    if !active.is_empty() || !changed.is_empty() {
        let since = match onset {
            Some(Onset::AfterStep(s)) => format!("after {s}"),
            Some(Onset::AtUs(t)) => format!("at {}", meshstep_sim::trace::fmt_us(*t)),
            None => "from the start".into(),
        };
        ui.label(RichText::new(format!("This run is forked {since}.")).color(pal.highlight));
        if let Some(d) = st.diff {
            ui.label(diff_summary(d));
            if !st.diff_lines.is_empty() {
                egui::CollapsingHeader::new("What changed, event by event")
                    .id_salt("lab-diff-lines")
                    .show(ui, |ui| {
                        for l in st.diff_lines {
                            ui.label(RichText::new(l).small());
                        }
                    });
            }
        }
        // Said here too: a lesson without what-ifs has no what-if panel.
        if ui.button("Undo the fork").clicked() {
            action = Some(UiAction::SetFaults {
                faults: Vec::new(),
                changes: Vec::new(),
                from: None,
            });
        }
    }
    ui.label(
        RichText::new(match at_step {
            Some(n) => format!(
                "Pick one to fork the run after step {n}, the step on screen: the steps up to it stay as they were."
            ),
            None => "Pick one to change the run from the start.".into(),
        })
        .color(pal.dim_text),
    );
    let from = at_step.map(|n| Onset::AfterStep(StepRef::Number(n)));
    for (kind, title) in GROUPS {
        let items: Vec<&Intervention> = menu.iter().filter(|i| i.kind == kind).collect();
        if items.is_empty() {
            continue;
        }
        ui.add_space(4.0);
        ui.label(RichText::new(title).strong());
        ui.horizontal_wrapped(|ui| {
            for i in items {
                let on = active == i.faults.as_slice() && changed == i.changes.as_slice();
                // The entry in force is shown selected: by its frame, not by colour alone.
                if ui.selectable_label(on, &i.label).clicked() && !on {
                    action = Some(UiAction::SetFaults {
                        faults: i.faults.clone(),
                        changes: i.changes.clone(),
                        from: from.clone(),
                    });
                }
            }
        });
    }
    action
}

/// One line on what the fork changed, in events (trace rows) after the fork point.
pub fn diff_summary(d: &RunDiff) -> String {
    let after = &d.rows[d.shared.min(d.rows.len())..];
    let same = after.iter().filter(|f| **f == RowFate::Same).count();
    let changed = (after.iter())
        .filter(|f| matches!(f, RowFate::Changed { .. }))
        .count();
    let new = after.iter().filter(|f| **f == RowFate::New).count();
    format!(
        "Against the lesson as written, after the fork: {same} events as before, {changed} changed, {new} new, {} gone.",
        d.gone.len()
    )
}

/// The step a forked run branches after, for the timeline's marker; `None`
/// for the lesson as written and for a run changed from the very start.
pub fn fork_step(run: &meshstep_sim::LessonRun) -> Option<u32> {
    use meshstep_sim::FaultStart;
    if run.faults.is_empty() && run.changes.is_empty() {
        return None;
    }
    Some(match run.from {
        FaultStart::Beginning => return None,
        FaultStart::AfterRow(row) => run.table.step_at_trace_row(row).unwrap_or(0),
        FaultStart::AtUs(t) => run
            .table
            .rows
            .iter()
            .filter(|r| r.trace_row.is_some_and(|i| run.trace.rows[i].time_us < t))
            .map(|r| r.step)
            .next_back()
            .unwrap_or(0),
    })
}

/// Marks where the run branches on the timeline's slider: a line and a
/// triangle at that step, and words beside it, so it is not colour alone.
pub fn fork_marker_ui(ui: &mut Ui, slider: egui::Rect, step: u32, steps: u32, pal: &Palette) {
    // The slider's handle travels between its rect's ends less a handle radius.
    let r = slider.height() / 2.0;
    let t = if steps == 0 {
        0.0
    } else {
        step as f32 / steps as f32
    };
    let x = egui::lerp(slider.left() + r..=slider.right() - r, t);
    let p = ui.painter();
    p.line_segment(
        [
            egui::pos2(x, slider.top() - 2.0),
            egui::pos2(x, slider.bottom() + 2.0),
        ],
        egui::Stroke::new(2.0, pal.highlight),
    );
    // A small triangle pointing down at the branch (drawn: not every font has one).
    let top = slider.top() - 1.0;
    p.add(egui::Shape::convex_polygon(
        vec![
            egui::pos2(x - 5.0, top - 6.0),
            egui::pos2(x + 5.0, top - 6.0),
            egui::pos2(x, top),
        ],
        pal.highlight,
        egui::Stroke::NONE,
    ));
    ui.label(RichText::new(format!("Fork: after step {step}")).color(pal.highlight))
        .on_hover_text("The run branches here: the steps before are the lesson as written");
}

/// How many events of each kind the lab lists; the counts say the rest.
pub const DIFF_LIST_LIMIT: usize = 8;

/// What the fork changed, event by event: each line starts with a mark that
/// says the kind in a symbol and a word (`+ new`, `~ changed`, `− gone`), then
/// the time, the component and what it did.
pub fn diff_lines(
    topo: &meshstep_sim::Topology,
    base: &meshstep_sim::Trace,
    run: &meshstep_sim::Trace,
    d: &RunDiff,
) -> Vec<String> {
    let line = |mark: &str, r: &meshstep_sim::TraceRow| {
        format!(
            "{mark} {} · {}: {}",
            meshstep_sim::trace::fmt_us(r.time_us),
            topo.component(r.component).label,
            r.action.describe()
        )
    };
    let mut out = Vec::new();
    let after = d.shared.min(d.rows.len());
    let new: Vec<String> = (after..d.rows.len())
        .filter(|&i| d.rows[i] == RowFate::New)
        .map(|i| line("+ new", &run.rows[i]))
        .collect();
    let changed: Vec<String> = (after..d.rows.len())
        .filter(|&i| matches!(d.rows[i], RowFate::Changed { .. }))
        .map(|i| line("~ changed", &run.rows[i]))
        .collect();
    let gone: Vec<String> = d
        .gone
        .iter()
        .map(|&i| line("− gone", &base.rows[i]))
        .collect();
    for list in [new, changed, gone] {
        let more = list.len().saturating_sub(DIFF_LIST_LIMIT);
        out.extend(list.into_iter().take(DIFF_LIST_LIMIT));
        if more > 0 {
            out.push(format!("  … and {more} more"));
        }
    }
    out
}
