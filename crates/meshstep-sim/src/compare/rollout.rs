//! Rolling out one policy change, as the engine plays it: with a mesh, one
//! `kubectl apply` that the control plane pushes to every proxy; with a
//! library, a new image of every app built with the new configuration and
//! every pod restarted. The time is from the change to the last proxy or pod
//! that has it.

use serde::Serialize;

use crate::action::Action;
use crate::queue::Micros;
use crate::scenario::schema::{Stimulus, StimulusAction};

use super::{Approach, CompareError, Workload};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollout {
    /// From the change to the last proxy (or restarted pod) that has it.
    pub time_us: Micros,
    pub pods_restarted: u32,
    /// Apps rebuilt (zero for a mesh: the apps do not change).
    pub apps_rebuilt: u32,
    /// Languages those apps are written in.
    pub languages: u32,
    /// Proxies that received the new configuration.
    pub proxies_updated: u32,
}

pub(crate) fn measure(
    w: &Workload,
    a: Approach,
    seed: u64,
) -> Result<Option<Rollout>, CompareError> {
    let apps = w.apps();
    let change = |action| Stimulus {
        id: None,
        at_us: 0,
        action,
    };
    let stimuli: Vec<Stimulus> = match a {
        Approach::Direct => return Ok(None),
        Approach::Library => apps
            .keys()
            .map(|app| {
                change(StimulusAction::RebuildApp {
                    app: app.clone(),
                    config: w.spec.library_config.clone(),
                })
            })
            .collect(),
        Approach::Sidecar | Approach::Ambient => vec![change(StimulusAction::KubectlApplyConfig {
            manifest: "policy.yaml".into(),
            resources: Vec::new(),
        })],
    };
    let (_, trace) = w.run(a, &stimuli, seed)?;
    let count = |act: Action| trace.rows.iter().filter(|r| r.action == act).count() as u32;
    let time_us = trace
        .rows
        .iter()
        .filter(|r| r.flow.is_some())
        .map(|r| r.time_us)
        .max()
        .unwrap_or(0);
    let rebuilt = a == Approach::Library;
    Ok(Some(Rollout {
        time_us,
        pods_restarted: count(Action::PodReady),
        apps_rebuilt: if rebuilt { apps.len() as u32 } else { 0 },
        languages: if rebuilt {
            super::languages_of(apps.values().map(|l| l.as_deref())).len() as u32
        } else {
            0
        },
        proxies_updated: count(Action::ApplyConfig),
    }))
}
