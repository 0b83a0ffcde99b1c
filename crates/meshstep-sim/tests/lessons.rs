//! One test per lesson: the simulated process table has the seed's rows (the
//! kind of component and the action per step) with the engine's outcomes, the
//! tracker shows the seed's states, and the engine's answer to every question
//! is fixed here. Snapshots keep the full table and tracker stable.

mod lesson_support;

use lesson_support::assert_engine_answers;
use meshstep_sim::ids::PodId;
use meshstep_sim::lesson::StepStatus;
use meshstep_sim::lesson::quiz::EngineAnswer;
use meshstep_sim::scenario::schema::OutcomeClaim;
use meshstep_sim::trace::{Outcome, Route};
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

/// Asserts what the engine did at each step: the acting component's kind
/// (its label may name the pod), the action, and the outcome, against fixed
/// values; every step bound, as written, in time order.
fn assert_rows(l: &Lesson, r: &LessonRun, want: &[(ComponentKind, Action, Outcome)]) {
    assert_eq!(r.table.rows.len(), want.len(), "number of steps");
    for (row, (kind, action, outcome)) in r.table.rows.iter().zip(want) {
        let c = l.topology.find(&row.component_id).unwrap();
        assert_eq!(
            (
                l.topology.component(c).kind,
                row.action,
                row.outcome.as_ref()
            ),
            (*kind, *action, Some(outcome)),
            "step {}",
            row.step
        );
        assert_eq!(row.status, StepStatus::AsWritten, "step {}", row.step);
    }
    let times: Vec<u64> = r.table.rows.iter().map(|x| x.time_us.unwrap()).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "steps are in time order: {times:?}"
    );
}

/// Asserts the tracker: the seed's words per cell, and the engine's own state
/// key behind each one.
fn assert_tracker(r: &LessonRun, want: &[(&str, &[&str], &[&str])]) {
    assert_eq!(r.tracker.lines.len(), want.len());
    for (line, (label, cells, keys)) in r.tracker.lines.iter().zip(want) {
        let got: Vec<&str> = line.cells.iter().map(|c| c.text.as_str()).collect();
        let got_keys: Vec<&str> = line.cells.iter().map(|c| c.key.as_str()).collect();
        assert_eq!((line.label.as_str(), got.as_slice()), (*label, *cells));
        assert_eq!(got_keys.as_slice(), *keys, "{label}");
    }
}

fn t_pod(l: &Lesson, id: &str) -> PodId {
    l.topology.pod_id(id).unwrap()
}

fn forwarded(to: PodId, encrypted: bool) -> Outcome {
    Outcome::Forwarded {
        endpoint: Some(to),
        attempt: 1,
        encrypted,
    }
}

fn http(status: u16, latency_us: u64, encrypted: bool) -> Outcome {
    Outcome::Http {
        status,
        latency_us,
        attempts: 1,
        encrypted,
    }
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
    let payments = t_pod(&l, "payments-0");
    assert_rows(
        &l,
        &r,
        &[
            (K::App, SendRequest, Outcome::SentVia(Route::Library)),
            (K::Library, LibraryProcess, forwarded(payments, false)),
            (K::App, SendRequest, Outcome::SentVia(Route::Sidecar)),
            (K::Sidecar, ApplyPolicies, Outcome::Done),
            (K::Sidecar, Forward, forwarded(payments, true)),
            (K::Sidecar, ReportMetrics, Outcome::Done),
            (
                K::ControlPlane,
                PushConfig,
                Outcome::Pushed {
                    version: 2,
                    sidecars: 2,
                },
            ),
            (K::App, ReceiveResponse, http(200, 151_210, true)),
            (K::End, End, Outcome::Done),
        ],
    );
    // Labels name the pod with the role.
    assert_eq!(r.table.rows[0].component, "Application (checkout-lib)");
    assert_eq!(r.table.rows[2].component, "Application (checkout-mesh)");
    assert_tracker(
        &r,
        &[
            // One row per app (the seed merged them, hiding which app acted).
            (
                "Application (checkout-lib)",
                &[
                    "Idle",
                    "Request sent via library proxy",
                    "Response received",
                    "Response received",
                    "Response received",
                    "Response received",
                ],
                &[
                    "idle",
                    "sent_via_library",
                    "response_received",
                    "response_received",
                    "response_received",
                    "response_received",
                ],
            ),
            (
                "Application (checkout-mesh)",
                &[
                    "Idle",
                    "Idle",
                    "Request sent to sidecar proxy",
                    "Waiting for response",
                    "Waiting for response",
                    "Response received",
                ],
                &[
                    "idle",
                    "idle",
                    "sent_to_sidecar",
                    "waiting_for_response",
                    "waiting_for_response",
                    "response_received",
                ],
            ),
            (
                "Library Proxy (checkout-lib)",
                &[
                    "Inactive",
                    "Processing request",
                    "Idle",
                    "Idle",
                    "Idle",
                    "Idle",
                ],
                &[
                    "inactive",
                    "processing_request",
                    "idle",
                    "idle",
                    "idle",
                    "idle",
                ],
            ),
            (
                "Sidecar Proxy (checkout-mesh)",
                &[
                    "Inactive",
                    "Inactive",
                    "Intercepting request",
                    "Applying policies",
                    "Reporting metrics",
                    "Idle",
                ],
                &[
                    "inactive",
                    "inactive",
                    "intercepting",
                    "applying_policies",
                    "reporting_metrics",
                    "idle",
                ],
            ),
            (
                "Control Plane",
                &["Idle", "Idle", "Idle", "Idle", "Updating config", "Idle"],
                &["idle", "idle", "idle", "idle", "updating_config", "idle"],
            ),
        ],
    );
    use EngineAnswer::{Outcome as O, Step, Text, Ungraded};
    assert_engine_answers(
        &l,
        &r,
        &[
            Step(4),
            Text("Processing request".into()),
            Step(7),
            Ungraded,
            Ungraded,
            O(OutcomeClaim::Unreachable),
            Ungraded,
            Ungraded,
        ],
    );
    // The seed's "what if the control plane stops sending config": step 7.
    assert_eq!(run(&l, vec![Fault::ConfigPushHalted]).affected_steps(), [7]);
    // Stopping the control plane outright loses the push, not the metrics:
    // Prometheus scrapes them from the sidecar.
    assert_eq!(run(&l, vec![Fault::ControlPlaneDown]).affected_steps(), [7]);
    insta::assert_snapshot!("mesh-vs-library", snapshot_text(&r));
}

