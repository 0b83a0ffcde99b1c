//! Engine figures, printed (`cargo bench -p meshstep-sim --bench engine`):
//!
//! - the fixed workload, 1,000 pods (50 services) sending 100,000 requests
//!   through sidecars, with one config push, recording off and on: events per
//!   second, requests per second, peak live heap and bytes per event (from a
//!   counting allocator);
//! - load, validate and simulate each bundled lesson;
//! - `check` of a generated lesson with 10,000 stimuli;
//! - a what-if forked at the middle of the fixed workload, continued from a
//!   checkpoint, against the same what-if simulated from time zero.
//!
//! `bench/engine.sh` runs this beside the round-1 engine for comparison.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use meshstep_sim::engine::{FaultStart, Sim};
use meshstep_sim::scenario::schema::{Stimulus, StimulusAction, TopologySpec};
use meshstep_sim::{Fault, Lesson, RunOptions, Topology, simulate};

/// Counts live heap bytes and their peak.
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
const REQUESTS: usize = 100_000;

fn workload() -> (Topology, Vec<Stimulus>) {
    let pods: Vec<String> = (0..PODS)
        .map(|i| {
            format!(
                "(id: \"pod-{i}\", app: \"svc-{}\", proxy: Sidecar, service_time_us: 500)",
                i % SERVICES
            )
        })
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
    let mut stimuli: Vec<Stimulus> = (0..REQUESTS)
        .map(|i| Stimulus {
            id: None,
            at_us: i as u64 * 20,
            action: StimulusAction::Call {
                http: Default::default(),
                from: format!("pod-{}", i % PODS),
                to: format!("svc-{}", (i * 7) % SERVICES),
            },
        })
        .collect();
    stimuli.push(Stimulus {
        id: Some("push".into()),
        at_us: REQUESTS as u64 * 10,
        action: StimulusAction::PushConfig,
    });
    (topo, stimuli)
}

/// Depth of the call chain: each tier's app calls one Service of the next.
const DEPTH: usize = 5;
const CHAINS: usize = REQUESTS / DEPTH;

/// The same 1,000 pods and 50 Services, in five tiers of ten: a call to a
/// tier-0 Service makes its app call tier 1, and so on down to tier 4, each
/// hop through both sidecars; 20,000 entry calls make 100,000 calls in all.
fn chain_workload() -> (Topology, Vec<Stimulus>) {
    let per_tier = SERVICES / DEPTH;
    let svc = |tier: usize, j: usize| format!("t{tier}-s{j}");
    let pods: Vec<String> = (0..PODS)
        .map(|i| {
            let (tier, j) = ((i % SERVICES) / per_tier, i % per_tier);
            let calls = if tier + 1 < DEPTH {
                format!("calls: [(to: \"{}\")]", svc(tier + 1, (j + i / SERVICES) % per_tier))
            } else {
                String::new()
            };
            format!(
                "(id: \"pod-{i}\", app: \"{}\", proxy: Sidecar, handler: Some((time: Some(Fixed(500)), {calls})))",
                svc(tier, j)
            )
        })
        .collect();
    let services: Vec<String> = (0..DEPTH)
        .flat_map(|t| (0..per_tier).map(move |j| (t, j)))
        .map(|(t, j)| format!("(name: \"{0}\", selector: \"{0}\")", svc(t, j)))
        .collect();
    let src = format!(
        "(control_plane: Some((id: \"istiod\", startup_us: 0)), pods: [{}], services: [{}])",
        pods.join(","),
        services.join(",")
    );
    let spec: TopologySpec = ron::from_str(&src).expect("chain topology");
    let topo = Topology::build(&spec, &Default::default()).expect("chain builds");
    let stimuli = (0..CHAINS)
        .map(|i| Stimulus {
            id: None,
            at_us: i as u64 * 100,
            action: StimulusAction::Call {
                http: Default::default(),
                from: format!("pod-{}", (i * 13) % PODS),
                to: svc(0, i % per_tier),
            },
        })
        .collect();
    (topo, stimuli)
}

/// The fastest of several runs: on a shared machine, the run least disturbed.
fn best(d: Vec<Duration>) -> Duration {
    d.into_iter().min().expect("at least one run")
}

fn engine(name: &str, topo: &Topology, stimuli: &[Stimulus], record: bool) {
    let opts = RunOptions {
        seed: 1,
        record,
        ..Default::default()
    };
    // Peak live heap during one run, above what was live before it.
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let t = simulate(topo, stimuli, &opts).expect("runs");
    let peak = PEAK.load(Relaxed) - before;
    assert!(t.truncated.is_none());
    let events = t.events;
    drop(t);
    let times: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let t = simulate(topo, stimuli, &opts).expect("runs");
            let d = start.elapsed();
            drop(t);
            d
        })
        .collect();
    let d = best(times).as_secs_f64();
    println!(
        "engine (round 2), {PODS} pods, {name}, recording {}: {:.2} M events in {:.0} ms: {:.1} M events/s, {:.2} M calls/s; peak heap {:.1} MB, {:.0} bytes/event",
        if record { "on " } else { "off" },
        events as f64 / 1e6,
        d * 1e3,
        events as f64 / d / 1e6,
        REQUESTS as f64 / d / 1e6,
        peak as f64 / 1e6,
        peak as f64 / events as f64
    );
}

