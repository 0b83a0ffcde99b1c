//! The one place that decides where a proxy sends a request and how it
//! retries it: from the configuration the caller's proxy holds (a sidecar's
//! pushed version, a library's build), the first route that matches the
//! request picks a subset by weight, a timeout and a retry policy; without
//! routes for the Service, the mesh's own policy (`topology.mesh`) applies.
//!
//! A route that matches nothing is Envoy's `NR` (404); a subset no
//! destination defines is `NC` (503)
//! (<https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage>).

use rand::RngExt;

use crate::engine::config::{Backend, ConfigSet, RetryPolicy};
use crate::engine::cx::Cx;
use crate::engine::request::PathKind;
use crate::engine::request::Target;
use crate::ids::ReqId;
use crate::scenario::schema::ProxyMode;

/// Why a proxy answers a request itself instead of sending it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Routes exist for the Service but none matches (`NR`, 404).
    NoRoute,
    /// The route names a subset no destination defines (`NC`, 503).
    NoCluster,
}

/// The configuration the request's own proxy holds, if its path has one.
pub(crate) fn config_of<'w>(cx: &'w Cx<'_>, rq: ReqId) -> Option<&'w ConfigSet> {
    let r = cx.world.req(rq);
    let pod = cx.world.pod(r.proxy);
    match r.path {
        PathKind::Sidecar => pod
            .proxy
            .as_ref()
            .and_then(|p| p.config)
            .and_then(|v| cx.world.configs.get(v as usize))
            .map(|c| &**c),
        // A proxyless gRPC library holds what the control plane pushed.
        PathKind::Library if cx.topo.pod(r.proxy).proxy == ProxyMode::Proxyless => pod
            .proxy
            .as_ref()
            .and_then(|p| p.config)
            .and_then(|v| cx.world.configs.get(v as usize))
            .map(|c| &**c),
        PathKind::Library => cx.world.builds.get(pod.build as usize).map(|c| &**c),
        // A ztunnel holds no HTTP routes; a waypoint runs the sidecar path.
        PathKind::Direct | PathKind::Ambient => None,
    }
}

/// Picks the request's route: subset, timeout, retry policy and mirror.
pub(crate) fn decide(cx: &mut Cx<'_>, rq: ReqId) -> Result<(), Refusal> {
    let Target::Service(svc) = cx.world.req(rq).target else {
        return Ok(());
    };
    let Some(routes) = config_of(cx, rq).and_then(|c| c.routes[svc.index()].clone()) else {
        return Ok(());
    };
    let http = &cx.world.http[cx.world.req(rq).http as usize];
    let Some(route) = routes
        .http
        .iter()
        .find(|h| h.matches.is_empty() || h.matches.iter().any(|m| m.matches(http)))
    else {
        return Err(Refusal::NoRoute);
    };
    let backend = match route.to.as_slice() {
        [] => Backend::All,
        [(b, _)] => *b,
        many => {
            let total: u64 = many.iter().map(|(_, w)| u64::from(*w)).sum();
            if total == 0 {
                many[0].0
            } else {
                let mut pick = cx.rng.random_range(0..total);
                many.iter()
                    .find(|(_, w)| {
                        let hit = pick < u64::from(*w);
                        pick = pick.saturating_sub(u64::from(*w));
                        hit
                    })
                    .map_or(Backend::All, |(b, _)| *b)
            }
        }
    };
    let subset = match backend {
        Backend::All => None,
        Backend::Subset(i) => Some(i),
        Backend::Undefined => return Err(Refusal::NoCluster),
    };
    let policy = route.retries.clone().map(|p| cx.world.intern_policy(p));
    let deadline = route.timeout_us.map(|t| cx.now.saturating_add(t));
    // Proxyless gRPC does not mirror.
    let proxyless = cx.topo.pod(cx.world.req(rq).proxy).proxy == ProxyMode::Proxyless;
    let mirror = (route.mirror.filter(|b| *b != Backend::Undefined)).filter(|_| !proxyless);
    let r = cx.world.req_mut(rq);
    r.subset = subset;
    r.policy = policy;
    r.deadline = deadline;
    r.mirror = mirror;
    Ok(())
}

/// The proxy takes the call in hand: its route, how many attempts it will
/// make, and the route's timeout, which starts now.
pub(crate) fn take(cx: &mut Cx<'_>, rq: ReqId) -> Result<(), Refusal> {
    decide(cx, rq)?;
    let p = policy(cx, rq);
    let path = cx.world.req(rq).path;
    let max = crate::engine::policy::max_attempts(&cx.world, path, &p);
    let r = cx.world.req_mut(rq);
    r.max_attempts = max;
    if let Some(d) = r.deadline {
        let wait = d.saturating_sub(cx.now);
        cx.after(
            wait,
            crate::engine::event::Event::Client(crate::engine::event::ClientEvent::RouteTimeout {
                req: rq,
            }),
        );
    }
    Ok(())
}

impl Refusal {
    /// What the proxy records, and the status it answers with.
    pub fn failure(self) -> (crate::trace::Failure, u16) {
        use crate::engine::request::status;
        match self {
            Refusal::NoRoute => (crate::trace::Failure::NoRoute, status::NOT_FOUND),
            Refusal::NoCluster => (
                crate::trace::Failure::NoCluster,
                status::SERVICE_UNAVAILABLE,
            ),
        }
    }
}

/// The mesh's default retry policy, interned first by the world.
pub(crate) const MESH_POLICY: u32 = 0;
/// Proxyless gRPC's: Istio gives it no retries; the app's own deadline
/// bounds the call.
pub(crate) const PROXYLESS_POLICY: u32 = 1;

/// The retry policy in force for a request: its route's, else the mesh's.
/// Shared, so asking for it on every attempt allocates nothing.
pub(crate) fn policy(cx: &Cx<'_>, rq: ReqId) -> std::sync::Arc<RetryPolicy> {
    let r = cx.world.req(rq);
    let id = if cx.topo.pod(r.proxy).proxy == ProxyMode::Proxyless {
        PROXYLESS_POLICY
    } else {
        r.policy.unwrap_or(MESH_POLICY)
    };
    cx.world.policies[id as usize].clone()
}

/// Envoy's back-off before retry `n` (1-based): a random time below
/// (2^n − 1) × base, capped at 10 × base.
pub(crate) fn backoff(cx: &mut Cx<'_>, base: u64, n: u32) -> u64 {
    if base == 0 {
        return 0;
    }
    let ceiling = base
        .saturating_mul((1u64 << n.min(20)) - 1)
        .min(base.saturating_mul(10));
    cx.rng.random_range(0..ceiling.max(1))
}
