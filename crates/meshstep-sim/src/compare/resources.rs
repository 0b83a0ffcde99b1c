//! The resource model: what each kind of proxy costs in CPU and memory, from
//! the upstream projects' published measurements, and what a proxy library
//! costs inside its app, which nobody publishes and meshstep derives from the
//! engine's own per-request work.
//!
//! Every figure is per proxy; CPU grows with the requests the proxy carries
//! (the engine counts them), memory is taken as the published figure at the
//! load it was measured under. `docs/scenario-format.md` ("Resource model")
//! repeats this table for learners.

use serde::Serialize;

use super::Approach;

/// What one proxy of a kind costs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProxyCost {
    /// vCPU per 1,000 requests per second through the proxy.
    pub vcpu_per_krps: f64,
    /// Resident memory, MiB.
    pub memory_mib: f64,
    /// Where the figure comes from.
    pub source: &'static str,
}

/// Envoy as an Istio sidecar: "a single sidecar proxy with 2 worker threads
/// consumes about 0.20 vCPU and 60 MB of memory" at 1,000 requests per
/// second of 1 KB each (Istio 1.24's performance summary; its load-test mesh
/// has 1,000 services, 2,000 pods, 70,000 requests per second).
/// <https://istio.io/latest/docs/ops/deployment/performance-and-scalability/>
pub const ENVOY_SIDECAR: ProxyCost = ProxyCost {
    vcpu_per_krps: 0.20,
    memory_mib: 60.0,
    source: "https://istio.io/latest/docs/ops/deployment/performance-and-scalability/",
};

/// ztunnel, one per node in ambient mode: "about 0.06 vCPU and 12 MB of
/// memory" at the same 1,000 requests per second (same page).
pub const ZTUNNEL: ProxyCost = ProxyCost {
    vcpu_per_krps: 0.06,
    memory_mib: 12.0,
    source: "https://istio.io/latest/docs/ops/deployment/performance-and-scalability/",
};

/// A waypoint (Envoy) in ambient mode: "about 0.25 vCPU and 60 MB of
/// memory" at the same load (same page).
pub const WAYPOINT: ProxyCost = ProxyCost {
    vcpu_per_krps: 0.25,
    memory_mib: 60.0,
    source: "https://istio.io/latest/docs/ops/deployment/performance-and-scalability/",
};

/// linkerd2-proxy as a sidecar. Linkerd's 2021 benchmark (Linkerd 2.11.1
/// against Istio 1.12.0 at 2,000 requests per second) measured a maximum
/// proxy memory of 26.3 MB (Envoy: 156.2 MB) and a maximum proxy CPU time of
/// 36 ms (Envoy: 67 ms). No per-request CPU is published, so the CPU here is
/// Istio's Envoy figure scaled by that 36/67 ratio: an estimate.
/// <https://linkerd.io/2021/11/29/linkerd-vs-istio-benchmarks-2021/>
pub const LINKERD_SIDECAR: ProxyCost = ProxyCost {
    vcpu_per_krps: 0.20 * 36.0 / 67.0,
    memory_mib: 26.3,
    source: "https://linkerd.io/2021/11/29/linkerd-vs-istio-benchmarks-2021/",
};

/// A proxy library inside the app: no separate process, so no memory of its
/// own beyond the app's heap (assumed 10 MiB for its routing tables, clients
/// and metrics); its CPU is the engine's `latency.library_us` of work per
/// request it handles. Both are assumptions meshstep states: nobody
/// publishes a measurement that covers "a library" in general.
pub const LIBRARY_MEMORY_MIB: f64 = 10.0;

/// istiod in the load test above: "Istiod uses 1 vCPU and 1.5 GB of memory"
/// (Istio 1.16's summary; the 1.24 page gives no control-plane figure).
/// <https://istio.io/v1.16/docs/ops/deployment/performance-and-scalability/>
pub const ISTIOD_VCPU: f64 = 1.0;
pub const ISTIOD_MEMORY_MIB: f64 = 1536.0;
/// Proxies connected to istiod in that load test.
pub const ISTIOD_TEST_PROXIES: f64 = 2000.0;

/// What one proxy of `approach` costs, for a mesh of `flavour`.
pub fn cost(approach: Approach, linkerd: bool) -> Option<ProxyCost> {
    match approach {
        Approach::Direct | Approach::Library => None,
        Approach::Sidecar if linkerd => Some(LINKERD_SIDECAR),
        Approach::Sidecar => Some(ENVOY_SIDECAR),
        Approach::Ambient => Some(ZTUNNEL),
    }
}

/// CPU, vCPU, of a library doing `work_us` per request at `rps`.
pub fn library_vcpu(work_us: u64, rps: f64) -> f64 {
    rps * work_us as f64 / 1e6
}
