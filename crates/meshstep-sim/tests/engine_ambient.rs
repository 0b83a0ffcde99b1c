//! Ambient mode: no proxy in the pod; the node's ztunnel carries the call in
//! mutual TLS at L4, and only a waypoint applies HTTP routes, retries and
//! HTTP authorization. The same call under sidecar and ambient modes takes
//! different hops.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Topology, Trace};

/// `web` calls `api` (two pods, the second always failing when `FLAKY`),
/// each pod on its own node, all in one `MODE`.
fn cluster(mode: &str, extra: &str) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "istiod")),
        nodes: ["node-1", "node-2"],
        pods: [
            (id: "web", app: "web", proxy: {mode}, node: Some("node-1")),
            (id: "api", app: "api", proxy: {mode}, node: Some("node-2")),
            (id: "legacy", app: "legacy", node: Some("node-1")),
        ],
        services: [(name: "api", selector: "api")],
        {extra}
    )"#
    ))
}

fn call(from: &str, http: &str) -> Vec<meshstep_sim::scenario::schema::Stimulus> {
    stimuli(&format!(
        r#"[(id: Some("call"), at_us: 0, do: Call(from: "{from}", to: "api"{http}))]"#
    ))
}

/// Who acted, in order, for the whole run.
fn hops(t: &Topology, tr: &Trace) -> Vec<(String, Action)> {
    tr.rows
        .iter()
        .map(|r| (t.component(r.component).id.clone(), r.action))
        .collect()
}

fn h(list: &[(&str, Action)]) -> Vec<(String, Action)> {
    list.iter().map(|(c, a)| (c.to_string(), *a)).collect()
}

#[test]
fn the_same_call_takes_sidecar_hops_or_ztunnel_hops() {
    let t = cluster("Sidecar", "");
    let tr = run(&t, &call("web", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    let sidecar = hops(&t, &tr);
    assert!(
        sidecar.starts_with(&h(&[
            ("web/app", Action::SendRequest),
            ("web/sidecar", Action::Intercept),
            ("web/sidecar", Action::ApplyPolicies),
            ("web/sidecar", Action::Forward),
            ("web/sidecar", Action::ReportMetrics),
            ("api/sidecar", Action::InterceptInbound),
            ("api/app", Action::HandleRequest),
        ])),
        "{sidecar:?}"
    );

    let t = cluster("Ambient", "");
    let tr = run(&t, &call("web", ""), 0, vec![]);
    assert_eq!(
        result(&tr, "call"),
        CallResult::Http(200),
        "{:?}",
        tr.rows
            .iter()
            .map(|r| (
                t.component(r.component).id.clone(),
                r.action,
                r.outcome.clone(),
                r.note.to_string()
            ))
            .collect::<Vec<_>>()
    );
    let ambient = hops(&t, &tr);
    assert!(
        ambient.starts_with(&h(&[
            ("web/app", Action::SendRequest),
            ("ztunnel/node-1", Action::Intercept),
            ("ztunnel/node-1", Action::Forward),
            ("ztunnel/node-2", Action::InterceptInbound),
            ("api/app", Action::HandleRequest),
        ])),
        "{ambient:?}"
    );
    assert!(ambient.contains(&("ztunnel/node-1".into(), Action::ReturnResponse)));
    // No sidecar anywhere, and the hop between nodes is mutual TLS.
    assert!(t.find("web/sidecar").is_none());
    let fwd = rows(&t, &tr, "ztunnel/node-1", Action::Forward);
    assert!(
        matches!(
            fwd[0].outcome,
            Outcome::Forwarded {
                encrypted: true,
                ..
            }
        ),
        "{:?}",
        fwd[0].outcome
    );
}

const FLAKY_API: &str =
    r#"Routes((host: "api", http: [(retries: Some((attempts: 3, retry_on: [Http5xx])))]))"#;

fn flaky(extra: &str) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "istiod")),
        pods: [
            (id: "web", app: "web", proxy: Ambient),
            (id: "api-0", app: "api", proxy: Ambient, handler: Some((errors: Some((status: 503))))),
            (id: "api-1", app: "api", proxy: Ambient),
        ],
        services: [(name: "api", selector: "api")],
        config: [{FLAKY_API}],
        {extra}
    )"#
    ))
}

