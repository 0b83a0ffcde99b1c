//! Mesh versus library, measured: the same workload — the lesson's pods and
//! the calls its stimuli make — run once per approach (no proxy, a library in
//! every app, a sidecar in every pod, ambient), with the figures a learner
//! compares computed from each run's trace, never typed into a lesson.
//!
//! ```
//! use meshstep_sim::compare::{Approach, CompareOptions, Workload, compare};
//! use meshstep_sim::{Lesson, bundled};
//!
//! let lesson = Lesson::from_source("m.ron", bundled::source("mesh-vs-library").unwrap()).unwrap();
//! let w = Workload::from_scenario(&lesson.scenario).unwrap();
//! let c = compare(&w, &[Approach::Direct, Approach::Library, Approach::Sidecar],
//!                 &CompareOptions { requests: 50, ..Default::default() }).unwrap();
//! let sidecar = c.figures(Approach::Sidecar).unwrap();
//! let library = c.figures(Approach::Library).unwrap();
//! // A sidecar call is captured and handed on twice more than a library call.
//! assert!(sidecar.hops_per_call > library.hops_per_call);
//! ```

mod approach;
pub mod format;
mod measure;
pub mod resources;
mod rollout;
mod strip;
mod workload;

use std::collections::BTreeSet;

use serde::Serialize;

pub use approach::Approach;
pub use rollout::Rollout;
pub use strip::{Figure, fmt_duration};
pub use workload::Workload;

use crate::queue::Micros;
use crate::topology::Topology;
use crate::trace::Trace;
use measure::{Measured, measure, percentile};

/// How many calls to make and how far apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    pub requests: u32,
    pub seed: u64,
    /// Time between two calls; sets the request rate each proxy carries.
    pub interval_us: Micros,
    /// Also roll out one policy change per approach (a run each).
    pub rollout: bool,
}

/// Calls per approach the side-by-side strip and `meshstep compare` make
/// unless told otherwise: enough for stable percentiles, few enough to
/// compute within a frame or two.
pub const DEFAULT_REQUESTS: u32 = 500;

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            requests: DEFAULT_REQUESTS,
            seed: 0,
            interval_us: 10_000,
            rollout: true,
        }
    }
}

