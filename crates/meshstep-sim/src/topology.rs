//! The cluster as a graph: components are nodes, links (loopback, in-process,
//! pod network, control-plane stream, service selection) are edges. Built
//! from a scenario's topology; the engine and the GUI layout both read it.

use std::collections::HashMap;

use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::component::{Component, ComponentId, ComponentKind};
use crate::scenario::schema::{ControlPlaneSpec, Latency, MeshPolicy, ProxyMode, TopologySpec};

/// Component id of the operator's kubectl.
pub const KUBECTL: &str = "kubectl";
/// Component id of the end-of-run marker.
pub const END: &str = "end";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LinkKind {
    /// App container to sidecar inside one pod.
    Loopback,
    /// App to its compiled-in library: a function call, no hop.
    InProcess,
    /// A container belongs to its pod.
    Contains,
    /// A pod's interface onto the cluster network.
    Uplink,
    /// A sidecar's config/telemetry stream to the control plane.
    ControlStream,
    /// A service selects this pod as an endpoint.
    Selects,
    /// kubectl talks to the API server (modelled as reaching the control plane and pods).
    Api,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Link {
    pub kind: LinkKind,
    pub latency_us: u64,
}

/// What the graph's nodes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Node {
    Component(ComponentId),
    /// The cluster network all pods attach to.
    Network,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pod {
    pub id: String,
    pub namespace: String,
    pub app_label: String,
    pub proxy: ProxyMode,
    pub service_time_us: u64,
    pub pod: ComponentId,
    pub app: ComponentId,
    pub sidecar: Option<ComponentId>,
    pub library: Option<ComponentId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub component: ComponentId,
    /// Indexes into [`Topology::pods`].
    pub endpoints: Vec<usize>,
}

/// A problem that stops a topology from being built, with the scenario path
/// it comes from so the validator can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopologyError {
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
}

