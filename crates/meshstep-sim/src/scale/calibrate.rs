//! What one call costs through each approach on an idle cluster, measured by
//! the engine: a client pod calling a server pod through its Service, once
//! per approach, with the engine's default per-hop costs. The sampler builds
//! on these figures, so the lab and the step-through lessons agree.

use serde::Serialize;

use crate::compare::{Approach, CompareError, CompareOptions, Workload, compare};
use crate::queue::Micros;
use crate::scenario::schema::{HttpRequest, TopologySpec};

use super::MeshKind;

/// The server's fixed service time in the calibration run; subtracted again
/// so that only the path's cost remains.
const CALIBRATION_SERVICE_US: Micros = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// The path's cost with no proxy (network both ways), service time excluded.
    pub direct_path_us: Micros,
    /// What each approach adds to that, in [`Approach::ALL`] order (`None`
    /// where the mesh kind has no such approach).
    pub added_us: Vec<(Approach, Micros)>,
    /// Hops from caller to server per approach.
    pub hops: Vec<(Approach, f64)>,
    /// The engine's per-hop costs the run used.
    pub library_us: Micros,
    pub debounce_us: Micros,
    pub processing_us: Micros,
    pub control_plane_us: Micros,
    pub build_us: Micros,
    pub pod_start_us: Micros,
}

impl Calibration {
    pub fn measure(mesh: MeshKind) -> Result<Calibration, CompareError> {
        let flavour = if mesh.linkerd() { "Linkerd" } else { "Istio" };
        let src = format!(
            r#"(
                control_plane: Some((id: "cp", flavour: {flavour})),
                pods: [
                    (id: "client", app: "client"),
                    (id: "server", app: "server", service_time_us: {CALIBRATION_SERVICE_US}),
                ],
                services: [(name: "server", selector: "server")],
            )"#
        );
        let spec: TopologySpec = ron::from_str(&src).expect("the calibration cluster parses");
        let cp = spec.control_plane.clone().expect("it has a control plane");
        let w = Workload {
            spec: spec.clone(),
            labels: Default::default(),
            calls: vec![("client".into(), "server".into(), HttpRequest::default())],
        };
        let approaches = [Approach::Direct, Approach::Library, mesh.approach()];
        let c = compare(
            &w,
            &approaches,
            &CompareOptions {
                requests: 1,
                seed: 0,
                interval_us: 0,
                // Only what one call costs: the lab models rollouts itself.
                rollout: false,
            },
        )?;
        let direct = c.figures(Approach::Direct).expect("direct was run");
        let direct_total = direct.latency_p50_us.ok_or_else(|| CompareError {
            approach: Some(Approach::Direct),
            message: "the calibration call got no answer".into(),
        })?;
        Ok(Calibration {
            direct_path_us: direct_total.saturating_sub(CALIBRATION_SERVICE_US),
            added_us: c
                .figures
                .iter()
                .map(|f| (f.approach, f.added_p50_us.unwrap_or(0).max(0) as Micros))
                .collect(),
            hops: c
                .figures
                .iter()
                .map(|f| (f.approach, f.hops_per_call))
                .collect(),
            library_us: spec.latency.library_us,
            debounce_us: cp.debounce_us,
            processing_us: cp.processing_us,
            control_plane_us: spec.latency.control_plane_us,
            build_us: spec.latency.build_us,
            pod_start_us: spec.latency.pod_start_us,
        })
    }

    pub fn added(&self, a: Approach) -> Micros {
        self.added_us
            .iter()
            .find(|(x, _)| *x == a)
            .map_or(0, |(_, v)| *v)
    }

    pub fn hops_of(&self, a: Approach) -> f64 {
        self.hops
            .iter()
            .find(|(x, _)| *x == a)
            .map_or(0.0, |(_, v)| *v)
    }
}
