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
pub(crate) mod routing;
pub(crate) mod security;
pub(crate) mod server;
pub(crate) mod world;

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::action::Action;
use crate::component::State;
use crate::engine::cx::{Cx, Recorder};
use crate::engine::event::{ClientEvent, CpEvent, Event, PodEvent, ServerEvent};
use crate::engine::request::Target;
use crate::engine::world::World;
use crate::fault::Fault;
use crate::ids::PodId;
use crate::queue::{EventQueue, Micros};
use crate::scenario::schema::{HttpRequest, Resource, ResourceRef, Stimulus, StimulusAction};
use crate::suggest::did_you_mean;
use crate::topology::{Topology, TopologyError};
use crate::trace::{CallResult, FlowId, Note, Snapshot, Trace, Truncation};

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

fn plans(topo: &Topology, stimuli: &[Stimulus]) -> Result<Vec<Plan>, Vec<TopologyError>> {
    let mut errors = Vec::new();
    let pod = |id: &str, path: String, errors: &mut Vec<TopologyError>| {
        topo.pod_id(id).unwrap_or_else(|| {
            errors.push(TopologyError::new(
                path,
                format!("there is no pod `{id}`"),
                did_you_mean(id, topo.pods.iter().map(|p| p.id.as_str())),
            ));
            PodId(0)
        })
    };
    let target = |name: &str, path: String, errors: &mut Vec<TopologyError>| {
        topo.target(name).unwrap_or_else(|| {
            errors.push(TopologyError::new(
                path,
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
            let p = |f: &str| format!("stimuli[{i}].do.{f}");
            match &s.action {
                StimulusAction::Call { from, to, http } => Plan::Call {
                    pod: pod(from, p("from"), &mut errors),
                    target: target(to, p("to"), &mut errors),
                    http: http.clone(),
                    exec: false,
                },
                StimulusAction::KubectlExecCurl { pod: from, service } => Plan::Call {
                    pod: pod(from, p("pod"), &mut errors),
                    target: target(service, p("service"), &mut errors),
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
                    pod: pod(id, p("pod"), &mut errors),
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

/// Runs a scenario's stimuli over a topology.
pub fn simulate(
    topo: &Topology,
    stimuli: &[Stimulus],
    opts: &RunOptions,
) -> Result<Trace, Vec<TopologyError>> {
    // A what-if's changes run as stimuli of their own, scheduled at the onset.
    let extended: Vec<Stimulus>;
    let stimuli = if opts.changes.is_empty() {
        stimuli
    } else {
        extended = (stimuli.iter().cloned())
            .chain(opts.changes.iter().map(|c| Stimulus {
                id: None,
                at_us: 0,
                action: c.clone(),
            }))
            .collect();
        &extended
    };
    let changes = (stimuli.len() - opts.changes.len()) as u32..stimuli.len() as u32;
    let plans = plans(topo, stimuli)?;
    let mut world = World::new(topo);
    let errors: Vec<TopologyError> = (opts.faults.iter().enumerate())
        .filter_map(|(i, f)| {
            f.check(topo)
                .err()
                .map(|(message, hint)| TopologyError::new(format!("faults[{i}]"), message, hint))
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut pending_faults = match opts.from {
        FaultStart::Beginning => {
            for f in &opts.faults {
                f.apply(topo, &mut world, 0);
            }
            None
        }
        start => Some(start),
    };
    let initial = Snapshot {
        time_us: 0,
        states: world.states.clone(),
        config: topo
            .components
            .iter()
            .map(|c| {
                c.pod
                    .filter(|_| c.kind == crate::ComponentKind::Sidecar)
                    .and_then(|p| world.pod(p).proxy.as_ref())
                    .and_then(|p| p.config)
            })
            .collect(),
        injected: world.pods.iter().map(|p| p.proxy.is_some()).collect(),
    };
    let mut agenda: Vec<(Micros, u32)> = stimuli
        .iter()
        .enumerate()
        .take(changes.start as usize)
        .map(|(i, s)| (s.at_us, i as u32))
        .collect();
    agenda.sort_unstable();
    let mut cx = Cx {
        topo,
        now: 0,
        world,
        rng: StdRng::seed_from_u64(opts.seed),
        queue: EventQueue::with_capacity(1024),
        rec: Recorder::new(opts.record, topo, stimuli.len()),
        cause: None,
    };
    if pending_faults.is_none() {
        for index in changes.clone() {
            cx.after(0, Event::Stimulus { index });
        }
    }
    let max_events = opts.max_events.unwrap_or(EVENT_LIMIT).min(EVENT_LIMIT);
    let mut next_stimulus = 0;
    let mut truncated = None;
    loop {
        // Stimuli are fed in as the clock reaches them rather than queued up
        // front, which keeps the heap small; a stimulus wins a tie with a
        // queued event, exactly as if all stimuli had been queued first.
        let next = match agenda.get(next_stimulus) {
            Some(&(t, i)) => match cx.queue.pop_before(t) {
                Some((q, s)) => Some((q, s.event, s.cause)),
                None => {
                    next_stimulus += 1;
                    Some((t, Event::Stimulus { index: i }, None))
                }
            },
            None => cx.queue.pop().map(|(t, s)| (t, s.event, s.cause)),
        };
        let Some((t, event, cause)) = next else { break };
        if let Some(FaultStart::AtUs(at)) = pending_faults
            && t >= at
        {
            cx.now = at.max(cx.now);
            cx.cause = None;
            inject(&mut cx, &opts.faults);
            for index in changes.clone() {
                cx.after(0, Event::Stimulus { index });
            }
            pending_faults = None;
        }
        if cx.rec.events >= max_events {
            let calls_pending = cx
                .world
                .requests
                .iter()
                .filter(|r| r.result.is_none())
                .count() as u64
                + (agenda.len() - next_stimulus) as u64;
            truncated = Some(Truncation {
                max_events,
                at_us: cx.now,
                calls_pending,
            });
            break;
        }
        cx.now = t;
        cx.cause = cause;
        dispatch(&mut cx, &plans, event);
        if let Some(FaultStart::AfterRow(row)) = pending_faults
            && cx.rec.events as usize > row
        {
            cx.cause = None;
            inject(&mut cx, &opts.faults);
            for index in changes.clone() {
                cx.after(0, Event::Stimulus { index });
            }
            pending_faults = None;
        }
    }
    cx.now = cx.rec.last_active;
    cx.cause = None;
    let end = topo.end;
    cx.set(end, State::Idle);
    cx.row(end, Action::End)
        .note(if truncated.is_some() {
            Note::Text(&"stopped at the event limit: the run is incomplete")
        } else {
            Note::Text(&"the event queue is empty")
        })
        .record();
    let flows: Vec<String> = stimuli
        .iter()
        .map(|s| s.id.clone().unwrap_or_default())
        .collect();
    let mut call_results = vec![None; flows.len()];
    for r in cx.world.requests.iter().filter(|r| r.parent.is_none()) {
        call_results[r.flow.0 as usize] = Some(r.result.unwrap_or(CallResult::Pending));
    }
    Ok(Trace {
        seed: opts.seed,
        flows,
        rows: cx.rec.rows,
        initial,
        call_results,
        events: cx.rec.events,
        truncated,
        history: cx.rec.history,
    })
}

/// Faults taking effect during a run: the world changes now, and a row per
/// fault marks where the run leaves the fault-free one.
fn inject(cx: &mut Cx<'_>, faults: &[Fault]) {
    let topo = cx.topo;
    let states = cx.world.states.clone();
    let injected: Vec<bool> = cx.world.pods.iter().map(|p| p.proxy.is_some()).collect();
    for f in faults {
        f.apply(topo, &mut cx.world, cx.now);
    }
    for (i, before) in states.into_iter().enumerate() {
        let now = cx.world.states[i];
        if now != before {
            cx.world.states[i] = before;
            cx.set(crate::ComponentId(i as u32), now);
        }
    }
    for (i, before) in injected.into_iter().enumerate() {
        if cx.world.pods[i].proxy.is_some() != before {
            cx.set_injected(PodId(i as u32), !before);
        }
    }
    for f in faults {
        cx.row(f.actor(topo), Action::InjectFault)
            .note(format!("what-if: {f}"))
            .record();
    }
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
