//! The cluster as a graph: components are nodes, links (loopback, in-process,
//! pod network, control-plane stream, service selection) are edges. Built
//! from a scenario's topology; the engine and the GUI layout both read it.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::component::{Component, ComponentId, ComponentKind};
use crate::ids::{HostId, NodeId, PodId, SvcId};
use crate::scenario::schema::fault::FaultTarget;
use crate::scenario::schema::{
    ControlPlaneSpec, ExternalSpec, Latency, MeshPolicy, ProxyMode, TopologySpec,
};
use crate::suggest::did_you_mean;

/// Component id of the operator's kubectl.
pub const KUBECTL: &str = "kubectl";
/// Component id of the end-of-run marker.
pub const END: &str = "end";
/// The node pods run on when the topology names none.
pub const DEFAULT_NODE: &str = "node-1";

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
    /// A sidecar's config stream (xDS) to the control plane.
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
    pub node: NodeId,
    /// The identity a workload certificate names.
    pub service_account: String,
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
    pub endpoints: Vec<PodId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gateway {
    pub id: String,
    pub namespace: String,
    pub component: ComponentId,
}

#[derive(Debug, Clone, Serialize)]
pub struct External {
    pub host: String,
    pub service_entry: bool,
    pub component: ComponentId,
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
    pub fn new(path: impl Into<String>, message: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            hint,
        }
    }

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
    pub nodes: Vec<String>,
    pub pods: Vec<Pod>,
    pub services: Vec<Service>,
    pub gateways: Vec<Gateway>,
    pub external: Vec<External>,
    pub control_plane: Option<ControlPlaneSpec>,
    pub control_plane_id: Option<ComponentId>,
    pub kubectl: ComponentId,
    pub end: ComponentId,
    pub latency: Latency,
    pub mesh: MeshPolicy,
    #[serde(skip)]
    pub graph: UnGraph<Node, Link>,
    /// The graph node of each component.
    #[serde(skip)]
    pub graph_nodes: Vec<NodeIndex>,
    #[serde(skip)]
    by_id: HashMap<String, ComponentId>,
    #[serde(skip)]
    pod_by_id: HashMap<String, PodId>,
    #[serde(skip)]
    service_by_name: HashMap<String, SvcId>,
}

/// Builds a topology, collecting every problem.
struct Builder {
    t: Topology,
    errors: Vec<TopologyError>,
    network: NodeIndex,
}

impl Builder {
    fn add(
        &mut self,
        id: String,
        kind: ComponentKind,
        pod: Option<PodId>,
        path: &str,
    ) -> ComponentId {
        let cid = ComponentId(self.t.components.len() as u32);
        // A pod's containers share its path: one duplicate pod is one error.
        if self.t.by_id.contains_key(&id) && !self.errors.iter().any(|e| e.path == path) {
            self.errors.push(TopologyError::new(
                path,
                format!("the id `{id}` is used twice"),
                Some("give every pod, service, gateway and the control plane its own id".into()),
            ));
        }
        self.t.by_id.insert(id.clone(), cid);
        self.t.components.push(Component {
            label: kind_label(kind, &id),
            id,
            kind,
            pod,
        });
        let n = self.t.graph.add_node(Node::Component(cid));
        self.t.graph_nodes.push(n);
        cid
    }

    fn link(&mut self, a: ComponentId, b: ComponentId, kind: LinkKind, latency_us: u64) {
        let (na, nb) = (self.t.graph_nodes[a.index()], self.t.graph_nodes[b.index()]);
        self.t.graph.add_edge(na, nb, Link { kind, latency_us });
    }

    fn uplink(&mut self, a: ComponentId) {
        let na = self.t.graph_nodes[a.index()];
        let half = self.t.latency.network_us / 2;
        self.t.graph.add_edge(
            na,
            self.network,
            Link {
                kind: LinkKind::Uplink,
                latency_us: half,
            },
        );
    }
}

