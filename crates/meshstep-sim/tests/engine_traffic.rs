//! Traffic management from configuration that means something: routes pick
//! subsets by weight or by header, mirror, time out and retry as configured;
//! a push carries the change and each proxy behaves differently once it has
//! applied it; a library does the same from its own build, and changing it
//! means a rebuild and a rollout.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Topology, Trace};

/// `reviews` has a v1 and a v2 pod; `web` calls it through a sidecar,
/// `lib` through a library.
fn canary(config: &str) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "cp")),
        pods: [
            (id: "web", app: "web", proxy: Sidecar),
            (id: "lib", app: "lib", proxy: Library),
            (id: "reviews-v1", app: "reviews", version: Some("v1"), proxy: Sidecar),
            (id: "reviews-v2", app: "reviews", version: Some("v2"), proxy: Sidecar),
        ],
        services: [(name: "reviews", selector: "reviews")],
        {config}
    )"#
    ))
}

const SUBSETS: &str = r#"Destination((host: "reviews", subsets: [(name: "v1", version: "v1"), (name: "v2", version: "v2")]))"#;

fn split(v1: u32, v2: u32) -> String {
    format!(
        r#"Routes((host: "reviews", http: [(to: [(subset: Some("v1"), weight: {v1}), (subset: Some("v2"), weight: {v2})])]))"#
    )
}

fn calls(from: &str, n: u32, gap_us: u64, http: &str) -> String {
    let list: String = (0..n)
        .map(|i| {
            format!(
                "(id: Some(\"c{i}\"), at_us: {}, do: Call(from: \"{from}\", to: \"reviews\"{http})),",
                u64::from(i) * gap_us
            )
        })
        .collect();
    format!("[{list}]")
}

fn handled(t: &Topology, tr: &Trace, pod: &str) -> usize {
    rows(t, tr, &format!("{pod}/app"), Action::HandleRequest).len()
}

#[test]
fn a_weighted_route_splits_calls_between_versions_by_the_seed() {
    let t = canary(&format!("config: [{SUBSETS}, {}],", split(90, 10)));
    let s = stimuli(&calls("web", 200, 10_000, ""));
    let tr = run(&t, &s, 5, vec![]);
    let (v1, v2) = (
        handled(&t, &tr, "reviews-v1"),
        handled(&t, &tr, "reviews-v2"),
    );
    assert_eq!(v1 + v2, 200);
    assert!((160..=195).contains(&v1), "v1 {v1}, v2 {v2}");
    // The same seed splits the same way; another seed differently.
    let again = run(&t, &s, 5, vec![]);
    assert_eq!(handled(&t, &again, "reviews-v2"), v2);
    let other = run(&t, &s, 6, vec![]);
    assert_ne!(
        rows(&t, &other, "web/sidecar", Action::Forward)
            .iter()
            .map(|r| r.outcome.clone())
            .collect::<Vec<_>>(),
        rows(&t, &tr, "web/sidecar", Action::Forward)
            .iter()
            .map(|r| r.outcome.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_header_match_sends_testers_to_v2_and_everyone_else_to_v1() {
    let routes = r#"Routes((host: "reviews", http: [
        (matches: [(headers: {"end-user": "jason"})], to: [(subset: Some("v2"))]),
        (to: [(subset: Some("v1"))]),
    ]))"#;
    let t = canary(&format!("config: [{SUBSETS}, {routes}],"));
    let tester = r#", http: (headers: {"end-user": "jason"})"#;
    let tr = run(&t, &stimuli(&calls("web", 10, 10_000, tester)), 0, vec![]);
    assert_eq!(
        (
            handled(&t, &tr, "reviews-v1"),
            handled(&t, &tr, "reviews-v2")
        ),
        (0, 10)
    );
    let tr = run(&t, &stimuli(&calls("web", 10, 10_000, "")), 0, vec![]);
    assert_eq!(
        (
            handled(&t, &tr, "reviews-v1"),
            handled(&t, &tr, "reviews-v2")
        ),
        (10, 0)
    );
}

