//! Who may talk to whom, enforced by the server's proxy from the config it
//! holds: peer authentication per mesh, namespace or workload (the most
//! specific wins), auto mTLS on the caller's side, and authorization
//! policies by caller identity, method and path, answered with a 403.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Topology};

fn cluster(config: &str) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "cp", debounce_us: 1000)),
        pods: [
            (id: "frontend", app: "frontend", proxy: Sidecar),
            (id: "batch", app: "batch", proxy: Sidecar),
            (id: "legacy", app: "legacy"),
            (id: "pay", namespace: "prod", app: "pay", proxy: Sidecar),
            (id: "ledger", namespace: "prod", app: "ledger", proxy: Sidecar),
            (id: "api", app: "api", proxy: Sidecar),
        ],
        services: [
            (name: "pay", namespace: "prod", selector: "pay"),
            (name: "ledger", namespace: "prod", selector: "ledger"),
            (name: "api", selector: "api"),
        ],
        config: [{config}],
    )"#
    ))
}

fn call(from: &str, to: &str, http: &str) -> Vec<meshstep_sim::scenario::schema::Stimulus> {
    stimuli(&format!(
        r#"[(id: Some("call"), at_us: 0, do: Call(from: "{from}", to: "{to}"{http}))]"#
    ))
}

#[test]
fn the_most_specific_peer_authentication_decides_what_a_workload_accepts() {
    let t = cluster(
        r#"PeerAuthentication((name: "prod-strict", namespace: Some("prod"), mode: Strict)),
           PeerAuthentication((name: "ledger-open", namespace: Some("prod"), selector: Some("ledger"), mode: Permissive))"#,
    );
    // Namespace-wide strict: a pod without a sidecar is refused at pay's sidecar.
    let tr = run(&t, &call("legacy", "pay", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Failed(Failure::Refused));
    assert_eq!(
        rows(&t, &tr, "pay/sidecar", Action::RejectPlaintext).len(),
        1
    );
    // The workload's own policy wins over its namespace's: ledger takes plaintext.
    let tr = run(&t, &call("legacy", "ledger", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    // Outside prod the mesh default (permissive) holds.
    let tr = run(&t, &call("legacy", "api", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    // A meshed caller encrypts, so strict costs it nothing.
    let tr = run(&t, &call("frontend", "pay", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
}

#[test]
fn a_caller_sends_plaintext_to_a_workload_whose_policy_disables_mtls() {
    let t = cluster(
        r#"PeerAuthentication((name: "api-off", namespace: Some("default"), selector: Some("api"), mode: Off))"#,
    );
    let tr = run(&t, &call("frontend", "api", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    let fwd = rows(&t, &tr, "frontend/sidecar", Action::Forward);
    assert!(matches!(
        fwd[0].outcome,
        Outcome::Forwarded {
            encrypted: false,
            ..
        }
    ));
}

const ONLY_FRONTEND: &str = r#"Authorization((name: "api-callers", selector: Some("api"),
    rules: [(from: [(principals: ["cluster.local/ns/default/sa/frontend"])])]))"#;

#[test]
fn an_allow_policy_lets_in_only_the_callers_it_names() {
    let t = cluster(ONLY_FRONTEND);
    let tr = run(&t, &call("frontend", "api", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    // Another workload's certificate names another identity: 403 from api's sidecar.
    let tr = run(&t, &call("batch", "api", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(403));
    let deny = rows(&t, &tr, "api/sidecar", Action::DenyRequest);
    assert_eq!(deny.len(), 1);
    assert_eq!(deny[0].outcome, Outcome::Failed(Failure::Forbidden));
    assert!(deny[0].note.to_string().starts_with("RBAC: access denied"));
    // The app never saw it, and a 403 is not worth a retry.
    assert!(rows(&t, &tr, "api/app", Action::HandleRequest).is_empty());
    assert!(rows(&t, &tr, "batch/sidecar", Action::Retry).is_empty());
    // Plaintext carries no identity: a pod without a sidecar is refused too.
    let tr = run(&t, &call("legacy", "api", ""), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(403));
}

#[test]
fn a_deny_policy_on_a_path_wins_over_any_allow() {
    let deny = r#"Authorization((name: "no-admin", selector: Some("api"), action: Deny,
        rules: [(to: [(paths: ["/admin/*"])])]))"#;
    let t = cluster(&format!("{ONLY_FRONTEND}, {deny}"));
    let admin = r#", http: (path: Some("/admin/users"))"#;
    let tr = run(&t, &call("frontend", "api", admin), 0, vec![]);
    assert_eq!(result(&tr, "call"), CallResult::Http(403));
    assert!(
        rows(&t, &tr, "api/sidecar", Action::DenyRequest)[0]
            .note
            .to_string()
            .contains("no-admin")
    );
    let tr = run(
        &t,
        &call("frontend", "api", r#", http: (path: Some("/orders"))"#),
        0,
        vec![],
    );
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
}

#[test]
fn a_policy_applies_once_the_servers_proxy_has_the_push() {
    let t = cluster("");
    let s = stimuli(&format!(
        r#"[(id: Some("before"), at_us: 0, do: Call(from: "batch", to: "api")),
            (at_us: 10000, do: KubectlApplyConfig(manifest: "authz.yaml", resources: [{ONLY_FRONTEND}])),
            (id: Some("after"), at_us: 100000, do: Call(from: "batch", to: "api"))]"#
    ));
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(result(&tr, "before"), CallResult::Http(200));
    assert_eq!(result(&tr, "after"), CallResult::Http(403));
}
