//! Experiments that test the deep dives' myths: each sets the scale lab's
//! sliders to show where a belief holds and where it breaks. A myth in a
//! lesson names one by `experiment: Some("id")`.

use super::{MeshKind, ScaleParams};

pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// What to look at once it has run.
    pub look_at: &'static str,
    pub params: ScaleParams,
}

pub fn all() -> Vec<Preset> {
    let d = ScaleParams::default();
    vec![
        Preset {
            id: "mesh-latency",
            title: "Does a mesh cost no latency?",
            look_at: "the added-latency figures: every sidecar call pays for two proxies, and the tail grows with load",
            params: ScaleParams {
                pods: 200,
                services: 40,
                rate_rps: 50_000.0,
                ..d
            },
        },
        Preset {
            id: "mesh-vs-library-speed",
            title: "Is a mesh always faster than a library?",
            look_at: "the latency plot: the library's in-process work is cheaper than two extra hops through sidecars",
            params: ScaleParams {
                pods: 500,
                services: 50,
                rate_rps: 20_000.0,
                ..d
            },
        },
        Preset {
            id: "library-operations",
            title: "Are libraries less work to operate than a mesh?",
            look_at: "the rollout plot: one policy change rebuilds every app in every language and restarts every pod",
            params: ScaleParams {
                pods: 2_000,
                services: 200,
                languages: 4,
                ..d
            },
        },
        Preset {
            id: "push-propagation",
            title: "Does kubectl apply change routing at once?",
            look_at: "the push plot: the change reaches proxies in rounds, and the last of 10,000 waits longest",
            params: ScaleParams {
                pods: 10_000,
                services: 1_000,
                rate_rps: 100_000.0,
                ..d
            },
        },
        Preset {
            id: "ambient-footprint",
            title: "Does every meshed pod need its own proxy?",
            look_at: "the resource plot: ambient's ztunnels are one per node, sidecars one per pod",
            params: ScaleParams {
                pods: 5_000,
                services: 500,
                mesh: MeshKind::IstioAmbient,
                ..d
            },
        },
    ]
}

pub fn by_id(id: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.id == id)
}

pub fn ids() -> Vec<&'static str> {
    all().iter().map(|p| p.id).collect()
}