#[test]
fn a_request_no_route_matches_gets_404_from_the_callers_proxy() {
    let routes = r#"Routes((host: "reviews", http: [(matches: [(path_prefix: Some("/api"))])]))"#;
    let t = canary(&format!("config: [{routes}],"));
    let tr = run(&t, &stimuli(&calls("web", 1, 0, "")), 0, vec![]);
    assert_eq!(result(&tr, "c0"), CallResult::Http(404));
    let policies = rows(&t, &tr, "web/sidecar", Action::ApplyPolicies);
    assert_eq!(policies[0].outcome, Outcome::Failed(Failure::NoRoute));
    // Nothing left the pod, and a 404 is not retried.
    assert!(rows(&t, &tr, "web/sidecar", Action::Forward).is_empty());
    let api = r#", http: (path: Some("/api/reviews/1"))"#;
    let tr = run(&t, &stimuli(&calls("web", 1, 0, api)), 0, vec![]);
    assert_eq!(result(&tr, "c0"), CallResult::Http(200));
}

#[test]
fn a_route_to_a_subset_nobody_defined_gets_503() {
    let t = canary(&format!("config: [{}],", split(50, 50)));
    let tr = run(&t, &stimuli(&calls("web", 1, 0, "")), 0, vec![]);
    assert_eq!(result(&tr, "c0"), CallResult::Http(503));
    assert_eq!(
        rows(&t, &tr, "web/sidecar", Action::ApplyPolicies)[0].outcome,
        Outcome::Failed(Failure::NoCluster)
    );
}

#[test]
fn a_mirror_gets_a_copy_whose_answer_nobody_sees() {
    let routes =
        r#"Routes((host: "reviews", http: [(to: [(subset: Some("v1"))], mirror: Some("v2"))]))"#;
    let t = canary(&format!("config: [{SUBSETS}, {routes}],"));
    let tr = run(&t, &stimuli(&calls("web", 1, 0, "")), 0, vec![]);
    assert_eq!(result(&tr, "c0"), CallResult::Http(200));
    assert_eq!(
        (
            handled(&t, &tr, "reviews-v1"),
            handled(&t, &tr, "reviews-v2")
        ),
        (1, 1)
    );
    let m = rows(&t, &tr, "web/sidecar", Action::MirrorRequest);
    assert_eq!(m.len(), 1);
    assert!(m[0].note.to_string().contains("reviews-shadow"));
    // The v2 copy's answer comes back and is thrown away.
    let dropped = rows(&t, &tr, "web/sidecar", Action::DropLateReply);
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].request, m[0].request);
    // The app got exactly one answer.
    assert_eq!(rows(&t, &tr, "web/app", Action::ReceiveResponse).len(), 1);
}

const SLOW: &str = r#"(
    control_plane: Some((id: "cp")),
    pods: [
        (id: "web", app: "web", proxy: Sidecar),
        (id: "api", app: "api", proxy: Sidecar, handler: Some((time: Some(Fixed(TIME)), errors: ERRORS))),
    ],
    services: [(name: "api", selector: "api")],
    config: [Routes((host: "api", http: [ROUTE]))],
)"#;

fn slow(time: u64, errors: &str, route: &str) -> Topology {
    topo(
        &SLOW
            .replace("TIME", &time.to_string())
            .replace("ERRORS", errors)
            .replace("ROUTE", route),
    )
}

const CALL_API: &str = r#"[(id: Some("call"), at_us: 0, do: Call(from: "web", to: "api"))]"#;

#[test]
fn the_route_timeout_covers_every_attempt_and_answers_504() {
    let t = slow(
        50_000,
        "None",
        "(timeout_us: Some(20000), retries: Some((attempts: 5, per_try_timeout_us: Some(6000), retry_on: [Reset], backoff_us: 0)))",
    );
    let tr = run(&t, &stimuli(CALL_API), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(504));
    let ut = rows(&t, &tr, "web/sidecar", Action::AttemptTimeout)
        .into_iter()
        .find(|r| r.outcome == Outcome::Failed(Failure::RouteTimeout))
        .expect("the route timeout fired");
    let start = rows(&t, &tr, "web/sidecar", Action::ApplyPolicies)[0].time_us;
    assert_eq!(ut.time_us - start, 20_000);
    // Per-try timeouts at 6 ms each left room for three attempts, not six.
    assert_eq!(
        rows(&t, &tr, "web/sidecar", Action::Forward).len()
            + rows(&t, &tr, "web/sidecar", Action::Retry).len(),
        4
    );
}