fn results(tr: &Trace, n: u32) -> Vec<CallResult> {
    (0..n).map(|i| result(tr, &format!("c{i}"))).collect()
}

fn calls(n: u32) -> Vec<meshstep_sim::scenario::schema::Stimulus> {
    let list: String = (0..n)
        .map(|i| {
            format!(
                "(id: Some(\"c{i}\"), at_us: {}, do: Call(from: \"web\", to: \"api\")),",
                i * 10_000
            )
        })
        .collect();
    stimuli(&format!("[{list}]"))
}

#[test]
fn without_a_waypoint_routes_and_retries_do_nothing_with_one_they_do() {
    // ztunnel reads no HTTP: a 503 goes straight back to the app.
    let t = flaky("");
    let tr = run(&t, &calls(8), 1, vec![]);
    let failed = results(&tr, 8)
        .iter()
        .filter(|r| **r == CallResult::Http(503))
        .count();
    assert!(failed > 0, "some calls reach the failing pod");
    assert!(tr.rows.iter().all(|r| r.action != Action::Retry));
    // A waypoint for the namespace applies the route's retries.
    let t = flaky(r#"waypoints: [(id: "waypoint")],"#);
    let tr = run(&t, &calls(8), 1, vec![]);
    assert!(results(&tr, 8).iter().all(|r| *r == CallResult::Http(200)));
    assert!(!rows(&t, &tr, "waypoint", Action::Retry).is_empty());
    assert_eq!(rows(&t, &tr, "waypoint", Action::ApplyPolicies).len(), 8);
    // Path: app, source ztunnel, waypoint, destination ztunnel, app.
    let first: Vec<String> = tr
        .rows
        .iter()
        .take(6)
        .map(|r| t.component(r.component).id.clone())
        .collect();
    assert_eq!(
        &first[..4],
        &["web/app", "ztunnel/node-1", "waypoint", "waypoint"]
    );
}

const DENY_ADMIN: &str = r#"Authorization((name: "no-admin", namespace: "default", selector: Some("api"), action: Deny, rules: [(to: [(paths: ["/admin*"])])]))"#;

#[test]
fn an_http_rule_needs_a_waypoint_and_ztunnel_fails_closed_without_one() {
    let config = format!("config: [{DENY_ADMIN}],");
    let t = cluster("Ambient", &config);
    let tr = run(
        &t,
        &call("web", r#", http: (path: Some("/orders"))"#),
        0,
        vec![],
    );
    // ztunnel cannot read the path, so even an allowed path is refused.
    assert_eq!(result(&tr, "call"), CallResult::Failed(Failure::Refused));
    let denied = rows(&t, &tr, "ztunnel/node-2", Action::DenyRequest);
    assert_eq!(denied.len(), 1);
    // An L4 denial is a reset, not an HTTP 403.
    assert_eq!(denied[0].outcome, Outcome::Failed(Failure::Refused));
    assert!(rows(&t, &tr, "api/app", Action::HandleRequest).is_empty());

    let t = cluster(
        "Ambient",
        &format!(r#"waypoints: [(id: "waypoint")], {config}"#),
    );
    let tr = run(
        &t,
        &call("web", r#", http: (path: Some("/orders"))"#),
        0,
        vec![],
    );
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    let tr = run(
        &t,
        &call("web", r#", http: (path: Some("/admin/users"))"#),
        0,
        vec![],
    );
    assert_eq!(result(&tr, "call"), CallResult::Http(403));
    assert_eq!(rows(&t, &tr, "waypoint", Action::DenyRequest).len(), 1);
    assert!(rows(&t, &tr, "api/app", Action::HandleRequest).is_empty());
}

#[test]
fn ztunnel_enforces_strict_mtls_and_an_identity_rule_at_l4() {
    let strict = r#"config: [PeerAuthentication((name: "all", mode: Strict))],"#;
    let t = cluster("Ambient", strict);
    let tr = run(&t, &call("legacy", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Failed(Failure::Refused));
    assert_eq!(
        rows(&t, &tr, "ztunnel/node-2", Action::RejectPlaintext).len(),
        1
    );
    let tr = run(&t, &call("web", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    // An identity-only rule is L4: ztunnel enforces it by resetting the connection.
    let only_legacy = r#"config: [Authorization((name: "only-legacy", namespace: "default", selector: Some("api"), action: Allow, rules: [(from: [(principals: ["cluster.local/ns/default/sa/legacy"])])]))],"#;
    let t = cluster("Ambient", only_legacy);
    let tr = run(&t, &call("web", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Failed(Failure::Refused));
    assert_eq!(
        rows(&t, &tr, "ztunnel/node-2", Action::DenyRequest).len(),
        1
    );
}

#[test]
fn ambient_mode_is_istio_only() {
    let spec: meshstep_sim::scenario::schema::TopologySpec = meshstep_sim::scenario::load::ron_options()
        .from_str(r#"(control_plane: Some((id: "linkerd", flavour: Linkerd)), pods: [(id: "a", app: "a", proxy: Ambient)])"#)
        .unwrap();
    let err = Topology::build(&spec, &Default::default()).unwrap_err();
    assert!(
        err.iter()
            .any(|e| e.message.contains("needs an Istio control plane")),
        "{err:?}"
    );
}

#[test]
fn at_l4_an_allow_rule_on_http_fields_never_matches_but_its_identity_rules_still_do() {
    let mixed = r#"config: [Authorization((name: "mixed", namespace: "default", selector: Some("api"), action: Allow, rules: [
        (from: [(principals: ["cluster.local/ns/default/sa/web"])]),
        (to: [(methods: ["GET"])]),
    ]))],"#;
    let t = cluster("Ambient", mixed);
    // web is allowed by its identity; legacy only by the GET rule, which ztunnel cannot read.
    let tr = run(&t, &call("web", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    let tr = run(&t, &call("legacy", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Failed(Failure::Refused));
    let note = rows(&t, &tr, "ztunnel/node-2", Action::DenyRequest)[0]
        .note
        .to_string();
    assert!(note.contains("fail closed"), "{note}");
}

#[test]
fn before_the_mesh_is_ready_an_ambient_pod_calls_directly() {
    let t = topo(
        r#"(
        control_plane: Some((id: "istiod", installed: false, startup_us: 1000000)),
        pods: [(id: "web", app: "web", proxy: Ambient), (id: "api", app: "api", proxy: Ambient)],
        services: [(name: "api", selector: "api")],
    )"#,
    );
    let s = stimuli(
        r#"[(at_us: 0, do: KubectlApply(manifest: "istio.yaml")),
            (id: Some("early"), at_us: 500000, do: Call(from: "web", to: "api")),
            (id: Some("late"), at_us: 2000000, do: Call(from: "web", to: "api"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let sends = rows(&t, &tr, "web/app", Action::SendRequest);
    assert_eq!(
        sends[0].outcome,
        Outcome::SentVia(meshstep_sim::trace::Route::Direct)
    );
    assert_eq!(
        sends[1].outcome,
        Outcome::SentVia(meshstep_sim::trace::Route::Ztunnel)
    );
}

#[test]
fn with_mtls_off_the_tunnel_to_the_waypoint_carries_no_identity() {
    let only_web = r#"waypoints: [(id: "waypoint")], config: [Authorization((name: "only-web", namespace: "default", selector: Some("api"), action: Allow, rules: [(from: [(principals: ["cluster.local/ns/default/sa/web"])])]))],"#;
    let t = cluster("Ambient", only_web);
    let tr = run(&t, &call("web", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    let tr = run(&t, &call("web", ""), 0, vec![meshstep_sim::Fault::MtlsOff]);
    assert_eq!(result(&tr, "call"), CallResult::Http(403));
    assert_eq!(rows(&t, &tr, "waypoint", Action::DenyRequest).len(), 1);
}
