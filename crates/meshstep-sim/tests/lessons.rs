//! One test per lesson: the simulated process table has the seed's rows
//! (component and action per step), the tracker shows the seed's states, and
//! every quiz answer marked right is right by the engine. Snapshots keep the
//! full table and tracker stable.

use meshstep_sim::lesson::StepStatus;
use meshstep_sim::lesson::quiz::{engine_answer, right_options};
use meshstep_sim::scenario::schema::Ask;
use meshstep_sim::{Action, ComponentKind, Fault, Lesson, LessonRun, RunOptions};

fn lesson(id: &str) -> Lesson {
    let path = format!("{}/../../scenarios/{id}.ron", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).expect("lesson file exists");
    Lesson::from_source(&path, &src).unwrap_or_else(|d| panic!("{id} is invalid: {d:#?}"))
}

fn run(l: &Lesson, faults: Vec<Fault>) -> LessonRun {
    l.run(&RunOptions {
        seed: l.scenario.seed,
        faults,
        ..Default::default()
    })
    .unwrap()
}

/// Asserts the table's (label, kind, action) per step, all bound and as written.
fn assert_rows(l: &Lesson, r: &LessonRun, want: &[(&str, ComponentKind, Action)]) {
    assert_eq!(r.table.rows.len(), want.len(), "number of steps");
    for (row, (label, kind, action)) in r.table.rows.iter().zip(want) {
        let c = l.topology.find(&row.component_id).unwrap();
        assert_eq!(
            (
                row.component.as_str(),
                l.topology.component(c).kind,
                row.action
            ),
            (*label, *kind, *action),
            "step {}",
            row.step
        );
        assert!(row.trace_row.is_some(), "step {} happened", row.step);
        assert_eq!(row.status, StepStatus::AsWritten);
    }
    let times: Vec<u64> = r.table.rows.iter().map(|x| x.time_us.unwrap()).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "steps are in time order: {times:?}"
    );
}

fn assert_tracker(r: &LessonRun, want: &[(&str, &[&str])]) {
    assert_eq!(r.tracker.lines.len(), want.len());
    for (line, (label, cells)) in r.tracker.lines.iter().zip(want) {
        let got: Vec<&str> = line.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!((line.label.as_str(), got.as_slice()), (*label, *cells));
    }
}

/// Every quiz and practice question the engine can grade: the marked option is
/// the one the engine computes.
fn assert_answers_right_by_engine(l: &Lesson, r: &LessonRun) -> usize {
    let mut graded = 0;
    let qs = l
        .scenario
        .quiz
        .iter()
        .map(|q| (&q.asks, &q.options, &q.question));
    let ps = l
        .scenario
        .practice
        .iter()
        .map(|q| (&q.asks, &q.options, &q.question));
    for (ask, options, question) in qs.chain(ps) {
        let answer = engine_answer(l, r, ask);
        let Some(right) = right_options(&answer, options) else {
            assert_eq!(
                *ask,
                Ask::Concept,
                "{question}: engine could not grade: {answer}"
            );
            continue;
        };
        let marked: Vec<usize> = options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(right, marked, "{question}: engine says {answer}");
        graded += 1;
    }
    graded
}

fn snapshot_text(r: &LessonRun) -> String {
    let mut s = String::new();
    for row in &r.table.rows {
        s += &format!(
            "{} | {} | {:?} | {} | {}\n",
            row.step, row.component, row.action, row.action_text, row.engine
        );
    }
    s += "\n";
    s += &format!(
        "{} | {}\n",
        r.tracker.heading,
        r.tracker.checkpoints.join(" | ")
    );
    for l in &r.tracker.lines {
        let cells: Vec<String> = l
            .cells
            .iter()
            .map(|c| {
                if c.changed {
                    format!("*{}", c.text)
                } else {
                    c.text.clone()
                }
            })
            .collect();
        s += &format!("{} | {}\n", l.label, cells.join(" | "));
    }
    s
}

#[test]
fn mesh_vs_library_matches_the_seed() {
    use Action::*;
    use ComponentKind as K;
    let l = lesson("mesh-vs-library");
    let r = run(&l, vec![]);
    assert_rows(
        &l,
        &r,
        &[
            ("Application", K::App, SendRequest),
            ("Library Proxy", K::Library, LibraryProcess),
            ("Application", K::App, SendRequest),
            ("Sidecar Proxy", K::Sidecar, ApplyPolicies),
            ("Sidecar Proxy", K::Sidecar, Forward),
            ("Sidecar Proxy", K::Sidecar, ReportMetrics),
            ("Control Plane", K::ControlPlane, PushConfig),
            ("Application", K::App, ReceiveResponse),
            ("End", K::End, End),
        ],
    );
    assert_tracker(
        &r,
        &[
            (
                "Application",
                &[
                    "Idle",
                    "Request sent via library proxy",
                    "Request sent to sidecar proxy",
                    "Waiting for response",
                    "Waiting for response",
                    "Response received",
                ],
            ),
            (
                "Library Proxy",
                &[
                    "Inactive",
                    "Processing request",
                    "N/A",
                    "N/A",
                    "N/A",
                    "Idle",
                ],
            ),
            (
                "Sidecar Proxy",
                &[
                    "Inactive",
                    "N/A",
                    "Intercepting request",
                    "Applying policies",
                    "Reporting metrics",
                    "Idle",
                ],
            ),
            (
                "Control Plane",
                &["Idle", "Idle", "Idle", "Idle", "Updating config", "Idle"],
            ),
        ],
    );
    assert_eq!(
        assert_answers_right_by_engine(&l, &r),
        4,
        "3 quiz questions and 1 engine-graded practice question"
    );
    // The seed's "what if the control plane stops sending config": step 7.
    assert_eq!(run(&l, vec![Fault::ConfigPushHalted]).affected_steps(), [7]);
    // Stopping the control plane outright also loses the step-6 metrics.
    assert_eq!(
        run(&l, vec![Fault::ControlPlaneDown]).affected_steps(),
        [6, 7]
    );
    insta::assert_snapshot!("mesh-vs-library", snapshot_text(&r));
}

