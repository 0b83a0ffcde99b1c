//! Proxyless gRPC: the app's gRPC library takes routes and certificates
//! from the control plane over xDS, so a routing change is a push, not a
//! rebuild; but Istio gives it no retries, no mirroring and no auto or
//! PERMISSIVE mTLS (<https://istio.io/latest/blog/2021/proxyless-grpc/>).

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure};
use meshstep_sim::{Action, Topology, Trace};

fn cluster(config: &str) -> Topology {
    topo(&format!(
        r#"(
        control_plane: Some((id: "istiod", debounce_us: 1000)),
        pods: [
            (id: "grpc", app: "grpc", proxy: Proxyless),
            (id: "web", app: "web", proxy: Sidecar),
            (id: "plain", app: "plain"),
            (id: "reviews-v1", app: "reviews", version: Some("v1"), proxy: Sidecar),
            (id: "reviews-v2", app: "reviews", version: Some("v2"), proxy: Sidecar,
             handler: Some((errors: Some((status: 503, probability: 0.5))))),
            (id: "ledger", app: "ledger", proxy: Proxyless),
        ],
        services: [(name: "reviews", selector: "reviews"), (name: "ledger", selector: "ledger")],
        config: [{config}],
    )"#
    ))
}

const SUBSETS: &str = r#"Destination((host: "reviews", subsets: [(name: "v1", version: "v1"), (name: "v2", version: "v2")])),"#;

fn to(subset: &str) -> String {
    format!(
        r#"Routes((host: "reviews", http: [(to: [(subset: Some("{subset}"))], retries: Some((attempts: 3, retry_on: [Http5xx])))]))"#
    )
}

fn served(t: &Topology, tr: &Trace, pod: &str) -> usize {
    rows(t, tr, &format!("{pod}/app"), Action::HandleRequest).len()
}

#[test]
fn a_routing_change_reaches_the_grpc_library_by_push_without_a_rebuild() {
    let t = cluster(&format!("{SUBSETS} {}", to("v1")));
    let change = format!(
        r#"[
        (id: Some("before"), at_us: 0, do: Call(from: "grpc", to: "reviews")),
        (at_us: 10000, do: KubectlApplyConfig(manifest: "v2.yaml", resources: [{}])),
        (id: Some("after"), at_us: 500000, do: Call(from: "grpc", to: "reviews")),
    ]"#,
        to("v2").replace("attempts: 3", "attempts: 0")
    );
    let tr = run(&t, &stimuli(&change), 0, vec![]);
    assert_eq!(
        (
            served(&t, &tr, "reviews-v1"),
            served(&t, &tr, "reviews-v2") > 0
        ),
        (1, true)
    );
    // The library got the push like any proxy; nothing was rebuilt or restarted.
    assert!(!rows(&t, &tr, "grpc/library", Action::ApplyConfig).is_empty());
    assert!(
        tr.rows
            .iter()
            .all(|r| r.action != Action::RebuildApp && r.action != Action::PodReady)
    );
}

#[test]
fn the_grpc_library_does_not_retry_where_a_sidecar_would() {
    let t = cluster(&format!("{SUBSETS} {}", to("v2")));
    let calls: String = (0..12)
        .map(|i| format!("(id: Some(\"g{i}\"), at_us: {}, do: Call(from: \"grpc\", to: \"reviews\")), (id: Some(\"w{i}\"), at_us: {}, do: Call(from: \"web\", to: \"reviews\")),", i * 20_000, i * 20_000 + 5_000))
        .collect();
    let tr = run(&t, &stimuli(&format!("[{calls}]")), 3, vec![]);
    let failed = |p: &str| {
        (0..12)
            .filter(|i| result(&tr, &format!("{p}{i}")) == CallResult::Http(503))
            .count()
    };
    assert!(
        failed("g") > 0,
        "half of v2's answers are 503 and the library passes them on"
    );
    assert!(rows(&t, &tr, "grpc/library", Action::LibraryRetry).is_empty());
    assert!(
        failed("w") < failed("g"),
        "the sidecar retries the same route"
    );
    assert!(!rows(&t, &tr, "web/sidecar", Action::Retry).is_empty());
}

#[test]
fn no_auto_mtls_and_no_permissive_mode() {
    let call = |from: &str, to: &str| {
        stimuli(&format!(
            r#"[(id: Some("c"), at_us: 0, do: Call(from: "{from}", to: "{to}"))]"#
        ))
    };
    let encrypted = |t: &Topology, tr: &Trace, actor: &str, action: Action| {
        rows(t, tr, actor, action).iter().any(|r| {
            matches!(
                r.outcome,
                meshstep_sim::trace::Outcome::Forwarded {
                    encrypted: true,
                    ..
                }
            )
        })
    };
    // Permissive everywhere: a sidecar encrypts to sidecars, the library does not.
    let t = cluster(SUBSETS);
    let tr = run(&t, &call("grpc", "reviews"), 0, vec![]);
    assert!(!encrypted(&t, &tr, "grpc/library", Action::LibraryProcess));
    let tr = run(&t, &call("web", "reviews"), 0, vec![]);
    assert!(encrypted(&t, &tr, "web/sidecar", Action::Forward));
    // Strict: the library uses mTLS, and a proxyless server refuses plaintext.
    let t = cluster(&format!(
        r#"{SUBSETS} PeerAuthentication((name: "all", mode: Strict)),"#
    ));
    let tr = run(&t, &call("grpc", "reviews"), 0, vec![]);
    assert_eq!(result(&tr, "c"), CallResult::Http(200));
    assert!(encrypted(&t, &tr, "grpc/library", Action::LibraryProcess));
    let tr = run(&t, &call("plain", "ledger"), 0, vec![]);
    assert_eq!(result(&tr, "c"), CallResult::Failed(Failure::Refused));
    assert_eq!(
        rows(&t, &tr, "ledger/library", Action::RejectPlaintext).len(),
        1
    );
}

#[test]
fn proxyless_grpc_needs_istios_control_plane() {
    for cp in [
        "",
        r#"control_plane: Some((id: "linkerd", flavour: Linkerd)),"#,
    ] {
        let src =
            format!(r#"({cp} pods: [(id: "a", app: "a"), (id: "g", app: "g", proxy: Proxyless)])"#);
        let spec: meshstep_sim::scenario::schema::TopologySpec =
            meshstep_sim::scenario::load::ron_options()
                .from_str(&src)
                .unwrap();
        let err = Topology::build(&spec, &Default::default()).unwrap_err();
        assert!(
            err.iter().any(|e| e.path == "topology.pods[1].proxy" && e.message.contains("proxyless gRPC")),
            "{err:?}"
        );
    }
}
