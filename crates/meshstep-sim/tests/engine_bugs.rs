//! Bugs found by writing lessons from the docs, each pinned by a test that
//! failed on the round-1 engine, plus the edges of the mesh the engine now
//! models: hosts outside the cluster, kubectl's view of containers, and the
//! event limit.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Fault, Lesson, RunOptions, State, simulate};

#[test]
fn a_late_reply_is_dropped_by_the_proxy_and_stays_with_the_pod_that_sent_it() {
    // s1 takes 10 ms, longer than the 5 ms per-try timeout; the retry goes to s2.
    let t = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Sidecar),
                   (id: "s1", app: "s", proxy: Sidecar, service_time_us: 10000),
                   (id: "s2", app: "s", proxy: Sidecar, service_time_us: 1000)],
            services: [(name: "s", selector: "s")])"#,
    );
    let tr = run(
        &t,
        &stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "a", to: "s"))]"#),
        0,
        vec![],
    );
    assert_eq!(result(&tr, "c"), CallResult::Http(200));
    // Each server answered the attempt it received, and is idle at the end.
    assert_eq!(rows(&t, &tr, "s1/app", Action::SendResponse).len(), 1);
    assert_eq!(rows(&t, &tr, "s2/app", Action::SendResponse).len(), 1);
    let last = tr.final_snapshot();
    for app in ["s1/app", "s2/app"] {
        assert_eq!(
            last.states[t.find(app).unwrap().index()],
            State::Idle,
            "{app}"
        );
    }
    // s1's reply reached the caller's sidecar after it had retried: dropped there.
    let late = rows(&t, &tr, "a/sidecar", Action::DropLateReply);
    assert_eq!(late.len(), 1);
    let cause = late[0].cause.unwrap().index();
    assert_eq!(tr.rows[cause].component, t.find("s1/sidecar").unwrap());
}

#[test]
fn load_balancing_is_per_caller_so_one_callers_retries_do_not_move_anothers_calls() {
    let t = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Sidecar), (id: "c", app: "c", proxy: Sidecar),
                   (id: "s1", app: "s", proxy: Sidecar), (id: "s2", app: "s", proxy: Sidecar)],
            services: [(name: "s", selector: "s")])"#,
    );
    let s = stimuli(
        r#"[(at_us: 0, do: Call(from: "a", to: "s")), (at_us: 30000, do: Call(from: "c", to: "s")),
            (at_us: 60000, do: Call(from: "a", to: "s")), (at_us: 90000, do: Call(from: "c", to: "s"))]"#,
    );
    let endpoints = |tr: &meshstep_sim::Trace, who: &str| -> Vec<String> {
        rows(&t, tr, who, Action::Forward)
            .iter()
            .map(|r| match r.outcome {
                Outcome::Forwarded {
                    endpoint: Some(p), ..
                } => t.pod(p).id.clone(),
                ref o => panic!("{o:?}"),
            })
            .collect()
    };
    let base = run(&t, &s, 3, vec![]);
    // Each caller starts its own rotation.
    assert_eq!(endpoints(&base, "a/sidecar"), ["s1", "s2"]);
    assert_eq!(endpoints(&base, "c/sidecar"), ["s1", "s2"]);
    // a's calls lose their first attempts and retry; c's choices do not move.
    let lossy = run(
        &t,
        &s,
        3,
        vec![Fault::Lossy {
            pod: Some("a".into()),
            probability: 1.0,
        }],
    );
    assert!(!rows(&t, &lossy, "a/sidecar", Action::Retry).is_empty());
    assert_eq!(endpoints(&lossy, "c/sidecar"), ["s1", "s2"]);
}

