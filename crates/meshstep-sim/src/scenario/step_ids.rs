//! Steps named by id. A lesson may give a step an `id` and point at it by that
//! id wherever it points at a step (key moments, hints, quiz claims, tracker
//! checkpoints, what-ifs, the execution sample, the deep dive), and prose may
//! write `{step:ID}` for the step's number. The loader calls [`resolve`],
//! which turns every known id into its number, so inserting a step moves
//! every reference with it; what it cannot resolve the validator reports.
//!
//! [`each_step_ref`] and [`each_prose`] are the one list of where a lesson
//! points at steps and where it writes prose.

use crate::scenario::schema::{Ask, CheckpointAt, HintTarget, Means, Onset, Scenario, StepRef};

/// A reference the loader could not resolve: its path and the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub path: String,
    pub id: String,
    /// Where in the text of a prose field the `{step:…}` starts (bytes), for
    /// a reference written in prose.
    pub in_text: Option<usize>,
}

/// Calls `f` with the path and value of every step reference in a lesson.
pub fn each_step_ref(s: &mut Scenario, f: &mut dyn FnMut(&str, &mut StepRef)) {
    for (i, l) in s.execution_sample.lines.iter_mut().enumerate() {
        if let Some(r) = &mut l.step {
            f(&format!("execution_sample.lines[{i}].step"), r);
        }
    }
    for (i, c) in s.tracker.checkpoints.iter_mut().enumerate() {
        if let CheckpointAt::AfterStep(r) = &mut c.at {
            f(&format!("tracker.checkpoints[{i}].at"), r);
        }
    }
    for (i, k) in s.key_moments.iter_mut().enumerate() {
        for (j, r) in k.steps.iter_mut().enumerate() {
            f(&format!("key_moments[{i}].steps[{j}]"), r);
        }
    }
    let questions = (s.quiz.iter_mut().enumerate())
        .map(|(i, q)| {
            (
                format!("quiz[{i}]"),
                &mut q.options,
                &mut q.asks,
                Some(&mut q.hint_target),
            )
        })
        .chain(
            s.practice
                .iter_mut()
                .enumerate()
                .map(|(i, q)| (format!("practice[{i}]"), &mut q.options, &mut q.asks, None)),
        );
    for (p, options, asks, hint) in questions {
        for (j, o) in options.iter_mut().enumerate() {
            if let Some(Means::Step(r)) = &mut o.means {
                f(&format!("{p}.options[{j}].means"), r);
            }
        }
        match asks {
            Ask::StepOutcome { step } => f(&format!("{p}.asks.step"), step),
            Ask::FirstStepAffectedBy {
                from: Some(Onset::AfterStep(r)),
                ..
            }
            | Ask::FlowOutcomeWith {
                from: Some(Onset::AfterStep(r)),
                ..
            } => f(&format!("{p}.asks.from"), r),
            _ => {}
        }
        if let Some(Some(HintTarget::Step(r))) = hint {
            f(&format!("{p}.hint_target"), r);
        }
    }
    for (i, w) in s.what_if.iter_mut().enumerate() {
        if let Some(Onset::AfterStep(r)) = &mut w.from {
            f(&format!("what_if[{i}].from"), r);
        }
        for (j, r) in w.expect_affected.iter_mut().flatten().enumerate() {
            f(&format!("what_if[{i}].expect_affected[{j}]"), r);
        }
    }
    if let Some(d) = &mut s.deep_dive {
        for (i, b) in d.build_up.iter_mut().enumerate() {
            if let Some(r) = &mut b.sim_step {
                f(&format!("deep_dive.build_up[{i}].sim_step"), r);
            }
        }
    }
}

