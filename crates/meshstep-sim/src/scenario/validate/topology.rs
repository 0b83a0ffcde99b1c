//! The topology section: what the cluster can do, and format-1 fields that
//! no longer describe a real mesh.

use super::Sink;
use crate::scenario::schema::{Discovery, Flavour, ProxyMode, Scenario};
use crate::topology::Topology;

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario, _topo: Option<&Topology>) {
    let t = &s.topology;
    if t.control_plane.is_none() {
        for (i, p) in t.pods.iter().enumerate() {
            if p.proxy == ProxyMode::Sidecar {
                sink.error(
                    &format!("topology.pods[{i}].proxy"),
                    format!(
                        "pod `{}` has a sidecar, but the topology has no control plane to inject and configure it",
                        p.id
                    ),
                    "no control plane",
                    ["add `control_plane: (id: \"istiod\")` to the topology, or use `proxy: None`".into()],
                );
            }
        }
    }
    for (field, value) in [
        ("per_try_timeout_us", t.mesh.per_try_timeout_us),
        ("app_timeout_us", t.mesh.app_timeout_us),
    ] {
        if value == 0 {
            sink.error(
                &format!("topology.mesh.{field}"),
                format!("`{field}` is 0, so every call would time out at once"),
                "zero timeout",
                ["use a timeout longer than a round trip, such as 5000".into()],
            );
        }
    }
    let l = &t.latency;
    for (field, value) in [
        ("loopback_us", l.loopback_us),
        ("network_us", l.network_us),
        ("control_plane_us", l.control_plane_us),
        ("library_us", l.library_us),
        ("intercept_us", l.intercept_us),
        ("sidecar_us", l.sidecar_us),
        ("pod_start_us", l.pod_start_us),
        ("external_us", l.external_us),
    ] {
        super::time(sink, &format!("topology.latency.{field}"), value);
    }
    for (field, value) in [
        ("per_try_timeout_us", t.mesh.per_try_timeout_us),
        ("app_timeout_us", t.mesh.app_timeout_us),
    ] {
        super::time(sink, &format!("topology.mesh.{field}"), value);
    }
    for (i, p) in t.pods.iter().enumerate() {
        super::time(
            sink,
            &format!("topology.pods[{i}].service_time_us"),
            p.service_time_us,
        );
    }
    let Some(cp) = &t.control_plane else { return };
    for (field, value) in [
        ("startup_us", cp.startup_us),
        ("processing_us", cp.processing_us),
        ("debounce_us", cp.debounce_us),
        ("debounce_max_us", cp.debounce_max_us),
    ] {
        super::time(sink, &format!("topology.control_plane.{field}"), value);
    }
    let at = |f: &str| format!("topology.control_plane.{f}");
    if cp.push_on_telemetry == Some(true) {
        sink.error(
            &at("push_on_telemetry"),
            "no mesh pushes config because a proxy reported telemetry",
            "not how a mesh works",
            [
                "remove it; to show a push, apply a config change: a stimulus `KubectlApplyConfig(manifest: \"…\")` (the control plane pushes after its debounce)".into(),
                "`meshstep migrate FILE` removes it for you".into(),
            ],
        );
    } else if cp.push_on_telemetry == Some(false) {
        sink.warn(
            &at("push_on_telemetry"),
            "`push_on_telemetry` is no longer read",
            "can go",
            "remove it (`meshstep migrate FILE` does)",
        );
    }
    match (cp.discovery, cp.flavour) {
        (Some(Discovery::OnDemand), Flavour::Istio) => sink.error(
            &at("discovery"),
            "route discovery follows the mesh flavour: Istio pushes every route before traffic",
            "Istio does not look routes up per request",
            [
                "for per-target lookups write `flavour: Linkerd` (and drop `discovery`)".into(),
                "`meshstep migrate FILE` rewrites it".into(),
            ],
        ),
        (Some(_), _) => sink.warn(
            &at("discovery"),
            "`discovery` is no longer read: the flavour decides",
            "can go",
            "remove it (`meshstep migrate FILE` does)",
        ),
        (None, _) => {}
    }
    if let Some(pods) = &cp.pods {
        for (i, p) in pods.iter().enumerate() {
            if p.contains("gateway") {
                sink.error(
                    &format!("topology.control_plane.pods[{i}]"),
                    format!("`{p}` is a data-plane proxy at the mesh's edge, not part of the control plane"),
                    "not a control plane pod",
                    [
                        format!("list it under `topology.gateways: [(id: \"{p}\")]`"),
                        "`meshstep migrate FILE` moves it".into(),
                    ],
                );
            }
        }
    }
    if cp.cert_lifetime_us == 0 {
        sink.error(
            &at("cert_lifetime_us"),
            "certificates with no lifetime could never be used",
            "zero lifetime",
            ["leave it out for the 24 h default, or give a lifetime in microseconds".into()],
        );
    }
    if cp.debounce_us > cp.debounce_max_us {
        sink.warn(
            &at("debounce_us"),
            "the debounce is longer than its maximum, so the maximum decides",
            "longer than debounce_max_us",
            "make `debounce_us` at most `debounce_max_us`",
        );
    }
}