/// A Kubernetes name check: `label` for Services (DNS-1035: starts with a
/// letter), otherwise DNS-1123 (may start with a digit); both lowercase.
pub fn dns_name_problem(name: &str, service: bool) -> Option<String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || (!service && c.is_ascii_digit()));
    let last_ok = name
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if name.is_empty() || name.len() > 63 || !ok_chars || !first_ok || !last_ok {
        let lower = name.to_ascii_lowercase().replace(['_', '.', ' '], "-");
        Some(format!(
            "Kubernetes names are lowercase DNS labels: a-z, 0-9 and `-`, {}at most 63 characters (for example `{}`)",
            if service {
                "starting with a letter, "
            } else {
                ""
            },
            if lower.is_empty() {
                "payments".to_string()
            } else {
                lower
            }
        ))
    } else {
        None
    }
}

impl Topology {
    /// Builds the topology, collecting every problem rather than stopping at the first.
    pub fn build(
        spec: &TopologySpec,
        labels: &BTreeMap<String, String>,
    ) -> Result<Topology, Vec<TopologyError>> {
        let mut graph = UnGraph::default();
        let network = graph.add_node(Node::Network);
        let nodes = if spec.nodes.is_empty() {
            vec![DEFAULT_NODE.to_string()]
        } else {
            spec.nodes.clone()
        };
        let mut b = Builder {
            t: Topology {
                components: Vec::new(),
                nodes,
                pods: Vec::new(),
                services: Vec::new(),
                gateways: Vec::new(),
                external: Vec::new(),
                control_plane: spec.control_plane.clone(),
                control_plane_id: None,
                kubectl: ComponentId(0),
                end: ComponentId(0),
                latency: spec.latency.clone(),
                mesh: spec.mesh.clone(),
                graph,
                graph_nodes: Vec::new(),
                by_id: HashMap::new(),
                pod_by_id: HashMap::new(),
                service_by_name: HashMap::new(),
            },
            errors: Vec::new(),
            network,
        };
        b.t.kubectl = b.add(KUBECTL.into(), ComponentKind::Kubectl, None, "");
        b.t.end = b.add(END.into(), ComponentKind::End, None, "");
        if let Some(cp) = &spec.control_plane {
            let path = "topology.control_plane.id";
            if cp.id.is_empty() {
                b.errors.push(TopologyError::new(
                    path,
                    "the control plane has an empty id",
                    Some("name it, for example `istiod`".into()),
                ));
            }
            let c = b.add(cp.id.clone(), ComponentKind::ControlPlane, None, path);
            b.t.control_plane_id = Some(c);
            b.uplink(c);
            b.link(b.t.kubectl, c, LinkKind::Api, 0);
        }
        b.pods(spec);
        b.services(spec);
        b.gateways(spec);
        b.external(&spec.external);
        let Builder {
            mut t, mut errors, ..
        } = b;
        for (id, label) in labels {
            match t.by_id.get(id) {
                Some(c) => t.components[c.index()].label = label.clone(),
                None => errors.push(TopologyError::new(
                    format!("labels[{id:?}]"),
                    format!("label for `{id}`, which is not a component"),
                    did_you_mean(id, t.by_id.keys().map(String::as_str)),
                )),
            }
        }
        // First definition wins, as for components.
        for (i, p) in t.pods.iter().enumerate() {
            t.pod_by_id.entry(p.id.clone()).or_insert(PodId(i as u32));
        }
        for (i, sv) in t.services.iter().enumerate() {
            t.service_by_name
                .entry(sv.name.clone())
                .or_insert(SvcId(i as u32));
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

    pub fn pod(&self, id: PodId) -> &Pod {
        &self.pods[id.index()]
    }

    pub fn service(&self, id: SvcId) -> &Service {
        &self.services[id.index()]
    }

    pub fn pod_id(&self, id: &str) -> Option<PodId> {
        self.pod_by_id.get(id).copied()
    }

    pub fn service_id(&self, name: &str) -> Option<SvcId> {
        self.service_by_name.get(name).copied()
    }

    pub fn host_id(&self, host: &str) -> Option<HostId> {
        self.external
            .iter()
            .position(|e| e.host == host)
            .map(|i| HostId(i as u32))
    }

    /// The pod a component belongs to (itself for a pod).
    pub fn pod_of(&self, c: ComponentId) -> Option<PodId> {
        self.component(c).pod
    }

    /// All component ids, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.components.iter().map(|c| c.id.as_str())
    }

    /// The mesh flavour, when there is a control plane.
    pub fn flavour(&self) -> Option<crate::scenario::schema::Flavour> {
        self.control_plane.as_ref().map(|c| c.flavour)
    }
}

impl Builder {
    fn pods(&mut self, spec: &TopologySpec) {
        for (i, p) in spec.pods.iter().enumerate() {
            let path = format!("topology.pods[{i}].id");
            if p.id.is_empty() || p.id.contains('/') {
                self.errors.push(TopologyError::new(
                    &path,
                    format!("`{}` is not a usable pod id", p.id),
                    Some("use a non-empty name without `/`, such as `checkout`".into()),
                ));
            } else if let Some(why) = dns_name_problem(&p.id, false) {
                self.errors.push(TopologyError::new(
                    &path,
                    format!("`{}` is not a valid pod name", p.id),
                    Some(why),
                ));
            }
            let node = match &p.node {
                None => NodeId((i % self.t.nodes.len()) as u32),
                Some(n) => match self.t.nodes.iter().position(|x| x == n) {
                    Some(k) => NodeId(k as u32),
                    None => {
                        self.errors.push(TopologyError::new(
                            format!("topology.pods[{i}].node"),
                            format!("there is no node `{n}`"),
                            did_you_mean(n, self.t.nodes.iter().map(String::as_str))
                                .or(Some("list the cluster's nodes in `topology.nodes`".into())),
                        ));
                        NodeId(0)
                    }
                },
            };
            let pid = PodId(i as u32);
            let pod = self.add(p.id.clone(), ComponentKind::Pod, Some(pid), &path);
            let app = self.add(
                format!("{}/app", p.id),
                ComponentKind::App,
                Some(pid),
                &path,
            );
            self.link(pod, app, LinkKind::Contains, 0);
            self.uplink(pod);
            let sidecar = (p.proxy == ProxyMode::Sidecar).then(|| {
                let s = self.add(
                    format!("{}/sidecar", p.id),
                    ComponentKind::Sidecar,
                    Some(pid),
                    &path,
                );
                self.link(pod, s, LinkKind::Contains, 0);
                self.link(app, s, LinkKind::Loopback, self.t.latency.loopback_us);
                if let Some(cp) = self.t.control_plane_id {
                    self.link(
                        s,
                        cp,
                        LinkKind::ControlStream,
                        self.t.latency.control_plane_us,
                    );
                }
                s
            });
            let library = (p.proxy == ProxyMode::Library).then(|| {
                let l = self.add(
                    format!("{}/library", p.id),
                    ComponentKind::Library,
                    Some(pid),
                    &path,
                );
                self.link(app, l, LinkKind::InProcess, 0);
                l
            });
            self.t.pods.push(Pod {
                id: p.id.clone(),
                namespace: p.namespace.clone(),
                app_label: p.app.clone(),
                proxy: p.proxy,
                service_time_us: p.service_time_us,
                node,
                service_account: p.service_account.clone().unwrap_or_else(|| p.app.clone()),
                pod,
                app,
                sidecar,
                library,
            });
        }
    }

