//! The closed-form part of the scale lab: how busy each proxy is, how long a
//! policy change takes to reach every proxy or pod, and what proxies and the
//! control plane cost, as functions of the cluster's size.
//!
//! Sources, and what is assumed where nobody publishes a figure:
//! - per-proxy CPU and memory: [`crate::compare::resources`];
//! - a busy proxy is one queue served by its worker threads (Istio measures
//!   its sidecar "with 2 worker threads"); the wait is that of an M/M/1 queue
//!   with the threads' combined rate — a teaching model, not a measurement;
//! - istiod sends at most `min(15 + 5 × cores, 100)` pushes at once
//!   (`PILOT_PUSH_THROTTLE` left at 0 since Istio 1.21, `pilot/pkg/features/tuning.go`),
//!   after its 100 ms debounce (`PILOT_DEBOUNCE_AFTER`);
//!   <https://istio.io/latest/docs/reference/commands/pilot-discovery/>
//! - each push costs [`PUSH_BASE_US`] plus [`PUSH_PER_SERVICE_US`] per
//!   service in the mesh (without a `Sidecar` resource every proxy gets every
//!   service): assumed figures; upstream publishes no convergence time;
//! - a library change rebuilds every app and rolls every Deployment with
//!   Kubernetes' default `maxSurge` of 25%;
//!   <https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge>
//! - istiod's CPU and memory grow in proportion to the proxies it serves,
//!   from the one measured point (1 vCPU, 1.5 GB for 2,000 proxies): an
//!   extrapolation.

use serde::Serialize;

use crate::compare::Approach;
use crate::compare::resources::{
    self, ISTIOD_MEMORY_MIB, ISTIOD_TEST_PROXIES, ISTIOD_VCPU, LIBRARY_MEMORY_MIB,
};

use super::{Calibration, ScaleParams};

/// Worker threads per proxy (Istio's measurement setting).
pub const PROXY_WORKERS: f64 = 2.0;
/// Assumed cost of one config push to one proxy, before its size.
pub const PUSH_BASE_US: f64 = 2_000.0;
/// Assumed extra cost per service in the pushed config.
pub const PUSH_PER_SERVICE_US: f64 = 10.0;

/// What one push to one proxy costs with `services` in the mesh (assumed).
pub fn push_us(services: u32) -> f64 {
    PUSH_BASE_US + PUSH_PER_SERVICE_US * services as f64
}

/// How one approach's proxies are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Load {
    /// Proxies (or libraries) that carry traffic.
    pub proxies: u32,
    /// Calls per second each one carries.
    pub per_proxy_rps: f64,
    /// CPU per call at one proxy, µs.
    pub work_us: f64,
    /// Utilisation of each proxy's workers, 0 to 1 (≥ 1: overloaded).
    pub utilisation: f64,
}

impl Load {
    pub fn of(a: Approach, p: &ScaleParams, cal: &Calibration) -> Option<Load> {
        // Every call passes a proxy at each end.
        let visits = 2.0 * p.rate_rps;
        let (proxies, work_us) = match a {
            Approach::Direct => return None,
            Approach::Library => (p.pods, cal.library_us as f64),
            Approach::Sidecar => (p.pods, mesh_cost(a, p).vcpu_per_krps * 1000.0),
            Approach::Ambient => (p.nodes(), mesh_cost(a, p).vcpu_per_krps * 1000.0),
        };
        let per_proxy_rps = visits / proxies as f64;
        Some(Load {
            proxies,
            per_proxy_rps,
            work_us,
            utilisation: per_proxy_rps * work_us / 1e6 / PROXY_WORKERS,
        })
    }

    pub fn overloaded(&self) -> bool {
        self.utilisation >= 1.0
    }
}

/// What one proxy of a mesh approach costs, from the one resource table.
fn mesh_cost(a: Approach, p: &ScaleParams) -> resources::ProxyCost {
    resources::cost(a, p.mesh.linkerd()).expect("a mesh approach runs proxies")
}

/// One approach's figures at one cluster size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SweepPoint {
    pub pods: u32,
    /// Time for one policy change to reach every proxy (mesh) or every
    /// restarted pod (library), seconds.
    pub rollout_s: f64,
    pub pods_restarted: u32,
    pub proxy_memory_mib: f64,
    pub proxy_vcpu: f64,
    /// Connections the control plane serves (one per proxy).
    pub control_plane_connections: u32,
    pub control_plane_vcpu: f64,
    pub control_plane_memory_mib: f64,
}

/// Figures against pod count for each lane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    pub lanes: Vec<(Approach, Vec<SweepPoint>)>,
}

/// Pod counts the sweeps are drawn at: 10 to 10,000 in even steps on a log scale.
pub fn sweep_pods() -> Vec<u32> {
    (0..=24)
        .map(|i| libm::round(10.0 * libm::pow(1000.0, i as f64 / 24.0)) as u32)
        .collect()
}

/// One approach at `pods` pods, the rest of `p` kept (services in proportion).
pub fn point(a: Approach, p: &ScaleParams, cal: &Calibration, pods: u32) -> SweepPoint {
    let services = ((p.services as f64 / p.pods as f64) * pods as f64)
        .round()
        .clamp(1.0, pods as f64) as u32;
    let q = ScaleParams {
        pods,
        services,
        ..*p
    };
    let load = Load::of(a, &q, cal);
    let proxies = load.map_or(0, |l| l.proxies);
    let visits_per_s = 2.0 * q.rate_rps;
    let (memory, vcpu) = match a {
        Approach::Direct => (0.0, 0.0),
        Approach::Library => (
            pods as f64 * LIBRARY_MEMORY_MIB,
            resources::library_vcpu(cal.library_us, visits_per_s),
        ),
        Approach::Sidecar | Approach::Ambient => {
            let c = mesh_cost(a, &q);
            (
                proxies as f64 * c.memory_mib,
                visits_per_s / 1000.0 * c.vcpu_per_krps,
            )
        }
    };
    let (rollout_us, restarted) = match a {
        Approach::Direct => (0.0, 0),
        Approach::Library => {
            let replicas = pods.div_ceil(services).max(1);
            let surge = replicas.div_ceil(4).max(1);
            let waves = replicas.div_ceil(surge);
            (
                cal.build_us as f64 + waves as f64 * cal.pod_start_us as f64,
                pods,
            )
        }
        Approach::Sidecar | Approach::Ambient => {
            let throttle = (15 + 5 * q.istiod_cores).min(100);
            let rounds = proxies.div_ceil(throttle) as f64;
            let per_push = push_us(services);
            (
                (cal.debounce_us + cal.processing_us + cal.control_plane_us) as f64
                    + rounds * per_push,
                0,
            )
        }
    };
    let mesh = a.needs_control_plane();
    let share = proxies as f64 / ISTIOD_TEST_PROXIES;
    SweepPoint {
        pods,
        rollout_s: rollout_us / 1e6,
        pods_restarted: restarted,
        proxy_memory_mib: memory,
        proxy_vcpu: vcpu,
        control_plane_connections: if mesh { proxies } else { 0 },
        control_plane_vcpu: if mesh { ISTIOD_VCPU * share } else { 0.0 },
        control_plane_memory_mib: if mesh { ISTIOD_MEMORY_MIB * share } else { 0.0 },
    }
}

pub fn sweep(p: &ScaleParams, cal: &Calibration) -> Sweep {
    Sweep {
        lanes: p
            .approaches()
            .into_iter()
            .map(|a| {
                (
                    a,
                    sweep_pods()
                        .into_iter()
                        .map(|n| point(a, p, cal, n))
                        .collect(),
                )
            })
            .collect(),
    }
}
