//! Settings as what-ifs: a lesson's what-if may change configuration the
//! way an operator would (apply or delete mesh config, rebuild an app), from
//! a step on; the change travels as it would (a push, or a rebuild and a
//! rollout), and the steps it changes are marked.

use meshstep_sim::lesson::StepStatus;
use meshstep_sim::trace::CallResult;
use meshstep_sim::{Action, Lesson};

/// `web` calls a flaky `api` twice, 1 s apart; its route retries 503s.
const FLAKY: &str = r#"Scenario(
    version: 1, id: "flaky", title: "Flaky",
    topology: (
        control_plane: Some((id: "istiod", debounce_us: 1000)),
        pods: [
            (id: "web", app: "web", proxy: Sidecar),
            (id: "api-0", app: "api", proxy: Sidecar, handler: Some((errors: Some((status: 503))))),
            (id: "api-1", app: "api", proxy: Sidecar),
        ],
        services: [(name: "api", selector: "api")],
        config: [Routes((host: "api", http: [(retries: Some((attempts: 2, retry_on: [Http5xx])))]))],
    ),
    stimuli: [
        (id: Some("first"), at_us: 0, do: Call(from: "web", to: "api")),
        (id: Some("second"), at_us: 1000000, do: Call(from: "web", to: "api")),
        (id: Some("third"), at_us: 2000000, do: Call(from: "web", to: "api")),
    ],
    steps: [
        (id: Some("first-answer"), on: (component: "web/app", action: ReceiveResponse, flow: Some("first")), action: "first answer", result: "200"),
        (on: (component: "web/app", action: ReceiveResponse, flow: Some("second")), action: "second answer", result: "200"),
        (on: (component: "web/app", action: ReceiveResponse, flow: Some("third")), action: "third answer", result: "200"),
    ],
    what_if: [(
        label: "Retries off, from the first answer on",
        changes: [KubectlApplyConfig(manifest: "no-retries.yaml", resources: [
            Routes((host: "api", http: [(retries: Some((attempts: 0)))])),
        ])],
        from: Some(AfterStep("first-answer")),
        expect_affected: Some([2, 3]),
    )],
)"#;

#[test]
fn a_settings_change_from_a_step_travels_as_a_push_and_changes_later_calls() {
    let l = Lesson::from_source("flaky.ron", FLAKY).unwrap();
    let base = l.run(&Default::default()).unwrap();
    let run = l.run_lesson_what_if(l.scenario.seed, 0).unwrap();
    // Before the change both runs are the same.
    assert_eq!(base.trace.call_results[0], run.trace.call_results[0]);
    assert_eq!(run.trace.call_results[0], Some(CallResult::Http(200)));
    // The change is applied, pushed and taken by web's sidecar, all after step 1.
    let t = &l.topology;
    let row_of = |a: Action, c: &str| {
        run.trace
            .rows
            .iter()
            .position(|r| r.action == a && r.component == t.find(c).unwrap())
    };
    let step1 = run.bindings[0].unwrap();
    let applied = row_of(Action::ApplyMeshConfig, "kubectl").expect("applied");
    let taken = (run.trace.rows.iter().enumerate())
        .filter(|(_, r)| {
            r.action == Action::ApplyConfig && r.component == t.find("web/sidecar").unwrap()
        })
        .map(|(i, _)| i)
        .next_back()
        .unwrap();
    assert!(step1 < applied && applied < taken);
    // Round robin sends the third call to the failing pod first: with the
    // route's retries gone, its 503 reaches the app.
    let results: Vec<_> = (0..3).map(|i| run.trace.call_results[i].unwrap()).collect();
    assert!(results.contains(&CallResult::Http(503)), "{results:?}");
    assert!(
        base.trace
            .call_results
            .iter()
            .all(|r| *r == Some(CallResult::Http(200)))
    );
    let changed: Vec<u32> = (run.table.rows.iter())
        .filter(|r| r.status != StepStatus::AsWritten)
        .map(|r| r.step)
        .collect();
    assert_eq!(changed, run.affected_steps());
    assert!(!changed.contains(&1));
    // Loading checked `expect_affected` against this run; a wrong one is an error.
    let wrong = FLAKY.replace(
        "expect_affected: Some([2, 3])",
        "expect_affected: Some([3])",
    );
    let err = Lesson::from_source("wrong.ron", &wrong).unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.message.contains("with kubectl apply -f no-retries.yaml")),
        "{err:?}"
    );
}

#[test]
fn a_what_if_change_must_be_a_setting_not_a_call() {
    let bad = FLAKY.replace(
        r#"changes: [KubectlApplyConfig"#,
        r#"changes: [Call(from: "web", to: "api"), KubectlApplyConfig"#,
    );
    let err = Lesson::from_source("bad.ron", &bad).unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.message.contains("a what-if's change is a setting")),
        "{err:?}"
    );
}

#[test]
fn the_diff_of_a_settings_change_marks_what_is_new_changed_and_gone() {
    use meshstep_sim::trace::diff::{RowFate, diff};
    let l = Lesson::from_source("flaky.ron", FLAKY).unwrap();
    let w = &l.scenario.what_if[0];
    let fork = l.fork(l.scenario.seed, w.from.clone()).unwrap();
    let run = fork.run(&w.faults, &w.changes).unwrap();
    let (base, t) = (&fork.base.trace, &l.topology);
    let d = diff(base, &run.trace);
    assert_eq!(d.rows.len(), run.trace.rows.len());
    // Everything up to the first answer (the fork point) is shared.
    assert!(d.shared > fork.base.bindings[0].unwrap());
    assert!(d.rows[..d.shared].iter().all(|f| *f == RowFate::Same));
    // The operator's kubectl apply is new.
    let apply = (run.trace.rows.iter())
        .position(|r| r.action == Action::ApplyMeshConfig)
        .unwrap();
    assert_eq!(d.rows[apply], RowFate::New);
    // The third call's retry is gone, and its answer changed from 200 to 503.
    let third = base.flow("third");
    assert!(
        (d.gone.iter())
            .any(|&i| base.rows[i].action == Action::Retry && base.rows[i].flow == third),
        "{:?}",
        d.gone
    );
    let web = t.find("web/app").unwrap();
    let answer = (run.trace.rows.iter())
        .position(|r| r.action == Action::ReceiveResponse && r.component == web && r.flow == third)
        .unwrap();
    let RowFate::Changed { was } = d.rows[answer] else {
        panic!("{:?}", d.rows[answer]);
    };
    assert_eq!(base.rows[was].flow, third);
    assert_eq!(base.rows[was].action, Action::ReceiveResponse);
    // A run against itself has no difference.
    let same = diff(base, base);
    assert!(same.is_empty() && same.shared == base.rows.len());
}
