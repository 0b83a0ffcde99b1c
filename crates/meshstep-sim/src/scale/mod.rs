//! The scale lab: what the approaches cost as a cluster grows from ten pods
//! to ten thousand — the latency each call pays, how long one policy change
//! takes to reach every proxy or pod, the proxies' CPU and memory, and the
//! control plane's load.
//!
//! Simulating a million calls event by event, per approach, is more than a
//! learner should wait for, so the lab splits the work: the engine measures
//! what one call costs through each approach on an idle two-pod cluster
//! ([`Calibration`]), and a seeded sampler adds what load does — waiting for
//! a busy proxy, modelled as a single queue per proxy — over as many calls as
//! asked, in chunks a window or a page can interleave with drawing
//! ([`ScaleJob::step`]). The sweeps (push time, resources, control-plane
//! load against pod count) are closed-form and cheap.
//!
//! ```
//! use meshstep_sim::scale::{ScaleJob, ScaleParams};
//!
//! let mut job = ScaleJob::new(ScaleParams { requests: 20_000, ..Default::default() }).unwrap();
//! while !job.step(5_000) {}
//! let r = job.result();
//! let sidecar = &r.lanes[2];
//! // A sidecar call is never faster than the same call with no proxy.
//! assert!(sidecar.added_p50_us.unwrap() > 0);
//! ```

mod calibrate;
mod histogram;
mod job;
mod model;
pub mod presets;
mod report;

use serde::Serialize;

pub use calibrate::Calibration;
pub use histogram::Histogram;
pub use job::{LaneResult, ScaleJob, ScaleResult};
pub use model::{Load, Sweep, SweepPoint, point, push_us as model_push_us, sweep, sweep_pods};

use crate::compare::Approach;

/// Which mesh the lab puts beside the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum MeshKind {
    /// Istio with an Envoy sidecar in every pod.
    #[default]
    IstioSidecar,
    /// Linkerd with its Rust proxy in every pod.
    LinkerdSidecar,
    /// Istio's ambient mode: a ztunnel per node.
    IstioAmbient,
}

impl MeshKind {
    pub const ALL: [MeshKind; 3] = [
        MeshKind::IstioSidecar,
        MeshKind::LinkerdSidecar,
        MeshKind::IstioAmbient,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MeshKind::IstioSidecar => "istio-sidecar",
            MeshKind::LinkerdSidecar => "linkerd-sidecar",
            MeshKind::IstioAmbient => "istio-ambient",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MeshKind::IstioSidecar => "Istio sidecar (Envoy)",
            MeshKind::LinkerdSidecar => "Linkerd sidecar (linkerd2-proxy)",
            MeshKind::IstioAmbient => "Istio ambient (ztunnel)",
        }
    }

    pub fn from_key(s: &str) -> Option<MeshKind> {
        MeshKind::ALL.into_iter().find(|m| m.key() == s)
    }

    pub fn approach(self) -> Approach {
        match self {
            MeshKind::IstioAmbient => Approach::Ambient,
            _ => Approach::Sidecar,
        }
    }

    pub fn linkerd(self) -> bool {
        self == MeshKind::LinkerdSidecar
    }
}

/// The lab's sliders.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScaleParams {
    /// App pods, 10 to 10,000.
    pub pods: u32,
    /// Services (deployments) the pods belong to, 1 to `pods`.
    pub services: u32,
    /// Calls per second, mesh-wide.
    pub rate_rps: f64,
    /// Languages the apps are written in; the library exists in one.
    pub languages: u32,
    pub mesh: MeshKind,
    /// Calls sampled per approach.
    pub requests: u32,
    pub seed: u64,
    /// Pods per node (ambient runs one ztunnel per node).
    pub pods_per_node: u32,
    /// The mean of the apps' own (exponential) service time.
    pub service_mean_us: u64,
    /// CPU cores of istiod, which sets how many pushes it sends at once.
    pub istiod_cores: u32,
}

impl Default for ScaleParams {
    fn default() -> Self {
        Self {
            pods: 1000,
            services: 100,
            rate_rps: 10_000.0,
            languages: 3,
            mesh: MeshKind::IstioSidecar,
            requests: 1_000_000,
            seed: 1,
            pods_per_node: 30,
            service_mean_us: 2_000,
            istiod_cores: 2,
        }
    }
}

/// The slider ranges, for the panel, the command line's checks and the link.
pub const PODS: std::ops::RangeInclusive<u32> = 10..=10_000;
pub const RATE: std::ops::RangeInclusive<f64> = 10.0..=1_000_000.0;
pub const LANGUAGES: std::ops::RangeInclusive<u32> = 1..=10;
pub const REQUESTS: std::ops::RangeInclusive<u32> = 1_000..=1_000_000;

impl ScaleParams {
    /// What is out of range, as a sentence naming the setting.
    pub fn problem(&self) -> Option<String> {
        if !PODS.contains(&self.pods) {
            return Some(format!(
                "pods must be between {} and {}",
                PODS.start(),
                PODS.end()
            ));
        }
        if self.services == 0 || self.services > self.pods {
            return Some(format!(
                "services must be between 1 and the number of pods ({})",
                self.pods
            ));
        }
        if !(RATE.start()..=RATE.end()).contains(&&self.rate_rps) {
            return Some(format!(
                "rate must be between {} and {} calls per second",
                RATE.start(),
                RATE.end()
            ));
        }
        if !LANGUAGES.contains(&self.languages) {
            return Some(format!(
                "languages must be between {} and {}",
                LANGUAGES.start(),
                LANGUAGES.end()
            ));
        }
        if !REQUESTS.contains(&self.requests) {
            return Some(format!(
                "requests must be between {} and {}",
                REQUESTS.start(),
                REQUESTS.end()
            ));
        }
        if self.pods_per_node == 0 || self.istiod_cores == 0 || self.service_mean_us == 0 {
            return Some("pods per node, istiod cores and service time must be above zero".into());
        }
        None
    }

    /// The three lanes: no proxy, a library, the chosen mesh.
    pub fn approaches(&self) -> [Approach; 3] {
        [Approach::Direct, Approach::Library, self.mesh.approach()]
    }

    pub fn nodes(&self) -> u32 {
        self.pods.div_ceil(self.pods_per_node)
    }
}
