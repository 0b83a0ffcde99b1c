//! Runs the benchmark's generated mesh once, for profilers (`valgrind --tool=callgrind`).

use meshstep_sim::scenario::schema::{
    ControlPlaneSpec, Discovery, Latency, MeshPolicy, PodSpec, ProxyMode, ServiceSpec, Stimulus,
    StimulusAction, TopologySpec,
};
use meshstep_sim::{RunOptions, Topology, simulate};

fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
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
        pods: (0..1000)
            .map(|i| PodSpec {
                id: format!("pod-{i}"),
                namespace: "default".into(),
                app: format!("svc-{}", i % 50),
                proxy: ProxyMode::Sidecar,
                service_time_us: 500,
            })
            .collect(),
        services: (0..50)
            .map(|i| ServiceSpec {
                name: format!("svc-{i}"),
                namespace: "default".into(),
                selector: format!("svc-{i}"),
            })
            .collect(),
        latency: Latency::default(),
        mesh: MeshPolicy::default(),
    };
    let topo = Topology::build(&spec, &Default::default()).unwrap();
    let stimuli: Vec<Stimulus> = (0..requests)
        .map(|i| Stimulus {
            id: None,
            at_us: i as u64 * 20,
            action: StimulusAction::Call {
                from: format!("pod-{}", i % 1000),
                to: format!("svc-{}", (i * 7) % 50),
            },
        })
        .collect();
    let t = simulate(
        &topo,
        &stimuli,
        &RunOptions {
            seed: 1,
            ..Default::default()
        },
    )
    .unwrap();
    println!("{} events", t.events);
}