impl TopologyError {
    /// Several errors as one line, for places that show a single message.
    pub fn join(errors: &[TopologyError]) -> String {
        errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Topology {
    pub components: Vec<Component>,
    pub pods: Vec<Pod>,
    pub services: Vec<Service>,
    pub control_plane: Option<ControlPlaneSpec>,
    pub control_plane_id: Option<ComponentId>,
    pub kubectl: ComponentId,
    pub end: ComponentId,
    pub latency: Latency,
    pub mesh: MeshPolicy,
    #[serde(skip)]
    pub graph: UnGraph<Node, Link>,
    #[serde(skip)]
    pub nodes: Vec<NodeIndex>,
    #[serde(skip)]
    by_id: HashMap<String, ComponentId>,
    #[serde(skip)]
    pod_by_id: HashMap<String, usize>,
    #[serde(skip)]
    service_by_name: HashMap<String, usize>,
}

impl Topology {
    /// Builds the topology, collecting every problem rather than stopping at the first.
    pub fn build(
        spec: &TopologySpec,
        labels: &std::collections::BTreeMap<String, String>,
    ) -> Result<Topology, Vec<TopologyError>> {
        let mut errors = Vec::new();
        let mut t = Topology {
            components: Vec::new(),
            pods: Vec::new(),
            services: Vec::new(),
            control_plane: spec.control_plane.clone(),
            control_plane_id: None,
            kubectl: ComponentId(0),
            end: ComponentId(0),
            latency: spec.latency.clone(),
            mesh: spec.mesh.clone(),
            graph: UnGraph::default(),
            nodes: Vec::new(),
            by_id: HashMap::new(),
            pod_by_id: HashMap::new(),
            service_by_name: HashMap::new(),
        };
        let add = |t: &mut Topology,
                   errors: &mut Vec<TopologyError>,
                   id: String,
                   kind,
                   pod,
                   path: String|
         -> ComponentId {
            let cid = ComponentId(t.components.len() as u32);
            // A pod's containers share its path: one duplicate pod is one error.
            if t.by_id.contains_key(&id) && !errors.iter().any(|e: &TopologyError| e.path == path) {
                errors.push(TopologyError {
                    path,
                    message: format!("the id `{id}` is used twice"),
                    hint: Some("give every pod, service and the control plane its own id".into()),
                });
            }
            t.by_id.insert(id.clone(), cid);
            t.components.push(Component {
                label: kind_label(kind, &id),
                id,
                kind,
                pod,
            });
            t.nodes.push(t.graph.add_node(Node::Component(cid)));
            cid
        };
        t.kubectl = add(
            &mut t,
            &mut errors,
            KUBECTL.into(),
            ComponentKind::Kubectl,
            None,
            String::new(),
        );
        t.end = add(
            &mut t,
            &mut errors,
            END.into(),
            ComponentKind::End,
            None,
            String::new(),
        );
        if let Some(cp) = &spec.control_plane {
            if cp.id.is_empty() {
                errors.push(TopologyError {
                    path: "topology.control_plane.id".into(),
                    message: "the control plane has an empty id".into(),
                    hint: Some("name it, for example `istiod`".into()),
                });
            }
            t.control_plane_id = Some(add(
                &mut t,
                &mut errors,
                cp.id.clone(),
                ComponentKind::ControlPlane,
                None,
                "topology.control_plane.id".into(),
            ));
        }
        let network = t.graph.add_node(Node::Network);
        let half = spec.latency.network_us / 2;
        for (i, p) in spec.pods.iter().enumerate() {
            let path = format!("topology.pods[{i}].id");
            if p.id.is_empty() || p.id.contains('/') {
                errors.push(TopologyError {
                    path: path.clone(),
                    message: format!("`{}` is not a usable pod id", p.id),
                    hint: Some("use a non-empty name without `/`, such as `checkout`".into()),
                });
            }
            let pod = add(
                &mut t,
                &mut errors,
                p.id.clone(),
                ComponentKind::Pod,
                Some(i),
                path.clone(),
            );
            let app = add(
                &mut t,
                &mut errors,
                format!("{}/app", p.id),
                ComponentKind::App,
                Some(i),
                path.clone(),
            );
            let sidecar = (p.proxy == ProxyMode::Sidecar).then(|| {
                add(
                    &mut t,
                    &mut errors,
                    format!("{}/sidecar", p.id),
                    ComponentKind::Sidecar,
                    Some(i),
                    path.clone(),
                )
            });
            let library = (p.proxy == ProxyMode::Library).then(|| {
                add(
                    &mut t,
                    &mut errors,
                    format!("{}/library", p.id),
                    ComponentKind::Library,
                    Some(i),
                    path.clone(),
                )
            });
            let n = |c: ComponentId, t: &Topology| t.nodes[c.index()];
            let (np, na) = (n(pod, &t), n(app, &t));
            t.graph.add_edge(
                np,
                na,
                Link {
                    kind: LinkKind::Contains,
                    latency_us: 0,
                },
            );
            t.graph.add_edge(
                np,
                network,
                Link {
                    kind: LinkKind::Uplink,
                    latency_us: half,
                },
            );
            if let Some(s) = sidecar {
                let ns = n(s, &t);
                t.graph.add_edge(
                    np,
                    ns,
                    Link {
                        kind: LinkKind::Contains,
                        latency_us: 0,
                    },
                );
                t.graph.add_edge(
                    na,
                    ns,
                    Link {
                        kind: LinkKind::Loopback,
                        latency_us: spec.latency.loopback_us,
                    },
                );
                if let Some(cp) = t.control_plane_id {
                    let ncp = n(cp, &t);
                    t.graph.add_edge(
                        ns,
                        ncp,
                        Link {
                            kind: LinkKind::ControlStream,
                            latency_us: spec.latency.control_plane_us,
                        },
                    );
                }
            }
            if let Some(l) = library {
                let nl = n(l, &t);
                t.graph.add_edge(
                    na,
                    nl,
                    Link {
                        kind: LinkKind::InProcess,
                        latency_us: 0,
                    },
                );
            }
            t.pods.push(Pod {
                id: p.id.clone(),
                namespace: p.namespace.clone(),
                app_label: p.app.clone(),
                proxy: p.proxy,
                service_time_us: p.service_time_us,
                pod,
                app,
                sidecar,
                library,
            });
        }
        for (i, s) in spec.services.iter().enumerate() {
            let cid = add(
                &mut t,
                &mut errors,
                format!("svc/{}", s.name),
                ComponentKind::Service,
                None,
                format!("topology.services[{i}].name"),
            );
            let endpoints: Vec<usize> = t
                .pods
                .iter()
                .enumerate()
                .filter(|(_, p)| p.app_label == s.selector && p.namespace == s.namespace)
                .map(|(j, _)| j)
                .collect();
            if endpoints.is_empty() {
                let apps: Vec<&str> = t.pods.iter().map(|p| p.app_label.as_str()).collect();
                errors.push(TopologyError {
                    path: format!("topology.services[{i}].selector"),
                    message: format!(
                        "service `{}` selects app `{}` in namespace `{}`, but no pod has that app there",
                        s.name, s.selector, s.namespace
                    ),
                    hint: crate::suggest::nearest(&s.selector, apps.iter().copied())
                        .map(|n| format!("did you mean `{n}`?")),
                });
            }
            for &e in &endpoints {
                let np = t.nodes[t.pods[e].pod.index()];
                t.graph.add_edge(
                    t.nodes[cid.index()],
                    np,
                    Link {
                        kind: LinkKind::Selects,
                        latency_us: 0,
                    },
                );
            }
            t.services.push(Service {
                name: s.name.clone(),
                namespace: s.namespace.clone(),
                component: cid,
                endpoints,
            });
        }
        if let Some(cp) = t.control_plane_id {
            let ncp = t.nodes[cp.index()];
            t.graph.add_edge(
                ncp,
                network,
                Link {
                    kind: LinkKind::Uplink,
                    latency_us: half,
                },
            );
            t.graph.add_edge(
                t.nodes[t.kubectl.index()],
                ncp,
                Link {
                    kind: LinkKind::Api,
                    latency_us: 0,
                },
            );
        }
        for (id, label) in labels {
            match t.by_id.get(id) {
                Some(c) => t.components[c.index()].label = label.clone(),
                None => errors.push(TopologyError {
                    path: format!("labels[{id:?}]"),
                    message: format!("label for `{id}`, which is not a component"),
                    hint: crate::suggest::nearest(id, t.by_id.keys().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?")),
                }),
            }
        }
        // First definition wins, as for components.
        for (i, p) in t.pods.iter().enumerate() {
            t.pod_by_id.entry(p.id.clone()).or_insert(i);
        }
        for (i, sv) in t.services.iter().enumerate() {
            t.service_by_name.entry(sv.name.clone()).or_insert(i);
        }
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors)
        }
    }

    pub fn find(&self, id: &str) -> Option<ComponentId> {
        self.by_id.get(id).copied()
    }

    pub fn component(&self, id: ComponentId) -> &Component {
        &self.components[id.index()]
    }

    pub fn pod_index(&self, id: &str) -> Option<usize> {
        self.pod_by_id.get(id).copied()
    }

    pub fn service_index(&self, name: &str) -> Option<usize> {
        self.service_by_name.get(name).copied()
    }

    /// All component ids, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.components.iter().map(|c| c.id.as_str())
    }
}

fn kind_label(kind: ComponentKind, id: &str) -> String {
    match kind {
        ComponentKind::Pod | ComponentKind::Service | ComponentKind::ControlPlane => id.to_string(),
        k => k.default_label().to_string(),
    }
}
