//! Pods being recreated (`kubectl rollout restart`): the injection webhook
//! decides at creation whether the new pod gets a sidecar. Istio's webhook
//! fails closed, so while the control plane is down no new pod is created in
//! an injected namespace and the old one keeps running; Linkerd's fails open,
//! so the new pod starts without a proxy
//! (<https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/>,
//! linkerd2 `charts/linkerd-control-plane/values.yaml` `webhookFailurePolicy`).

use crate::action::Action;
use crate::component::State;
use crate::engine::control_plane;
use crate::engine::cx::Cx;
use crate::engine::event::{Event, PodEvent};
use crate::engine::world::{Phase, ProxyRt};
use crate::ids::PodId;
use crate::scenario::schema::ProxyMode;
use crate::trace::{Failure, FlowId, Outcome};

/// What the admission webhook does with a new pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admission {
    WithSidecar,
    WithoutSidecar,
    /// Creation rejected: the old pod stays.
    Rejected,
}

/// A new pod replaces `pod`.
pub(crate) fn recreate(cx: &mut Cx<'_>, pod: PodId, flow: Option<FlowId>) {
    recreate_with(cx, pod, flow, None);
}

/// A new pod replaces `pod`, running app build `build` (none: the same image).
pub(crate) fn recreate_with(cx: &mut Cx<'_>, pod: PodId, flow: Option<FlowId>, build: Option<u32>) {
    if cx.world.pod(pod).phase == Phase::CrashLoop {
        return; // the same image crashes the same way
    }
    let spec = cx.topo.pod(pod);
    // The webhook injects a sidecar, or istio-agent for proxyless gRPC.
    let selected =
        matches!(spec.proxy, ProxyMode::Sidecar | ProxyMode::Proxyless) && cx.world.cp.installed;
    let admission = match (selected, spec.sidecar.or(spec.library)) {
        (true, Some(s)) => {
            let (outcome, note, admission) = if cx.world.pod(pod).injection_blocked {
                (
                    Outcome::Failed(Failure::InjectionFailed),
                    &"the pod was created without its sidecar",
                    Admission::WithoutSidecar,
                )
            } else if cx.world.cp.up {
                (
                    Outcome::Done,
                    &"the injection webhook added a sidecar to the new pod",
                    Admission::WithSidecar,
                )
            } else if cx
                .topo
                .control_plane
                .as_ref()
                .is_some_and(|c| c.flavour.injection_fails_closed())
            {
                (
                    Outcome::Failed(Failure::WebhookUnavailable),
                    &"pod creation rejected (failurePolicy: Fail); the old pod keeps running",
                    Admission::Rejected,
                )
            } else {
                (
                    Outcome::Failed(Failure::WebhookUnavailable),
                    &"the new pod starts without a proxy (failurePolicy: Ignore)",
                    Admission::WithoutSidecar,
                )
            };
            cx.row(s, Action::InjectSidecar)
                .flow(flow)
                .outcome(outcome)
                .note(note)
                .record();
            admission
        }
        _ => Admission::WithoutSidecar,
    };
    let sidecar = match admission {
        Admission::Rejected => return,
        Admission::WithSidecar => true,
        Admission::WithoutSidecar => false,
    };
    cx.after(
        cx.topo.latency.pod_start_us,
        Event::Pod(PodEvent::Started {
            pod,
            sidecar,
            build,
        }),
    );
}

/// The new pod is Running; its sidecar (if any) connects to the control plane.
pub(crate) fn started(cx: &mut Cx<'_>, pod: PodId, sidecar: bool, build: Option<u32>) {
    let spec = cx.topo.pod(pod);
    let (pc, sc) = (spec.pod, spec.sidecar);
    let now = cx.now;
    let rt = cx.world.pod_mut(pod);
    rt.proxy = ProxyRt::for_mode(spec.proxy, now, None).filter(|_| sidecar);
    // A new pod starts with fresh connections and no memory of ejections.
    rt.upstreams.clear();
    rt.cursors.clear();
    if let Some(b) = build {
        rt.build = b;
    }
    cx.set_injected(pod, sidecar);
    if let Some(s) = sc {
        cx.set_config(pod, None);
        cx.set(
            s,
            if sidecar {
                State::Inactive
            } else {
                State::NotInjected
            },
        );
    }
    let flow = cx.cause_flow();
    cx.row(pc, Action::PodReady)
        .flow(flow)
        .note(match (sidecar, build) {
            (_, Some(_)) => &"new pod Running the new build, with its library's new configuration",
            (true, None) => &"new pod Running with its sidecar (2/2 containers)",
            (false, None) => &"new pod Running (1/1 containers)",
        })
        .record();
    if sidecar {
        control_plane::proxy_connected(cx, pod);
    }
    // The pod's new address is an endpoint change for every other proxy,
    // when some Service selects it.
    let endpoint = cx.topo.services.iter().any(|s| s.endpoints.contains(&pod));
    if endpoint && cx.topo.flavour() == Some(crate::scenario::schema::Flavour::Istio) {
        control_plane::changed(cx, flow);
    }
}