#[test]
fn why_mesh_matters_matches_the_seed() {
    use Action::*;
    use ComponentKind as K;
    let l = lesson("why-mesh-matters");
    let r = run(&l, vec![]);
    assert_rows(
        &l,
        &r,
        &[
            ("kubectl", K::Kubectl, ApplyManifest),
            ("kubectl", K::Kubectl, ListPods),
            ("kubectl", K::Kubectl, ExecCurl),
            ("kubectl", K::Kubectl, ReadLogs),
            ("legacy app (no mesh)", K::App, ReceiveResponse),
            ("End", K::End, End),
        ],
    );
    let engine = |i: usize| r.table.rows[i].engine.clone();
    assert!(
        engine(1).contains("istiod STATUS=Running")
            && engine(1).contains("istio-ingressgateway STATUS=Running"),
        "{}",
        engine(1)
    );
    assert!(
        engine(2).contains("HTTP 200 OK") && engine(2).contains("mTLS"),
        "{}",
        engine(2)
    );
    assert!(
        engine(3).contains("proxy log")
            && engine(3).contains("retries")
            && engine(3).contains("mTLS"),
        "{}",
        engine(3)
    );
    assert!(
        engine(4).contains("plaintext") && engine(4).contains("1 attempt"),
        "{}",
        engine(4)
    );
    assert_tracker(
        &r,
        &[
            (
                "Service Communication",
                &[
                    "Direct calls, no control",
                    "Managed by proxies with retries and encryption",
                ],
            ),
            (
                "Security",
                &["No automatic encryption", "Mutual TLS encryption enabled"],
            ),
            (
                "Observability",
                &[
                    "Limited logs and metrics",
                    "Detailed telemetry and tracing available",
                ],
            ),
            (
                "Reliability",
                &[
                    "No automatic retries",
                    "Automatic retries and circuit breaking",
                ],
            ),
        ],
    );
    assert_eq!(assert_answers_right_by_engine(&l, &r), 3);
    insta::assert_snapshot!("why-mesh-matters", snapshot_text(&r));
}

#[test]
fn mesh_overview_matches_the_seed() {
    use Action::*;
    use ComponentKind as K;
    let l = lesson("mesh-overview");
    let r = run(&l, vec![]);
    assert_rows(
        &l,
        &r,
        &[
            ("kubectl", K::Kubectl, ApplyManifest),
            ("Client Pod", K::App, SendRequest),
            ("Sidecar Proxy", K::Sidecar, ReceiveRoutes),
            ("Sidecar Proxy", K::Sidecar, Forward),
            ("Server Pod", K::App, HandleRequest),
            ("Sidecar Proxy", K::Sidecar, ReturnResponse),
            ("N/A", K::End, End),
        ],
    );
    assert_tracker(
        &r,
        &[
            (
                "Request State",
                &[
                    "Not sent",
                    "Intercepted by client sidecar",
                    "Forwarded to server sidecar",
                    "Processed by server pod",
                ],
            ),
            (
                "Routing Rules",
                &[
                    "Empty",
                    "Fetched from control plane",
                    "Applied to request",
                    "N/A",
                ],
            ),
            (
                "Policy Enforcement",
                &["None", "Checked by sidecar", "Enforced on request", "N/A"],
            ),
        ],
    );
    assert_eq!(assert_answers_right_by_engine(&l, &r), 3);
    // "If the control plane fails, step 3 is directly affected", and everything after it follows.
    let down = run(&l, vec![Fault::ControlPlaneDown]);
    assert_eq!(down.affected_steps().first(), Some(&3));
    assert!(
        !down.affected_steps().contains(&2),
        "interception does not need the control plane"
    );
    insta::assert_snapshot!("mesh-overview", snapshot_text(&r));
}

#[test]
fn every_lesson_has_the_seed_teaching_material() {
    for (id, practice, deep) in [
        ("mesh-vs-library", 5, true),
        ("why-mesh-matters", 5, false),
        ("mesh-overview", 0, true),
    ] {
        let l = lesson(id);
        let s = &l.scenario;
        assert_eq!(s.quiz.len(), 3, "{id}: visual quiz");
        assert_eq!(s.key_moments.len(), 3, "{id}: key moments");
        assert!(
            !s.concept_snapshot.is_empty() && !s.transcript.is_empty(),
            "{id}"
        );
        assert!(
            !s.process_flow.nodes.is_empty() && !s.execution_sample.lines.is_empty(),
            "{id}"
        );
        assert_eq!(s.practice.len(), practice, "{id}: practice");
        let mut by_level: Vec<_> = s.practice.iter().map(|p| p.difficulty).collect();
        by_level.dedup();
        assert!(
            by_level.windows(2).all(|w| w[0] <= w[1]),
            "{id}: practice ordered easy to hard"
        );
        assert_eq!(s.deep_dive.is_some(), deep, "{id}: deep dive");
        assert!(l.warnings.is_empty(), "{id}: {:?}", l.warnings);
    }
}
