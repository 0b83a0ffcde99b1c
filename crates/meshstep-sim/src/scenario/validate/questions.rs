//! The questions section: quiz and practice questions have options, one
//! right mark, asks that name things that exist and hints that point at
//! something the learner can see; what-ifs break something real; the deep
//! dive's predictions and step links are in range.

use super::{Names, Sink};
use crate::scenario::schema::{
    AnswerOption, Ask, Column, Fault, HintTarget, Scenario, StimulusAction, letter, marked_correct,
};
use crate::topology::Topology;

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario, names: &Names<'_>, topo: Option<&Topology>) {
    let faults = |sink: &mut Sink<'_>, path: &str, faults: &[Fault]| {
        if topo.is_none() {
            return; // the topology's own errors come first
        }
        for (i, f) in faults.iter().enumerate() {
            if let Err((message, hint)) = f.check(&s.topology) {
                sink.error(&format!("{path}[{i}]"), message, "cannot apply", hint);
            }
        }
    };
    let ask = |sink: &mut Sink<'_>, p: &str, ask: &Ask| match ask {
        Ask::StepOf { component, .. } => {
            names.component(sink, &format!("{p}.asks.component"), component)
        }
        Ask::TrackerCell { row, checkpoint } => {
            names.tracker_row(sink, &format!("{p}.asks.row"), row);
            names.checkpoint(sink, &format!("{p}.asks.checkpoint"), checkpoint);
        }
        Ask::StepOutcome { .. } => {}
        Ask::FirstStepAffectedBy { faults: f, .. } => {
            faults(sink, &format!("{p}.asks.faults"), f);
        }
        Ask::FlowOutcomeWith {
            faults: f, flow, ..
        } => {
            faults(sink, &format!("{p}.asks.faults"), f);
            names.flow(sink, &format!("{p}.asks.flow"), flow);
        }
        Ask::Concept => {}
    };
    for (i, q) in s.quiz.iter().enumerate() {
        let p = format!("quiz[{i}]");
        if q.hint.trim().is_empty() {
            sink.error(
                &format!("{p}.hint"),
                "the question has an empty hint",
                "empty",
                ["write a hint that points at where to look".into()],
            );
        }
        options(sink, &p, &q.options);
        ask(sink, &p, &q.asks);
        if let Some(t) = &q.hint_target {
            hint_target(sink, names, s, &format!("{p}.hint_target"), t);
        }
    }
    for (i, q) in s.practice.iter().enumerate() {
        let p = format!("practice[{i}]");
        options(sink, &p, &q.options);
        ask(sink, &p, &q.asks);
        if q.solution.is_empty() {
            sink.error(
                &format!("{p}.solution"),
                "a practice question needs a worked solution",
                "empty solution",
                ["list the reasoning steps, ending with the answer".into()],
            );
        }
    }
    for (i, w) in s.what_if.iter().enumerate() {
        if w.faults.is_empty() && w.changes.is_empty() {
            sink.error(
                &format!("what_if[{i}].faults"),
                "a what-if needs at least one fault or change",
                "nothing to break or change",
                [format!(
                    "faults: {}, or changes: [KubectlApplyConfig(…)]",
                    Fault::SYNTAX
                )],
            );
        }
        for (j, c) in w.changes.iter().enumerate() {
            if !matches!(
                c,
                StimulusAction::KubectlApplyConfig { .. }
                    | StimulusAction::KubectlDeleteConfig { .. }
                    | StimulusAction::RebuildApp { .. }
            ) {
                sink.error(
                    &format!("what_if[{i}].changes[{j}]"),
                    "a what-if's change is a setting: mesh config applied or deleted, or an app rebuilt",
                    "not a setting change",
                    ["use `KubectlApplyConfig`, `KubectlDeleteConfig` or `RebuildApp`; calls and commands belong in `stimuli`".into()],
                );
            }
        }
        faults(sink, &format!("what_if[{i}].faults"), &w.faults);
    }
    if let Some(dd) = &s.deep_dive {
        for (i, m) in dd.myths.iter().enumerate() {
            let Some(id) = &m.experiment else { continue };
            if crate::scale::presets::by_id(id).is_none() {
                let ids = crate::scale::presets::ids();
                sink.error(
                    &format!("deep_dive.myths[{i}].experiment"),
                    format!("no scale-lab experiment is called `{id}`"),
                    "unknown experiment",
                    crate::suggest::did_you_mean(id, ids.iter().copied())
                        .into_iter()
                        .chain([format!("the experiments are: {}", ids.join(", "))]),
                );
            }
        }
        for (i, b) in dd.build_up.iter().enumerate() {
            let p = format!("deep_dive.build_up[{i}]");
            if let Some(pr) = &b.prediction
                && pr.answer >= pr.choices.len()
            {
                sink.error(
                    &format!("{p}.prediction.answer"),
                    format!(
                        "answer {} points past the {} choice(s)",
                        pr.answer,
                        pr.choices.len()
                    ),
                    "out of range",
                    ["`answer` is a 0-based index into `choices`".into()],
                );
            }
        }
    }
}

