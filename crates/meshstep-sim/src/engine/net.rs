//! The network between pods: one-way latency, loss on lossy links, and the
//! choice of endpoint for each attempt.
//!
//! Load balancing is per caller, as in a real mesh: each proxy (sidecar or
//! library) keeps its own cursor per service and picks a ready endpoint
//! itself, bypassing kube-proxy (<https://istio.io/v1.0/docs/concepts/traffic-management>).
//! The engine models that choice as round robin; Istio's default since 1.14
//! is `LEAST_REQUEST` and Linkerd's is EWMA, both also per proxy. An app
//! with no proxy goes through the Service's cluster IP, where kube-proxy picks
//! a ready endpoint at random.

use rand::RngExt;

use crate::action::Action;
use crate::engine::breaker;
use crate::engine::cx::Cx;
use crate::engine::event::{Endpoint, Event};
use crate::engine::request::PathKind;
use crate::engine::request::Target;
use crate::engine::routing::config_of;
use crate::ids::{PodId, ReqId};
use crate::queue::Micros;
use crate::trace::{Note, Outcome};

fn component(cx: &Cx<'_>, e: Endpoint) -> crate::ComponentId {
    match e {
        Endpoint::Pod(p) => cx.topo.pod(p).pod,
        Endpoint::External(h) => cx.topo.external[h.index()].component,
    }
}

fn loss(cx: &Cx<'_>, e: Endpoint) -> f64 {
    match e {
        Endpoint::Pod(p) => cx.world.pod(p).loss,
        Endpoint::External(_) => 0.0,
    }
}

/// One-way time between two endpoints.
pub(crate) fn one_way(cx: &Cx<'_>, a: Endpoint, b: Endpoint) -> Micros {
    match (a, b) {
        (Endpoint::Pod(_), Endpoint::Pod(_)) => cx.topo.latency.network_us,
        _ => cx.topo.latency.external_us,
    }
}

/// Sends `event` (about request `req`) from `from` to `to` across the
/// network; a lossy link at either end may drop it, which the trace records.
pub(crate) fn send(cx: &mut Cx<'_>, from: Endpoint, to: Endpoint, req: ReqId, event: Event) {
    let (pa, pb) = (loss(cx, from), loss(cx, to));
    let dropped = (pa > 0.0 && cx.rng.random_bool(pa)) || (pb > 0.0 && cx.rng.random_bool(pb));
    if dropped {
        let c = component(cx, from);
        cx.row(c, Action::DropMessage)
            .request(req)
            .outcome(Outcome::Dropped)
            .note(Note::Text(&"lost on a lossy link"))
            .record();
    } else {
        let d = one_way(cx, from, to);
        cx.after(d, event);
    }
}

/// The endpoint for the request's next attempt; `None` when the service (or
/// the subset its route chose) has no ready endpoint the caller has not
/// ejected.
pub(crate) fn pick(cx: &mut Cx<'_>, req: ReqId) -> Option<Endpoint> {
    let r = cx.world.req(req);
    let (client, path, subset) = (r.proxy, r.path, r.subset);
    let svc = match r.target {
        Target::External(h) => return Some(Endpoint::External(h)),
        Target::Service(s) => s,
    };
    let version: Option<String> = subset.and_then(|i| {
        let d = config_of(cx, req)?.destinations[svc.index()].as_ref()?;
        d.subsets.get(i as usize).map(|(_, v)| v.clone())
    });
    let watched = cx.world.pods[client.index()]
        .upstreams
        .iter()
        .any(|u| u.svc == svc && !u.hosts.is_empty());
    // Usually every endpoint is ready, and the choice is a plain index.
    let all = cx.world.not_serving == 0 && version.is_none() && !watched;
    let eligible = |cx: &Cx<'_>, p: PodId| {
        cx.world.serves(p)
            && version
                .as_deref()
                .is_none_or(|v| cx.topo.pod(p).version.as_deref() == Some(v))
            && !(watched && breaker::ejected(cx, client, svc, p))
    };
    let eps = &cx.topo.service(svc).endpoints;
    let n = if all {
        eps.len()
    } else {
        eps.iter().filter(|p| eligible(cx, **p)).count()
    };
    if n == 0 {
        return None;
    }
    let k = match path {
        PathKind::Direct if n == 1 => 0,
        PathKind::Direct => cx.rng.random_range(0..n),
        // ztunnel picks an endpoint per connection (drawn, like kube-proxy).
        PathKind::Ambient if n == 1 => 0,
        PathKind::Ambient => cx.rng.random_range(0..n),
        PathKind::Sidecar | PathKind::Library => {
            let cursors = &mut cx.world.pods[client.index()].cursors;
            let slot = match cursors
                .iter()
                .position(|(s, sub, _)| *s == svc && *sub == subset)
            {
                Some(i) => i,
                None => {
                    cursors.push((svc, subset, 0));
                    cursors.len() - 1
                }
            };
            let k = cursors[slot].2 as usize % n;
            cursors[slot].2 = cursors[slot].2.wrapping_add(1);
            k
        }
    };
    let eps = &cx.topo.service(svc).endpoints;
    if all {
        return Some(Endpoint::Pod(eps[k]));
    }
    eps.iter()
        .copied()
        .filter(|p| eligible(cx, *p))
        .nth(k)
        .map(Endpoint::Pod)
}
