//! What the modelled `kubectl` commands print, computed from the engine's
//! current state (so a control plane that is down shows as not ready).

use crate::component::State;
use crate::engine::Engine;
use crate::topology::Topology;
use crate::trace::{CallResult, fmt_us};

pub(crate) fn apply_output(topo: &Topology) -> String {
    let cp = topo.control_plane.as_ref();
    let n = cp.map_or(0, |c| c.pods.len());
    format!(
        "namespace/{} created, {} deployment(s) created, sidecar injector configured",
        cp.map_or("istio-system", |c| c.namespace.as_str()),
        n
    )
}

pub(crate) fn get_pods(e: &Engine<'_>, ns: &str) -> String {
    let topo = e.topo;
    let mut out = Vec::new();
    if let (Some(cp), Some(cid)) = (&topo.control_plane, topo.control_plane_id)
        && cp.namespace == ns
        && e.cp_installed
    {
        let status = match e.states[cid.index()] {
            State::Starting => "ContainerCreating",
            State::Down => "CrashLoopBackOff",
            _ => "Running",
        };
        out.extend(cp.pods.iter().map(|p| format!("{p} STATUS={status}")));
    }
    for (i, p) in topo
        .pods
        .iter()
        .enumerate()
        .filter(|(_, p)| p.namespace == ns)
    {
        let ready = if e.injected[i] { "2/2" } else { "1/1" };
        out.push(format!("{} READY={ready} STATUS=Running", p.id));
    }
    if out.is_empty() {
        format!("No resources found in {ns} namespace.")
    } else {
        out.join(", ")
    }
}

pub(crate) fn get_services(topo: &Topology, cp_installed: bool, ns: &str) -> String {
    let mut out = Vec::new();
    if let Some(cp) = &topo.control_plane
        && cp.namespace == ns
        && cp_installed
    {
        out.extend(cp.pods.iter().map(|p| {
            let kind = if p.contains("gateway") {
                "LoadBalancer"
            } else {
                "ClusterIP"
            };
            format!("{p} ({kind})")
        }));
    }
    for s in topo.services.iter().filter(|s| s.namespace == ns) {
        out.push(format!(
            "{} (ClusterIP, {} endpoint(s))",
            s.name,
            s.endpoints.len()
        ));
    }
    if out.is_empty() {
        format!("No resources found in {ns} namespace.")
    } else {
        out.join(", ")
    }
}

pub(crate) fn logs(e: &Engine<'_>, pod: usize) -> String {
    let entries = &e.logs[pod];
    let name = &e.topo.pods[pod].id;
    if entries.is_empty() {
        return format!("{name}: no requests logged yet");
    }
    let proxied: Vec<_> = entries.iter().filter(|l| l.proxied).collect();
    if proxied.is_empty() {
        return format!(
            "{name}: {} request(s) in the app's own log; no proxy: no retries, encryption or metrics recorded",
            entries.len()
        );
    }
    let last = proxied[proxied.len() - 1];
    let retries: u32 = proxied.iter().map(|l| l.retries).sum();
    let mtls = proxied.iter().filter(|l| l.encrypted).count();
    format!(
        "{name} proxy log: {} request(s), last HTTP {} in {}, {} retr{}, {} of {} over mTLS",
        proxied.len(),
        last.status,
        fmt_us(last.latency_us),
        retries,
        if retries == 1 { "y" } else { "ies" },
        mtls,
        proxied.len()
    )
}

pub(crate) fn curl_output(result: CallResult, topo: &Topology, service: usize) -> String {
    let host = topo.services.get(service).map_or("?", |s| s.name.as_str());
    match result {
        CallResult::Http(s) => format!("HTTP {s} {} from {host}", crate::trace::status_text(s)),
        CallResult::Failed(f) => format!("curl: http://{host} failed: {}", f.describe()),
        CallResult::Pending => format!("curl: http://{host}: no answer yet"),
    }
}
