//! Scale-lab figures, printed (`cargo bench -p meshstep-sim --bench scale`):
//!
//! - the lab at 10,000 pods and 1,000,000 calls per approach (three
//!   approaches): the whole computation, and its longest 50,000-call chunk
//!   (what one frame of the window or the page spends on it);
//! - the alternative, in the same run: the event-by-event engine making the
//!   same kind of calls (a lesson's workload through each approach, recorded,
//!   as `meshstep compare` does), timed on 20,000 calls per approach and
//!   scaled to a million.

use std::hint::black_box;
use std::time::{Duration, Instant};

use meshstep_sim::compare::{Approach, CompareOptions, Workload, compare};
use meshstep_sim::scale::{ScaleJob, ScaleParams};
use meshstep_sim::{Lesson, bundled};

fn best(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().expect("at least one run")
}

fn main() {
    let params = ScaleParams {
        pods: 10_000,
        services: 1_000,
        requests: 1_000_000,
        ..Default::default()
    };
    let mut longest_chunk = Duration::ZERO;
    let whole = best(5, || {
        let t = Instant::now();
        let mut job = ScaleJob::new(params).expect("in range");
        loop {
            let c = Instant::now();
            let done = job.step(50_000);
            longest_chunk = longest_chunk.max(c.elapsed());
            if done {
                break;
            }
        }
        black_box(job.result());
        t.elapsed()
    });
    println!(
        "scale lab, 10,000 pods x 1,000,000 calls x 3 approaches: {:.0} ms (best of 5); longest 50,000-call chunk {:.1} ms",
        whole.as_secs_f64() * 1e3,
        longest_chunk.as_secs_f64() * 1e3
    );

    let lesson =
        Lesson::from_source("w.ron", bundled::source("why-mesh-matters").unwrap()).unwrap();
    let w = Workload::from_scenario(&lesson.scenario).unwrap();
    let calls = 20_000;
    let engine = best(3, || {
        let t = Instant::now();
        black_box(
            compare(
                &w,
                &[Approach::Direct, Approach::Library, Approach::Sidecar],
                &CompareOptions {
                    requests: calls,
                    ..Default::default()
                },
            )
            .unwrap(),
        );
        t.elapsed()
    });
    let per_million = engine.as_secs_f64() * 1_000_000.0 / calls as f64;
    println!(
        "event-by-event engine, {calls} calls x 3 approaches: {:.0} ms (best of 3); a million per approach would take ~{per_million:.1} s, {:.0}x the lab",
        engine.as_secs_f64() * 1e3,
        per_million / whole.as_secs_f64()
    );
}