#[test]
fn a_proxys_504_is_graded_as_http_504_not_as_a_timeout() {
    let lesson = |claim: &str| {
        format!(
            r#"Scenario(
    version: 1, id: "t", title: "T",
    topology: (
        control_plane: Some((id: "cp")),
        pods: [(id: "a", app: "a", proxy: Sidecar), (id: "s", app: "s", proxy: Sidecar, service_time_us: 50000)],
        services: [(name: "s", selector: "s")],
    ),
    stimuli: [(id: Some("c"), at_us: 0, do: Call(from: "a", to: "s"))],
    steps: [(on: (component: "a/app", action: ReceiveResponse), action: "answer", result: "?")],
    quiz: [(
        question: "What does the app get?", hint: "Read step 1.", asks: StepOutcome(step: 1),
        options: [
            (text: "The proxy's answer", correct: true, means: Some(Outcome({claim}))),
            (text: "HTTP 200", means: Some(Outcome(Http(200)))),
        ],
    )],
)"#
        )
    };
    // The slow server makes every attempt time out: the sidecar answers 504.
    assert!(Lesson::from_source("ok.ron", &lesson("Http(504)")).is_ok());
    let src = lesson("Timeout");
    let err = Lesson::from_source("old.ron", &src).unwrap_err();
    let d = err
        .iter()
        .find(|d| d.message.contains("HTTP 504"))
        .expect("the 504 is named");
    assert!(
        d.hints.iter().any(|h| h.contains("meshstep migrate")),
        "{d:?}"
    );
}

#[test]
fn a_sidecar_answers_503_when_no_endpoint_is_ready() {
    let t = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Sidecar), (id: "s", app: "s", proxy: Library)],
            services: [(name: "s", selector: "s")])"#,
    );
    let s = stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "a", to: "s"))]"#);
    // The only endpoint's app never starts: it is not a ready endpoint.
    let tr = run(&t, &s, 0, vec![Fault::NoLibrary("s".into())]);
    assert_eq!(result(&tr, "c"), CallResult::Http(503));
    let fwd = rows(&t, &tr, "a/sidecar", Action::Forward);
    assert_eq!(fwd[0].outcome, Outcome::Failed(Failure::NoEndpoints));
}

#[test]
fn a_caller_without_a_proxy_gets_a_timeout_not_a_status() {
    let t = topo(
        r#"(pods: [(id: "x", app: "x"), (id: "y", app: "y", service_time_us: 50000)],
            services: [(name: "y", selector: "y")], mesh: (app_timeout_us: 10000))"#,
    );
    let tr = run(
        &t,
        &stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "x", to: "y"))]"#),
        0,
        vec![],
    );
    assert_eq!(result(&tr, "c"), CallResult::Failed(Failure::Timeout));
}

#[test]
fn retries_exhausted_on_timeouts_answer_504_and_on_resets_503() {
    let slow = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Sidecar), (id: "s", app: "s", proxy: Sidecar, service_time_us: 50000)],
            services: [(name: "s", selector: "s")])"#,
    );
    let s = stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "a", to: "s"))]"#);
    assert_eq!(
        result(&run(&slow, &s, 0, vec![]), "c"),
        CallResult::Http(504)
    );
    // A library proxy calling a strict sidecar is reset every time: 503.
    let strict = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Library), (id: "s", app: "s", proxy: Sidecar)],
            services: [(name: "s", selector: "s")], mesh: (mtls: Strict))"#,
    );
    let tr = run(&strict, &s, 0, vec![]);
    assert_eq!(result(&tr, "c"), CallResult::Http(503));
    assert_eq!(
        rows(&strict, &tr, "s/sidecar", Action::RejectPlaintext).len(),
        3
    );
}

const EGRESS: &str = r#"(
    control_plane: Some((id: "cp")),
    pods: [(id: "a", app: "a", proxy: Sidecar), (id: "p", app: "p")],
    external: [(host: "api.pay.example"), (host: "maps.example", service_entry: true)],
    mesh: (outbound: OUTBOUND, per_try_timeout_us: 100000, app_timeout_us: 100000),
)"#;

