//! The stimuli section: unique flow ids, and names of pods, services and
//! containers that exist.

use std::collections::HashSet;

use super::{Names, Sink};
use crate::scenario::schema::{Scenario, StimulusAction};

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario, names: &Names<'_>) {
    unrestarted_pods(sink, s);
    let mut seen = HashSet::new();
    for (i, st) in s.stimuli.iter().enumerate() {
        if let Some(id) = &st.id
            && !seen.insert(id.as_str())
        {
            sink.error(
                &format!("stimuli[{i}].id"),
                format!("two stimuli have the id `{id}`"),
                "duplicate id",
                ["flow ids must be unique".into()],
            );
        }
        super::time(sink, &format!("stimuli[{i}].at_us"), st.at_us);
        let p = |f: &str| format!("stimuli[{i}].do.{f}");
        match &st.action {
            StimulusAction::Call { from, to, .. } => {
                names.caller(sink, &p("from"), from);
                names.target(sink, &p("to"), to);
            }
            StimulusAction::KubectlExecCurl { pod, service } => {
                names.pod(sink, &p("pod"), pod);
                names.target(sink, &p("service"), service);
            }
            StimulusAction::KubectlLogs { pod, container } => {
                names.pod(sink, &p("pod"), pod);
                if let (Some(c), Some(cp)) = (container, &s.topology.control_plane) {
                    let proxy = cp.flavour.proxy_container();
                    let app = s
                        .topology
                        .pods
                        .iter()
                        .find(|x| &x.id == pod)
                        .map(|x| x.app.as_str());
                    if c != proxy && Some(c.as_str()) != app && c != "app" {
                        sink.error(
                            &p("container"),
                            format!("pod `{pod}` has no container `{c}`"),
                            "unknown container",
                            [format!("its proxy's container is `{proxy}`; leave `container` out for the app's own log")],
                        );
                    }
                }
            }
            StimulusAction::KubectlApply { .. } | StimulusAction::KubectlApplyConfig { .. }
                if s.topology.control_plane.is_none() =>
            {
                sink.warn(
                    &format!("stimuli[{i}].do"),
                    "this applies mesh resources, but the topology has no control plane",
                    "nothing to install or configure",
                    "add `control_plane: (id: \"istiod\")` to the topology",
                );
            }
            _ => {}
        }
    }
}

/// A mesh installed during the lesson injects sidecars only into pods created
/// after it: pods already running need a restart.
fn unrestarted_pods(sink: &mut Sink<'_>, s: &Scenario) {
    let Some(cp) = &s.topology.control_plane else {
        return;
    };
    let restarts = s
        .stimuli
        .iter()
        .any(|x| matches!(x.action, StimulusAction::KubectlRolloutRestart { .. }));
    let sidecars: Vec<&str> = s
        .topology
        .pods
        .iter()
        .filter(|p| p.proxy == crate::scenario::schema::ProxyMode::Sidecar)
        .map(|p| p.id.as_str())
        .collect();
    let apply = s
        .stimuli
        .iter()
        .position(|x| matches!(x.action, StimulusAction::KubectlApply { .. }));
    if let Some(i) = apply
        && !cp.installed
        && !restarts
        && !sidecars.is_empty()
    {
        sink.warn(
            &format!("stimuli[{i}]"),
            format!(
                "{} ran before the mesh was installed, so {} no sidecar until recreated",
                sidecars.join(", "),
                if sidecars.len() == 1 { "it gets" } else { "they get" }
            ),
            "installs the mesh",
            "add `(at_us: …, do: KubectlRolloutRestart(namespace: \"default\"))` once the control plane is up (`meshstep migrate FILE` adds it)",
        );
    }
}
