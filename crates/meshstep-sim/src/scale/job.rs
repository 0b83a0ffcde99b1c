//! The sampled part of the scale lab: calls drawn one by one from a seeded
//! generator, each with the app's own service time (shared by every lane, so
//! the lanes differ only by what their path adds) and, for each proxy the
//! call passes, the wait a queue of that proxy's load gives. The job runs in
//! chunks: the window or the page calls [`ScaleJob::step`] once per frame.

use chacha20::ChaCha12Rng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::compare::{Approach, CompareError};

use super::model::{Load, Sweep, sweep};
use super::{Calibration, Histogram, ScaleParams};

/// One lane's figures so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneResult {
    pub approach: Approach,
    pub load: Option<Load>,
    /// Proxies are busier than they can serve: no latency is sampled.
    pub overloaded: bool,
    pub hops_per_call: f64,
    pub latency: Histogram,
    pub added: Histogram,
    pub latency_p50_us: Option<u64>,
    pub latency_p99_us: Option<u64>,
    pub added_p50_us: Option<u64>,
    pub added_p99_us: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleResult {
    pub params: ScaleParams,
    pub calibration: Calibration,
    pub sampled: u32,
    pub lanes: Vec<LaneResult>,
    pub sweep: Sweep,
}

pub struct ScaleJob {
    params: ScaleParams,
    calibration: Calibration,
    rng: ChaCha12Rng,
    done: u32,
    lanes: Vec<LaneResult>,
    sweep: Sweep,
}

impl ScaleJob {
    pub fn new(params: ScaleParams) -> Result<ScaleJob, CompareError> {
        if let Some(problem) = params.problem() {
            return Err(CompareError {
                approach: None,
                message: problem,
            });
        }
        let calibration = Calibration::measure(params.mesh)?;
        let lanes = params
            .approaches()
            .into_iter()
            .map(|a| {
                let load = Load::of(a, &params, &calibration);
                LaneResult {
                    approach: a,
                    load,
                    overloaded: load.is_some_and(|l| l.overloaded()),
                    hops_per_call: calibration.hops_of(a),
                    latency: Histogram::default(),
                    added: Histogram::default(),
                    latency_p50_us: None,
                    latency_p99_us: None,
                    added_p50_us: None,
                    added_p99_us: None,
                }
            })
            .collect();
        let sweep = sweep(&params, &calibration);
        Ok(ScaleJob {
            rng: ChaCha12Rng::seed_from_u64(params.seed),
            params,
            calibration,
            done: 0,
            lanes,
            sweep,
        })
    }

    pub fn params(&self) -> &ScaleParams {
        &self.params
    }

    /// Samples up to `budget` more calls; true once all are done.
    pub fn step(&mut self, budget: u32) -> bool {
        let n = budget.min(self.params.requests - self.done);
        let mean = self.params.service_mean_us as f64;
        let base = self.calibration.direct_path_us as f64;
        for _ in 0..n {
            let service = exp(&mut self.rng, mean);
            for lane in &mut self.lanes {
                if lane.overloaded {
                    continue;
                }
                let mut added = self.calibration.added(lane.approach) as f64;
                if let Some(l) = lane.load {
                    // M/M/1 with the workers' combined rate: a call waits with
                    // probability ρ, and then for an exponential time of rate μ − λ.
                    let mu = super::model::PROXY_WORKERS * 1e6 / l.work_us;
                    let lambda = l.per_proxy_rps;
                    for _ in 0..2 {
                        if uniform(&mut self.rng) < l.utilisation {
                            added += exp(&mut self.rng, 1e6 / (mu - lambda));
                        }
                    }
                }
                lane.latency.add(base + service + added);
                if lane.approach != Approach::Direct {
                    lane.added.add(added);
                }
            }
        }
        self.done += n;
        self.done >= self.params.requests
    }

    pub fn progress(&self) -> f32 {
        self.done as f32 / self.params.requests as f32
    }

    pub fn finished(&self) -> bool {
        self.done >= self.params.requests
    }

    /// The figures so far (all of them once [`ScaleJob::finished`]).
    pub fn result(&self) -> ScaleResult {
        let lanes = self
            .lanes
            .iter()
            .map(|l| {
                let p = |h: &Histogram, q| h.percentile(q).map(|v| v.round() as u64);
                LaneResult {
                    latency_p50_us: p(&l.latency, 50.0),
                    latency_p99_us: p(&l.latency, 99.0),
                    added_p50_us: p(&l.added, 50.0),
                    added_p99_us: p(&l.added, 99.0),
                    ..l.clone()
                }
            })
            .collect();
        ScaleResult {
            params: self.params,
            calibration: self.calibration.clone(),
            sampled: self.done,
            lanes,
            sweep: self.sweep.clone(),
        }
    }
}

fn uniform(rng: &mut ChaCha12Rng) -> f64 {
    // 53 random bits: every double in [0, 1) equally spaced.
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// An exponential draw of this mean (`libm`, so every platform draws the same).
fn exp(rng: &mut ChaCha12Rng, mean: f64) -> f64 {
    -mean * libm::log(1.0 - uniform(rng))
}
