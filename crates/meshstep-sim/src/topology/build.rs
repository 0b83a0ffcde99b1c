//! Building a [`Topology`] from a lesson's topology: every component, its
//! links in the graph and the name indexes, with every problem collected
//! rather than stopping at the first.

use std::collections::BTreeMap;

use petgraph::graph::{NodeIndex, UnGraph};

use super::*;
use crate::suggest::did_you_mean;

/// Builds a topology, collecting every problem.
pub(super) struct Builder {
    pub(super) t: Topology,
    pub(super) errors: Vec<TopologyError>,
    network: NodeIndex,
}

impl Builder {
    pub(super) fn add(
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

    pub(super) fn link(&mut self, a: ComponentId, b: ComponentId, kind: LinkKind, latency_us: u64) {
        let (na, nb) = (self.t.graph_nodes[a.index()], self.t.graph_nodes[b.index()]);
        self.t.graph.add_edge(na, nb, Link { kind, latency_us });
    }

    pub(super) fn uplink(&mut self, a: ComponentId) {
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

/// Builds the topology, collecting every problem rather than stopping at the first.
pub(super) fn build(
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
            ztunnels: Vec::new(),
            waypoints: Vec::new(),
            external: Vec::new(),
            control_plane: spec.control_plane.clone(),
            control_plane_id: None,
            kubectl: ComponentId(0),
            end: ComponentId(0),
            latency: spec.latency.clone(),
            mesh: spec.mesh.clone(),
            config: spec.config.clone(),
            library_config: spec.library_config.clone(),
            graph,
            graph_nodes: Vec::new(),
            by_id: Default::default(),
            pod_by_id: Default::default(),
            service_by_name: Default::default(),
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
    b.ambient(spec);
    b.external(&spec.external);
    b.calls(spec);
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
            let library = matches!(p.proxy, ProxyMode::Library | ProxyMode::Proxyless).then(|| {
                let l = self.add(
                    format!("{}/library", p.id),
                    ComponentKind::Library,
                    Some(pid),
                    &path,
                );
                self.link(app, l, LinkKind::InProcess, 0);
                // A proxyless gRPC library gets its config over xDS.
                if let (ProxyMode::Proxyless, Some(cp)) = (p.proxy, self.t.control_plane_id) {
                    let d = self.t.latency.control_plane_us;
                    self.link(l, cp, LinkKind::ControlStream, d);
                }
                l
            });
            let work = p.handler.as_ref();
            self.t.pods.push(Pod {
                id: p.id.clone(),
                kind: PodKind::Workload,
                namespace: p.namespace.clone(),
                app_label: p.app.clone(),
                version: p.version.clone(),
                proxy: p.proxy,
                work: Work {
                    time: work
                        .and_then(|w| w.time)
                        .unwrap_or(ServiceTime::Fixed(p.service_time_us)),
                    errors: work.and_then(|w| w.errors),
                    // Targets are resolved once every Service exists.
                    calls: Vec::new(),
                    fallback: work.and_then(|w| w.fallback).unwrap_or(500),
                    propagates_trace: work.is_none_or(|w| w.propagates_trace),
                },
                ready: p.ready,
                node,
                service_account: p.service_account.clone().unwrap_or_else(|| p.app.clone()),
                pod,
                app,
                sidecar,
                library,
            });
        }
    }

    /// Each app's own calls, now that every Service and host has an id.
    fn calls(&mut self, spec: &TopologySpec) {
        for (i, p) in spec.pods.iter().enumerate() {
            let Some(h) = &p.handler else { continue };
            for (j, c) in h.calls.iter().enumerate() {
                let name = &c.to;
                let target = (self.t.services.iter().position(|s| &s.name == name))
                    .map(|k| Target::Service(SvcId(k as u32)))
                    .or_else(|| {
                        (self.t.external.iter().position(|e| &e.host == name))
                            .map(|k| Target::External(HostId(k as u32)))
                    });
                match target {
                    Some(target) => self.t.pods[i].work.calls.push(PodCall {
                        target,
                        parallel: c.parallel,
                        http: c.http.clone(),
                    }),
                    None => self.errors.push(TopologyError::new(
                        format!("topology.pods[{i}].handler.calls[{j}].to"),
                        format!("there is no service or external host `{name}`"),
                        did_you_mean(
                            name,
                            (self.t.services.iter().map(|s| s.name.as_str()))
                                .chain(self.t.external.iter().map(|e| e.host.as_str())),
                        ),
                    )),
                }
            }
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
            let pid = PodId(self.t.pods.len() as u32);
            let c = self.add(g.id.clone(), ComponentKind::Gateway, Some(pid), &path);
            self.uplink(c);
            // Its callers are outside the cluster: one component stands for them.
            let client = self.add(
                format!("{}/client", g.id),
                ComponentKind::Client,
                Some(pid),
                &path,
            );
            self.link(client, c, LinkKind::Uplink, self.t.latency.external_us);
            let namespace = g
                .namespace
                .clone()
                .unwrap_or_else(|| cp.namespace().to_string());
            self.t.pods.push(Pod {
                id: g.id.clone(),
                kind: PodKind::Gateway,
                namespace: namespace.clone(),
                app_label: g.id.clone(),
                version: None,
                proxy: ProxyMode::Sidecar,
                work: Work::idle(),
                ready: true,
                node: NodeId(0),
                service_account: g.id.clone(),
                pod: c,
                app: client,
                sidecar: Some(c),
                library: None,
            });
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
                namespace,
                component: c,
                pod: pid,
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

fn kind_label(kind: ComponentKind, id: &str) -> String {
    match kind {
        ComponentKind::Pod
        | ComponentKind::Service
        | ComponentKind::ControlPlane
        | ComponentKind::Gateway => id.to_string(),
        ComponentKind::External => id.trim_start_matches("ext/").to_string(),
        // A container is named with its pod, so two sidecars (or two apps)
        // can be told apart in the table, the tracker and the flow view.
        k @ (ComponentKind::App | ComponentKind::Sidecar | ComponentKind::Library) => {
            match id.split_once('/') {
                Some((pod, _)) => format!("{} ({pod})", k.default_label()),
                None => k.default_label().to_string(),
            }
        }
        k => k.default_label().to_string(),
    }
}
