//! The mesh's control plane: it starts after `kubectl apply`, watches for
//! configuration and endpoint changes and pushes versioned config to the
//! proxies after a debounce, answers on-demand route lookups (Linkerd's
//! destination service), signs workload certificates, and runs the injection
//! webhook. It never sees requests or their metrics.
//!
//! - Pushes follow config or registry changes, debounced by
//!   `PILOT_DEBOUNCE_AFTER` (100 ms) up to `PILOT_DEBOUNCE_MAX` (10 s)
//!   (istio/istio `pilot/ARCHITECTURE.md`, `pilot/pkg/features/tuning.go`).
//! - A new proxy asks for its config when it connects (an xDS request, not a push).
//! - Workload certificates last 24 h and are renewed at half their life while
//!   the CA is reachable (<https://github.com/istio/istio/issues/21944>,
//!   linkerd2 `identity.issuer.issuanceLifetime`).

use crate::action::Action;
use crate::component::State;
use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, CpEvent, Debounce, Event};
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::Flavour;
use crate::trace::{Failure, FlowId, Outcome, RoutingState};

fn id(cx: &Cx<'_>) -> Option<crate::ComponentId> {
    cx.topo.control_plane_id
}

/// `kubectl apply` of the mesh: its pods start.
pub(crate) fn install(cx: &mut Cx<'_>) {
    cx.world.cp.installed = true;
    if let Some(cp) = id(cx) {
        cx.set(cp, State::Starting);
    }
    let startup = cx.topo.control_plane.as_ref().map_or(0, |c| c.startup_us);
    cx.after(startup, Event::ControlPlane(CpEvent::Ready));
}

pub(crate) fn ready(cx: &mut Cx<'_>) {
    let Some(cp) = id(cx) else { return };
    let crashing = cx.world.cp.down_since.is_some();
    let edge = (cx.topo.gateways.iter().map(|g| g.component))
        .chain(cx.topo.waypoints.iter().map(|&(_, p)| cx.topo.pod(p).pod))
        .chain(cx.topo.ztunnels.iter().flatten().copied())
        .collect::<Vec<_>>();
    for c in edge {
        cx.set(c, State::Running);
    }
    if crashing {
        cx.set(cp, State::Down);
        cx.row(cp, Action::ControlPlaneReady)
            .outcome(Outcome::Failed(Failure::ControlPlaneDown))
            .note(&"pods crash-looping: no config, no certificates, no injection")
            .record();
        return;
    }
    cx.world.cp.up = true;
    cx.world.cp.version = cx.world.cp.version.max(1);
    cx.set(cp, State::Idle);
    // The gateways' and waypoints' proxies start with the mesh and ask for
    // their config.
    let proxies = (cx.topo.gateways.iter().map(|g| g.pod))
        .chain(cx.topo.waypoints.iter().map(|&(_, p)| p))
        .collect::<Vec<_>>();
    for pod in proxies {
        if cx.world.pod(pod).proxy.is_none() {
            let now = cx.now;
            cx.world.pod_mut(pod).proxy = Some(crate::engine::world::ProxyRt::started(now, None));
            cx.set_injected(pod, true);
            proxy_connected(cx, pod);
        }
    }
    cx.row(cp, Action::ControlPlaneReady)
        .note(&"pods already running get a sidecar only when they are recreated")
        .record();
}

/// Configuration or the service registry changed (a resource applied, an
/// endpoint added or removed): start or extend the debounce of a push.
pub(crate) fn changed(cx: &mut Cx<'_>, flow: Option<FlowId>) {
    let Some(cp) = id(cx) else { return };
    if !cx.world.cp.up {
        return; // nobody is watching
    }
    let spec = cx
        .topo
        .control_plane
        .as_ref()
        .expect("a control plane id has a spec");
    let (now, cause) = (cx.now, cx.cause);
    cx.set(
        cp,
        if cx.world.cp.push_halted {
            State::PushHalted
        } else {
            State::UpdatingConfig
        },
    );
    match &mut cx.world.cp.pending {
        Some(d) => {
            d.last = now;
            d.cause = cause;
            d.flow = flow.or(d.flow);
        }
        None => {
            cx.world.cp.pending = Some(Debounce {
                first: now,
                last: now,
                cause,
                flow,
            });
            cx.after(spec.debounce_us, Event::ControlPlane(CpEvent::DebounceDue));
        }
    }
}

pub(crate) fn debounce_due(cx: &mut Cx<'_>) {
    let Some(d) = cx.world.cp.pending else { return };
    let spec = cx
        .topo
        .control_plane
        .as_ref()
        .expect("pending push has a spec");
    let quiet_at = d.last.saturating_add(spec.debounce_us);
    let latest = d.first.saturating_add(spec.debounce_max_us);
    let due = quiet_at.min(latest);
    cx.cause = d.cause;
    if cx.now < due {
        cx.after(due - cx.now, Event::ControlPlane(CpEvent::DebounceDue));
    } else {
        cx.after(spec.processing_us, Event::ControlPlane(CpEvent::Push));
    }
}

