//! The what-if lab's menu: every fault the engine knows, for every component
//! of a lesson it fits, and the setting changes an operator would make to
//! that lesson's Services and namespaces (retries, timeouts, mTLS mode, an
//! authorization policy added, a resource deleted). Each is offered only
//! where it fits the lesson; [`Fork::run`](super::Fork::run) makes it from
//! any step.
//!
//! Setting changes are Istio resources, applied with `kubectl` and pushed by
//! istiod, so they are offered for lessons whose control plane is Istio's
//! (a Linkerd lesson gets the faults alone). A change to a Service's routes
//! keeps what its routes already say (matches, subsets, weights) and changes
//! only retries or the timeout, the way an operator edits a VirtualService.

use crate::fault::Fault;
use crate::lesson::Lesson;
use crate::scenario::schema::{
    Flavour, MtlsMode, Resource, Retries, RetryOn, Routes, StimulusAction,
};
use crate::topology::Topology;

/// What an intervention does to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something breaks.
    Fault,
    /// An operator changes configuration.
    Setting,
}

/// One entry of the lab's menu.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    /// A stable name for share links (`retries-off:payments`); a fault's is
    /// its command-line spelling.
    pub id: String,
    /// What the learner reads ("Retries off for payments").
    pub label: String,
    pub kind: Kind,
    pub faults: Vec<Fault>,
    pub changes: Vec<StimulusAction>,
}

/// Every fault and setting change that fits the lesson, faults first.
pub fn catalogue(lesson: &Lesson) -> Vec<Intervention> {
    let topo = &lesson.topology;
    let mut out: Vec<Intervention> = faults(topo)
        .into_iter()
        .filter(|f| f.check(topo).is_ok())
        .map(|f| Intervention {
            id: f.to_string(),
            label: fault_label(&f),
            kind: Kind::Fault,
            faults: vec![f],
            changes: Vec::new(),
        })
        .collect();
    let istio = (lesson.scenario.topology.control_plane.as_ref())
        .is_some_and(|c| c.flavour == Flavour::Istio);
    if istio {
        out.extend(settings(lesson));
    }
    out
}

/// Every fault, for each pod it can name.
fn faults(topo: &Topology) -> Vec<Fault> {
    let pods = || topo.pods.iter().map(|p| p.id.clone());
    let mut out = vec![Fault::ControlPlaneDown, Fault::ConfigPushHalted];
    out.extend(pods().map(Fault::NoSidecar));
    out.extend(pods().map(Fault::NoLibrary));
    out.extend([Fault::MtlsOff, Fault::RetriesOff]);
    out.push(Fault::Lossy {
        pod: None,
        probability: 0.3,
    });
    out.extend(pods().map(|p| Fault::Lossy {
        pod: Some(p),
        probability: 0.5,
    }));
    // A new fault fails to compile here until the lab offers it above.
    for f in &out {
        match f {
            Fault::ControlPlaneDown
            | Fault::ConfigPushHalted
            | Fault::NoSidecar(_)
            | Fault::NoLibrary(_)
            | Fault::MtlsOff
            | Fault::RetriesOff
            | Fault::Lossy { .. } => {}
        }
    }
    out
}

fn fault_label(f: &Fault) -> String {
    match f {
        Fault::ControlPlaneDown => "Control plane down".into(),
        Fault::ConfigPushHalted => "Config pushes halted".into(),
        Fault::NoSidecar(p) => format!("No sidecar in {p}"),
        Fault::NoLibrary(p) => format!("{p} without its library"),
        Fault::MtlsOff => "Mutual TLS off".into(),
        Fault::RetriesOff => "All retries off".into(),
        Fault::Lossy {
            pod: None,
            probability,
        } => format!("Every link loses {:.0}% of messages", probability * 100.0),
        Fault::Lossy {
            pod: Some(p),
            probability,
        } => format!("{p}'s link loses {:.0}% of messages", probability * 100.0),
    }
}

/// `kubectl apply` of one resource.
fn apply(manifest: String, r: Resource) -> StimulusAction {
    StimulusAction::KubectlApplyConfig {
        manifest,
        resources: vec![r],
    }
}

fn setting(id: String, label: String, change: StimulusAction) -> Intervention {
    Intervention {
        id,
        label,
        kind: Kind::Setting,
        faults: Vec::new(),
        changes: vec![change],
    }
}

/// The Service's routes as the lesson has them, or one route for the whole Service.
fn routes_of(lesson: &Lesson, host: &str) -> Routes {
    (lesson.scenario.topology.config.iter())
        .find_map(|r| match r {
            Resource::Routes(rt) if rt.host == host => Some(rt.clone()),
            _ => None,
        })
        .unwrap_or_else(|| Routes {
            host: host.into(),
            name: None,
            http: vec![ron::from_str("()").expect("an empty route parses")],
        })
}

