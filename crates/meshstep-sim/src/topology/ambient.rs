//! Ambient mode's proxies: a ztunnel on every node where an ambient pod
//! runs (a DaemonSet: one per node, in the control plane's namespace), and
//! the waypoints, each an Envoy pod of its own that takes the calls to its
//! namespace's Services. Proxyless gRPC, Istio's other data plane without
//! sidecars, is checked here too.
//! <https://istio.io/latest/docs/ambient/architecture/data-plane/>

use super::build::Builder;
use super::*;

impl Builder {
    pub(super) fn ambient(&mut self, spec: &TopologySpec) {
        self.t.ztunnels = vec![None; self.t.nodes.len()];
        let ambient: Vec<NodeId> = (self.t.pods.iter())
            .filter(|p| p.proxy == ProxyMode::Ambient)
            .map(|p| p.node)
            .collect();
        // Proxyless gRPC is configured by istiod too.
        if let Some(i) = spec
            .pods
            .iter()
            .position(|p| p.proxy == ProxyMode::Proxyless)
            && spec.control_plane.as_ref().map(|c| c.flavour) != Some(Flavour::Istio)
        {
            let has = match &spec.control_plane {
                Some(_) => "this topology's control plane is Linkerd's",
                None => "this topology has none",
            };
            self.errors.push(TopologyError::new(
                format!("topology.pods[{i}].proxy"),
                format!("proxyless gRPC gets its config from Istio's control plane, and {has}"),
                Some("use an Istio control plane: `control_plane: Some((id: \"istiod\"))`".into()),
            ));
        }
        let uses_ambient = !ambient.is_empty() || !spec.waypoints.is_empty();
        if uses_ambient && !self.istio(spec) {
            return;
        }
        for node in ambient {
            if self.t.ztunnels[node.index()].is_some() {
                continue;
            }
            let id = format!("ztunnel/{}", self.t.nodes[node.index()]);
            let z = self.add(id, ComponentKind::Ztunnel, None, "topology.pods");
            self.uplink(z);
            self.control_stream(z);
            self.t.ztunnels[node.index()] = Some(z);
        }
        for (i, w) in spec.waypoints.iter().enumerate() {
            let path = format!("topology.waypoints[{i}].id");
            let pid = PodId(self.t.pods.len() as u32);
            let c = self.add(w.id.clone(), ComponentKind::Waypoint, Some(pid), &path);
            self.uplink(c);
            self.control_stream(c);
            self.t.pods.push(Pod {
                id: w.id.clone(),
                kind: PodKind::Waypoint,
                namespace: w.namespace.clone(),
                app_label: w.id.clone(),
                version: None,
                proxy: ProxyMode::Sidecar,
                work: Work::idle(),
                ready: true,
                node: NodeId(0),
                service_account: w.id.clone(),
                pod: c,
                app: c,
                sidecar: Some(c),
                library: None,
            });
            self.t.waypoints.push((w.namespace.clone(), pid));
        }
    }

    /// Ambient mode is Istio's: say so once if the lesson's mesh is not.
    fn istio(&mut self, spec: &TopologySpec) -> bool {
        let flavour = spec.control_plane.as_ref().map(|c| c.flavour);
        if flavour == Some(Flavour::Istio) {
            return true;
        }
        let path = match spec.pods.iter().position(|p| p.proxy == ProxyMode::Ambient) {
            Some(i) => format!("topology.pods[{i}].proxy"),
            None => "topology.waypoints[0].id".into(),
        };
        self.errors.push(TopologyError::new(
            path,
            "ambient mode (`proxy: Ambient`, `waypoints`) needs an Istio control plane",
            Some("add `control_plane: Some((id: \"istiod\"))` to the topology".into()),
        ));
        false
    }

    fn control_stream(&mut self, c: ComponentId) {
        if let Some(cp) = self.t.control_plane_id {
            let d = self.t.latency.control_plane_us;
            self.link(c, cp, LinkKind::ControlStream, d);
        }
    }
}