#[test]
fn retry_conditions_decide_what_is_tried_again() {
    // The default (connection failures only) does not retry a 500 …
    let default = slow(
        1000,
        "Some((status: 500))",
        "(retries: Some((attempts: 2)))",
    );
    let tr = run(&default, &stimuli(CALL_API), 0, vec![]);
    assert_eq!(
        rows(&default, &tr, "api/app", Action::HandleRequest).len(),
        1
    );
    assert_eq!(result(&tr, "call"), CallResult::Http(500));
    // … `Http5xx` does, twice, each after a back-off below 25 ms and 75 ms.
    let t = slow(
        1000,
        "Some((status: 500))",
        "(retries: Some((attempts: 2, retry_on: [Http5xx])))",
    );
    let tr = run(&t, &stimuli(CALL_API), 0, vec![]);
    assert_eq!(rows(&t, &tr, "api/app", Action::HandleRequest).len(), 3);
    let sent: Vec<u64> = rows(&t, &tr, "web/sidecar", Action::Forward)
        .iter()
        .chain(rows(&t, &tr, "web/sidecar", Action::Retry).iter())
        .map(|r| r.time_us)
        .collect();
    let answered: Vec<u64> = rows(&t, &tr, "api/app", Action::SendResponse)
        .iter()
        .map(|r| r.time_us + 500 + 20)
        .collect();
    assert!(
        sent[1] >= answered[0] && sent[1] - answered[0] < 25_000,
        "{sent:?} {answered:?}"
    );
    assert!(sent[2] >= answered[1] && sent[2] - answered[1] < 75_000);
    // `GatewayError` leaves a 500 alone.
    let t = slow(
        1000,
        "Some((status: 500))",
        "(retries: Some((attempts: 2, retry_on: [GatewayError])))",
    );
    let tr = run(&t, &stimuli(CALL_API), 0, vec![]);
    assert_eq!(rows(&t, &tr, "api/app", Action::HandleRequest).len(), 1);
}

/// Two proxies call `reviews`; a push moves them from v1 to v2.
fn two_callers(spacing: u64) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "cp", debounce_us: 1000, push_spacing_us: {spacing})),
        pods: [
            (id: "a", app: "a", proxy: Sidecar),
            (id: "b", app: "b", proxy: Sidecar),
            (id: "reviews-v1", app: "reviews", version: Some("v1"), proxy: Sidecar),
            (id: "reviews-v2", app: "reviews", version: Some("v2"), proxy: Sidecar),
        ],
        services: [(name: "reviews", selector: "reviews")],
        config: [{SUBSETS}, {}],
    )"#,
        split(100, 0)
    ))
}

#[test]
fn a_push_carries_the_change_and_each_proxy_behaves_by_it_once_applied() {
    let t = two_callers(50_000);
    let s = stimuli(&format!(
        r#"[(id: Some("before"), at_us: 0, do: Call(from: "a", to: "reviews")),
            (id: Some("shift"), at_us: 10000, do: KubectlApplyConfig(manifest: "v2.yaml", resources: [{}])),
            (id: Some("between-a"), at_us: 40000, do: Call(from: "a", to: "reviews")),
            (id: Some("between-b"), at_us: 40000, do: Call(from: "b", to: "reviews")),
            (id: Some("after"), at_us: 200000, do: Call(from: "b", to: "reviews"))]"#,
        split(0, 100)
    ));
    let tr = run(&t, &s, 0, vec![]);
    let push = &rows(&t, &tr, "cp", Action::PushConfig)[0];
    assert!(
        push.note.to_string().contains("VirtualService/reviews"),
        "{}",
        push.note
    );
    let applied =
        |pod: &str| rows(&t, &tr, &format!("{pod}/sidecar"), Action::ApplyConfig)[0].time_us;
    // Proxies apply it one after another, 50 ms apart.
    assert_eq!(applied("b") - applied("a"), 50_000);
    assert!(applied("a") < 40_000 && applied("b") > 40_000);
    let went_to = |flow: &str| -> String {
        let f = tr.flow(flow);
        let r = tr
            .rows
            .iter()
            .find(|r| r.flow == f && r.action == Action::HandleRequest)
            .expect("handled");
        t.component(r.component).id.clone()
    };
    assert_eq!(went_to("before"), "reviews-v1/app");
    // For a moment the two proxies disagree: a has v2, b still v1.
    assert_eq!(went_to("between-a"), "reviews-v2/app");
    assert_eq!(went_to("between-b"), "reviews-v1/app");
    assert_eq!(went_to("after"), "reviews-v2/app");
    // The tracker can show it: the config versions the proxies hold at 40 ms.
    let i = tr.rows.iter().position(|r| r.time_us >= 40_000).unwrap();
    let snap = tr.snapshot_after(Some(i));
    let v = |pod: &str| snap.config[t.find(&format!("{pod}/sidecar")).unwrap().index()];
    assert_eq!((v("a"), v("b")), (Some(2), Some(1)));
}

