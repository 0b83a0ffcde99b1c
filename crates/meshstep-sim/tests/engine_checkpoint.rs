//! "Run to here, change this, continue": a [`Sim`] stopped between events is
//! a checkpoint of the world, the queue and the random generator; forks of it
//! go on independently, and a fork changed at a point gives the same trace as
//! a run from time zero changed at the same point.

use meshstep_sim::engine::{FaultStart, RunOptions, Sim};
use meshstep_sim::scenario::schema::{Onset, Resource, StepRef, StimulusAction};
use meshstep_sim::{Action, Fault, Lesson, simulate};

/// `web` calls `api` ten times, 100 ms apart; `api` takes a random time and
/// answers 503 half the time, and its route retries 5xx: every call draws
/// from the seeded generator.
const RANDOM: &str = r#"Scenario(
    version: 1, id: "random", title: "Random",
    topology: (
        control_plane: Some((id: "istiod", debounce_us: 1000)),
        pods: [
            (id: "web", app: "web", proxy: Sidecar),
            (id: "api-0", app: "api", proxy: Sidecar, handler: Some((
                time: Some(Exponential(mean_us: 3000)),
                errors: Some((status: 503, probability: 0.5)),
            ))),
            (id: "api-1", app: "api", proxy: Sidecar, handler: Some((
                time: Some(Uniform(min_us: 1000, max_us: 9000)),
            ))),
        ],
        services: [(name: "api", selector: "api")],
        config: [Routes((host: "api", http: [(retries: Some((attempts: 3, retry_on: [Http5xx])))]))],
    ),
    stimuli: [
        (id: Some("c0"), at_us: 0, do: Call(from: "web", to: "api")),
        (id: Some("c1"), at_us: 100000, do: Call(from: "web", to: "api")),
        (id: Some("c2"), at_us: 200000, do: Call(from: "web", to: "api")),
        (id: Some("c3"), at_us: 300000, do: Call(from: "web", to: "api")),
        (id: Some("c4"), at_us: 400000, do: Call(from: "web", to: "api")),
        (id: Some("c5"), at_us: 500000, do: Call(from: "web", to: "api")),
        (id: Some("c6"), at_us: 600000, do: Call(from: "web", to: "api")),
        (id: Some("c7"), at_us: 700000, do: Call(from: "web", to: "api")),
        (id: Some("c8"), at_us: 800000, do: Call(from: "web", to: "api")),
        (id: Some("c9"), at_us: 900000, do: Call(from: "web", to: "api")),
    ],
    steps: [
        (id: Some("first"), on: (component: "web/app", action: ReceiveResponse, flow: Some("c0")), action: "first answer", result: "an answer"),
        (on: (component: "web/app", action: ReceiveResponse, flow: Some("c9")), action: "last answer", result: "an answer"),
    ],
)"#;

fn lesson() -> Lesson {
    Lesson::from_source("random.ron", RANDOM).unwrap()
}

fn opts(seed: u64) -> RunOptions {
    RunOptions {
        seed,
        record: true,
        ..Default::default()
    }
}

fn no_retries() -> StimulusAction {
    StimulusAction::KubectlApplyConfig {
        manifest: "no-retries.yaml".into(),
        resources: ron::from_str::<Vec<Resource>>(
            r#"[Routes((host: "api", http: [(retries: Some((attempts: 0)))]))]"#,
        )
        .unwrap(),
    }
}

#[test]
fn a_checkpoint_continued_unchanged_gives_the_unchanged_trace() {
    let l = lesson();
    let whole = simulate(&l.topology, &l.scenario.stimuli, &opts(11)).unwrap();
    let mut sim = Sim::start(&l.topology, &l.scenario.stimuli, &opts(11)).unwrap();
    assert!(sim.run_through_row(whole.rows.len() / 2));
    let resumed = sim.checkpoint().finish();
    // The random draws go on from where the checkpoint was, not from a fresh seed.
    assert_eq!(resumed.rows, whole.rows);
    assert_eq!(resumed.call_results, whole.call_results);
    assert_eq!(sim.finish().rows, whole.rows);
}

#[test]
fn a_fork_changed_at_a_row_equals_a_run_changed_after_that_row() {
    let l = lesson();
    let base = simulate(&l.topology, &l.scenario.stimuli, &opts(3)).unwrap();
    let row = base.rows.len() / 3;
    let mut here = Sim::start(&l.topology, &l.scenario.stimuli, &opts(3)).unwrap();
    here.run_through_row(row);
    let mut fork = here.checkpoint();
    fork.change(&[Fault::ControlPlaneDown], &[no_retries()])
        .unwrap();
    let forked = fork.finish();
    let from_zero = simulate(
        &l.topology,
        &l.scenario.stimuli,
        &RunOptions {
            faults: vec![Fault::ControlPlaneDown],
            changes: vec![no_retries()],
            from: FaultStart::AfterRow(row),
            ..opts(3)
        },
    )
    .unwrap();
    assert_eq!(forked.rows, from_zero.rows);
    assert_eq!(forked.flows, from_zero.flows);
    // Both share the unchanged run up to the fork, then leave it.
    assert_eq!(forked.rows[..=row], base.rows[..=row]);
    assert_eq!(forked.rows[row + 1].action, Action::InjectFault);
}

