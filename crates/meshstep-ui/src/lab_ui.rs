//! The what-if lab: every fault and setting change that fits the lesson
//! (`meshstep_sim::lesson::lab`), made from the step on screen. Picking one
//! forks the run there — the steps before stay as they were, the process
//! table marks the steps that change — and "Back to the lesson as written"
//! (in the what-if panel) returns.

use egui::{RichText, Ui};
use meshstep_sim::Fault;
use meshstep_sim::lesson::lab::{Intervention, Kind};
use meshstep_sim::scenario::schema::{Onset, StepRef, StimulusAction};

use crate::panels::UiAction;
use crate::theme::Palette;

/// The lab's two groups, in the order shown.
const GROUPS: [(Kind, &str); 2] = [
    (Kind::Fault, "Break something"),
    (Kind::Setting, "Change a setting"),
];

/// Lists the lab's entries. `onset`: where the run in force was forked;
/// `at_step`: the step on screen, where a pick forks.
pub fn lab_ui(
    ui: &mut Ui,
    menu: &[Intervention],
    (active, changed): (&[Fault], &[StimulusAction]),
    (onset, at_step): (Option<&Onset>, Option<u32>),
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    if !active.is_empty() || !changed.is_empty() {
        let since = match onset {
            Some(Onset::AfterStep(s)) => format!("after {s}"),
            Some(Onset::AtUs(t)) => format!("at {}", meshstep_sim::trace::fmt_us(*t)),
            None => "from the start".into(),
        };
        ui.label(RichText::new(format!("This run is forked {since}.")).color(pal.highlight));
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
