//! Mesh configuration as the proxies hold it: every version the control
//! plane builds, and every build of an app's proxy library, compiled once
//! against the topology (Services by id, subsets by index), so a proxy
//! deciding about a request only compares the request's own attributes.

use std::sync::Arc;

use crate::scenario::schema::{
    Authorization, ConnectionPool, HttpRequest, MtlsMode, OutlierDetection, PeerAuthentication,
    Resource, ResourceRef, RetryBudget, RetryOn, RouteMatch,
};
use crate::topology::Topology;

/// One version of the mesh's configuration (or one library build).
#[derive(Debug, Clone, Default)]
pub(crate) struct ConfigSet {
    /// The resources, sorted by kind and name.
    pub resources: Vec<Resource>,
    /// Each Service's routes (`VirtualService`), by Service index.
    pub routes: Vec<Option<RoutesRt>>,
    /// Each Service's destination policy (`DestinationRule`), by Service index.
    pub destinations: Vec<Option<DestinationRt>>,
    pub peer: Vec<PeerAuthentication>,
    pub authz: Vec<Authorization>,
    /// What this version changed, as a push carries it.
    pub changes: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct RoutesRt {
    pub http: Vec<HttpRouteRt>,
}

#[derive(Debug, Clone)]
pub(crate) struct HttpRouteRt {
    pub matches: Vec<RouteMatch>,
    /// Backends with their weights; empty: the whole Service.
    pub to: Vec<(Backend, u32)>,
    pub timeout_us: Option<u64>,
    pub retries: Option<RetryPolicy>,
    pub mirror: Option<Backend>,
}

/// Where a route sends requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// Every endpoint of the Service.
    All,
    /// A subset the Service's destination defines (its index there).
    Subset(u16),
    /// A subset nobody defined: Envoy has no cluster for it (`NC`).
    Undefined,
}

#[derive(Debug, Clone)]
pub(crate) struct DestinationRt {
    /// Subset name and the `version` label it selects.
    pub subsets: Vec<(String, String)>,
    pub pool: Option<ConnectionPool>,
    pub outlier: Option<OutlierDetection>,
    pub budget: Option<RetryBudget>,
}

/// How a proxy retries one call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RetryPolicy {
    pub attempts: u32,
    pub per_try_timeout_us: Option<u64>,
    pub on: Vec<RetryOn>,
    pub backoff_us: u64,
}

impl ConfigSet {
    pub fn compile(topo: &Topology, resources: Vec<Resource>) -> Self {
        let mut resources = resources;
        resources.sort_by_key(Resource::reference);
        let n = topo.services.len();
        let mut set = ConfigSet {
            routes: vec![None; n],
            destinations: vec![None; n],
            ..Default::default()
        };
        for r in &resources {
            match r {
                Resource::Destination(d) => {
                    if let Some(s) = topo.service_id(&d.host) {
                        set.destinations[s.index()] = Some(DestinationRt {
                            subsets: (d.subsets.iter())
                                .map(|x| (x.name.clone(), x.version.clone()))
                                .collect(),
                            pool: d.connection_pool.clone(),
                            outlier: d.outlier_detection.clone(),
                            budget: d.retry_budget.clone(),
                        });
                    }
                }
                Resource::PeerAuthentication(p) => set.peer.push(p.clone()),
                Resource::Authorization(a) => set.authz.push(a.clone()),
                Resource::Routes(_) => {}
            }
        }
        // Routes name subsets, which the destinations define: those first.
        for r in &resources {
            let Resource::Routes(rt) = r else { continue };
            let Some(s) = topo.service_id(&rt.host) else {
                continue;
            };
            let subsets = set.destinations[s.index()]
                .as_ref()
                .map(|d| d.subsets.as_slice())
                .unwrap_or_default();
            let backend = |name: &Option<String>| match name {
                None => Backend::All,
                Some(n) => subsets
                    .iter()
                    .position(|(x, _)| x == n)
                    .map_or(Backend::Undefined, |i| Backend::Subset(i as u16)),
            };
            let http = rt
                .http
                .iter()
                .map(|h| HttpRouteRt {
                    matches: h.matches.clone(),
                    to: h
                        .to
                        .iter()
                        .map(|b| (backend(&b.subset), b.weight))
                        .collect(),
                    timeout_us: h.timeout_us,
                    retries: h.retries.as_ref().map(|r| RetryPolicy {
                        attempts: r.attempts,
                        per_try_timeout_us: r.per_try_timeout_us,
                        on: r.retry_on.clone(),
                        backoff_us: r.backoff_us,
                    }),
                    mirror: h.mirror.as_ref().map(|m| backend(&Some(m.clone()))),
                })
                .collect();
            set.routes[s.index()] = Some(RoutesRt { http });
        }
        set.resources = resources;
        set
    }

    /// A new set with these resources added (replacing any of the same kind
    /// and name) and those removed.
    pub fn changed(&self, topo: &Topology, add: &[Resource], remove: &[ResourceRef]) -> ConfigSet {
        let mut all: Vec<Resource> = self
            .resources
            .iter()
            .filter(|r| {
                let id = r.reference();
                !remove.contains(&id) && !add.iter().any(|a| a.reference() == id)
            })
            .cloned()
            .collect();
        all.extend(add.iter().cloned());
        ConfigSet::compile(topo, all)
    }

    /// The mutual-TLS mode for a workload: its own policy, else its
    /// namespace's, else the mesh-wide one, else `default`.
    pub fn peer_mode(&self, namespace: &str, app: &str, default: MtlsMode) -> MtlsMode {
        let scope = |p: &&PeerAuthentication| -> u8 {
            match (&p.namespace, &p.selector) {
                (Some(ns), Some(sel)) if ns == namespace && sel == app => 3,
                (Some(ns), None) if ns == namespace => 2,
                (None, None) => 1,
                _ => 0,
            }
        };
        self.peer
            .iter()
            .filter(|p| scope(p) > 0)
            .max_by_key(|p| scope(p))
            .map_or(default, |p| p.mode)
    }
}

impl RouteMatch {
    pub fn matches(&self, h: &HttpRequest) -> bool {
        self.method.as_deref().is_none_or(|m| m == h.method())
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| h.path().starts_with(p))
            && self
                .headers
                .iter()
                .all(|(k, v)| h.headers.get(k) == Some(v))
    }
}

/// Versions are shared, not copied, between the control plane and every
/// proxy holding one.
pub(crate) type Shared = Arc<ConfigSet>;

impl RetryPolicy {
    /// The mesh-wide policy a lesson configures: retry resets, timed-out
    /// tries and 503s, each try bounded by `per_try_timeout_us`.
    pub fn mesh(mesh: &crate::scenario::schema::MeshPolicy) -> RetryPolicy {
        RetryPolicy {
            attempts: mesh.retries,
            per_try_timeout_us: Some(mesh.per_try_timeout_us),
            on: vec![RetryOn::Reset, RetryOn::Status(503)],
            backoff_us: mesh.retry_backoff_us,
        }
    }
}
