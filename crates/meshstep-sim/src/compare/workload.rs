//! The workload a comparison runs: a lesson's cluster with every app pod
//! given one approach's proxy, and the calls the lesson's stimuli make,
//! repeated at a steady rate. Everything else the lesson does (kubectl,
//! faults, config changes) is left out: the comparison is of steady traffic.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{RunOptions, simulate};
use crate::queue::Micros;
use crate::scenario::schema::{
    ControlPlaneSpec, Flavour, HttpRequest, ProxyMode, Scenario, Stimulus, StimulusAction,
    TopologySpec,
};
use crate::topology::{Topology, TopologyError};
use crate::trace::Trace;

use super::{Approach, CompareError, languages_of};

#[derive(Debug, Clone)]
pub struct Workload {
    pub spec: TopologySpec,
    pub labels: BTreeMap<String, String>,
    /// The calls to repeat, in the lesson's order: (from, to, request).
    pub calls: Vec<(String, String, HttpRequest)>,
}

impl Workload {
    /// The lesson's cluster and calls. Fails when it makes no call.
    pub fn from_scenario(s: &Scenario) -> Result<Workload, CompareError> {
        let calls: Vec<_> = s
            .stimuli
            .iter()
            .filter_map(|st| match &st.action {
                StimulusAction::Call { from, to, http } => {
                    Some((from.clone(), to.clone(), http.clone()))
                }
                _ => None,
            })
            .collect();
        if calls.is_empty() {
            return Err(CompareError {
                approach: None,
                message: format!(
                    "lesson `{}` makes no call, so there is no traffic to compare; add a `Call` stimulus",
                    s.id
                ),
            });
        }
        Ok(Workload {
            spec: s.topology.clone(),
            labels: s.labels.clone(),
            calls,
        })
    }

    pub fn is_linkerd(&self) -> bool {
        self.spec
            .control_plane
            .as_ref()
            .is_some_and(|c| c.flavour == Flavour::Linkerd)
    }

    /// The approaches this workload can be run with: ambient is Istio's.
    pub fn approaches(&self) -> Vec<Approach> {
        Approach::ALL
            .into_iter()
            .filter(|&a| a != Approach::Ambient || !self.is_linkerd())
            .collect()
    }

    /// The cluster with every app pod given `a`'s proxy, and a running
    /// control plane where `a` needs one (Istio's defaults if the lesson
    /// has none).
    pub fn spec_for(&self, a: Approach) -> TopologySpec {
        let mut spec = self.spec.clone();
        for p in &mut spec.pods {
            p.proxy = a.proxy_mode();
        }
        if a.needs_control_plane() {
            match &mut spec.control_plane {
                Some(cp) => cp.installed = true,
                None => spec.control_plane = Some(default_control_plane()),
            }
        }
        spec
    }

    /// The variant's topology, with the lesson's labels for the components
    /// it still has (a sidecar's label goes when the pod has none).
    pub fn topology(&self, a: Approach) -> Result<Topology, CompareError> {
        let spec = self.spec_for(a);
        let err = |e: Vec<TopologyError>| CompareError {
            approach: Some(a),
            message: TopologyError::join(&e),
        };
        let bare = Topology::build(&spec, &BTreeMap::new()).map_err(err)?;
        let labels: BTreeMap<String, String> = self
            .labels
            .iter()
            .filter(|(id, _)| bare.find(id).is_some())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Topology::build(&spec, &labels).map_err(err)
    }

    /// Runs `stimuli` over `a`'s variant of the cluster, recording the trace.
    pub fn run(
        &self,
        a: Approach,
        stimuli: &[Stimulus],
        seed: u64,
    ) -> Result<(Topology, Trace), CompareError> {
        let topo = self.topology(a)?;
        let opts = RunOptions {
            seed,
            record: true,
            ..Default::default()
        };
        let trace = simulate(&topo, stimuli, &opts).map_err(|e| CompareError {
            approach: Some(a),
            message: TopologyError::join(&e),
        })?;
        Ok((topo, trace))
    }

    /// `n` calls, one every `interval_us`, cycling through the lesson's calls.
    pub fn stimuli(&self, n: u32, interval_us: Micros) -> Vec<Stimulus> {
        (0..n)
            .map(|i| {
                let (from, to, http) = &self.calls[i as usize % self.calls.len()];
                Stimulus {
                    id: None,
                    at_us: i as u64 * interval_us,
                    action: StimulusAction::Call {
                        from: from.clone(),
                        to: to.clone(),
                        http: http.clone(),
                    },
                }
            })
            .collect()
    }

    /// The languages of the workload's apps.
    pub fn languages(&self) -> BTreeSet<String> {
        languages_of(self.spec.pods.iter().map(|p| p.language.as_deref()))
    }

    /// Languages the library exists in: as the lesson says, else those of
    /// the pods the lesson builds with it.
    pub fn library_languages(&self) -> BTreeSet<String> {
        if !self.spec.library_languages.is_empty() {
            return self.spec.library_languages.iter().cloned().collect();
        }
        languages_of(
            self.spec
                .pods
                .iter()
                .filter(|p| p.proxy == ProxyMode::Library)
                .map(|p| p.language.as_deref()),
        )
    }

    /// How many of the workload's languages get `a`'s features (mTLS,
    /// retries, metrics) without anyone writing code.
    pub fn languages_covered(&self, a: Approach) -> u32 {
        let used = self.languages();
        match a {
            Approach::Direct => 0,
            Approach::Library => used.intersection(&self.library_languages()).count() as u32,
            Approach::Sidecar | Approach::Ambient => used.len() as u32,
        }
    }

    /// Apps (by `app` label) and the language each is written in.
    pub fn apps(&self) -> BTreeMap<String, Option<String>> {
        self.spec
            .pods
            .iter()
            .map(|p| (p.app.clone(), p.language.clone()))
            .collect()
    }
}

fn default_control_plane() -> ControlPlaneSpec {
    ron::from_str("(id: \"istiod\")").expect("a control plane with only an id is valid")
}