#[test]
fn unknown_external_hosts_pass_through_by_default_and_get_502_in_registry_only_mode() {
    let s = stimuli(
        r#"[(id: Some("pay"), at_us: 0, do: Call(from: "a", to: "api.pay.example")),
            (id: Some("maps"), at_us: 100000, do: Call(from: "a", to: "maps.example")),
            (id: Some("plain"), at_us: 200000, do: Call(from: "p", to: "api.pay.example"))]"#,
    );
    let allow = topo(&EGRESS.replace("OUTBOUND", "AllowAny"));
    let tr = run(&allow, &s, 0, vec![]);
    assert_eq!(result(&tr, "pay"), CallResult::Http(200));
    let only = topo(&EGRESS.replace("OUTBOUND", "RegistryOnly"));
    let tr = run(&only, &s, 0, vec![]);
    assert_eq!(result(&tr, "pay"), CallResult::Http(502));
    assert_eq!(
        rows(&only, &tr, "a/sidecar", Action::ApplyPolicies)[0].outcome,
        Outcome::Failed(Failure::NotInRegistry)
    );
    // Registered with a service entry: allowed. No sidecar: nothing to stop it.
    assert_eq!(result(&tr, "maps"), CallResult::Http(200));
    assert_eq!(result(&tr, "plain"), CallResult::Http(200));
}

#[test]
fn kubectl_logs_shows_the_app_container_unless_the_proxy_container_is_named() {
    let t = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", proxy: Sidecar)],
            services: [(name: "b", selector: "b")], mesh: (access_log: ACCESS))"#
            .replace("ACCESS", "true")
            .as_str(),
    );
    let s = stimuli(
        r#"[(at_us: 0, do: Call(from: "a", to: "b")),
            (at_us: 100000, do: KubectlLogs(pod: "a")),
            (at_us: 100000, do: KubectlLogs(pod: "a", container: "istio-proxy"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let logs: Vec<String> = rows(&t, &tr, "kubectl", Action::ReadLogs)
        .iter()
        .map(|r| output(&r.outcome))
        .collect();
    assert!(
        logs[0].starts_with("a app log: 1 call(s) made"),
        "{}",
        logs[0]
    );
    assert!(!logs[0].contains("mTLS"), "{}", logs[0]);
    assert!(
        logs[1].contains("proxy access log: 1 request(s), last HTTP 200"),
        "{}",
        logs[1]
    );
    assert!(logs[1].contains("1 of 1 over mTLS"), "{}", logs[1]);
    // Access logging off (Istio's default): the proxy has nothing to show.
    let off = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", proxy: Sidecar)],
            services: [(name: "b", selector: "b")])"#,
    );
    let tr = run(&off, &s, 0, vec![]);
    let proxy = output(&rows(&off, &tr, "kubectl", Action::ReadLogs)[1].outcome);
    assert!(proxy.contains("access logging is off"), "{proxy}");
}

#[test]
fn hitting_the_event_limit_marks_the_run_truncated() {
    let t = topo(MESH);
    let s = stimuli(
        r#"[(id: Some("c1"), at_us: 0, do: Call(from: "a", to: "b")),
            (id: Some("c2"), at_us: 0, do: Call(from: "a", to: "b"))]"#,
    );
    let full = run(&t, &s, 0, vec![]);
    assert_eq!(full.truncated, None);
    let cut = simulate(
        &t,
        &s,
        &RunOptions {
            record: true,
            max_events: Some(6),
            ..Default::default()
        },
    )
    .unwrap();
    let why = cut.truncated.expect("marked truncated");
    assert_eq!(why.max_events, 6);
    assert_eq!(why.calls_pending, 2);
    assert_eq!(
        cut.call_results,
        [Some(CallResult::Pending), Some(CallResult::Pending)]
    );
    assert!(
        cut.rows
            .last()
            .unwrap()
            .note
            .to_string()
            .contains("event limit")
    );
}