#[test]
fn deleting_the_routes_sends_traffic_back_to_every_endpoint() {
    let t = two_callers(0);
    let s = stimuli(
        r#"[(at_us: 0, do: KubectlDeleteConfig(manifest: "vs.yaml", resources: [(kind: VirtualService, name: "reviews")])),
            (id: Some("x"), at_us: 100000, do: Call(from: "a", to: "reviews")),
            (id: Some("y"), at_us: 110000, do: Call(from: "a", to: "reviews"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let out = output(&rows(&t, &tr, "kubectl", Action::ApplyMeshConfig)[0].outcome);
    assert_eq!(out, "virtualservice.networking.istio.io/reviews deleted");
    // Round robin over both versions again.
    assert_eq!(
        (
            handled(&t, &tr, "reviews-v1"),
            handled(&t, &tr, "reviews-v2")
        ),
        (1, 1)
    );
}

#[test]
fn a_library_routes_by_its_build_and_a_change_costs_a_rebuild_and_a_rollout() {
    let t = canary(&format!("library_config: [{SUBSETS}, {}],", split(100, 0)));
    let s = stimuli(&format!(
        r#"[(id: Some("before"), at_us: 0, do: Call(from: "lib", to: "reviews")),
            (id: Some("change"), at_us: 10000, do: RebuildApp(app: "lib", config: [{SUBSETS}, {}])),
            (id: Some("building"), at_us: 60000000, do: Call(from: "lib", to: "reviews")),
            (id: Some("after"), at_us: 200000000, do: Call(from: "lib", to: "reviews"))]"#,
        split(0, 100)
    ));
    let tr = run(&t, &s, 0, vec![]);
    let went_to = |flow: &str| -> String {
        let f = tr.flow(flow);
        let r = tr
            .rows
            .iter()
            .find(|r| r.flow == f && r.action == Action::HandleRequest)
            .expect("handled");
        t.component(r.component).id.clone()
    };
    assert_eq!(went_to("before"), "reviews-v1/app");
    assert_eq!(went_to("building"), "reviews-v1/app");
    assert_eq!(went_to("after"), "reviews-v2/app");
    // The cost: a build (3 min by default), then the app's pod is replaced.
    let ready = rows(&t, &tr, "lib", Action::PodReady);
    assert_eq!(ready.len(), 1);
    assert_eq!(ready[0].time_us, 10_000 + 180_000_000 + 1_000_000);
    assert_eq!(rows(&t, &tr, "kubectl", Action::RebuildApp).len(), 1);
    // The mesh's routing never changed: the control plane pushed nothing.
    assert!(rows(&t, &tr, "cp", Action::PushConfig).is_empty());
}

/// One caller, a slow Service, and a destination policy.
fn guarded(destination: &str, handler: &str, pods: usize) -> Topology {
    let servers: String = (0..pods)
        .map(|i| {
            format!("(id: \"api-{i}\", app: \"api\", proxy: Sidecar, handler: Some({handler})),")
        })
        .collect();
    topo(&format!(
        r#"(
        control_plane: Some((id: "cp")),
        pods: [(id: "web", app: "web", proxy: Sidecar), {servers}],
        services: [(name: "api", selector: "api")],
        mesh: (retries: 0, per_try_timeout_us: 1000000),
        config: [Destination((host: "api", {destination}))],
    )"#
    ))
}

#[test]
fn the_circuit_breaker_lets_one_through_queues_one_and_refuses_the_rest() {
    let t = guarded(
        "connection_pool: Some((max_connections: Some(1), max_pending: Some(1)))",
        "(time: Some(Fixed(10000)))",
        1,
    );
    let s = stimuli(
        r#"[(id: Some("first"), at_us: 0, do: Call(from: "web", to: "api")),
            (id: Some("second"), at_us: 100, do: Call(from: "web", to: "api")),
            (id: Some("third"), at_us: 200, do: Call(from: "web", to: "api"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(result(&tr, "first"), CallResult::Http(200));
    assert_eq!(result(&tr, "second"), CallResult::Http(200));
    assert_eq!(result(&tr, "third"), CallResult::Http(503));
    let fwd = rows(&t, &tr, "web/sidecar", Action::Forward);
    assert!(fwd.iter().any(|r| r.outcome == Outcome::Waiting));
    assert!(
        fwd.iter()
            .any(|r| r.outcome == Outcome::Failed(Failure::Overflow))
    );
    // The second went only when the first's connection was free: one at a time.
    let handled: Vec<u64> = rows(&t, &tr, "api-0/app", Action::HandleRequest)
        .iter()
        .map(|r| r.time_us)
        .collect();
    assert_eq!(handled.len(), 2);
    assert!(handled[1] - handled[0] >= 10_000);
    // Without limits all three get through at once.
    let t = guarded("", "(time: Some(Fixed(10000)))", 1);
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(result(&tr, "third"), CallResult::Http(200));
}

#[test]
fn outlier_detection_ejects_an_endpoint_that_keeps_failing() {
    // api-0 always fails, api-1 and api-2 are healthy; round robin visits each in turn.
    let t = topo(
        r#"(
        control_plane: Some((id: "cp")),
        pods: [
            (id: "web", app: "web", proxy: Sidecar),
            (id: "api-0", app: "api", proxy: Sidecar, handler: Some((errors: Some((status: 503))))),
            (id: "api-1", app: "api", proxy: Sidecar),
            (id: "api-2", app: "api", proxy: Sidecar),
        ],
        services: [(name: "api", selector: "api")],
        mesh: (retries: 0),
        config: [Destination((host: "api", outlier_detection: Some((consecutive_5xx: 3, base_ejection_us: 30000000, max_ejection_percent: 10))))],
    )"#,
    );
    let s = stimuli(&format!(
        "[{}]",
        (0..30)
            .map(|i| format!(
                "(id: Some(\"c{i}\"), at_us: {}, do: Call(from: \"web\", to: \"api\")),",
                i * 10_000
            ))
            .collect::<String>()
    ));
    let tr = run(&t, &s, 0, vec![]);
    let eject = rows(&t, &tr, "web/sidecar", Action::EjectEndpoint);
    assert_eq!(eject.len(), 1);
    assert!(
        eject[0]
            .note
            .to_string()
            .starts_with("api-0 ejected for 30 s")
    );
    // Three failures eject it; after that it gets nothing for 30 s.
    let failures = (0..30)
        .filter(|i| result(&tr, &format!("c{i}")) == CallResult::Http(503))
        .count();
    assert_eq!(failures, 3);
    let after = rows(&t, &tr, "api-0/app", Action::HandleRequest)
        .iter()
        .filter(|r| r.time_us > eject[0].time_us)
        .count();
    assert_eq!(after, 0);
}

#[test]
fn a_retry_budget_limits_how_many_retries_run_at_once() {
    let failing = "(time: Some(Fixed(1000)), errors: Some((status: 503)))";
    let s = stimuli(&format!(
        "[{}]",
        (0..10)
            .map(|i| format!(
                "(id: Some(\"c{i}\"), at_us: {i}, do: Call(from: \"web\", to: \"api\")),"
            ))
            .collect::<String>()
    ));
    let retries = |dest: &str| -> usize {
        let t = topo(&format!(
            r#"(
            control_plane: Some((id: "cp")),
            pods: [(id: "web", app: "web", proxy: Sidecar), (id: "api", app: "api", proxy: Sidecar, handler: Some({failing}))],
            services: [(name: "api", selector: "api")],
            mesh: (retries: 1, retry_backoff_us: 0),
            config: [Destination((host: "api", {dest}))],
        )"#
        ));
        let tr = run(&t, &s, 0, vec![]);
        rows(&t, &tr, "web/sidecar", Action::Retry).len()
    };
    assert_eq!(retries(""), 10);
    // 10 requests in flight: 20% is 2, but 3 at once are always allowed.
    let limited = retries("retry_budget: Some((percent: 20, min_concurrency: 3))");
    assert_eq!(limited, 3);
}