fn lessons() {
    for (id, src) in meshstep_sim::bundled::BUNDLED {
        let times: Vec<Duration> = (0..30)
            .map(|_| {
                let start = Instant::now();
                let l = Lesson::from_source(id, src).expect("valid");
                let r = l
                    .run(&RunOptions {
                        seed: l.scenario.seed,
                        ..Default::default()
                    })
                    .expect("runs");
                std::hint::black_box(r.trace.events);
                start.elapsed()
            })
            .collect();
        println!(
            "lesson {id}: load + validate + cross-check + simulate in {:.2} ms",
            best(times).as_secs_f64() * 1e3
        );
    }
}

/// A lesson an instructor might generate: 10,000 calls, a few steps.
fn big_lesson() -> String {
    let calls: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                "(at_us: {}, do: Call(from: \"client-{}\", to: \"server\"))",
                i * 100,
                i % 10
            )
        })
        .collect();
    let clients: Vec<String> = (0..10)
        .map(|i| format!("(id: \"client-{i}\", app: \"client\", proxy: Sidecar)"))
        .collect();
    format!(
        r#"Scenario(version: 1, id: "big", title: "Ten thousand calls",
    topology: (control_plane: Some((id: "istiod")),
        pods: [{}, (id: "server", app: "server", proxy: Sidecar)],
        services: [(name: "server", selector: "server")]),
    stimuli: [{}],
    steps: [
        (on: (component: "client-0/sidecar", action: Forward), action: "forward", result: "sent"),
        (on: (component: "server/app", action: HandleRequest), action: "handle", result: "handled"),
        (on: (component: "end", action: End), action: "end", result: "done"),
    ],
    what_if: [(label: "no mTLS", faults: [MtlsOff], expect_affected: Some([1]))],
)"#,
        clients.join(","),
        calls.join(",\n")
    )
}

fn check() {
    let src = big_lesson();
    let times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let l = Lesson::from_source("big.ron", &src).expect("valid");
            std::hint::black_box(l.warnings.len());
            start.elapsed()
        })
        .collect();
    println!(
        "check of a lesson with 10,000 stimuli (load, validate, simulate, cross-check, one what-if): {:.2} s",
        best(times).as_secs_f64()
    );
}

/// "Run to here, change this, continue": a what-if from the middle of the
/// 1,000-pod workload, continued from a checkpoint, against the same
/// what-if simulated from time zero (what the lesson API did before).
fn fork(topo: &Topology, stimuli: &[Stimulus], record: bool) {
    let opts = RunOptions {
        seed: 1,
        record,
        ..Default::default()
    };
    let mut here = Sim::start(topo, stimuli, &opts).expect("runs");
    let half = (simulate(topo, stimuli, &opts).expect("runs").events / 2) as usize;
    assert!(here.run_through_row(half));
    let fault = [Fault::ControlPlaneDown];
    let forked: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let mut f = here.checkpoint();
            f.change(&fault, &[]).expect("a known fault");
            std::hint::black_box(f.finish().events);
            start.elapsed()
        })
        .collect();
    let from_zero: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let o = RunOptions {
                faults: fault.to_vec(),
                from: FaultStart::AfterRow(half),
                ..opts.clone()
            };
            std::hint::black_box(simulate(topo, stimuli, &o).expect("runs").events);
            start.elapsed()
        })
        .collect();
    let (f, z) = (best(forked).as_secs_f64(), best(from_zero).as_secs_f64());
    println!(
        "fork at event {half} of the 1000-pod workload, recording {}: continue a copy of the checkpoint {:.0} ms, re-simulate from zero {:.0} ms ({:.0}% less)",
        if record { "on " } else { "off" },
        f * 1e3,
        z * 1e3,
        (1.0 - f / z) * 100.0
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it once, quickly.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let (topo, stimuli) = workload();
    // `bench/engine.sh` alternates short recording-off runs of both engines.
    if std::env::var_os("MESHSTEP_BENCH_OFF_ONLY").is_some() {
        let opts = RunOptions {
            seed: 1,
            ..Default::default()
        };
        let runs: Vec<(Duration, u64)> = (0..3)
            .map(|_| {
                let start = Instant::now();
                let t = simulate(&topo, &stimuli, &opts).expect("runs");
                (start.elapsed(), t.events)
            })
            .collect();
        let (d, events) = runs.into_iter().min().expect("three runs");
        let d = d.as_secs_f64();
        println!(
            "off-only now {:.1} ms {:.3} M events/s {events} events",
            d * 1e3,
            events as f64 / d / 1e6
        );
        return;
    }
    engine("100,000 single calls", &topo, &stimuli, false);
    engine("100,000 single calls", &topo, &stimuli, true);
    fork(&topo, &stimuli, true);
    fork(&topo, &stimuli, false);
    let (topo, stimuli) = chain_workload();
    let name = format!("{CHAINS} chains of depth {DEPTH}");
    engine(&name, &topo, &stimuli, false);
    engine(&name, &topo, &stimuli, true);
    lessons();
    check();
}
