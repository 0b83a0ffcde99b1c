//! The scale lab follows its model: reproducible from a seed, the same in
//! chunks as in one go, its per-call costs those the engine measures, its
//! push time growing by one push per throttle round, and its queueing
//! visible only when proxies get busy.

use meshstep_sim::compare::{Approach, CompareOptions, Workload, compare};
use meshstep_sim::scale::{self, MeshKind, ScaleJob, ScaleParams, presets};

fn run(p: ScaleParams, chunk: u32) -> scale::ScaleResult {
    let mut job = ScaleJob::new(p).unwrap();
    while !job.step(chunk) {}
    job.result()
}

fn small() -> ScaleParams {
    ScaleParams {
        requests: 20_000,
        ..Default::default()
    }
}

#[test]
fn the_same_seed_gives_the_same_figures_in_any_chunking() {
    assert_eq!(run(small(), 20_000), run(small(), 777));
    let other = run(ScaleParams { seed: 2, ..small() }, 20_000);
    assert_ne!(
        run(small(), 20_000).lanes[0].latency,
        other.lanes[0].latency
    );
}

#[test]
fn an_idle_clusters_added_latency_is_what_the_engine_measures_for_one_call() {
    let r = run(
        ScaleParams {
            rate_rps: 10.0,
            ..small()
        },
        20_000,
    );
    let bundled = meshstep_sim::bundled::source("why-mesh-matters").unwrap();
    let lesson = meshstep_sim::Lesson::from_source("x.ron", bundled).unwrap();
    let w = Workload::from_scenario(&lesson.scenario).unwrap();
    let c = compare(
        &w,
        &[Approach::Direct, Approach::Sidecar],
        &CompareOptions {
            requests: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let engine = c.figures(Approach::Sidecar).unwrap().added_p50_us.unwrap() as f64;
    let lab = r.lanes[2].added_p50_us.unwrap() as f64;
    // Within the histogram's 1.2% bucket width, and no queueing at 10 calls/s.
    assert!(
        (lab - engine).abs() <= engine * 0.012 + 1.0,
        "lab {lab} vs engine {engine}"
    );
    assert!(r.lanes[2].load.unwrap().utilisation < 0.001);
}

#[test]
fn busier_proxies_make_the_tail_grow_and_an_overloaded_one_is_said_so() {
    let p99 = |rate| {
        run(
            ScaleParams {
                pods: 100,
                services: 10,
                rate_rps: rate,
                ..small()
            },
            20_000,
        )
        .lanes[2]
            .added_p99_us
            .unwrap()
    };
    assert!(
        p99(200_000.0) > p99(1_000.0),
        "queueing adds to the tail under load"
    );
    let over = run(
        ScaleParams {
            pods: 10,
            services: 1,
            rate_rps: 1_000_000.0,
            ..small()
        },
        20_000,
    );
    assert!(over.lanes[2].overloaded);
    assert_eq!(
        over.lanes[2].latency.total(),
        0,
        "no latency is made up for an overloaded proxy"
    );
}

#[test]
fn a_push_takes_one_more_round_per_throttle_of_proxies() {
    let p = ScaleParams {
        services: 10,
        istiod_cores: 2,
        ..small()
    };
    let cal = scale::Calibration::measure(MeshKind::IstioSidecar).unwrap();
    // min(15 + 5 × 2, 100) = 25 pushes at once: 25 sidecars take one round, 26 take two.
    let at = |pods| scale::point(Approach::Sidecar, &p, &cal, pods).rollout_s;
    // Services keep their share of pods (10 in 1,000), so at these sizes one.
    let round = scale::model_push_us(1) / 1e6;
    assert!((at(50) - at(25) - round).abs() < 1e-9);
    assert!((at(26) - at(25) - round).abs() < 1e-9);
    assert!((at(25) - at(11)).abs() < 1e-9, "same round, same time");
    // The library restarts every pod whatever the count; the mesh restarts none.
    assert_eq!(
        scale::point(Approach::Library, &p, &cal, 300).pods_restarted,
        300
    );
    assert_eq!(
        scale::point(Approach::Sidecar, &p, &cal, 300).pods_restarted,
        0
    );
}

#[test]
fn ambient_runs_one_proxy_per_node_and_sidecars_one_per_pod() {
    let p = ScaleParams {
        pods: 3_000,
        services: 300,
        mesh: MeshKind::IstioAmbient,
        ..small()
    };
    let cal = scale::Calibration::measure(MeshKind::IstioAmbient).unwrap();
    let ambient = scale::point(Approach::Ambient, &p, &cal, 3_000);
    assert_eq!(
        ambient.control_plane_connections, 100,
        "3,000 pods at 30 a node"
    );
    let side = scale::point(
        Approach::Sidecar,
        &ScaleParams {
            mesh: MeshKind::IstioSidecar,
            ..p
        },
        &cal,
        3_000,
    );
    assert_eq!(side.control_plane_connections, 3_000);
    assert!(side.proxy_memory_mib > 10.0 * ambient.proxy_memory_mib);
}

#[test]
fn out_of_range_sliders_are_refused_by_name() {
    let e = ScaleJob::new(ScaleParams {
        pods: 20_000,
        ..small()
    })
    .err()
    .unwrap();
    assert!(
        e.message.contains("pods must be between 10 and 10000"),
        "{e}"
    );
    let e = ScaleJob::new(ScaleParams {
        services: 0,
        ..small()
    })
    .err()
    .unwrap();
    assert!(e.message.contains("services"), "{e}");
}

#[test]
fn every_preset_is_in_range_and_runs() {
    for p in presets::all() {
        assert_eq!(p.params.problem(), None, "{}", p.id);
        ScaleJob::new(ScaleParams {
            requests: 1_000,
            ..p.params
        })
        .unwrap();
    }
}