#[test]
fn why_mesh_matters_matches_the_seed() {
    use Action::*;
    use ComponentKind as K;
    let l = lesson("why-mesh-matters");
    let r = run(&l, vec![]);
    let out = |s: &str| Outcome::Output(s.into());
    assert_rows(
        &l,
        &r,
        &[
            (
                K::Kubectl,
                ApplyManifest,
                out(
                    "namespace/istio-system created, 2 deployment(s) created, sidecar injector configured",
                ),
            ),
            (
                K::Kubectl,
                ListPods,
                out("istiod STATUS=Running, istio-ingressgateway STATUS=Running"),
            ),
            (K::Kubectl, ExecCurl, http(200, 2_210, true)),
            (
                K::Kubectl,
                ReadLogs,
                out(
                    "service-a proxy access log: 1 request(s), last HTTP 200 in 2.19 ms, 0 retries, 1 of 1 over mTLS",
                ),
            ),
            (K::App, ReceiveResponse, http(200, 2_000, false)),
            (K::End, End, Outcome::Done),
        ],
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
                &["direct", "sidecar"],
            ),
            (
                "Security",
                &["No automatic encryption", "Mutual TLS encryption enabled"],
                &["plaintext", "mtls"],
            ),
            (
                "Observability",
                &[
                    "Limited logs and metrics",
                    "Detailed telemetry and tracing available",
                ],
                &["limited", "telemetry"],
            ),
            (
                "Reliability",
                &[
                    "No automatic retries",
                    "Automatic retries and circuit breaking",
                ],
                &["none", "retries"],
            ),
        ],
    );
    use EngineAnswer::{Outcome as O, Step, Text, Ungraded};
    assert_engine_answers(
        &l,
        &r,
        &[
            O(OutcomeClaim::Http(200)),
            Text("Managed by proxies with retries and encryption".into()),
            Step(2),
            Ungraded,
            Ungraded,
            Ungraded,
            Ungraded,
            Ungraded,
        ],
    );
    // The control plane failing to start: no sidecar is injected, so the
    // curl succeeds in plaintext and there is no proxy log.
    let down = run(&l, vec![Fault::ControlPlaneDown]);
    assert_eq!(down.affected_steps(), [2, 3, 4]);
    assert!(matches!(
        down.table.rows[2].outcome,
        Some(Outcome::Http {
            status: 200,
            encrypted: false,
            ..
        })
    ));
    insta::assert_snapshot!("why-mesh-matters", snapshot_text(&r));
}

#[test]
fn mesh_overview_matches_the_seed() {
    use Action::*;
    use ComponentKind as K;
    let l = lesson("mesh-overview");
    let r = run(&l, vec![]);
    let server = t_pod(&l, "server");
    assert_rows(
        &l,
        &r,
        &[
            (
                K::Kubectl,
                ApplyManifest,
                Outcome::Output(
                    "namespace/linkerd created, 3 deployment(s) created, sidecar injector configured".into(),
                ),
            ),
            (K::App, SendRequest, Outcome::SentVia(Route::Sidecar)),
            (K::Sidecar, ReceiveRoutes, Outcome::Done),
            (K::Sidecar, Forward, forwarded(server, true)),
            (K::App, HandleRequest, Outcome::Done),
            (K::Sidecar, ReturnResponse, http(200, 2_590, true)),
            (K::End, End, Outcome::Done),
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
                &[
                    "not_sent",
                    "intercepted",
                    "forwarded_to_sidecar",
                    "processed",
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
                &["empty", "fetched", "applied", "finished"],
            ),
            (
                "Policy Enforcement",
                &["None", "Checked by sidecar", "Enforced on request", "N/A"],
                &["none", "checked", "enforced", "finished"],
            ),
        ],
    );
    use EngineAnswer::{Step, Text};
    assert_engine_answers(
        &l,
        &r,
        &[Step(3), Text("Forwarded to server sidecar".into()), Step(3)],
    );
    // "If the control plane fails, step 3 is directly affected", and everything after it follows.
    let down = l
        .run_what_if(
            l.scenario.seed,
            &[Fault::ControlPlaneDown],
            Some(meshstep_sim::scenario::schema::Onset::AtUs(3_400_000)),
        )
        .unwrap();
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
