//! Fault runs of a lesson: which steps change, vanish, or stay as written.

use meshstep_sim::lesson::StepStatus;
use meshstep_sim::{Fault, Lesson, RunOptions};

const TWO_CALLS: &str = r#"Scenario(
    version: 1, id: "two-calls", title: "Two calls",
    topology: (
        pods: [(id: "a", app: "a"), (id: "c", app: "c"), (id: "b", app: "b")],
        services: [(name: "b", selector: "b")],
    ),
    stimuli: [
        (id: "first", at_us: 0, do: Call(from: "a", to: "b")),
        (id: "second", at_us: 1000, do: Call(from: "c", to: "b")),
    ],
    steps: [
        (on: (component: "a/app", action: SendRequest), action: "a calls", result: "sent"),
        (on: (component: "c/app", action: SendRequest), action: "c calls", result: "sent"),
        (on: (component: "a/app", action: ReceiveResponse), action: "a hears back", result: "200"),
        (on: (component: "c/app", action: ReceiveResponse), action: "c hears back", result: "200"),
    ],
)"#;

#[test]
fn a_step_whose_event_comes_before_the_step_above_it_did_not_happen_and_says_why() {
    let l = Lesson::from_source("two-calls.ron", TWO_CALLS).unwrap();
    let base = l.run(&RunOptions::default()).unwrap();
    assert!(
        base.table
            .rows
            .iter()
            .all(|r| r.status == StepStatus::AsWritten)
    );
    // Every message from `a` is lost: its call times out long after `c` is done.
    let run = l
        .run(&RunOptions {
            faults: vec![Fault::Lossy {
                pod: Some("a".into()),
                probability: 1.0,
            }],
            ..Default::default()
        })
        .unwrap();
    let status: Vec<StepStatus> = run.table.rows.iter().map(|r| r.status).collect();
    // a's answer (a timeout) now comes after c's: step 4 cannot follow step 3.
    // Step 1 still sends, but what it sent is lost: its result no longer holds.
    assert_eq!(
        status,
        [
            StepStatus::Consequence,
            StepStatus::AsWritten,
            StepStatus::Changed,
            StepStatus::Missing
        ]
    );
    assert_eq!(run.affected_steps(), [1, 3, 4]);
    let then = run.table.rows[0].consequence.as_deref().unwrap();
    assert!(then.contains("message dropped"), "{then}");
    let why = run.table.rows[3].why.as_deref().expect("a reason");
    assert!(why.contains("before step 3"), "{why}");
    assert!(run.table.rows[3].engine.contains(why));
    // The steps that are shown keep their order.
    let times: Vec<u64> = run.table.rows.iter().filter_map(|r| r.time_us).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn a_step_whose_event_vanishes_is_missing_and_later_steps_still_bind() {
    // Add "b handles a's request" after step 1: with a's link dead it never happens.
    let src = TWO_CALLS.replace(
        "        (on: (component: \"c/app\", action: SendRequest)",
        "        (on: (component: \"b/app\", action: HandleRequest, flow: \"first\"), action: \"b serves a\", result: \"handled\"),\n        (on: (component: \"c/app\", action: SendRequest)",
    );
    let l = Lesson::from_source("three.ron", &src).unwrap();
    assert_eq!(l.scenario.steps.len(), 5);
    let run = l
        .run(&RunOptions {
            faults: vec![Fault::Lossy {
                pod: Some("a".into()),
                probability: 1.0,
            }],
            ..Default::default()
        })
        .unwrap();
    let status: Vec<StepStatus> = run.table.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        status,
        [
            StepStatus::Consequence,
            StepStatus::Missing,
            StepStatus::AsWritten,
            StepStatus::Changed,
            StepStatus::Missing
        ]
    );
    // Step 2 never happened at all; step 5 happened, too early to follow step 4.
    assert_eq!(run.table.rows[1].why, None);
    assert!(run.table.rows[4].why.is_some());
}

#[test]
fn a_call_whose_answer_no_step_shows_says_how_it_now_ends() {
    // Only a's sending is a step: when its call fails, that step says so.
    let src = r#"Scenario(
    version: 1, id: "one-step", title: "One step",
    topology: (
        pods: [(id: "a", app: "a", proxy: Library), (id: "b", app: "b")],
        services: [(name: "b", selector: "b")],
    ),
    stimuli: [(id: "first", at_us: 0, do: Call(from: "a", to: "b"))],
    steps: [
        (on: (component: "a/app", action: SendRequest), action: "a calls", result: "sent"),
    ],
)"#;
    let l = Lesson::from_source("one-step.ron", src).unwrap();
    let run = l
        .run(&RunOptions {
            faults: vec![Fault::Lossy {
                pod: Some("b".into()),
                probability: 1.0,
            }],
            ..Default::default()
        })
        .unwrap();
    let row = &run.table.rows[0];
    assert_eq!(row.status, StepStatus::Consequence);
    let why = row.consequence.as_deref().unwrap();
    assert!(why.contains("this call now ends: HTTP 504"), "{why}");
}
