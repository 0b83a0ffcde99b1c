//! The discrete-event engine. Behaviour is modelled, not scripted: a sidecar
//! captures its app's traffic, finds routes, applies policy and mTLS, retries,
//! forwards and counts metrics; a library proxy does the same work inside the
//! app; a plain app calls directly and gets none of it; the control plane
//! pushes config when configuration changes. What the lesson tables show falls
//! out of the per-hop latencies, the policies and the faults.
//!
//! Each entity's behaviour lives in its own module and owns its inputs (the
//! events of [`event`]): [`client`] (the calling app), [`path`] (direct,
//! sidecar, library), [`server`] (the called app), [`control_plane`],
//! [`pod`] (recreated pods and injection), [`kubectl`], with [`net`] for
//! sending and endpoint choice and [`policy`] for attempts and timeouts. This
//! module runs the loop: it takes the next event by virtual time and hands it
//! to its entity, with a [`cx::Cx`] to change the world and record the trace.

pub(crate) mod breaker;
pub(crate) mod client;
pub(crate) mod config;
pub(crate) mod control_plane;
pub(crate) mod cx;
pub(crate) mod event;
pub(crate) mod faults;
pub(crate) mod kubectl;
pub(crate) mod net;
pub(crate) mod path;
pub(crate) mod pod;
pub(crate) mod policy;
pub(crate) mod request;
pub(crate) mod rng;
pub(crate) mod routing;
pub(crate) mod security;
pub(crate) mod server;
pub mod sim;
pub(crate) mod world;

pub use sim::Sim;

use crate::engine::cx::Cx;
use crate::engine::event::{ClientEvent, CpEvent, Event, PodEvent, ServerEvent};
use crate::engine::request::Target;
use crate::fault::Fault;
use crate::ids::PodId;
use crate::queue::Micros;
use crate::scenario::schema::{HttpRequest, Resource, ResourceRef, Stimulus, StimulusAction};
use crate::suggest::did_you_mean;
use crate::topology::{Topology, TopologyError};
use crate::trace::{FlowId, Trace};

/// When a run's faults take effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultStart {
    /// They are the world's state from time zero.
    #[default]
    Beginning,
    /// Just after this trace row (0-based), which both runs share.
    AfterRow(usize),
    /// At this virtual time, before any event of that time.
    AtUs(Micros),
}

/// How to run a scenario.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub seed: u64,
    pub faults: Vec<Fault>,
    /// Settings an operator changes as a what-if (mesh config applied or
    /// deleted, an app rebuilt with a new library config), made when the
    /// faults take effect, as extra stimuli with flows after the lesson's.
    pub changes: Vec<StimulusAction>,
    /// When `faults` and `changes` take effect; before then the run is the
    /// unchanged one.
    pub from: FaultStart,
    /// Record rows and state history. Off for benchmarks, which only count events.
    pub record: bool,
    /// Stop after this many events (default and ceiling: [`EVENT_LIMIT`]).
    pub max_events: Option<u64>,
}

/// A hard stop so that no scenario, however written, can run forever. A run
/// that reaches it is marked [`Trace::truncated`].
pub const EVENT_LIMIT: u64 = 50_000_000;

/// A stimulus with its names resolved.
#[derive(Clone)]
enum Plan {
    Call {
        pod: PodId,
        target: Target,
        http: HttpRequest,
        exec: bool,
    },
    Apply(String),
    ApplyConfig(String, Vec<Resource>),
    DeleteConfig(String, Vec<ResourceRef>),
    Rebuild {
        app: String,
        config: Vec<Resource>,
    },
    GetPods(String),
    GetServices(String),
    Logs {
        pod: PodId,
        container: Option<String>,
    },
    RolloutRestart(String),
    ProxyStatus,
    ConfigChange,
}