/// Calls `f` with the path and text of every piece of prose a learner reads.
pub fn each_prose(s: &mut Scenario, f: &mut dyn FnMut(&str, &mut String)) {
    let list = |f: &mut dyn FnMut(&str, &mut String), p: &str, v: &mut Vec<String>| {
        for (j, t) in v.iter_mut().enumerate() {
            f(&format!("{p}[{j}]"), t);
        }
    };
    f("summary", &mut s.summary);
    f("transcript", &mut s.transcript);
    for (i, st) in s.steps.iter_mut().enumerate() {
        let p = format!("steps[{i}]");
        f(&format!("{p}.action"), &mut st.action);
        f(&format!("{p}.result"), &mut st.result);
        f(&format!("{p}.state_change"), &mut st.state_change);
        f(&format!("{p}.notes"), &mut st.notes);
        if let Some(pr) = &mut st.predict {
            f(&format!("{p}.predict.question"), &mut pr.question);
            list(f, &format!("{p}.predict.mistakes"), &mut pr.mistakes);
        }
    }
    f("process_flow.caption", &mut s.process_flow.caption);
    f("execution_sample.caption", &mut s.execution_sample.caption);
    for (i, k) in s.key_moments.iter_mut().enumerate() {
        f(&format!("key_moments[{i}].question"), &mut k.question);
        f(&format!("key_moments[{i}].answer"), &mut k.answer);
    }
    for (i, q) in s.quiz.iter_mut().enumerate() {
        let p = format!("quiz[{i}]");
        f(&format!("{p}.question"), &mut q.question);
        f(&format!("{p}.hint"), &mut q.hint);
        f(&format!("{p}.explanation"), &mut q.explanation);
        for (j, o) in q.options.iter_mut().enumerate() {
            f(&format!("{p}.options[{j}].text"), &mut o.text);
            f(&format!("{p}.options[{j}].why_wrong"), &mut o.why_wrong);
        }
    }
    list(f, "concept_snapshot", &mut s.concept_snapshot);
    for (i, q) in s.practice.iter_mut().enumerate() {
        let p = format!("practice[{i}]");
        f(&format!("{p}.question"), &mut q.question);
        f(&format!("{p}.quick_check"), &mut q.quick_check);
        f(&format!("{p}.hint"), &mut q.hint);
        list(f, &format!("{p}.solution"), &mut q.solution);
        list(f, &format!("{p}.mistakes"), &mut q.mistakes);
        for (j, o) in q.options.iter_mut().enumerate() {
            f(&format!("{p}.options[{j}].text"), &mut o.text);
            f(&format!("{p}.options[{j}].why_wrong"), &mut o.why_wrong);
        }
    }
    for (i, w) in s.what_if.iter_mut().enumerate() {
        f(&format!("what_if[{i}].label"), &mut w.label);
        f(&format!("what_if[{i}].explanation"), &mut w.explanation);
    }
    if let Some(d) = &mut s.deep_dive {
        f("deep_dive.overview.what", &mut d.overview.what);
        f(
            "deep_dive.overview.why_it_matters",
            &mut d.overview.why_it_matters,
        );
        f(
            "deep_dive.overview.where_it_fits",
            &mut d.overview.where_it_fits,
        );
        f(
            "deep_dive.mental_model.core_idea",
            &mut d.mental_model.core_idea,
        );
        f(
            "deep_dive.mental_model.analogy",
            &mut d.mental_model.analogy,
        );
        for (i, b) in d.build_up.iter_mut().enumerate() {
            let p = format!("deep_dive.build_up[{i}]");
            for (k, t) in [
                ("title", &mut b.title),
                ("concept", &mut b.concept),
                ("body", &mut b.body),
                ("result", &mut b.result),
                ("insight", &mut b.insight),
            ] {
                f(&format!("{p}.{k}"), t);
            }
        }
        f(
            "deep_dive.under_the_hood.mechanism",
            &mut d.under_the_hood.mechanism,
        );
        f(
            "deep_dive.under_the_hood.why_designed",
            &mut d.under_the_hood.why_designed,
        );
        for (i, m) in d.myths.iter_mut().enumerate() {
            let p = format!("deep_dive.myths[{i}]");
            for (k, t) in [
                ("question", &mut m.question),
                ("belief", &mut m.belief),
                ("reality", &mut m.reality),
                ("why_it_matters", &mut m.why_it_matters),
            ] {
                f(&format!("{p}.{k}"), t);
            }
        }
        list(f, "deep_dive.expert_notes", &mut d.expert_notes);
        f("deep_dive.when_not_to_use", &mut d.when_not_to_use);
        f("deep_dive.production_patterns", &mut d.production_patterns);
        for (i, c) in d.connections.iter_mut().enumerate() {
            f(
                &format!("deep_dive.connections[{i}].insight"),
                &mut c.insight,
            );
            f(
                &format!("deep_dive.connections[{i}].relation"),
                &mut c.relation,
            );
        }
        for (i, p) in d.pitfalls.iter_mut().enumerate() {
            let path = format!("deep_dive.pitfalls[{i}]");
            for (k, t) in [
                ("title", &mut p.title),
                ("wrong", &mut p.wrong),
                ("right", &mut p.right),
                ("root_cause", &mut p.root_cause),
            ] {
                f(&format!("{path}.{k}"), t);
            }
        }
        list(f, "deep_dive.takeaways", &mut d.takeaways);
    }
}

/// How prose writes a step's number.
const OPEN: &str = "{step:";

