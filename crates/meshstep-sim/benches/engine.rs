//! Benchmarks with printed figures:
//! - `engine/mesh-1000-pods-100k-requests`: a generated mesh of 1,000 pods
//!   sending 100,000 requests through sidecars, with telemetry and one config
//!   push; criterion's `thrpt` line is events per second (target ≥ 10 M/s).
//! - `lesson/<id>`: load, validate (which simulates, with every what-if) and
//!   simulate each bundled lesson from source (target < 5 ms each).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use meshstep_sim::scenario::schema::{
    ControlPlaneSpec, Discovery, Latency, MeshPolicy, PodSpec, ProxyMode, ServiceSpec, Stimulus,
    StimulusAction, TopologySpec,
};
use meshstep_sim::{Lesson, RunOptions, Topology, simulate};

const PODS: usize = 1000;
const SERVICES: usize = 50;
const REQUESTS: usize = 100_000;

fn generated_mesh() -> (Topology, Vec<Stimulus>) {
    let spec = TopologySpec {
        control_plane: Some(ControlPlaneSpec {
            id: "istiod".into(),
            namespace: "istio-system".into(),
            installed: true,
            startup_us: 0,
            processing_us: 200,
            push_on_telemetry: false,
            discovery: Discovery::Push,
            pods: vec!["istiod".into()],
        }),
        pods: (0..PODS)
            .map(|i| PodSpec {
                id: format!("pod-{i}"),
                namespace: "default".into(),
                app: format!("svc-{}", i % SERVICES),
                proxy: ProxyMode::Sidecar,
                service_time_us: 500,
            })
            .collect(),
        services: (0..SERVICES)
            .map(|i| ServiceSpec {
                name: format!("svc-{i}"),
                namespace: "default".into(),
                selector: format!("svc-{i}"),
            })
            .collect(),
        latency: Latency::default(),
        mesh: MeshPolicy::default(),
    };
    let topo = Topology::build(&spec, &Default::default()).expect("generated mesh builds");
    let mut stimuli: Vec<Stimulus> = (0..REQUESTS)
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
        at_us: REQUESTS as u64 * 10,
        action: StimulusAction::PushConfig,
    });
    (topo, stimuli)
}

fn engine(c: &mut Criterion) {
    let (topo, stimuli) = generated_mesh();
    let opts = RunOptions {
        seed: 1,
        ..Default::default()
    };
    let probe = simulate(&topo, &stimuli, &opts).expect("runs");
    println!(
        "engine: {PODS} pods, {REQUESTS} requests, 1 config push -> {} events per run ({:.1} per request)",
        probe.events,
        probe.events as f64 / REQUESTS as f64
    );
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.throughput(Throughput::Elements(probe.events));
    g.bench_function("mesh-1000-pods-100k-requests", |b| {
        b.iter(|| simulate(&topo, &stimuli, &opts).expect("runs").events)
    });
    g.finish();
}

fn lessons(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut g = c.benchmark_group("lesson");
    for id in ["mesh-vs-library", "why-mesh-matters", "mesh-overview"] {
        let path = format!("{dir}/{id}.ron");
        let src = std::fs::read_to_string(&path).expect("lesson exists");
        g.bench_function(id, |b| {
            b.iter_batched(
                || src.clone(),
                |src| {
                    let l = Lesson::from_source(&path, &src).expect("valid");
                    l.run(&RunOptions {
                        seed: l.scenario.seed,
                        ..Default::default()
                    })
                    .expect("runs")
                    .trace
                    .events
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, engine, lessons);
criterion_main!(benches);
