//! The control plane as Istio and Linkerd run it: config pushed when
//! configuration or endpoints change, debounced and versioned; route
//! discovery by flavour; injection at pod creation only; workload
//! certificates with a lifetime; and what an outage does and does not break.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Fault, FaultStart, State};

const DEBOUNCED: &str = r#"(
    control_plane: Some((id: "cp", debounce_us: 100000, debounce_max_us: 400000, processing_us: 200)),
    pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", proxy: Sidecar)],
    services: [(name: "b", selector: "b")],
)"#;

#[test]
fn a_config_change_is_pushed_once_after_the_debounce_and_versioned() {
    let t = topo(DEBOUNCED);
    // Two changes 50 ms apart: one push, 100 ms after the second, plus processing.
    let s = stimuli(
        r#"[(id: Some("p1"), at_us: 0, do: KubectlApplyConfig(manifest: "vs.yaml")),
            (id: Some("p2"), at_us: 50000, do: KubectlApplyConfig(manifest: "dr.yaml"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let pushes = rows(&t, &tr, "cp", Action::PushConfig);
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].time_us, 50_000 + 100_000 + 200);
    assert_eq!(
        pushes[0].outcome,
        Outcome::Pushed {
            version: 2,
            sidecars: 2
        }
    );
    // The push names the latest change as its cause and flow.
    assert_eq!(pushes[0].flow, tr.flow("p2"));
    let cause = pushes[0].cause.expect("a cause").index();
    assert_eq!(tr.rows[cause].action, Action::ApplyMeshConfig);
    // Each sidecar installs version 2, one network hop to the control plane later.
    for s in ["a/sidecar", "b/sidecar"] {
        let applied = rows(&t, &tr, s, Action::ApplyConfig);
        assert_eq!(applied[0].outcome, Outcome::Config { version: 2 });
        assert_eq!(applied[0].time_us, pushes[0].time_us + 300);
    }
    let sidecar = t.find("a/sidecar").unwrap().index();
    assert_eq!(tr.initial.config[sidecar], Some(1));
    assert_eq!(tr.final_snapshot().config[sidecar], Some(2));
}

#[test]
fn a_stream_of_changes_is_pushed_at_the_debounce_maximum() {
    let t = topo(DEBOUNCED);
    // A change every 60 ms never leaves 100 ms of quiet: the 400 ms cap decides.
    let changes: Vec<String> = (0..10)
        .map(|i| {
            format!(
                "(at_us: {}, do: KubectlApplyConfig(manifest: \"m{i}.yaml\"))",
                i * 60_000
            )
        })
        .collect();
    let s = stimuli(&format!("[{}]", changes.join(", ")));
    let tr = run(&t, &s, 0, vec![]);
    let pushes = rows(&t, &tr, "cp", Action::PushConfig);
    assert_eq!(pushes[0].time_us, 400_000 + 200);
}

#[test]
fn requests_and_telemetry_never_cause_a_push() {
    let t = topo(DEBOUNCED);
    let s = stimuli(
        r#"[(id: Some("c1"), at_us: 0, do: Call(from: "a", to: "b")),
            (id: Some("c2"), at_us: 10000, do: Call(from: "a", to: "b"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert!(rows(&t, &tr, "a/sidecar", Action::ReportMetrics).len() == 2);
    assert!(actions(&t, &tr, "cp").is_empty());
    assert!(rows(&t, &tr, "a/sidecar", Action::ApplyConfig).is_empty());
}

#[test]
fn proxy_status_shows_synced_and_stale_proxies_while_a_push_propagates() {
    let t = topo(DEBOUNCED);
    let s = stimuli(
        r#"[(at_us: 0, do: KubectlApplyConfig(manifest: "vs.yaml")),
            (id: Some("during"), at_us: 100300, do: ProxyStatus),
            (id: Some("after"), at_us: 200000, do: ProxyStatus)]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let outs: Vec<String> = rows(&t, &tr, "kubectl", Action::ProxyStatus)
        .iter()
        .map(|r| output(&r.outcome))
        .collect();
    // Pushed at 100.2 ms, installed at 100.5 ms: at 100.3 ms both are stale.
    assert!(
        outs[0].contains("a.default STALE (v1 of v2)"),
        "{}",
        outs[0]
    );
    assert!(outs[1].contains("a.default SYNCED (v2)"), "{}", outs[1]);
}

#[test]
fn config_push_halted_sees_the_change_but_sends_nothing() {
    let t = topo(DEBOUNCED);
    let s = stimuli(r#"[(at_us: 0, do: KubectlApplyConfig(manifest: "vs.yaml"))]"#);
    let tr = run(&t, &s, 0, vec![Fault::ConfigPushHalted]);
    let p = rows(&t, &tr, "cp", Action::PushConfig);
    assert_eq!(p[0].outcome, Outcome::Failed(Failure::PushHalted));
    assert!(rows(&t, &tr, "a/sidecar", Action::ApplyConfig).is_empty());
}

#[test]
fn control_plane_down_sidecars_keep_their_config_and_traffic_flows() {
    let t = topo(DEBOUNCED);
    let s = stimuli(
        r#"[(id: Some("change"), at_us: 0, do: KubectlApplyConfig(manifest: "vs.yaml")),
            (id: Some("call"), at_us: 10000, do: Call(from: "a", to: "b"))]"#,
    );
    let down = run(&t, &s, 0, vec![Fault::ControlPlaneDown]);
    assert_eq!(result(&down, "call"), CallResult::Http(200));
    assert!(actions(&t, &down, "cp").is_empty(), "no push, no answer");
    let sidecar = t.find("a/sidecar").unwrap().index();
    assert_eq!(down.final_snapshot().config[sidecar], Some(1));
}

const LINKERD: &str = r#"(
    control_plane: Some((id: "cp", flavour: Linkerd)),
    pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", proxy: Sidecar)],
    services: [(name: "b", selector: "b")],
)"#;

#[test]
fn linkerd_style_proxies_resolve_a_target_once_and_keep_it_while_in_use() {
    let t = topo(LINKERD);
    let s = stimuli(
        r#"[(id: Some("first"), at_us: 0, do: Call(from: "a", to: "b")),
            (id: Some("second"), at_us: 50000, do: Call(from: "a", to: "b")),
            (id: Some("after-idle"), at_us: 6000000, do: Call(from: "a", to: "b"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let consults = rows(&t, &tr, "a/sidecar", Action::ConsultControlPlane);
    // The second call uses the cached answer; after 5 s unused it is asked again.
    assert_eq!(consults.len(), 2);
    assert_eq!(consults[0].flow, tr.flow("first"));
    assert_eq!(consults[1].flow, tr.flow("after-idle"));
    assert_eq!(result(&tr, "second"), CallResult::Http(200));
}

#[test]
fn a_destination_in_use_stays_cached_however_long_ago_it_was_looked_up() {
    let t = topo(LINKERD);
    // A call every 4 s: never 5 s unused, so one lookup serves them all.
    let s = stimuli(
        r#"[(at_us: 0, do: Call(from: "a", to: "b")), (at_us: 4000000, do: Call(from: "a", to: "b")),
            (at_us: 8000000, do: Call(from: "a", to: "b")), (at_us: 12000000, do: Call(from: "a", to: "b"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(
        rows(&t, &tr, "a/sidecar", Action::ConsultControlPlane).len(),
        1
    );
}

#[test]
fn an_istio_sidecar_without_its_first_config_is_not_ready_and_refuses_the_app() {
    let t = topo(INSTALL);
    let s = stimuli(RESTART_LIST_CALL);
    let tr = run(&t, &s, 0, vec![Fault::ConfigPushHalted]);
    assert!(rows(&t, &tr, "a/sidecar", Action::ApplyConfig).is_empty());
    // Envoy is still initialising: its readiness probe fails and its
    // listeners accept nothing, so the app's own connection is refused and
    // no HTTP status (and no access-log line) is produced.
    let pods = output(&rows(&t, &tr, "kubectl", Action::ListPods)[0].outcome);
    assert!(pods.contains("a READY=1/2 STATUS=Running"), "{pods}");
    assert_eq!(
        result(&tr, "call"),
        CallResult::Failed(Failure::NotConfigured)
    );
    assert_eq!(
        rows(&t, &tr, "a/app", Action::ReceiveResponse)[0].outcome,
        Outcome::Failed(Failure::NotConfigured)
    );
    // Without the fault the same pods are 2/2 and the call succeeds.
    let ok = run(&t, &s, 0, vec![]);
    let pods = output(&rows(&t, &ok, "kubectl", Action::ListPods)[0].outcome);
    assert!(pods.contains("a READY=2/2 STATUS=Running"), "{pods}");
    assert_eq!(result(&ok, "call"), CallResult::Http(200));
}

#[test]
fn istio_style_proxies_never_ask_the_control_plane_per_request() {
    let t = topo(DEBOUNCED);
    let tr = run(&t, &stimuli(CALL_A), 0, vec![]);
    assert!(rows(&t, &tr, "a/sidecar", Action::ConsultControlPlane).is_empty());
}

#[test]
fn linkerd_destination_down_fails_a_new_target_with_503() {
    let t = topo(LINKERD);
    let tr = run(&t, &stimuli(CALL_A), 0, vec![Fault::ControlPlaneDown]);
    assert_eq!(result(&tr, "call"), CallResult::Http(503));
    assert!(rows(&t, &tr, "a/sidecar", Action::ReceiveRoutes).is_empty());
}

const INSTALL: &str = r#"(
    control_plane: Some((id: "cp", installed: false, startup_us: 1000)),
    pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", proxy: Sidecar)],
    services: [(name: "b", selector: "b")],
    gateways: [(id: "istio-ingressgateway")],
)"#;

/// Install the mesh, restart the pods so they get sidecars, then list them
/// and call b, 3 s in.
const RESTART_LIST_CALL: &str = r#"[(at_us: 0, do: KubectlApply(manifest: "mesh.yaml")),
    (at_us: 20000, do: KubectlRolloutRestart(namespace: "default")),
    (id: Some("get"), at_us: 3000000, do: KubectlGetPods(namespace: "default")),
    (id: Some("call"), at_us: 3000000, do: Call(from: "a", to: "b"))]"#;

#[test]
fn running_pods_get_a_sidecar_only_when_they_are_recreated() {
    let t = topo(INSTALL);
    let s = stimuli(
        r#"[(at_us: 0, do: KubectlApply(manifest: "mesh.yaml")),
            (id: Some("before-restart"), at_us: 10000, do: Call(from: "a", to: "b")),
            (at_us: 20000, do: KubectlRolloutRestart(namespace: "default")),
            (id: Some("after-restart"), at_us: 2000000, do: Call(from: "a", to: "b"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let before = rows(&t, &tr, "a/app", Action::SendRequest);
    assert_eq!(
        before[0].outcome,
        Outcome::SentVia(meshstep_sim::trace::Route::Direct)
    );
    assert_eq!(
        before[1].outcome,
        Outcome::SentVia(meshstep_sim::trace::Route::Sidecar)
    );
    let injected = rows(&t, &tr, "a/sidecar", Action::InjectSidecar);
    assert_eq!(injected[0].time_us, 20000);
    let ready = rows(&t, &tr, "a", Action::PodReady);
    assert_eq!(ready[0].time_us, 20000 + 1_000_000);
    // A new proxy asks for its config as it connects.
    assert_eq!(
        rows(&t, &tr, "a/sidecar", Action::ApplyConfig)[0].outcome,
        Outcome::Config { version: 1 }
    );
}

#[test]
fn istio_injection_fails_closed_while_the_control_plane_is_down() {
    let t = topo(INSTALL);
    let s = stimuli(RESTART_LIST_CALL);
    let tr = run(&t, &s, 0, vec![Fault::ControlPlaneDown]);
    let inj = rows(&t, &tr, "a/sidecar", Action::InjectSidecar);
    assert_eq!(inj[0].outcome, Outcome::Failed(Failure::WebhookUnavailable));
    // No new pod; the old one keeps running and serving, without a sidecar.
    assert!(rows(&t, &tr, "a", Action::PodReady).is_empty());
    let pods = output(&rows(&t, &tr, "kubectl", Action::ListPods)[0].outcome);
    assert!(pods.contains("a READY=1/1 STATUS=Running"), "{pods}");
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
}

#[test]
fn linkerd_injection_fails_open_so_new_pods_start_without_a_proxy() {
    let t = topo(&INSTALL.replace("installed: false", "flavour: Linkerd, installed: false"));
    let s = stimuli(
        r#"[(at_us: 0, do: KubectlApply(manifest: "mesh.yaml")),
            (at_us: 20000, do: KubectlRolloutRestart(namespace: "default"))]"#,
    );
    let tr = run(&t, &s, 0, vec![Fault::ControlPlaneDown]);
    assert_eq!(
        rows(&t, &tr, "a/sidecar", Action::InjectSidecar)[0].outcome,
        Outcome::Failed(Failure::WebhookUnavailable)
    );
    assert_eq!(rows(&t, &tr, "a", Action::PodReady).len(), 1);
    let a = t.pod_id("a").unwrap().index();
    assert!(!tr.final_snapshot().injected[a]);
}

#[test]
fn the_ingress_gateway_is_listed_as_a_data_plane_deployment_not_a_control_plane_pod() {
    let t = topo(INSTALL);
    let s = stimuli(
        r#"[(at_us: 0, do: KubectlApply(manifest: "mesh.yaml")),
            (at_us: 5000, do: KubectlGetPods(namespace: "istio-system")),
            (at_us: 5000, do: KubectlGetServices(namespace: "istio-system"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let pods = output(&rows(&t, &tr, "kubectl", Action::ListPods)[0].outcome);
    assert_eq!(
        pods,
        "istiod STATUS=Running, istio-ingressgateway STATUS=Running"
    );
    let svcs = output(&rows(&t, &tr, "kubectl", Action::ListServices)[0].outcome);
    assert!(
        svcs.contains("istio-ingressgateway (LoadBalancer)"),
        "{svcs}"
    );
    let cp = t.control_plane.as_ref().unwrap();
    assert_eq!(cp.pod_names(), ["istiod"]);
    assert_eq!(
        t.component(t.find("istio-ingressgateway").unwrap()).kind,
        meshstep_sim::ComponentKind::Gateway
    );
}

#[test]
fn an_outage_longer_than_the_certificate_lifetime_breaks_new_mtls_connections() {
    // Certificates last 1 s here; the control plane (the CA) goes down at
    // 0.2 s, so the certificates renewed at 0 expire at 1 s.
    let t = topo(
        r#"(control_plane: Some((id: "cp", cert_lifetime_us: 1000000)),
            pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", proxy: Sidecar)],
            services: [(name: "b", selector: "b")])"#,
    );
    let s = stimuli(
        r#"[(id: Some("early"), at_us: 500000, do: Call(from: "a", to: "b")),
            (id: Some("late"), at_us: 1500000, do: Call(from: "a", to: "b"))]"#,
    );
    let tr = run_from(
        &t,
        &s,
        0,
        vec![Fault::ControlPlaneDown],
        FaultStart::AtUs(200_000),
    );
    assert_eq!(result(&tr, "early"), CallResult::Http(200));
    // Every attempt's handshake fails; the client's sidecar answers 503.
    assert_eq!(result(&tr, "late"), CallResult::Http(503));
    let failed = rows(&t, &tr, "b/sidecar", Action::InterceptInbound);
    assert!(
        failed
            .iter()
            .any(|r| r.outcome == Outcome::Failed(Failure::CertExpired))
    );
    // With the control plane up all along, renewals keep mTLS working.
    let up = run(&t, &s, 0, vec![]);
    assert_eq!(result(&up, "late"), CallResult::Http(200));
}

#[test]
fn a_fault_from_a_time_leaves_everything_before_it_as_it_was() {
    let t = topo(DEBOUNCED);
    let s = stimuli(
        r#"[(id: Some("c1"), at_us: 0, do: Call(from: "a", to: "b")),
            (id: Some("c2"), at_us: 100000, do: Call(from: "a", to: "b"))]"#,
    );
    let base = run(&t, &s, 0, vec![]);
    let forked = run_from(&t, &s, 0, vec![Fault::MtlsOff], FaultStart::AtUs(50_000));
    let split = forked
        .rows
        .iter()
        .position(|r| r.action == Action::InjectFault)
        .expect("the fault is marked in the trace");
    assert_eq!(forked.rows[split].time_us, 50_000);
    assert_eq!(&forked.rows[..split], &base.rows[..split]);
    let encrypted = |tr: &meshstep_sim::Trace| -> Vec<bool> {
        tr.rows
            .iter()
            .filter_map(|r| match r.outcome {
                Outcome::Forwarded { encrypted, .. } => Some(encrypted),
                _ => None,
            })
            .collect()
    };
    assert_eq!(encrypted(&base), [true, true]);
    assert_eq!(encrypted(&forked), [true, false]);
    let cp = t.find("cp").unwrap();
    assert_eq!(forked.state_after(cp, None), State::Idle);
}
