//! What a caller's proxy keeps per Service it calls, from the Service's
//! destination policy: circuit breaking (requests in flight and waiting,
//! beyond which it answers 503 at once, `UO`), outlier detection (an
//! endpoint that fails again and again is ejected for a while), and a retry
//! budget. Each caller counts for itself: nothing is shared between proxies
//! (<https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/circuit_breaking>,
//! <https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier>).

use std::collections::VecDeque;

use crate::action::Action;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, Endpoint, Event, Reply};
use crate::engine::policy::AttemptEnd;
use crate::engine::routing::config_of;
use crate::engine::world::{Host, Upstream};
use crate::ids::{PodId, ReqId, SvcId};
use crate::queue::Micros;
use crate::scenario::schema::{ConnectionPool, OutlierDetection, RetryBudget};
use crate::trace::Note;

/// Ejections never last longer than this (Envoy's `max_ejection_time`).
const MAX_EJECTION_US: Micros = 300_000_000;

/// Whether an attempt may go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    Go,
    /// It waits for a connection to free up.
    Wait,
    /// Over every limit: the proxy answers 503 itself (`UO`).
    Overflow,
}

fn limits(
    cx: &Cx<'_>,
    rq: ReqId,
) -> (
    Option<ConnectionPool>,
    Option<OutlierDetection>,
    Option<RetryBudget>,
) {
    let r = cx.world.req(rq);
    let svc = r.service();
    // Connection pools and consecutive-error ejection are Envoy's; gRPC's
    // xDS client has neither in this form.
    if cx.topo.pod(r.proxy).proxy == crate::scenario::schema::ProxyMode::Proxyless {
        return (None, None, None);
    }
    match (config_of(cx, rq), svc) {
        (Some(c), Some(s)) => c.destinations[s.index()]
            .as_ref()
            .map_or((None, None, None), |d| {
                (d.pool.clone(), d.outlier.clone(), d.budget.clone())
            }),
        _ => (None, None, None),
    }
}

fn upstream<'w>(cx: &'w mut Cx<'_>, client: PodId, svc: SvcId) -> &'w mut Upstream {
    let ups = &mut cx.world.pods[client.index()].upstreams;
    let i = match ups.iter().position(|u| u.svc == svc) {
        Some(i) => i,
        None => {
            ups.push(Upstream {
                svc,
                active: 0,
                retrying: 0,
                waiting: VecDeque::new(),
                hosts: Vec::new(),
            });
            ups.len() - 1
        }
    };
    &mut ups[i]
}

/// Before an attempt: is a connection free, may it wait, or does it overflow?
pub(crate) fn admit(cx: &mut Cx<'_>, rq: ReqId) -> Admission {
    let r = cx.world.req(rq);
    let (client, Some(svc), retry) = (r.proxy, r.service(), r.attempt > 0) else {
        return Admission::Go;
    };
    let (pool, _, _) = limits(cx, rq);
    let max_conn = pool.as_ref().and_then(|p| p.max_connections);
    let max_wait = pool.as_ref().and_then(|p| p.max_pending);
    let u = upstream(cx, client, svc);
    let admission = match max_conn {
        Some(m) if u.active >= m => match max_wait {
            Some(w) if u.waiting.len() as u32 >= w => Admission::Overflow,
            _ => Admission::Wait,
        },
        _ => Admission::Go,
    };
    match admission {
        Admission::Go => {
            u.active += 1;
            u.retrying += u32::from(retry);
            cx.world.req_mut(rq).holding = true;
        }
        Admission::Wait => u.waiting.push_back(rq),
        Admission::Overflow => {}
    }
    admission
}

/// An attempt is over (answered, timed out, or given up): its connection
/// goes to the next request waiting, and its endpoint's record is updated.
pub(crate) fn attempt_over(cx: &mut Cx<'_>, rq: ReqId, end: Option<AttemptEnd>) {
    let r = cx.world.req(rq);
    let (client, Some(svc), holding, endpoint) = (r.proxy, r.service(), r.holding, r.endpoint)
    else {
        return;
    };
    let retry = r.attempt > 1;
    if holding {
        cx.world.req_mut(rq).holding = false;
        let u = upstream(cx, client, svc);
        u.active = u.active.saturating_sub(1);
        u.retrying = u.retrying.saturating_sub(u32::from(retry));
        if let Some(next) = u.waiting.pop_front() {
            cx.after(0, Event::Client(ClientEvent::ConnectionFree { req: next }));
        }
    }
    if let (Some(end), Some(Endpoint::Pod(pod))) = (end, endpoint) {
        outcome(cx, rq, svc, pod, end);
    }
}