fn settings(lesson: &Lesson) -> Vec<Intervention> {
    let topo = &lesson.topology;
    let mut out = Vec::new();
    let edit = |host: &str, f: &dyn Fn(&mut crate::scenario::schema::HttpRoute)| {
        let mut rt = routes_of(lesson, host);
        rt.http.iter_mut().for_each(f);
        Resource::Routes(rt)
    };
    for svc in &topo.services {
        let host = svc.name.as_str();
        out.push(setting(
            format!("retries-off:{host}"),
            format!("Retries off for {host}"),
            apply(
                format!("{host}-no-retries.yaml"),
                edit(host, &|h| {
                    h.retries = Some(Retries {
                        attempts: 0,
                        ..no_retry()
                    })
                }),
            ),
        ));
        out.push(setting(
            format!("retries-5:{host}"),
            format!("5 retries on errors for {host}"),
            apply(
                format!("{host}-retries.yaml"),
                edit(host, &|h| {
                    h.retries = Some(Retries {
                        attempts: 5,
                        retry_on: vec![RetryOn::Http5xx, RetryOn::ConnectFailure],
                        ..no_retry()
                    })
                }),
            ),
        ));
        out.push(setting(
            format!("timeout-10ms:{host}"),
            format!("A 10 ms timeout for {host}"),
            apply(
                format!("{host}-timeout.yaml"),
                edit(host, &|h| h.timeout_us = Some(10_000)),
            ),
        ));
        let app = (svc.endpoints.first()).map(|p| topo.pod(*p).app_label.clone());
        out.push(setting(
            format!("deny-all:{host}"),
            format!("Deny every call to {host}"),
            apply(
                format!("{host}-deny-all.yaml"),
                Resource::Authorization(
                    ron::from_str(&format!(
                        r#"(name: "lab-deny-{host}", namespace: "{}", selector: {}, action: Deny, rules: [()])"#,
                        svc.namespace,
                        match &app {
                            Some(a) => format!("Some({a:?})"),
                            None => "None".into(),
                        }
                    ))
                    .expect("a deny-all policy parses"),
                ),
            ),
        ));
    }
    let mut namespaces: Vec<&str> = topo.pods.iter().map(|p| p.namespace.as_str()).collect();
    namespaces.sort_unstable();
    namespaces.dedup();
    for ns in namespaces {
        for (mode, word) in [
            (MtlsMode::Strict, "Strict"),
            (MtlsMode::Permissive, "Permissive"),
        ] {
            out.push(setting(
                format!("mtls-{}:{ns}", word.to_lowercase()),
                format!("{word} mTLS in namespace {ns}"),
                apply(
                    format!("{ns}-{}.yaml", word.to_lowercase()),
                    Resource::PeerAuthentication(crate::scenario::schema::PeerAuthentication {
                        // Resources are known by kind and name: one per namespace.
                        name: format!("lab-{ns}-{}", word.to_lowercase()),
                        namespace: Some(ns.into()),
                        selector: None,
                        mode,
                    }),
                ),
            ));
        }
    }
    for r in &lesson.scenario.topology.config {
        let what = r.reference();
        out.push(setting(
            format!("delete:{what}"),
            format!("Delete {what}"),
            StimulusAction::KubectlDeleteConfig {
                manifest: format!("{}.yaml", what.name),
                resources: vec![what],
            },
        ));
    }
    out
}

/// Retries as a route without any says them (the values the format defaults to).
fn no_retry() -> Retries {
    ron::from_str("(attempts: 0)").expect("default retries parse")
}

/// The setting changes a lab entry makes, by its id (from a share link).
pub fn setting_by_id<'m>(menu: &'m [Intervention], id: &str) -> Option<&'m Intervention> {
    menu.iter().find(|i| i.kind == Kind::Setting && i.id == id)
}

/// The ids of lab settings whose changes together make `changes`, in order;
/// `None` when some change is not a lab entry (a lesson's own what-if).
pub fn setting_ids(menu: &[Intervention], changes: &[StimulusAction]) -> Option<Vec<String>> {
    changes
        .iter()
        .map(|c| {
            (menu.iter())
                .find(|i| {
                    i.kind == Kind::Setting && i.changes.as_slice() == std::slice::from_ref(c)
                })
                .map(|i| i.id.clone())
        })
        .collect()
}

/// The changes a share link's lab setting ids stand for, in a lesson's lab menu.
pub fn changes_for(menu: &[Intervention], ids: &[String]) -> Result<Vec<StimulusAction>, String> {
    let mut out = Vec::new();
    for id in ids {
        match setting_by_id(menu, id) {
            Some(i) => out.extend(i.changes.iter().cloned()),
            None => {
                return Err(format!(
                    "this lesson's what-if lab has no setting `{id}`, so the link's settings are left out"
                ));
            }
        }
    }
    Ok(out)
}
