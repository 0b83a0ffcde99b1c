//! Helpers shared by the tests of the canary and resilience lessons.
#![allow(dead_code, unused_imports)]

pub use meshstep_sim::lesson::StepStatus;
pub use meshstep_sim::lesson::quiz::{EngineAnswer, engine_answer, right_options};
pub use meshstep_sim::scenario::schema::{AnswerOption, Ask, OutcomeClaim};
pub use meshstep_sim::trace::{CallResult, Failure, Outcome, Route};
pub use meshstep_sim::{Action, ComponentKind, Fault, Lesson, LessonRun, RunOptions, TraceRow};

pub fn lesson(id: &str) -> Lesson {
    let l = meshstep_sim::bundled::lesson(id)
        .unwrap_or_else(|| panic!("{id} is bundled"))
        .unwrap_or_else(|d| panic!("{id} is invalid: {d:#?}"));
    assert!(l.warnings.is_empty(), "{id}: {:?}", l.warnings);
    l
}

pub fn run(l: &Lesson, faults: Vec<Fault>) -> LessonRun {
    l.run(&RunOptions {
        seed: l.scenario.seed,
        faults,
        ..Default::default()
    })
    .unwrap()
}

/// A step's number, from its id.
pub fn step(l: &Lesson, id: &str) -> u32 {
    let i = (l.scenario.steps.iter())
        .position(|s| s.id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no step `{id}`"));
    i as u32 + 1
}

/// The outcome the engine shows at a step (by id).
pub fn outcome<'a>(l: &Lesson, r: &'a LessonRun, id: &str) -> &'a Outcome {
    let row = &r.table.rows[step(l, id) as usize - 1];
    row.outcome
        .as_ref()
        .unwrap_or_else(|| panic!("step `{id}` happened"))
}

/// Every step bound, as written, in time order, to these components and actions.
pub fn assert_steps(r: &LessonRun, want: &[(&str, Action)]) {
    let got: Vec<(&str, Action)> = (r.table.rows.iter())
        .map(|x| (x.component_id.as_str(), x.action))
        .collect();
    assert_eq!(got, want);
    for row in &r.table.rows {
        assert_eq!(row.status, StepStatus::AsWritten, "step {}", row.step);
    }
    let times: Vec<u64> = r.table.rows.iter().map(|x| x.time_us.unwrap()).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "steps are in time order: {times:?}"
    );
}

/// An attempt sent to this pod.
pub fn forwarded(l: &Lesson, pod: &str, attempt: u32, encrypted: bool) -> Outcome {
    Outcome::Forwarded {
        endpoint: Some(l.topology.pod_id(pod).unwrap()),
        attempt,
        encrypted,
    }
}

pub fn rows<'a>(
    l: &Lesson,
    r: &'a LessonRun,
    component: &str,
    action: Action,
) -> Vec<&'a TraceRow> {
    let c = l.topology.find(component).expect("component exists");
    (r.trace.rows.iter())
        .filter(|x| x.component == c && x.action == action)
        .collect()
}

pub fn in_flow<'a>(r: &'a LessonRun, flow: &str) -> impl Iterator<Item = &'a TraceRow> + use<'a> {
    let f = r
        .trace
        .flow(flow)
        .unwrap_or_else(|| panic!("flow `{flow}`"));
    r.trace.rows.iter().filter(move |x| x.flow == Some(f))
}

/// The app that handled a flow's call first (its server).
pub fn handled_by(l: &Lesson, r: &LessonRun, flow: &str) -> String {
    let row = in_flow(r, flow)
        .find(|x| x.action == Action::HandleRequest)
        .unwrap_or_else(|| panic!("flow `{flow}` reached a server"));
    l.topology.component(row.component).id.clone()
}

pub fn call_result(r: &LessonRun, flow: &str) -> CallResult {
    let f = r.trace.flow(flow).unwrap();
    r.trace.call_results[f.0 as usize].expect("the flow made a call")
}

/// The engine's answer to every quiz and practice question, in order; and
/// the option marked right says it.
pub fn assert_engine_answers(l: &Lesson, r: &LessonRun, want: &[EngineAnswer]) {
    let asks: Vec<(&Ask, &Vec<AnswerOption>)> = (l.scenario.quiz.iter())
        .map(|q| (&q.asks, &q.options))
        .chain(l.scenario.practice.iter().map(|q| (&q.asks, &q.options)))
        .collect();
    let got: Vec<EngineAnswer> = asks.iter().map(|(a, _)| engine_answer(l, r, a)).collect();
    assert_eq!(got, want);
    for ((_, options), answer) in asks.iter().zip(&got) {
        if let Some(right) = right_options(answer, options) {
            let marked: Vec<usize> = (0..options.len()).filter(|&i| options[i].correct).collect();
            assert_eq!(right, marked, "the marked option says {answer}");
        }
    }
}

/// Each what-if changes exactly the steps it says.
pub fn assert_what_ifs(l: &Lesson) {
    for (i, w) in l.scenario.what_if.iter().enumerate() {
        let Some(expect) = &w.expect_affected else {
            continue;
        };
        let expect: Vec<u32> = expect.iter().filter_map(|s| s.number()).collect();
        // The lesson's own what-if: its faults and its setting changes.
        let got = l
            .run_lesson_what_if(l.scenario.seed, i)
            .unwrap()
            .affected_steps();
        assert_eq!(got, expect, "what-if `{}`", w.label);
    }
}

pub fn tracker_texts(r: &LessonRun, row: &str) -> Vec<String> {
    let line = (r.tracker.lines.iter())
        .find(|x| x.id == row)
        .unwrap_or_else(|| panic!("tracker row `{row}`"));
    line.cells.iter().map(|c| c.text.clone()).collect()
}