/// Resolves stimuli numbered from `first` (for the paths in errors).
fn plans(
    topo: &Topology,
    stimuli: &[Stimulus],
    first: usize,
) -> Result<Vec<Plan>, Vec<TopologyError>> {
    let mut errors = Vec::new();
    // The error's path is only written out for a name that is wrong: a
    // benchmark's 100,000 stimuli must not format 200,000 strings.
    let pod = |id: &str, path: &dyn Fn() -> String, errors: &mut Vec<TopologyError>| {
        topo.pod_id(id).unwrap_or_else(|| {
            errors.push(TopologyError::new(
                path(),
                format!("there is no pod `{id}`"),
                did_you_mean(id, topo.pods.iter().map(|p| p.id.as_str())),
            ));
            PodId(0)
        })
    };
    let target = |name: &str, path: &dyn Fn() -> String, errors: &mut Vec<TopologyError>| {
        topo.target(name).unwrap_or_else(|| {
            errors.push(TopologyError::new(
                path(),
                format!("there is no service or external host `{name}`"),
                did_you_mean(name, topo.target_names()),
            ));
            Target::Service(crate::ids::SvcId(0))
        })
    };
    let out = stimuli
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let i = first + i;
            let p = |f: &str| format!("stimuli[{i}].do.{f}");
            match &s.action {
                StimulusAction::Call { from, to, http } => Plan::Call {
                    pod: pod(from, &|| p("from"), &mut errors),
                    target: target(to, &|| p("to"), &mut errors),
                    http: http.clone(),
                    exec: false,
                },
                StimulusAction::KubectlExecCurl { pod: from, service } => Plan::Call {
                    pod: pod(from, &|| p("pod"), &mut errors),
                    target: target(service, &|| p("service"), &mut errors),
                    http: HttpRequest::default(),
                    exec: true,
                },
                StimulusAction::KubectlApply { manifest } => Plan::Apply(manifest.clone()),
                StimulusAction::KubectlApplyConfig {
                    manifest,
                    resources,
                } => Plan::ApplyConfig(manifest.clone(), resources.clone()),
                StimulusAction::KubectlDeleteConfig {
                    manifest,
                    resources,
                } => Plan::DeleteConfig(manifest.clone(), resources.clone()),
                StimulusAction::RebuildApp { app, config } => Plan::Rebuild {
                    app: app.clone(),
                    config: config.clone(),
                },
                StimulusAction::KubectlGetPods { namespace } => Plan::GetPods(namespace.clone()),
                StimulusAction::KubectlGetServices { namespace } => {
                    Plan::GetServices(namespace.clone())
                }
                StimulusAction::KubectlLogs { pod: id, container } => Plan::Logs {
                    pod: pod(id, &|| p("pod"), &mut errors),
                    container: container.clone(),
                },
                StimulusAction::KubectlRolloutRestart { namespace } => {
                    Plan::RolloutRestart(namespace.clone())
                }
                StimulusAction::ProxyStatus => Plan::ProxyStatus,
                StimulusAction::PushConfig => Plan::ConfigChange,
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Runs a scenario's stimuli over a topology, from time zero to the end.
pub fn simulate(
    topo: &Topology,
    stimuli: &[Stimulus],
    opts: &RunOptions,
) -> Result<Trace, Vec<TopologyError>> {
    Ok(Sim::start(topo, stimuli, opts)?.finish())
}

/// Hands an event to the entity that handles it.
fn dispatch(cx: &mut Cx<'_>, plans: &[Plan], event: Event) {
    match event {
        Event::Stimulus { index } => stimulus(cx, plans, index),
        Event::ControlPlane(e) => match e {
            CpEvent::Ready => control_plane::ready(cx),
            CpEvent::DebounceDue => control_plane::debounce_due(cx),
            CpEvent::Push => control_plane::push(cx),
            CpEvent::Lookup { req } => control_plane::lookup(cx, req),
            CpEvent::ConfigArrives { pod, version } => {
                control_plane::config_arrives(cx, pod, version)
            }
        },
        Event::Pod(PodEvent::Started {
            pod,
            sidecar,
            build,
        }) => pod::started(cx, pod, sidecar, build),
        Event::Pod(PodEvent::Built { stimulus, build }) => {
            if let Plan::Rebuild { app, .. } = &plans[stimulus as usize] {
                kubectl::roll_out(cx, app, build);
            }
        }
        Event::Client(e) => match e {
            ClientEvent::Intercept { req } => path::sidecar::intercept(cx, req),
            ClientEvent::Ztunnel { req } => path::ambient::outbound(cx, req),
            ClientEvent::ZtunnelForward { req } => path::ambient::forward(cx, req),
            ClientEvent::Consult { req } => path::sidecar::consult(cx, req),
            ClientEvent::Routes { req } => path::sidecar::routes(cx, req),
            ClientEvent::ApplyPolicies { req } => path::sidecar::apply_policies(cx, req),
            ClientEvent::Forward { req } => path::sidecar::forward(cx, req, false),
            ClientEvent::LibraryProcess { req } => path::library::process(cx, req),
            ClientEvent::Reply {
                req,
                attempt,
                reply,
            } => client::on_reply(cx, req, attempt, reply),
            ClientEvent::AttemptTimeout { req, attempt } => client::on_timeout(cx, req, attempt),
            ClientEvent::Retry { req } => {
                let path = cx.world.req(req).path;
                path.retry(cx, req)
            }
            ClientEvent::RouteTimeout { req } => client::on_route_timeout(cx, req),
            ClientEvent::ConnectionFree { req } => {
                let path = cx.world.req(req).path;
                path.resume(cx, req)
            }
            ClientEvent::LookupTimeout { req } => path::sidecar::lookup_timed_out(cx, req),
            ClientEvent::AppReceive { req, reply } => client::receive(cx, req, reply),
            ClientEvent::ExecDone { req } => client::exec_done(cx, req),
        },
        Event::Server(e) => match e {
            ServerEvent::Arrive { req, attempt, at } => server::arrive(cx, req, attempt, at),
            ServerEvent::Handle { req, attempt, pod } => server::handle(cx, req, attempt, pod),
            ServerEvent::Respond { job } => server::respond(cx, job),
            ServerEvent::CallDone { job, ok } => server::call_done(cx, job, ok),
            ServerEvent::Return {
                req,
                attempt,
                pod,
                reply,
            } => server::returned(cx, req, attempt, pod, reply),
        },
    }
}

fn stimulus(cx: &mut Cx<'_>, plans: &[Plan], index: u32) {
    // Each stimulus starts its own flow, numbered like the stimulus.
    let flow = FlowId(index);
    match &plans[index as usize] {
        Plan::Call {
            pod,
            target,
            http,
            exec,
        } => {
            let http = cx.world.intern(http);
            client::start_call(cx, flow, *pod, *target, http, *exec)
        }
        Plan::Apply(m) => kubectl::apply_mesh(cx, flow, m),
        Plan::ApplyConfig(m, r) => kubectl::apply_config(cx, flow, m, r),
        Plan::DeleteConfig(m, r) => kubectl::delete_config(cx, flow, m, r),
        Plan::Rebuild { app, config } => kubectl::rebuild_app(cx, flow, index, app, config),
        Plan::GetPods(ns) => kubectl::get_pods(cx, flow, ns),
        Plan::GetServices(ns) => kubectl::get_services(cx, flow, ns),
        Plan::Logs { pod, container } => kubectl::logs(cx, flow, *pod, container.as_deref()),
        Plan::RolloutRestart(ns) => kubectl::rollout_restart(cx, flow, ns),
        Plan::ProxyStatus => kubectl::proxy_status(cx, flow),
        Plan::ConfigChange => {
            cx.world.changes.push("a configuration change".into());
            control_plane::changed(cx, Some(flow))
        }
    }
}

#[cfg(test)]
mod size_tests {
    /// A trace keeps one row per event and the queue moves events around:
    /// their size is the engine's memory per event.
    #[test]
    fn rows_and_queued_events_stay_small() {
        assert!(std::mem::size_of::<crate::trace::TraceRow>() <= 72);
        assert!(std::mem::size_of::<super::event::Scheduled>() <= 24);
    }
}
