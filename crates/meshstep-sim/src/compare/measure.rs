//! What one approach's run shows, read from its trace: each call's answer
//! and latency, the hops it took to reach the app that served it, whether it
//! was encrypted and counted by a proxy's metrics, how often proxies asked the
//! control plane, and how many requests each proxy carried.

use std::collections::HashMap;

use crate::action::Action;
use crate::component::{ComponentId, ComponentKind};
use crate::ids::ReqId;
use crate::topology::Topology;
use crate::trace::{Outcome, Trace};

/// Per-call facts of one run, in flow order.
#[derive(Debug, Default)]
pub(crate) struct Measured {
    /// Latency of each call answered with an HTTP status, any status.
    pub latencies_us: Vec<u64>,
    /// Calls that got no HTTP answer (reset, refused, timed out).
    pub failed: u32,
    /// Calls answered with a 5xx.
    pub errors: u32,
    /// Hops from the caller to the app that served each request (every
    /// request of a call chain counts).
    pub hops: Vec<u32>,
    pub encrypted: u32,
    pub with_telemetry: u32,
    pub calls: u32,
    pub lookups: u64,
    /// Requests each proxy (sidecar, ztunnel, waypoint, library, gateway) carried.
    pub per_proxy: HashMap<ComponentId, u32>,
}

/// Where a request has got to, for counting its hops.
struct HopState {
    last: ComponentId,
    hops: u32,
    served: bool,
}

pub(crate) fn is_proxy(kind: ComponentKind) -> bool {
    matches!(
        kind,
        ComponentKind::Sidecar
            | ComponentKind::Library
            | ComponentKind::Ztunnel
            | ComponentKind::Waypoint
            | ComponentKind::Gateway
    )
}

/// A hop is a message between two processes: a library runs inside its
/// app's process, so app ↔ library is a function call, not a hop.
fn process_of(topo: &Topology, c: ComponentId) -> ComponentId {
    let comp = topo.component(c);
    match (comp.kind, comp.pod) {
        (ComponentKind::Library, Some(p)) => topo.pod(p).app,
        _ => c,
    }
}

pub(crate) fn measure(topo: &Topology, trace: &Trace) -> Measured {
    let mut m = Measured::default();
    let flows = trace.flows.len();
    // The first request of each flow is the call the stimulus made; the
    // rest are the calls its server made in turn.
    let mut top: Vec<Option<ReqId>> = vec![None; flows];
    let mut answer: Vec<Option<(u64, bool, u16)>> = vec![None; flows];
    let mut telemetry: Vec<bool> = vec![false; flows];
    let mut hops: HashMap<ReqId, HopState> = HashMap::new();
    let mut carried: HashMap<(ComponentId, ReqId), ()> = HashMap::new();
    for row in &trace.rows {
        if row.action == Action::ConsultControlPlane {
            m.lookups += 1;
        }
        let (Some(flow), Some(req)) = (row.flow, row.request) else {
            continue;
        };
        let f = flow.0 as usize;
        if top[f].is_none() && row.action == Action::SendRequest {
            top[f] = Some(req);
        }
        if row.action == Action::ReportMetrics {
            telemetry[f] = true;
        }
        let kind = topo.component(row.component).kind;
        if is_proxy(kind) && carried.insert((row.component, req), ()).is_none() {
            *m.per_proxy.entry(row.component).or_default() += 1;
        }
        let here = process_of(topo, row.component);
        let h = hops.entry(req).or_insert(HopState {
            last: here,
            hops: 0,
            served: false,
        });
        if !h.served {
            if h.last != here {
                h.hops += 1;
                h.last = here;
            }
            if row.action == Action::HandleRequest {
                h.served = true;
            }
        }
        if top[f] == Some(req) && row.action == Action::ReceiveResponse {
            answer[f] = match &row.outcome {
                Outcome::Http {
                    status,
                    latency_us,
                    encrypted,
                    ..
                } => Some((*latency_us, *encrypted, *status)),
                _ => None,
            };
        }
    }
    for f in 0..flows {
        if top[f].is_none() {
            continue;
        }
        m.calls += 1;
        match answer[f] {
            Some((latency, encrypted, status)) => {
                m.latencies_us.push(latency);
                m.encrypted += u32::from(encrypted);
                m.errors += u32::from(status >= 500);
            }
            None => m.failed += 1,
        }
        m.with_telemetry += u32::from(telemetry[f]);
    }
    m.hops = hops.values().filter(|h| h.served).map(|h| h.hops).collect();
    m
}

/// The nearest-rank percentile (`p` in 0..=100) of sorted values.
pub(crate) fn percentile(sorted: &[u64], p: u32) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (sorted.len() * p as usize).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}