    fn services(&mut self, spec: &TopologySpec) {
        for (i, s) in spec.services.iter().enumerate() {
            let path = format!("topology.services[{i}].name");
            if let Some(why) = dns_name_problem(&s.name, true) {
                self.errors.push(TopologyError::new(
                    &path,
                    format!("`{}` is not a valid Service name", s.name),
                    Some(why),
                ));
            }
            let cid = self.add(
                format!("svc/{}", s.name),
                ComponentKind::Service,
                None,
                &path,
            );
            let endpoints: Vec<PodId> = self
                .t
                .pods
                .iter()
                .enumerate()
                .filter(|(_, p)| p.app_label == s.selector && p.namespace == s.namespace)
                .map(|(j, _)| PodId(j as u32))
                .collect();
            if endpoints.is_empty() {
                let apps: Vec<&str> = self.t.pods.iter().map(|p| p.app_label.as_str()).collect();
                self.errors.push(TopologyError::new(
                    format!("topology.services[{i}].selector"),
                    format!(
                        "service `{}` selects app `{}` in namespace `{}`, but no pod has that app there",
                        s.name, s.selector, s.namespace
                    ),
                    did_you_mean(&s.selector, apps.iter().copied()),
                ));
            }
            for &e in &endpoints {
                let pod = self.t.pods[e.index()].pod;
                self.link(cid, pod, LinkKind::Selects, 0);
            }
            self.t.services.push(Service {
                name: s.name.clone(),
                namespace: s.namespace.clone(),
                component: cid,
                endpoints,
            });
        }
    }

