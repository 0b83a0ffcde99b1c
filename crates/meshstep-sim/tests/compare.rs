//! The comparison of approaches follows the scenario: its figures come from
//! the engine's runs, so changing one hop's cost, one proxy count or one
//! language moves exactly the figure it should, by the amount the model says.

use meshstep_sim::compare::{Approach, CompareOptions, Workload, compare};
use meshstep_sim::scenario::schema::{HttpRequest, TopologySpec};
use meshstep_sim::{Lesson, bundled};

fn workload(src: &str) -> Workload {
    let spec: TopologySpec = meshstep_sim::scenario::load::ron_options()
        .from_str(src)
        .expect("test topology parses");
    Workload {
        spec,
        labels: Default::default(),
        calls: vec![("client".into(), "server".into(), HttpRequest::default())],
    }
}

const PAIR: &str = r#"(
    control_plane: Some((id: "istiod", push_spacing_us: 1000)),
    pods: [
        (id: "client", app: "client", language: Some("go")),
        (id: "server", app: "server", language: Some("java")),
        EXTRA
    ],
    services: [(name: "server", selector: "server")],
    latency: (sidecar_us: SIDECAR),
    library_languages: ["java"],
)"#;

fn pair(sidecar_us: u64, extra_pods: usize) -> Workload {
    let extra: String = (0..extra_pods)
        .map(|i| format!("(id: \"idle-{i}\", app: \"idle\"),"))
        .collect();
    workload(
        &PAIR
            .replace("SIDECAR", &sidecar_us.to_string())
            .replace("EXTRA", &extra),
    )
}

fn opts() -> CompareOptions {
    CompareOptions {
        requests: 20,
        ..Default::default()
    }
}

#[test]
fn a_slower_sidecar_hop_adds_exactly_its_extra_cost_and_nothing_to_the_others() {
    let all = [Approach::Direct, Approach::Library, Approach::Sidecar];
    let fast = compare(&pair(100, 0), &all, &opts()).unwrap();
    let slow = compare(&pair(140, 0), &all, &opts()).unwrap();
    let added =
        |c: &meshstep_sim::compare::Comparison, a| c.figures(a).unwrap().added_p50_us.unwrap();
    // The client's sidecar applies policy once per call.
    assert_eq!(
        added(&slow, Approach::Sidecar) - added(&fast, Approach::Sidecar),
        40
    );
    assert_eq!(
        added(&slow, Approach::Library),
        added(&fast, Approach::Library)
    );
    assert_eq!(
        fast.figures(Approach::Direct).unwrap().latency_p50_us,
        slow.figures(Approach::Direct).unwrap().latency_p50_us
    );
}

#[test]
fn a_push_to_more_sidecars_takes_longer_by_the_spacing_per_proxy() {
    let sidecar = [Approach::Sidecar];
    let rollout = |extra| {
        compare(&pair(100, extra), &sidecar, &opts())
            .unwrap()
            .figures[0]
            .rollout
            .clone()
            .unwrap()
    };
    let (two, five) = (rollout(0), rollout(3));
    assert_eq!((two.proxies_updated, five.proxies_updated), (2, 5));
    assert_eq!(
        five.time_us - two.time_us,
        3 * 1000,
        "push_spacing_us per extra proxy"
    );
    assert_eq!(five.pods_restarted, 0, "a push restarts nothing");
}

#[test]
fn a_library_change_rebuilds_every_app_and_restarts_every_pod() {
    let c = compare(&pair(100, 2), &[Approach::Library], &opts()).unwrap();
    let r = c.figures[0].rollout.clone().unwrap();
    assert_eq!((r.apps_rebuilt, r.pods_restarted), (3, 4));
    // client and server name two languages; the idle pods name none.
    assert_eq!(r.languages, 3);
    assert!(r.time_us >= 180_000_000, "a build takes latency.build_us");
}