#[test]
fn forks_of_one_checkpoint_do_not_share_state() {
    let l = lesson();
    let mut here = Sim::start(&l.topology, &l.scenario.stimuli, &opts(5)).unwrap();
    here.run_through_row(20);
    let mut a = here.checkpoint();
    a.change(&[], &[no_retries()]).unwrap();
    let a = a.finish();
    let mut b = here.checkpoint();
    b.change(&[], &[no_retries()]).unwrap();
    let b = b.finish();
    let untouched = here.finish();
    assert_eq!(a.rows, b.rows, "the same change from the same point");
    assert_ne!(a.rows, untouched.rows, "the change made a difference");
    let whole = simulate(&l.topology, &l.scenario.stimuli, &opts(5)).unwrap();
    assert_eq!(
        untouched.rows, whole.rows,
        "forking left the original alone"
    );
}

#[test]
fn a_change_at_a_time_comes_before_every_event_of_that_time() {
    let l = lesson();
    let mut sim = Sim::start(&l.topology, &l.scenario.stimuli, &opts(1)).unwrap();
    // 300 ms is when call c3 starts: the change must come first.
    sim.run_until(300_000);
    assert_eq!(sim.now(), 300_000);
    assert!(sim.rows().iter().all(|r| r.time_us < 300_000));
    sim.change(&[Fault::ControlPlaneDown], &[]).unwrap();
    let t = sim.finish();
    let fault = t
        .rows
        .iter()
        .position(|r| r.action == Action::InjectFault)
        .unwrap();
    assert_eq!(t.rows[fault].time_us, 300_000);
    assert!(t.rows[..fault].iter().all(|r| r.time_us < 300_000));
    let c3 = t.flow("c3").unwrap();
    let first_c3 = t.rows.iter().position(|r| r.flow == Some(c3)).unwrap();
    assert!(first_c3 > fault);
}

#[test]
fn a_change_naming_nothing_is_refused_before_the_fork_moves() {
    let l = lesson();
    let mut sim = Sim::start(&l.topology, &l.scenario.stimuli, &opts(1)).unwrap();
    sim.run_through_row(4);
    let bad = StimulusAction::RebuildApp {
        app: "nope".into(),
        config: Vec::new(),
    };
    let err = sim
        .change(&[Fault::NoSidecar("ghost".into())], &[bad])
        .unwrap_err();
    assert!(err.iter().any(|e| e.message.contains("ghost")), "{err:?}");
    assert_eq!(sim.events(), 5, "nothing ran");
    let whole = simulate(&l.topology, &l.scenario.stimuli, &opts(1)).unwrap();
    assert_eq!(sim.finish().rows, whole.rows, "nothing changed");
}

#[test]
fn a_lesson_fork_shares_the_lesson_up_to_its_step_and_marks_only_later_steps() {
    let l = lesson();
    let fork = l
        .fork(
            l.scenario.seed,
            Some(Onset::AfterStep(StepRef::Id("first".into()))),
        )
        .unwrap();
    let row = fork.base.bindings[0].unwrap();
    assert_eq!(fork.from, FaultStart::AfterRow(row));
    let changed = fork
        .run(&[Fault::ControlPlaneDown], &[no_retries()])
        .unwrap();
    assert_eq!(changed.trace.rows[..=row], fork.base.trace.rows[..=row]);
    assert!(!changed.affected_steps().contains(&1));
    // The unchanged run is untouched and can be forked again, the same way.
    let again = fork
        .run(&[Fault::ControlPlaneDown], &[no_retries()])
        .unwrap();
    assert_eq!(again.trace.rows, changed.trace.rows);
    assert_eq!(fork.run(&[], &[]).unwrap().trace.rows, fork.base.trace.rows);
}

#[test]
fn a_change_at_a_quiet_time_is_made_then_and_time_never_runs_backwards() {
    let l = lesson();
    // Nothing happens at 250 ms: the calls before are answered, c3 starts at 300 ms.
    let t = simulate(
        &l.topology,
        &l.scenario.stimuli,
        &RunOptions {
            changes: vec![no_retries()],
            from: FaultStart::AtUs(250_000),
            ..opts(2)
        },
    )
    .unwrap();
    let apply = (t.rows.iter())
        .position(|r| r.action == Action::ApplyMeshConfig)
        .unwrap();
    assert_eq!(t.rows[apply].time_us, 250_000);
    assert!(
        t.rows.windows(2).all(|w| w[0].time_us <= w[1].time_us),
        "rows out of time order"
    );
}