    fn gateways(&mut self, spec: &TopologySpec) {
        for (i, g) in spec.gateways.iter().enumerate() {
            let path = format!("topology.gateways[{i}].id");
            let Some(cp) = &spec.control_plane else {
                self.errors.push(TopologyError::new(
                    &path,
                    format!("gateway `{}` needs a mesh to configure it", g.id),
                    Some("add `control_plane: (id: \"istiod\")` to the topology".into()),
                ));
                continue;
            };
            let c = self.add(g.id.clone(), ComponentKind::Gateway, None, &path);
            self.uplink(c);
            if let Some(cpid) = self.t.control_plane_id {
                self.link(
                    c,
                    cpid,
                    LinkKind::ControlStream,
                    self.t.latency.control_plane_us,
                );
            }
            self.t.gateways.push(Gateway {
                id: g.id.clone(),
                namespace: g
                    .namespace
                    .clone()
                    .unwrap_or_else(|| cp.namespace().to_string()),
                component: c,
            });
        }
    }

    fn external(&mut self, hosts: &[ExternalSpec]) {
        for (i, h) in hosts.iter().enumerate() {
            let path = format!("topology.external[{i}].host");
            if h.host.is_empty() || h.host.contains(['/', ' ']) {
                self.errors.push(TopologyError::new(
                    &path,
                    format!("`{}` is not a host name", h.host),
                    Some("write a host name such as `api.payments.example`".into()),
                ));
            }
            let c = self.add(
                format!("ext/{}", h.host),
                ComponentKind::External,
                None,
                &path,
            );
            self.uplink(c);
            self.t.external.push(External {
                host: h.host.clone(),
                service_entry: h.service_entry,
                component: c,
            });
        }
    }
}

impl FaultTarget for Topology {
    fn pod_proxy(&self, id: &str) -> Option<ProxyMode> {
        self.pod_id(id).map(|p| self.pod(p).proxy)
    }
    fn pod_ids(&self) -> impl Iterator<Item = &str> {
        self.pods.iter().map(|p| p.id.as_str())
    }
    fn has_control_plane(&self) -> bool {
        self.control_plane.is_some()
    }
}

fn kind_label(kind: ComponentKind, id: &str) -> String {
    match kind {
        ComponentKind::Pod
        | ComponentKind::Service
        | ComponentKind::ControlPlane
        | ComponentKind::Gateway => id.to_string(),
        ComponentKind::External => id.trim_start_matches("ext/").to_string(),
        k => k.default_label().to_string(),
    }
}