/// Turns every step id the lesson defines into the step's number, in
/// references and in prose; returns what named no step.
pub fn resolve(s: &mut Scenario) -> Vec<Unresolved> {
    let ids: Vec<(String, u32)> = (s.steps.iter().enumerate())
        .filter_map(|(i, st)| st.id.clone().map(|id| (id, i as u32 + 1)))
        .collect();
    let number = |id: &str| ids.iter().find(|(x, _)| x == id).map(|(_, n)| *n);
    let mut missing = Vec::new();
    each_step_ref(s, &mut |path, r| {
        if let StepRef::Id(id) = r {
            match number(id) {
                Some(n) => *r = StepRef::Number(n),
                None => missing.push(Unresolved {
                    path: path.to_string(),
                    id: id.clone(),
                    in_text: None,
                }),
            }
        }
    });
    each_prose(s, &mut |path, text| {
        if !text.contains(OPEN) {
            return;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        let mut at = 0;
        while let Some(k) = rest.find(OPEN) {
            out.push_str(&rest[..k]);
            let after = &rest[k + OPEN.len()..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[k..]);
                rest = "";
                break;
            };
            let id = &after[..end];
            match number(id) {
                Some(n) => out.push_str(&n.to_string()),
                None => {
                    missing.push(Unresolved {
                        path: path.to_string(),
                        id: id.to_string(),
                        in_text: Some(at + k),
                    });
                    out.push_str(&rest[k..k + OPEN.len() + end + 1]);
                }
            }
            at += k + OPEN.len() + end + 1;
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        *text = out;
    });
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(steps: &str, rest: &str) -> Scenario {
        let src = format!(
            r#"(version: 1, id: "t", title: "T",
                topology: (pods: [(id: "a", app: "a")]),
                stimuli: [],
                steps: [{steps}],
                {rest})"#
        );
        crate::scenario::load::ron_options()
            .from_str(&src)
            .expect("test lesson parses")
    }

    const STEPS: &str = r#"(on: (component: "a/app", action: SendRequest), action: "a", result: "b"),
        (id: Some("intercept"), on: (component: "a/app", action: SendRequest), action: "c", result: "d")"#;

    #[test]
    fn ids_become_numbers_in_references_and_prose() {
        let mut s = lesson(
            STEPS,
            r#"key_moments: [(question: "Where?", answer: "At step {step:intercept}, not {step:intercept}!", steps: ["intercept", 1])],
               tracker: (checkpoints: [(id: "c", label: "C", at: AfterStep("intercept"))], rows: [])"#,
        );
        assert!(resolve(&mut s).is_empty());
        assert_eq!(
            s.key_moments[0].steps,
            [StepRef::Number(2), StepRef::Number(1)]
        );
        assert_eq!(s.key_moments[0].answer, "At step 2, not 2!");
        assert_eq!(
            s.tracker.checkpoints[0].at,
            CheckpointAt::AfterStep(StepRef::Number(2))
        );
    }

    #[test]
    fn inserting_a_step_moves_every_reference_by_id_but_not_by_number() {
        let rest = r#"key_moments: [(question: "Q", answer: "{step:intercept}", steps: ["intercept", 2])]"#;
        let mut before = lesson(STEPS, rest);
        let new = r#"(on: (component: "a/app", action: SendRequest), action: "new", result: "x"),"#;
        let mut after = lesson(&format!("{new}{STEPS}"), rest);
        assert!(resolve(&mut before).is_empty() && resolve(&mut after).is_empty());
        assert_eq!(
            before.key_moments[0].steps,
            [StepRef::Number(2), StepRef::Number(2)]
        );
        // The id follows its step to 3; the bare number still says 2.
        assert_eq!(
            after.key_moments[0].steps,
            [StepRef::Number(3), StepRef::Number(2)]
        );
        assert_eq!(after.key_moments[0].answer, "3");
    }

    #[test]
    fn an_unknown_id_is_left_for_the_validator_with_where_it_is() {
        let mut s = lesson(
            STEPS,
            r#"key_moments: [(question: "Q", answer: "See {step:intercpt}.", steps: ["intercpt"])]"#,
        );
        let missing = resolve(&mut s);
        assert_eq!(
            missing,
            [
                Unresolved {
                    path: "key_moments[0].steps[0]".into(),
                    id: "intercpt".into(),
                    in_text: None
                },
                Unresolved {
                    path: "key_moments[0].answer".into(),
                    id: "intercpt".into(),
                    in_text: Some(4)
                },
            ]
        );
        assert_eq!(s.key_moments[0].answer, "See {step:intercpt}.");
    }
}