pub(crate) fn push(cx: &mut Cx<'_>) {
    let Some(cp) = id(cx) else { return };
    let Some(d) = cx.world.cp.pending.take() else {
        return;
    };
    if !cx.world.cp.up {
        return;
    }
    if cx.world.cp.push_halted {
        cx.row(cp, Action::PushConfig)
            .flow(d.flow)
            .outcome(Outcome::Failed(Failure::PushHalted))
            .note(&"the change is known, but no config leaves the control plane")
            .record();
        return;
    }
    cx.world.cp.version += 1;
    let version = cx.world.cp.version;
    let mut set = (*cx.world.staged).clone();
    set.changes = std::mem::take(&mut cx.world.changes);
    let note = if set.changes.is_empty() {
        "endpoints changed (a pod started or stopped); sent to every connected proxy".to_string()
    } else {
        format!(
            "carries {}; sent to every connected proxy",
            set.changes.join(", ")
        )
    };
    cx.world.configs.push(std::sync::Arc::new(set));
    let targets: Vec<PodId> = (0..cx.topo.pods.len() as u32)
        .map(PodId)
        .filter(|&p| cx.world.pod(p).proxy.is_some())
        .collect();
    cx.set(cp, State::Idle);
    cx.row(cp, Action::PushConfig)
        .flow(d.flow)
        .outcome(Outcome::Pushed {
            version,
            sidecars: targets.len() as u32,
        })
        .note(note)
        .record();
    let delay = cx.topo.latency.control_plane_us;
    let spacing = cx
        .topo
        .control_plane
        .as_ref()
        .map_or(0, |c| c.push_spacing_us);
    for (k, pod) in targets.into_iter().enumerate() {
        cx.after(
            delay.saturating_add(spacing.saturating_mul(k as u64)),
            Event::ControlPlane(CpEvent::ConfigArrives { pod, version }),
        );
    }
}

/// A proxy takes a config version.
pub(crate) fn config_arrives(cx: &mut Cx<'_>, pod: PodId, version: u32) {
    // A sidecar, or a proxyless gRPC library's xDS client.
    let Some(s) = cx.topo.pod(pod).sidecar.or(cx.topo.pod(pod).library) else {
        return;
    };
    let Some(proxy) = &cx.world.pod(pod).proxy else {
        return; // the pod was recreated without one
    };
    let newest = proxy.config.map_or(version, |v| v.max(version));
    cx.set_config(pod, Some(newest));
    // An idle sidecar just takes the config; a busy one shows it is changing behaviour.
    if !matches!(cx.state(s), State::Inactive | State::Idle) {
        cx.set(s, State::UpdatingBehaviour);
    }
    // The row names the push (or the proxy's start) that sent it, as its flow.
    let flow = cx.cause_flow();
    let changes = &cx.world.configs[version as usize].changes;
    let note = if changes.is_empty() {
        crate::trace::Note::None
    } else {
        crate::trace::Note::from(format!("now behaves by {}", changes.join(", ")))
    };
    cx.row(s, Action::ApplyConfig)
        .flow(flow)
        .outcome(Outcome::Config { version })
        .note(note)
        .record();
}

/// A new sidecar connects and asks for its config (Istio pushes nothing to a
/// Linkerd-style proxy, which asks per target).
pub(crate) fn proxy_connected(cx: &mut Cx<'_>, pod: PodId) {
    if !cx.world.cp.up || cx.world.cp.push_halted {
        return;
    }
    if cx.topo.flavour() == Some(Flavour::Istio) {
        let version = cx.world.cp.version;
        cx.after(
            cx.topo.latency.control_plane_us,
            Event::ControlPlane(CpEvent::ConfigArrives { pod, version }),
        );
    }
}

/// On-demand discovery: the destination service answers a proxy's lookup.
pub(crate) fn lookup(cx: &mut Cx<'_>, rq: ReqId) {
    let Some(cp) = id(cx) else { return };
    cx.progress(rq, |p| p.routing = RoutingState::Fetched);
    cx.row(cp, Action::AnswerLookup)
        .request(rq)
        .outcome(Outcome::Sent)
        .record();
    cx.after(
        cx.topo.latency.control_plane_us,
        Event::Client(ClientEvent::Routes { req: rq }),
    );
}

/// Whether a pod's sidecar holds a valid workload certificate now.
pub(crate) fn cert_valid(cx: &Cx<'_>, pod: PodId) -> bool {
    // An ambient pod's certificate is fetched for it by its node's ztunnel,
    // which runs from the start.
    let issued = match &cx.world.pod(pod).proxy {
        Some(proxy) => proxy.cert_issued_at,
        None if cx.ambient(pod) => 0,
        None => return false,
    };
    let Some(spec) = &cx.topo.control_plane else {
        return false;
    };
    let life = spec.cert_lifetime_us.max(1);
    let half = (life / 2).max(1);
    let Some(down) = cx.world.cp.down_since else {
        return true; // renewed at every half-life
    };
    // Renewals happen at issued + k·half for every such time before the outage.
    let last_renewal = if down > issued {
        issued + (down - issued - 1) / half * half
    } else {
        issued
    };
    cx.now < last_renewal.saturating_add(life)
}
