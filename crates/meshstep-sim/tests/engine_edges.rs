//! The mesh's edges: an ingress gateway is a mesh proxy in its own pod whose
//! callers are outside the cluster, so a call from outside gets the same
//! routes, retries and mTLS as a call between pods; before the mesh runs,
//! nothing listens at the gateway.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Topology};

fn edge(cp: &str, config: &str) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "istiod"{cp})),
        gateways: [(id: "ingress")],
        pods: [
            (id: "shop-v1", app: "shop", version: Some("v1"), proxy: Sidecar),
            (id: "shop-v2", app: "shop", version: Some("v2"), proxy: Sidecar),
        ],
        services: [(name: "shop", selector: "shop")],
        config: [{config}],
    )"#
    ))
}

const SUBSETS: &str = r#"Destination((host: "shop", subsets: [(name: "v1", version: "v1"), (name: "v2", version: "v2")])),"#;

fn from_outside(n: u32, http: &str) -> Vec<meshstep_sim::scenario::schema::Stimulus> {
    let list: String = (0..n)
        .map(|i| {
            format!(
                "(id: Some(\"c{i}\"), at_us: {}, do: Call(from: \"ingress\", to: \"shop\"{http})),",
                u64::from(i) * 10_000
            )
        })
        .collect();
    stimuli(&format!("[{list}]"))
}

fn served_by(t: &Topology, tr: &meshstep_sim::Trace, app: &str) -> usize {
    rows(t, tr, app, Action::HandleRequest).len()
}

#[test]
fn a_call_from_outside_is_routed_by_the_gateway_from_its_pushed_config() {
    let routes = r#"Routes((host: "shop", http: [
        (matches: [(headers: {"x-tester": "yes"})], to: [(subset: Some("v2"))]),
        (to: [(subset: Some("v1"))]),
    ]))"#;
    let t = edge("", &format!("{SUBSETS} {routes}"));
    let tr = run(&t, &from_outside(4, ""), 0, vec![]);
    assert_eq!(
        (
            served_by(&t, &tr, "shop-v1/app"),
            served_by(&t, &tr, "shop-v2/app")
        ),
        (4, 0)
    );
    let tester = r#", http: (headers: {"x-tester": "yes"})"#;
    let tr = run(&t, &from_outside(4, tester), 0, vec![]);
    assert_eq!(
        (
            served_by(&t, &tr, "shop-v1/app"),
            served_by(&t, &tr, "shop-v2/app")
        ),
        (0, 4)
    );
    // The gateway itself decided, and the outside client got the answer.
    assert_eq!(rows(&t, &tr, "ingress", Action::ApplyPolicies).len(), 4);
    assert_eq!(
        rows(&t, &tr, "ingress/client", Action::ReceiveResponse).len(),
        4
    );
    assert_eq!(result(&tr, "c0"), CallResult::Http(200));
}

#[test]
fn the_gateway_speaks_mtls_into_a_strict_mesh_and_retries_like_a_sidecar() {
    let strict = r#"PeerAuthentication((name: "all", mode: Strict)),"#;
    let retries =
        r#"Routes((host: "shop", http: [(retries: Some((attempts: 3, retry_on: [Http5xx])))]))"#;
    // v1 always answers 503.
    let t = topo(&format!(
        r#"(
        control_plane: Some((id: "istiod")),
        gateways: [(id: "ingress")],
        pods: [
            (id: "shop-v1", app: "shop", proxy: Sidecar, handler: Some((errors: Some((status: 503))))),
            (id: "shop-v2", app: "shop", proxy: Sidecar),
        ],
        services: [(name: "shop", selector: "shop")],
        config: [{strict} {retries}],
    )"#
    ));
    let tr = run(&t, &from_outside(4, ""), 0, vec![]);
    // Strict mTLS at the shop's sidecars: a plaintext hop would be reset,
    // so every answer says the gateway encrypted.
    assert!(rows(&t, &tr, "shop-v1/sidecar", Action::RejectPlaintext).is_empty());
    for i in 0..4 {
        assert_eq!(result(&tr, &format!("c{i}")), CallResult::Http(200));
    }
    let answers = rows(&t, &tr, "ingress", Action::ReturnResponse);
    assert_eq!(answers.len(), 4);
    assert!(
        answers.iter().all(|r| matches!(
            r.outcome,
            Outcome::Http {
                encrypted: true,
                ..
            }
        )),
        "{answers:?}"
    );
    // Round robin sends some first tries to v1; the gateway retried those on v2.
    let failed_first = served_by(&t, &tr, "shop-v1/app");
    assert!(failed_first > 0);
    assert_eq!(rows(&t, &tr, "ingress", Action::Forward).len(), 4);
    assert_eq!(rows(&t, &tr, "ingress", Action::Retry).len(), failed_first);
    assert_eq!(served_by(&t, &tr, "shop-v2/app"), 4);
}

#[test]
fn before_the_mesh_runs_nothing_listens_at_the_gateway() {
    let t = edge(", installed: false, startup_us: 1000", "");
    let s = stimuli(
        r#"[(id: Some("early"), at_us: 0, do: Call(from: "ingress", to: "shop")),
            (at_us: 10, do: KubectlApply(manifest: "istio.yaml")),
            (id: Some("late"), at_us: 2000000, do: Call(from: "ingress", to: "shop"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(result(&tr, "early"), CallResult::Failed(Failure::Refused));
    assert_eq!(result(&tr, "late"), CallResult::Http(200));
}