#[test]
fn hops_mtls_and_metrics_follow_the_path_each_approach_takes() {
    let c = compare(&pair(100, 0), &Approach::ALL, &opts()).unwrap();
    let f = |a| c.figures(a).unwrap();
    assert_eq!(f(Approach::Direct).hops_per_call, 1.0);
    assert_eq!(
        f(Approach::Library).hops_per_call,
        1.0,
        "a library is a function call"
    );
    assert_eq!(
        f(Approach::Sidecar).hops_per_call,
        3.0,
        "app → sidecar → sidecar → app"
    );
    assert_eq!(
        f(Approach::Ambient).hops_per_call,
        2.0,
        "app → the node's ztunnel → app"
    );
    assert_eq!(f(Approach::Direct).mtls_share, 0.0);
    assert_eq!(f(Approach::Sidecar).mtls_share, 1.0);
    assert_eq!(f(Approach::Sidecar).telemetry_share, 1.0);
    assert_eq!(f(Approach::Sidecar).proxies, 2);
    assert_eq!(
        f(Approach::Ambient).proxies,
        1,
        "both pods are on the one node"
    );
    assert_eq!(
        f(Approach::Library).languages_covered,
        1,
        "the library exists in java only"
    );
    assert_eq!(f(Approach::Sidecar).languages_covered, 2);
    assert!(f(Approach::Direct).rollout.is_none());
}

#[test]
fn cpu_follows_the_request_rate_through_each_proxy() {
    let slow = CompareOptions {
        interval_us: 20_000,
        ..opts()
    };
    let a = compare(&pair(100, 0), &[Approach::Sidecar], &opts()).unwrap();
    let b = compare(&pair(100, 0), &[Approach::Sidecar], &slow).unwrap();
    let ratio = a.figures[0].proxy_vcpu / b.figures[0].proxy_vcpu;
    assert!(
        (ratio - 2.0).abs() < 1e-9,
        "half the rate, half the CPU: {ratio}"
    );
    // 2 sidecars at 100 calls/s each, 0.20 vCPU per 1,000 calls/s.
    assert!((a.figures[0].proxy_vcpu - 2.0 * 0.1 * 0.20).abs() < 1e-9);
    assert_eq!(a.figures[0].proxy_memory_mib, 120.0);
}

#[test]
fn every_bundled_lesson_with_calls_compares_in_every_format() {
    for id in bundled::ids() {
        let lesson = Lesson::from_source("x.ron", bundled::source(id).unwrap()).unwrap();
        let Ok(w) = Workload::from_scenario(&lesson.scenario) else {
            continue;
        };
        let c = compare(&w, &w.approaches(), &opts()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(c.figures.len(), w.approaches().len());
        let md = c.table().markdown();
        assert!(md.starts_with("| Figure |"), "{id}: {md}");
        let csv = c.table().csv();
        assert_eq!(
            csv.lines().count(),
            1 + meshstep_sim::compare::Figure::ALL.len()
        );
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["figures"].as_array().unwrap().len(), c.figures.len());
    }
}

#[test]
fn a_lesson_without_calls_is_refused_with_a_reason() {
    let src = bundled::source("mesh-vs-library").unwrap();
    let mut lesson = Lesson::from_source("x.ron", src).unwrap();
    lesson.scenario.stimuli.retain(|s| {
        !matches!(
            s.action,
            meshstep_sim::scenario::schema::StimulusAction::Call { .. }
        )
    });
    let e = Workload::from_scenario(&lesson.scenario).unwrap_err();
    assert!(e.message.contains("makes no call"), "{e}");
}

#[test]
fn linkerd_proxies_look_routes_up_and_istio_sidecars_are_pushed_them() {
    let istio = compare(&pair(100, 0), &[Approach::Sidecar], &opts()).unwrap();
    assert_eq!(
        istio.figures[0].control_plane_lookups, 0,
        "istiod pushes everything first"
    );
    let linkerd = workload(
        &PAIR
            .replace(
                "(id: \"istiod\", push_spacing_us: 1000)",
                "(id: \"linkerd\", flavour: Linkerd)",
            )
            .replace("SIDECAR", "100")
            .replace("EXTRA", ""),
    );
    assert!(linkerd.is_linkerd());
    assert!(
        !linkerd.approaches().contains(&Approach::Ambient),
        "ambient is Istio's"
    );
    let c = compare(&linkerd, &[Approach::Library, Approach::Sidecar], &opts()).unwrap();
    let lookups = |a| c.figures(a).unwrap().control_plane_lookups;
    assert!(
        lookups(Approach::Sidecar) >= 1,
        "the first call to a target asks the destination service"
    );
    assert_eq!(lookups(Approach::Library), 0);
}
