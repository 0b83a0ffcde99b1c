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
use crate::engine::cx::Cx;
use crate::engine::event::{Endpoint, Event};
use crate::engine::path::PathKind;
use crate::engine::request::Target;
use crate::ids::ReqId;
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

/// The endpoint for the request's next attempt; `None` when the service has
/// no ready endpoint.
pub(crate) fn pick(cx: &mut Cx<'_>, req: ReqId) -> Option<Endpoint> {
    let r = cx.world.req(req);
    let (client, path) = (r.client, r.path);
    let svc = match r.target {
        Target::External(h) => return Some(Endpoint::External(h)),
        Target::Service(s) => s,
    };
    let eps = &cx.topo.service(svc).endpoints;
    // Usually every endpoint is ready, and the choice is a plain index.
    let all_ready = cx.world.not_serving == 0;
    let n = if all_ready {
        eps.len()
    } else {
        eps.iter().filter(|p| cx.world.serves(**p)).count()
    };
    if n == 0 {
        return None;
    }
    let k = match path {
        PathKind::Direct if n == 1 => 0,
        PathKind::Direct => cx.rng.random_range(0..n),
        PathKind::Sidecar | PathKind::Library => {
            let cursors = &mut cx.world.pods[client.index()].cursors;
            let slot = match cursors.iter().position(|(s, _)| *s == svc) {
                Some(i) => i,
                None => {
                    cursors.push((svc, 0));
                    cursors.len() - 1
                }
            };
            let k = cursors[slot].1 as usize % n;
            cursors[slot].1 = cursors[slot].1.wrapping_add(1);
            k
        }
    };
    let eps = &cx.topo.service(svc).endpoints;
    if all_ready {
        return Some(Endpoint::Pod(eps[k]));
    }
    eps.iter()
        .filter(|p| cx.world.serves(**p))
        .nth(k)
        .map(|&p| Endpoint::Pod(p))
}