/// A request waiting for a connection gives up its place (its caller has
/// its answer some other way).
pub(crate) fn leave_queue(cx: &mut Cx<'_>, rq: ReqId) {
    let r = cx.world.req(rq);
    let (client, Some(svc)) = (r.proxy, r.service()) else {
        return;
    };
    upstream(cx, client, svc).waiting.retain(|&x| x != rq);
}

/// Whether the retry budget allows one more retry now.
pub(crate) fn retry_allowed(cx: &mut Cx<'_>, rq: ReqId) -> bool {
    let (_, _, budget) = limits(cx, rq);
    let Some(b) = budget else { return true };
    let r = cx.world.req(rq);
    let (client, Some(svc)) = (r.proxy, r.service()) else {
        return true;
    };
    let u = upstream(cx, client, svc);
    let allowed =
        (u64::from(u.active) * u64::from(b.percent) / 100).max(u64::from(b.min_concurrency));
    u64::from(u.retrying) < allowed
}

/// Outlier detection: errors in a row eject the endpoint for a while.
fn outcome(cx: &mut Cx<'_>, rq: ReqId, svc: SvcId, pod: PodId, end: AttemptEnd) {
    let (_, Some(od), _) = limits(cx, rq) else {
        return;
    };
    let failed = match end {
        AttemptEnd::TimedOut | AttemptEnd::Replied(Reply::Reset) => true,
        AttemptEnd::Replied(Reply::Status(s)) => s >= 500,
    };
    let now = cx.now;
    let client = cx.world.req(rq).proxy;
    let endpoints = cx.topo.service(svc).endpoints.len() as u64;
    let u = upstream(cx, client, svc);
    let ejected_now = u
        .hosts
        .iter()
        .filter(|h| h.ejected_until.is_some_and(|t| t > now))
        .count() as u64;
    let h = match u.hosts.iter().position(|h| h.pod == pod) {
        Some(i) => &mut u.hosts[i],
        None => {
            u.hosts.push(Host {
                pod,
                errors: 0,
                ejected_until: None,
                ejections: 0,
            });
            u.hosts.last_mut().expect("just pushed")
        }
    };
    if !failed {
        h.errors = 0;
        return;
    }
    h.errors += 1;
    // Envoy ejects at least one host whatever the percentage says.
    let cap = (endpoints * u64::from(od.max_ejection_percent) / 100).max(1);
    let already = h.ejected_until.is_some_and(|t| t > now);
    if h.errors < od.consecutive_5xx || already || ejected_now >= cap {
        return;
    }
    h.ejections += 1;
    h.errors = 0;
    let time = od
        .base_ejection_us
        .saturating_mul(u64::from(h.ejections))
        .min(MAX_EJECTION_US.max(od.base_ejection_us));
    h.ejected_until = Some(now.saturating_add(time));
    let actor = cx.world.req(rq).path.client_actor(cx, client);
    let name = &cx.topo.pod(pod).id;
    let note = format!(
        "{name} ejected for {} after {} errors in a row",
        crate::trace::fmt_us(time),
        od.consecutive_5xx
    );
    cx.row(actor, Action::EjectEndpoint)
        .request(rq)
        .note(Note::from(note))
        .record();
}

/// Whether the caller's proxy has ejected this endpoint of the Service now.
pub(crate) fn ejected(cx: &Cx<'_>, client: PodId, svc: SvcId, pod: PodId) -> bool {
    cx.world.pods[client.index()]
        .upstreams
        .iter()
        .find(|u| u.svc == svc)
        .and_then(|u| u.hosts.iter().find(|h| h.pod == pod))
        .and_then(|h| h.ejected_until)
        .is_some_and(|t| t > cx.now)
}