/// What went wrong building or running one approach's variant.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareError {
    pub approach: Option<Approach>,
    pub message: String,
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.approach {
            Some(a) => write!(f, "{} run: {}", a.label(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The figures of one approach, over every call of its run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub approach: Approach,
    pub calls: u32,
    /// Calls with no HTTP answer at all.
    pub failed: u32,
    /// Calls answered 5xx.
    pub errors: u32,
    /// Mean hops (messages between processes) from a caller to the app that
    /// serves it, over every request, a call chain's inner ones included.
    pub hops_per_call: f64,
    pub latency_p50_us: Option<Micros>,
    pub latency_p99_us: Option<Micros>,
    /// Latency added over the same calls without a proxy (`None` for the
    /// baseline itself, or when no call was answered).
    pub added_p50_us: Option<i64>,
    pub added_p99_us: Option<i64>,
    /// Proxies that carried traffic (sidecars, ztunnels, waypoints, gateways;
    /// libraries count one per app pod).
    pub proxies: u32,
    /// Modelled CPU of all those proxies, vCPU (see [`resources`]).
    pub proxy_vcpu: f64,
    /// Modelled memory of all those proxies, MiB.
    pub proxy_memory_mib: f64,
    /// Rolling out one policy change (`None`: nothing to configure).
    pub rollout: Option<Rollout>,
    /// Share of calls whose answer came back over mutual TLS, 0–1.
    pub mtls_share: f64,
    /// Share of calls a proxy recorded in its metrics, 0–1.
    pub telemetry_share: f64,
    /// Languages in the workload this approach's features reach without new code.
    pub languages_covered: u32,
    /// Route lookups proxies made to the control plane.
    pub control_plane_lookups: u64,
}

/// Every approach's figures for one workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub requests: u32,
    pub seed: u64,
    pub interval_us: Micros,
    /// Languages the workload's apps are written in.
    pub languages: Vec<String>,
    pub figures: Vec<Figures>,
}

impl Comparison {
    pub fn figures(&self, a: Approach) -> Option<&Figures> {
        self.figures.iter().find(|f| f.approach == a)
    }
}

/// Runs `w` once per approach (and once without proxies, the baseline for
/// added latency) and measures each run.
pub fn compare(
    w: &Workload,
    approaches: &[Approach],
    opts: &CompareOptions,
) -> Result<Comparison, CompareError> {
    if opts.requests == 0 {
        return Err(CompareError {
            approach: None,
            message: "compare needs at least one request (--requests 1 or more)".into(),
        });
    }
    let stimuli = w.stimuli(opts.requests, opts.interval_us);
    let run = |a: Approach| w.run(a, &stimuli, opts.seed);
    let (btopo, btrace) = run(Approach::Direct)?;
    let baseline = sorted(measure(&btopo, &btrace).latencies_us);
    let base_p50 = percentile(&baseline, 50);
    let base_p99 = percentile(&baseline, 99);
    let seconds = (opts.requests as f64 * opts.interval_us as f64 / 1e6).max(1e-6);
    let languages = w.languages();
    let mut figures = Vec::new();
    for &a in approaches {
        let (topo, trace) = if a == Approach::Direct {
            (btopo.clone(), btrace.clone())
        } else {
            run(a)?
        };
        let m = measure(&topo, &trace);
        let rollout = if opts.rollout {
            rollout::measure(w, a, opts.seed)?
        } else {
            None
        };
        figures.push(figures_of(
            w, a, &topo, m, seconds, base_p50, base_p99, rollout,
        ));
    }
    Ok(Comparison {
        requests: opts.requests,
        seed: opts.seed,
        interval_us: opts.interval_us,
        languages: languages.into_iter().collect(),
        figures,
    })
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v
}

#[allow(clippy::too_many_arguments)]
fn figures_of(
    w: &Workload,
    a: Approach,
    topo: &Topology,
    m: Measured,
    seconds: f64,
    base_p50: Option<u64>,
    base_p99: Option<u64>,
    rollout: Option<Rollout>,
) -> Figures {
    let lat = sorted(m.latencies_us.clone());
    let p50 = percentile(&lat, 50);
    let p99 = percentile(&lat, 99);
    let diff = |x: Option<u64>, b: Option<u64>| match (x, b, a) {
        (_, _, Approach::Direct) => None,
        (Some(x), Some(b), _) => Some(x as i64 - b as i64),
        _ => None,
    };
    let linkerd = w.is_linkerd();
    let (mut vcpu, mut mem, mut proxies) = (0.0, 0.0, 0u32);
    for (&c, &n) in &m.per_proxy {
        let rps = n as f64 / seconds;
        let kind = topo.component(c).kind;
        use crate::component::ComponentKind as K;
        let cost = match kind {
            K::Library => {
                vcpu += resources::library_vcpu(w.spec.latency.library_us, rps);
                mem += resources::LIBRARY_MEMORY_MIB;
                proxies += 1;
                continue;
            }
            K::Sidecar if linkerd => resources::LINKERD_SIDECAR,
            K::Sidecar | K::Gateway => resources::ENVOY_SIDECAR,
            K::Ztunnel => resources::ZTUNNEL,
            K::Waypoint => resources::WAYPOINT,
            _ => continue,
        };
        proxies += 1;
        vcpu += rps / 1000.0 * cost.vcpu_per_krps;
        mem += cost.memory_mib;
    }
    let calls = m.calls.max(1) as f64;
    let hops = if m.hops.is_empty() {
        0.0
    } else {
        m.hops.iter().map(|&h| h as f64).sum::<f64>() / m.hops.len() as f64
    };
    Figures {
        approach: a,
        calls: m.calls,
        failed: m.failed,
        errors: m.errors,
        hops_per_call: hops,
        latency_p50_us: p50,
        latency_p99_us: p99,
        added_p50_us: diff(p50, base_p50),
        added_p99_us: diff(p99, base_p99),
        proxies,
        proxy_vcpu: vcpu,
        proxy_memory_mib: mem,
        rollout,
        mtls_share: m.encrypted as f64 / calls,
        telemetry_share: m.with_telemetry as f64 / calls,
        languages_covered: w.languages_covered(a),
        control_plane_lookups: m.lookups,
    }
}

/// One call of the workload through approach `a`, recorded, for laying the
/// approaches side by side.
pub fn sample(w: &Workload, a: Approach, seed: u64) -> Result<(Topology, Trace), CompareError> {
    w.run(a, &w.stimuli(1, 0), seed)
}

/// The distinct languages named by pods, `unspecified` for pods that name none.
pub(crate) fn languages_of<'a>(langs: impl Iterator<Item = Option<&'a str>>) -> BTreeSet<String> {
    langs
        .map(|l| l.unwrap_or("unspecified").to_string())
        .collect()
}