fn options(sink: &mut Sink<'_>, p: &str, options: &[AnswerOption]) {
    if options.len() < 2 {
        sink.error(
            &format!("{p}.options"),
            "a question needs at least two options",
            "too few options",
            ["add the wrong answers a learner might pick".into()],
        );
    }
    let marked = marked_correct(options);
    match marked.len() {
        0 => sink.error(
            &format!("{p}.options"),
            "no option is marked `correct: true`",
            "no right answer",
            ["mark exactly one option `correct: true`".into()],
        ),
        1 => {}
        _ => {
            let letters: Vec<String> = marked.iter().map(|&i| letter(i).to_string()).collect();
            sink.error(
                &format!("{p}.options[{}].correct", marked[1]),
                format!(
                    "options {} are all marked correct; a question has one right answer",
                    letters.join(" and ")
                ),
                "second right answer",
                ["keep `correct: true` on one option only".into()],
            );
        }
    }
    for (i, o) in options.iter().enumerate() {
        if o.text.trim().is_empty() {
            sink.error(
                &format!("{p}.options[{i}].text"),
                format!("option {} has no text", letter(i)),
                "empty",
                ["write what the option says".into()],
            );
        }
        if o.correct && !o.why_wrong.is_empty() {
            sink.warn(
                &format!("{p}.options[{i}].why_wrong"),
                format!(
                    "option {} is the right answer but has a `why_wrong`",
                    letter(i)
                ),
                "never shown",
                "move this text to the question's `explanation`",
            );
        }
    }
}

/// A hint must point at something the learner will see.
fn hint_target(sink: &mut Sink<'_>, names: &Names<'_>, s: &Scenario, p: &str, t: &HintTarget) {
    match t {
        HintTarget::Step(_) => {}
        HintTarget::TrackerRow(r) => names.tracker_row(sink, p, r),
        HintTarget::Cell { row, checkpoint } => {
            names.tracker_row(sink, &format!("{p}.row"), row);
            names.checkpoint(sink, &format!("{p}.checkpoint"), checkpoint);
        }
        HintTarget::Column(c) => {
            let shown = Column::shown_in(&s.steps);
            let list = shown
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ");
            match Column::parse(c) {
                None => sink.error(
                    p,
                    format!("the process table has no column `{c}`"),
                    "unknown column",
                    [format!("columns are: {list}")],
                ),
                Some(col) if !shown.contains(&col) => sink.error(
                    p,
                    format!(
                        "the `{}` column is not shown: no step of this lesson fills it",
                        col.name()
                    ),
                    "the learner will not see it",
                    [format!(
                        "point the hint at a column the table shows: {list}"
                    )],
                ),
                Some(_) => {}
            }
        }
    }
}
