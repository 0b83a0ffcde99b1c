//! The cluster as a graph: components are nodes, links (loopback, in-process,
//! pod network, control-plane stream, service selection) are edges. Built
//! from a scenario's topology; the engine and the GUI layout both read it.

mod ambient;
mod build;

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::component::{Component, ComponentId, ComponentKind};
use crate::ids::{HostId, NodeId, PodId, SvcId};
use crate::scenario::schema::fault::FaultTarget;
use crate::scenario::schema::{
    ControlPlaneSpec, ErrorRate, ExternalSpec, Flavour, HttpRequest, Latency, MeshPolicy,
    ProxyMode, Resource, ServiceTime, TopologySpec,
};

/// Names to ids. A fixed-seed foldhash rather than std's SipHash: a run
/// resolves two names per stimulus (100,000 in the engine benchmark), and
/// nothing here needs protection from chosen-key flooding.
pub(crate) type NameMap<V> = HashMap<String, V, foldhash::fast::FixedState>;

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

/// What a call is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Target {
    Service(SvcId),
    External(HostId),
}

/// What a pod's app does with each request it receives.
#[derive(Debug, Clone, Serialize)]
pub struct Work {
    pub time: ServiceTime,
    pub errors: Option<ErrorRate>,
    pub calls: Vec<PodCall>,
    /// The status it answers with when one of its calls fails.
    pub fallback: u16,
    pub propagates_trace: bool,
}

impl Work {
    /// A proxy's pod: no app of its own does anything.
    pub fn idle() -> Self {
        Work {
            time: ServiceTime::Fixed(0),
            errors: None,
            calls: Vec::new(),
            fallback: 500,
            propagates_trace: true,
        }
    }
}

/// One call an app makes while handling a request.
#[derive(Debug, Clone, Serialize)]
pub struct PodCall {
    pub target: Target,
    /// Goes out with the call before it.
    pub parallel: bool,
    pub http: HttpRequest,
}

/// What runs in a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PodKind {
    /// An app, with its proxy if it has one.
    Workload,
    /// An ingress gateway: a mesh proxy on its own at the edge, whose
    /// callers are clients outside the cluster (its `app` component stands
    /// for them, its `sidecar` is the gateway proxy, which is also the pod).
    Gateway,
    /// An ambient waypoint: a mesh proxy on its own that takes the calls to
    /// its namespace's Services (`pod`, `app` and `sidecar` are all it).
    Waypoint,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pod {
    pub id: String,
    pub kind: PodKind,
    pub namespace: String,
    pub app_label: String,
    /// The `version` label, which subsets select.
    pub version: Option<String>,
    pub proxy: ProxyMode,
    pub work: Work,
    /// Passes its readiness probe, so it is a Service endpoint.
    pub ready: bool,
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
    /// Its pod, whose traffic the gateway proxy handles.
    pub pod: PodId,
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
    /// Each node's ztunnel, where an ambient pod runs on it.
    pub ztunnels: Vec<Option<ComponentId>>,
    /// Ambient waypoints: `(namespace, its pod)`.
    pub waypoints: Vec<(String, PodId)>,
    pub external: Vec<External>,
    pub control_plane: Option<ControlPlaneSpec>,
    pub control_plane_id: Option<ComponentId>,
    pub kubectl: ComponentId,
    pub end: ComponentId,
    pub latency: Latency,
    pub mesh: MeshPolicy,
    /// Mesh configuration in force from the start.
    pub config: Vec<Resource>,
    /// What apps with a proxy library are built with.
    pub library_config: Vec<Resource>,
    #[serde(skip)]
    pub graph: UnGraph<Node, Link>,
    /// The graph node of each component.
    #[serde(skip)]
    pub graph_nodes: Vec<NodeIndex>,
    #[serde(skip)]
    by_id: NameMap<ComponentId>,
    #[serde(skip)]
    pod_by_id: NameMap<PodId>,
    #[serde(skip)]
    service_by_name: NameMap<SvcId>,
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
    pub fn build(
        spec: &TopologySpec,
        labels: &BTreeMap<String, String>,
    ) -> Result<Topology, Vec<TopologyError>> {
        build::build(spec, labels)
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

    /// The ztunnel that carries an ambient pod's traffic.
    pub fn ztunnel_of(&self, pod: PodId) -> Option<ComponentId> {
        self.ztunnels
            .get(self.pod(pod).node.index())
            .copied()
            .flatten()
    }

    /// The waypoint that serves a Service's namespace, if there is one.
    pub fn waypoint_for(&self, namespace: &str) -> Option<PodId> {
        self.waypoints
            .iter()
            .find(|(ns, _)| ns == namespace)
            .map(|&(_, p)| p)
    }

    pub fn pod_id(&self, id: &str) -> Option<PodId> {
        self.pod_by_id.get(id).copied()
    }

    pub fn service_id(&self, name: &str) -> Option<SvcId> {
        self.service_by_name.get(name).copied()
    }

    /// A Service or external host by the name a call gives.
    pub fn target(&self, name: &str) -> Option<Target> {
        self.service_id(name)
            .map(Target::Service)
            .or_else(|| self.host_id(name).map(Target::External))
    }

    /// The names a call may give, for suggestions.
    pub fn target_names(&self) -> impl Iterator<Item = &str> {
        (self.services.iter().map(|s| s.name.as_str()))
            .chain(self.external.iter().map(|e| e.host.as_str()))
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
