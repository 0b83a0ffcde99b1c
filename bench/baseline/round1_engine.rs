//! The round-1 engine on the same workload as `crates/meshstep-sim/benches/engine.rs`,
//! built against commit 53db92f by `bench/engine.sh`, so the figures compare
//! like for like on one machine in one run. Round 1 kept a snapshot of every
//! component and every request started so far with each row, so recording
//! on is measured at smaller sizes and its growth printed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use meshstep_sim::scenario::schema::{Stimulus, StimulusAction, TopologySpec};
use meshstep_sim::{RunOptions, Topology, simulate};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            grew(new - l.size());
        } else {
            LIVE.fetch_sub(l.size() - new, Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const PODS: usize = 1000;
const SERVICES: usize = 50;

fn workload(requests: usize) -> (Topology, Vec<Stimulus>) {
    let pods: Vec<String> = (0..PODS)
        .map(|i| format!("(id: \"pod-{i}\", app: \"svc-{}\", proxy: Sidecar, service_time_us: 500)", i % SERVICES))
        .collect();
    let services: Vec<String> = (0..SERVICES)
        .map(|i| format!("(name: \"svc-{i}\", selector: \"svc-{i}\")"))
        .collect();
    let src = format!(
        "(control_plane: Some((id: \"istiod\", startup_us: 0)), pods: [{}], services: [{}])",
        pods.join(","),
        services.join(",")
    );
    let spec: TopologySpec = ron::from_str(&src).expect("workload topology");
    let topo = Topology::build(&spec, &Default::default()).expect("workload builds");
    let mut stimuli: Vec<Stimulus> = (0..requests)
        .map(|i| Stimulus {
            id: None,
            at_us: i as u64 * 20,
            action: StimulusAction::Call {
                from: format!("pod-{}", i % PODS),
                to: format!("svc-{}", (i * 7) % SERVICES),
            },
        })
        .collect();
    stimuli.push(Stimulus {
        id: Some("push".into()),
        at_us: requests as u64 * 10,
        action: StimulusAction::PushConfig,
    });
    (topo, stimuli)
}

/// The fastest of several runs: on a shared machine, the run least disturbed.
fn best(d: Vec<Duration>) -> Duration {
    d.into_iter().min().expect("at least one run")
}

/// (events, seconds, peak bytes)
fn measure(requests: usize, record: bool, runs: usize) -> (u64, f64, usize) {
    let (topo, stimuli) = workload(requests);
    let opts = RunOptions {
        seed: 1,
        record,
        ..Default::default()
    };
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let t = simulate(&topo, &stimuli, &opts).expect("runs");
    let peak = PEAK.load(Relaxed) - before;
    let events = t.events;
    drop(t);
    let times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let t = simulate(&topo, &stimuli, &opts).expect("runs");
            let d = start.elapsed();
            drop(t);
            d
        })
        .collect();
    (events, best(times).as_secs_f64(), peak)
}

fn main() {
    // `bench/engine.sh` alternates short recording-off runs of both engines.
    if std::env::var_os("MESHSTEP_BENCH_OFF_ONLY").is_some() {
        let (events, d, _) = measure(100_000, false, 3);
        println!("off-only round1 {:.1} ms {:.3} M events/s {events} events", d * 1e3, events as f64 / d / 1e6);
        return;
    }
    let (events, d, peak) = measure(100_000, false, 7);
    println!(
        "engine (round 1), {PODS} pods x 100000 requests, recording off: {:.2} M events in {:.0} ms: {:.1} M events/s, {:.2} M requests/s; peak heap {:.1} MB, {:.0} bytes/event",
        events as f64 / 1e6,
        d * 1e3,
        events as f64 / d / 1e6,
        0.1 / d,
        peak as f64 / 1e6,
        peak as f64 / events as f64
    );
    let mut last = (0, 0.0);
    for requests in [500, 1000, 2000] {
        let (events, d, peak) = measure(requests, true, 1);
        println!(
            "engine (round 1), {PODS} pods x {requests} requests, recording on : {:.3} M events in {:.0} ms: {:.1} M events/s; peak heap {:.0} MB, {:.0} bytes/event",
            events as f64 / 1e6,
            d * 1e3,
            events as f64 / d / 1e6,
            peak as f64 / 1e6,
            peak as f64 / events as f64
        );
        last = (requests, peak as f64 / events as f64);
    }
    // Each row's snapshot holds every request started so far, so bytes per
    // event grow in proportion to the requests: scale the last figure up.
    let (r, per_event) = last;
    let per_event_100k = per_event * 100_000.0 / r as f64;
    println!(
        "engine (round 1), {PODS} pods x 100000 requests, recording on : not run: about {:.0} bytes/event, {:.0} GB in all (extrapolated from {r} requests)",
        per_event_100k,
        per_event_100k * 1.1e6 / 1e9
    );
}
