//! The discrete-event engine. Behaviour is modelled, not scripted: a sidecar
//! captures its app's traffic, looks up routes, applies policy and mTLS,
//! retries, forwards and reports telemetry; a library proxy does the same work
//! inside the app; a plain app calls directly and gets none of it. What the
//! lesson tables show falls out of the per-hop latencies and the faults.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::action::Action;
use crate::cluster;
use crate::component::{ComponentId, ComponentKind, State};
use crate::fault::Fault;
use crate::queue::{EventQueue, Micros};
use crate::scenario::schema::{Discovery, MtlsMode, ProxyMode, Stimulus, StimulusAction};
use crate::topology::{Topology, TopologyError};
use crate::trace::{
    CallResult, Failure, FlowId, Outcome, PolicyState, RequestState, RequestView, Route,
    RoutingState, Snapshot, Trace, TraceRow,
};

/// How to run a scenario.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub seed: u64,
    pub faults: Vec<Fault>,
    /// Record rows and snapshots. Off for benchmarks, which only count events.
    pub record: bool,
    /// Stop after this many events (0 = no limit beyond the built-in guard).
    pub max_events: u64,
}

/// A hard stop so that no scenario, however written, can run forever.
const EVENT_GUARD: u64 = 50_000_000;

type Rq = u32;
const NO_FLOW: u32 = u32::MAX;
/// Attempt number that marks a route-lookup timer rather than a request attempt.
const LOOKUP: u32 = 0;
/// Status carried back when a sidecar refused the connection.
const REFUSED: u16 = 0;

#[derive(Debug, Clone, Copy)]
enum Ev {
    Stimulus(u32),
    CpReady,
    Inject(u32),
    Intercept(Rq),
    Consult(Rq),
    Lookup(Rq),
    Routes(Rq),
    Apply(Rq),
    Forward(Rq),
    LibProcess(Rq),
    Arrive(Rq, u32),
    Handle(Rq, u32),
    Respond(Rq, u32),
    ServerReturn(Rq, u32, u16),
    ResponseBack(Rq, u32, u16),
    AppReceive(Rq, u16),
    Timeout(Rq, u32),
    ExecDone(Rq),
    Report(u32, u32),
    Metrics(u32, u32),
    Push(u32),
    Config(u32, u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Direct,
    Sidecar,
    Library,
}

#[derive(Debug, Clone)]
struct Request {
    flow: u32,
    client: u32,
    service: u32,
    via: Via,
    attempt: u32,
    max_attempts: u32,
    server: u32,
    encrypted: bool,
    lookup_done: bool,
    done: bool,
    exec: bool,
    started: Micros,
    result: Option<CallResult>,
    view: RequestView,
}

enum StimulusPlan {
    Call { pod: u32, service: u32, exec: bool },
    Apply(String),
    GetPods(String),
    GetServices(String),
    Logs(u32),
    Push,
}

struct Faults {
    cp_down: bool,
    push_halted: bool,
    mtls_off: bool,
    retries_off: bool,
    no_sidecar: Vec<bool>,
    no_library: Vec<bool>,
    loss: Vec<f64>,
}

/// One entry of a pod's proxy access log, read back by `kubectl logs`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogEntry {
    pub status: u16,
    pub latency_us: Micros,
    pub retries: u32,
    pub encrypted: bool,
    pub proxied: bool,
}

pub(crate) struct Engine<'t> {
    pub(crate) topo: &'t Topology,
    plans: Vec<StimulusPlan>,
    /// Stimuli by (time, index), fed in as the clock reaches them rather than
    /// queued up front, which keeps the heap small.
    agenda: Vec<(Micros, u32)>,
    next_stimulus: usize,
    flows: Vec<String>,
    f: Faults,
    rng: StdRng,
    queue: EventQueue<Ev>,
    now: Micros,
    pub(crate) states: Vec<State>,
    config: Vec<u32>,
    pub(crate) injected: Vec<bool>,
    /// OnDemand discovery: which services each pod's sidecar has routes for.
    known_routes: Vec<Vec<bool>>,
    rr: Vec<u32>,
    requests: Vec<Request>,
    pub(crate) cp_installed: bool,
    pub(crate) cp_running: bool,
    cp_version: u32,
    push_pending: bool,
    pub(crate) logs: Vec<Vec<LogEntry>>,
    record: bool,
    rows: Vec<TraceRow>,
    snapshots: Vec<Snapshot>,
    events: u64,
    max_events: u64,
    /// Time of the last event that did something (stale timers do not count).
    last_active: Micros,
}

/// Runs a scenario's stimuli over a topology.
pub fn simulate(
    topo: &Topology,
    stimuli: &[Stimulus],
    opts: &RunOptions,
) -> Result<Trace, Vec<TopologyError>> {
    let mut e = Engine::new(topo, stimuli, opts)?;
    let initial = e.snapshot();
    e.run();
    let mut call_results = vec![None; e.flows.len()];
    for r in &e.requests {
        call_results[r.flow as usize] = Some(r.result.unwrap_or(CallResult::Pending));
    }
    Ok(Trace {
        seed: opts.seed,
        flows: e.flows,
        rows: e.rows,
        initial,
        snapshots: e.snapshots,
        call_results,
        events: e.events,
    })
}

impl<'t> Engine<'t> {
    fn new(
        topo: &'t Topology,
        stimuli: &[Stimulus],
        opts: &RunOptions,
    ) -> Result<Self, Vec<TopologyError>> {
        let mut errors = Vec::new();
        let npods = topo.pods.len();
        let pod_of = |id: &str, path: String, errors: &mut Vec<TopologyError>| -> u32 {
            topo.pod_index(id).map(|i| i as u32).unwrap_or_else(|| {
                errors.push(TopologyError {
                    path,
                    message: format!("there is no pod `{id}`"),
                    hint: crate::suggest::nearest(id, topo.pods.iter().map(|p| p.id.as_str()))
                        .map(|n| format!("did you mean `{n}`?")),
                });
                0
            })
        };
        let svc_of = |name: &str, path: String, errors: &mut Vec<TopologyError>| -> u32 {
            topo.service_index(name)
                .map(|i| i as u32)
                .unwrap_or_else(|| {
                    errors.push(TopologyError {
                        path,
                        message: format!("there is no service `{name}`"),
                        hint: crate::suggest::nearest(
                            name,
                            topo.services.iter().map(|s| s.name.as_str()),
                        )
                        .map(|n| format!("did you mean `{n}`?")),
                    });
                    0
                })
        };
        let mut plans = Vec::with_capacity(stimuli.len());
        let mut flows = Vec::with_capacity(stimuli.len());
        for (i, s) in stimuli.iter().enumerate() {
            let p = |f: &str| format!("stimuli[{i}].do.{f}");
            // Anonymous stimuli get an empty name: no allocation per call in big runs.
            flows.push(s.id.clone().unwrap_or_default());
            plans.push(match &s.action {
                StimulusAction::Call { from, to } => StimulusPlan::Call {
                    pod: pod_of(from, p("from"), &mut errors),
                    service: svc_of(to, p("to"), &mut errors),
                    exec: false,
                },
                StimulusAction::KubectlExecCurl { pod, service } => StimulusPlan::Call {
                    pod: pod_of(pod, p("pod"), &mut errors),
                    service: svc_of(service, p("service"), &mut errors),
                    exec: true,
                },
                StimulusAction::KubectlApply { manifest } => StimulusPlan::Apply(manifest.clone()),
                StimulusAction::KubectlGetPods { namespace } => {
                    StimulusPlan::GetPods(namespace.clone())
                }
                StimulusAction::KubectlGetServices { namespace } => {
                    StimulusPlan::GetServices(namespace.clone())
                }
                StimulusAction::KubectlLogs { pod } => {
                    StimulusPlan::Logs(pod_of(pod, p("pod"), &mut errors))
                }
                StimulusAction::PushConfig => StimulusPlan::Push,
            });
        }
        let mut f = Faults {
            cp_down: false,
            push_halted: false,
            mtls_off: false,
            retries_off: false,
            no_sidecar: vec![false; npods],
            no_library: vec![false; npods],
            loss: vec![0.0; npods],
        };
        for (i, fault) in opts.faults.iter().enumerate() {
            let path = format!("faults[{i}]");
            match fault {
                Fault::ControlPlaneDown => f.cp_down = true,
                Fault::ConfigPushHalted => f.push_halted = true,
                Fault::MtlsOff => f.mtls_off = true,
                Fault::RetriesOff => f.retries_off = true,
                Fault::NoSidecar(p) => {
                    let i = pod_of(p, path, &mut errors) as usize;
                    if i < npods {
                        f.no_sidecar[i] = true;
                    }
                }
                Fault::NoLibrary(p) => {
                    let i = pod_of(p, path, &mut errors) as usize;
                    if i < npods {
                        f.no_library[i] = true;
                    }
                }
                Fault::Lossy { pod, probability } => {
                    let p = if probability.is_finite() {
                        probability.clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    match pod {
                        None => f.loss.iter_mut().for_each(|l| *l = p),
                        Some(id) => {
                            let i = pod_of(id, path, &mut errors) as usize;
                            if i < npods {
                                f.loss[i] = p;
                            }
                        }
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let cp_installed = topo.control_plane.as_ref().is_some_and(|c| c.installed);
        let cp_running = cp_installed && !f.cp_down;
        let mut states = vec![State::Idle; topo.components.len()];
        let mut config = vec![0; topo.components.len()];
        let mut injected = vec![false; npods];
        for (i, c) in topo.components.iter().enumerate() {
            states[i] = match c.kind {
                ComponentKind::Kubectl | ComponentKind::App => State::Idle,
                ComponentKind::Pod | ComponentKind::Service => State::Running,
                ComponentKind::End => State::Inactive,
                ComponentKind::ControlPlane if !cp_installed => State::NotInstalled,
                ComponentKind::ControlPlane if f.cp_down => State::Down,
                ComponentKind::ControlPlane => State::Idle,
                ComponentKind::Library if c.pod.is_some_and(|p| f.no_library[p]) => State::Missing,
                ComponentKind::Library => State::Inactive,
                ComponentKind::Sidecar => State::NotInjected,
            };
        }
        let on_demand = topo
            .control_plane
            .as_ref()
            .is_some_and(|c| c.discovery == Discovery::OnDemand);
        for (i, p) in topo.pods.iter().enumerate() {
            if let Some(s) = p.sidecar {
                // A mesh that is already installed injected its sidecars before the run
                // and synced them with config version 1.
                if cp_installed {
                    if f.no_sidecar[i] {
                        states[s.index()] = State::Missing;
                    } else {
                        states[s.index()] = State::Inactive;
                        injected[i] = true;
                        config[s.index()] = u32::from(!on_demand);
                    }
                }
            }
        }
        let mut e = Engine {
            topo,
            plans,
            agenda: Vec::new(),
            next_stimulus: 0,
            flows,
            f,
            rng: StdRng::seed_from_u64(opts.seed),
            queue: EventQueue::with_capacity(1024),
            now: 0,
            states,
            config,
            injected,
            known_routes: vec![vec![false; topo.services.len()]; if on_demand { npods } else { 0 }],
            rr: vec![0; topo.services.len()],
            requests: Vec::new(),
            cp_installed,
            cp_running,
            cp_version: u32::from(cp_installed),
            push_pending: false,
            logs: vec![Vec::new(); npods],
            record: opts.record,
            rows: Vec::new(),
            snapshots: Vec::new(),
            events: 0,
            last_active: 0,
            max_events: if opts.max_events == 0 {
                EVENT_GUARD
            } else {
                opts.max_events.min(EVENT_GUARD)
            },
        };
        e.agenda = stimuli
            .iter()
            .enumerate()
            .map(|(i, s)| (s.at_us, i as u32))
            .collect();
        e.agenda.sort_unstable();
        Ok(e)
    }

    /// The next event: a stimulus wins a tie with a queued event, exactly as if
    /// all stimuli had been queued first.
    fn next_event(&mut self) -> Option<(Micros, Ev)> {
        if let Some(&(t, i)) = self.agenda.get(self.next_stimulus)
            && self.queue.peek_time().is_none_or(|q| t <= q)
        {
            self.next_stimulus += 1;
            return Some((t, Ev::Stimulus(i)));
        }
        self.queue.pop()
    }

    fn run(&mut self) {
        while let Some((t, ev)) = self.next_event() {
            if self.events >= self.max_events {
                break;
            }
            self.now = t;
            self.handle(ev);
        }
        self.now = self.last_active;
        let end = self.topo.end;
        self.states[end.index()] = State::Idle;
        self.row(
            end,
            Action::End,
            NO_FLOW,
            None,
            || Outcome::Done,
            || "the event queue is empty".to_string(),
        );
    }

    // ------------------------------------------------------------ recording

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            time_us: self.now,
            states: self.states.clone(),
            config: self.config.clone(),
            injected: self.injected.clone(),
            requests: self.requests.iter().map(|r| r.view).collect(),
        }
    }

    /// Records one processed event. Closures keep formatting off the hot path
    /// when nothing is recorded.
    fn row(
        &mut self,
        component: ComponentId,
        action: Action,
        flow: u32,
        request: Option<Rq>,
        outcome: impl FnOnce() -> Outcome,
        note: impl FnOnce() -> String,
    ) {
        self.events += 1;
        self.last_active = self.now;
        if !self.record {
            return;
        }
        self.rows.push(TraceRow {
            seq: self.rows.len() as u32,
            time_us: self.now,
            component,
            action,
            outcome: outcome(),
            flow: (flow != NO_FLOW).then_some(FlowId(flow)),
            request,
            note: note(),
        });
        let snap = self.snapshot();
        self.snapshots.push(snap);
    }

    fn set(&mut self, c: ComponentId, s: State) {
        self.states[c.index()] = s;
    }

    fn at(&mut self, delay: Micros, ev: Ev) {
        // Saturating: a scenario may give absurd latencies; time then pins at the end of time.
        self.queue.push_after(self.now, delay, ev);
    }

    // ------------------------------------------------------------ helpers

    fn pod(&self, i: u32) -> &'t crate::topology::Pod {
        &self.topo.pods[i as usize]
    }

    fn has_sidecar(&self, pod: u32) -> bool {
        self.injected[pod as usize] && !self.f.no_sidecar[pod as usize]
    }

    fn cp(&self) -> ComponentId {
        self.topo.control_plane_id.unwrap_or(self.topo.kubectl)
    }

    fn cp_reachable(&self) -> bool {
        self.cp_running && self.topo.control_plane_id.is_some()
    }

    fn lat(&self) -> &'t crate::scenario::schema::Latency {
        &self.topo.latency
    }

    fn max_attempts(&self) -> u32 {
        if self.f.retries_off {
            1
        } else {
            1 + self.topo.mesh.retries
        }
    }

    fn mtls_on(&self) -> bool {
        !self.f.mtls_off && self.topo.mesh.mtls != MtlsMode::Off
    }

    /// Sends over the cluster network; a lossy uplink at either end may drop it.
    fn send(&mut self, from_pod: u32, to_pod: u32, rq: Rq, ev: Ev) {
        let lat = self.lat().network_us;
        let (pa, pb) = (self.f.loss[from_pod as usize], self.f.loss[to_pod as usize]);
        let dropped =
            (pa > 0.0 && self.rng.random_bool(pa)) || (pb > 0.0 && self.rng.random_bool(pb));
        if dropped {
            let flow = self.requests[rq as usize].flow;
            let c = self.pod(from_pod).pod;
            self.row(
                c,
                Action::DropMessage,
                flow,
                Some(rq),
                || Outcome::Dropped,
                String::new,
            );
        } else {
            self.at(lat, ev);
        }
    }

    fn pick_endpoint(&mut self, rq: Rq) -> Option<u32> {
        let svc = self.requests[rq as usize].service as usize;
        let eps = &self.topo.services[svc].endpoints;
        if eps.is_empty() {
            return None;
        }
        let i = self.rr[svc] as usize % eps.len();
        self.rr[svc] = self.rr[svc].wrapping_add(1);
        Some(eps[i] as u32)
    }

    fn client_proxy(&self, rq: Rq) -> ComponentId {
        let r = &self.requests[rq as usize];
        let p = self.pod(r.client);
        match r.via {
            Via::Sidecar => p.sidecar.unwrap_or(p.app),
            Via::Library => p.library.unwrap_or(p.app),
            Via::Direct => p.app,
        }
    }

    // ------------------------------------------------------------ dispatch

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Stimulus(i) => self.stimulus(i),
            Ev::CpReady => self.cp_ready(),
            Ev::Inject(p) => self.inject(p),
            Ev::Intercept(r) => self.intercept(r),
            Ev::Consult(r) => self.consult(r),
            Ev::Lookup(r) => self.lookup(r),
            Ev::Routes(r) => self.routes(r),
            Ev::Apply(r) => self.apply(r),
            Ev::Forward(r) => self.forward(r, false),
            Ev::LibProcess(r) => self.lib_process(r),
            Ev::Arrive(r, a) => self.arrive(r, a),
            Ev::Handle(r, a) => self.handle_request(r, a),
            Ev::Respond(r, a) => self.respond(r, a),
            Ev::ServerReturn(r, a, s) => self.server_return(r, a, s),
            Ev::ResponseBack(r, a, s) => self.response_back(r, a, s),
            Ev::AppReceive(r, s) => self.app_receive(r, s),
            Ev::Timeout(r, a) => self.timeout(r, a),
            Ev::ExecDone(r) => self.exec_done(r),
            Ev::Report(p, fl) => self.report(p, fl),
            Ev::Metrics(p, fl) => self.metrics(p, fl),
            Ev::Push(fl) => self.push(fl),
            Ev::Config(p, v, fl) => self.apply_config(p, v, fl),
        }
    }

    // ------------------------------------------------------------ cluster

    fn stimulus(&mut self, i: u32) {
        // Each stimulus starts its own flow, numbered like the stimulus.
        let flow = i;
        let kubectl = self.topo.kubectl;
        match &self.plans[i as usize] {
            &StimulusPlan::Call { pod, service, exec } => {
                let rq = self.requests.len() as Rq;
                self.requests.push(Request {
                    flow,
                    client: pod,
                    service,
                    via: Via::Direct,
                    attempt: 0,
                    max_attempts: 1,
                    server: u32::MAX,
                    encrypted: false,
                    lookup_done: false,
                    done: false,
                    exec,
                    started: self.now,
                    result: None,
                    view: RequestView {
                        flow: Some(FlowId(flow)),
                        state: RequestState::NotSent,
                        routing: RoutingState::Empty,
                        policy: PolicyState::None,
                    },
                });
                self.app_send(rq);
            }
            StimulusPlan::Apply(manifest) => {
                let note = format!("kubectl apply -f {manifest}");
                let out = if self.topo.control_plane.is_none() {
                    "no control plane in this topology: nothing to install".to_string()
                } else if self.cp_installed {
                    "service mesh resources unchanged (already installed)".to_string()
                } else {
                    self.cp_installed = true;
                    let cp = self.cp();
                    self.set(cp, State::Starting);
                    let startup = self.topo.control_plane.as_ref().map_or(0, |c| c.startup_us);
                    self.at(startup, Ev::CpReady);
                    cluster::apply_output(self.topo)
                };
                self.row(
                    kubectl,
                    Action::ApplyManifest,
                    flow,
                    None,
                    || Outcome::Output(out),
                    || note,
                );
            }
            StimulusPlan::GetPods(ns) => {
                let out = cluster::get_pods(self, ns);
                let note = format!("kubectl get pods -n {ns}");
                self.row(
                    kubectl,
                    Action::ListPods,
                    flow,
                    None,
                    || Outcome::Output(out),
                    || note,
                );
            }
            StimulusPlan::GetServices(ns) => {
                let out = cluster::get_services(self.topo, self.cp_installed, ns);
                let note = format!("kubectl get svc -n {ns}");
                self.row(
                    kubectl,
                    Action::ListServices,
                    flow,
                    None,
                    || Outcome::Output(out),
                    || note,
                );
            }
            &StimulusPlan::Logs(pod) => {
                let out = cluster::logs(self, pod as usize);
                let note = format!("kubectl logs {}", self.pod(pod).id);
                self.row(
                    kubectl,
                    Action::ReadLogs,
                    flow,
                    None,
                    || Outcome::Output(out),
                    || note,
                );
            }
            StimulusPlan::Push => self.push(flow),
        }
    }

    fn cp_ready(&mut self) {
        let cp = self.cp();
        if self.f.cp_down {
            // The injector webhook from the manifest still adds sidecars; they just never get config.
            self.set(cp, State::Down);
            self.row(
                cp,
                Action::ControlPlaneReady,
                NO_FLOW,
                None,
                || Outcome::Failed(Failure::ControlPlaneDown),
                || "pods crash-looping; sidecars will get no config".into(),
            );
        } else {
            self.cp_running = true;
            self.cp_version = self.cp_version.max(1);
            self.set(cp, State::Idle);
            self.row(
                cp,
                Action::ControlPlaneReady,
                NO_FLOW,
                None,
                || Outcome::Done,
                String::new,
            );
        }
        for (i, p) in self.topo.pods.iter().enumerate() {
            if p.sidecar.is_some() && !self.injected[i] {
                self.at(0, Ev::Inject(i as u32));
            }
        }
    }

    fn inject(&mut self, pod: u32) {
        let Some(s) = self.pod(pod).sidecar else {
            return;
        };
        if self.f.no_sidecar[pod as usize] {
            self.set(s, State::Missing);
            self.row(
                s,
                Action::InjectSidecar,
                NO_FLOW,
                None,
                || Outcome::Failed(Failure::InjectionFailed),
                String::new,
            );
            return;
        }
        self.injected[pod as usize] = true;
        self.set(s, State::Inactive);
        self.row(
            s,
            Action::InjectSidecar,
            NO_FLOW,
            None,
            || Outcome::Done,
            String::new,
        );
        let push = self
            .topo
            .control_plane
            .as_ref()
            .is_some_and(|c| c.discovery == Discovery::Push);
        if push && !self.f.push_halted && self.cp_running {
            let v = self.cp_version;
            self.at(self.lat().control_plane_us, Ev::Config(pod, v, NO_FLOW));
        }
    }

    // ------------------------------------------------------------ client side

    fn app_send(&mut self, rq: Rq) {
        let (client, flow) = {
            let r = &self.requests[rq as usize];
            (r.client, r.flow)
        };
        let p = self.pod(client);
        let via = if p.sidecar.is_some() && self.has_sidecar(client) {
            Via::Sidecar
        } else if p.proxy == ProxyMode::Library {
            Via::Library
        } else {
            Via::Direct
        };
        self.requests[rq as usize].via = via;
        self.requests[rq as usize].view.state = RequestState::Sent;
        match via {
            Via::Sidecar => {
                self.set(p.app, State::SentToSidecar);
                self.at(self.lat().loopback_us, Ev::Intercept(rq));
                self.row(
                    p.app,
                    Action::SendRequest,
                    flow,
                    Some(rq),
                    || Outcome::SentVia(Route::Sidecar),
                    || "outbound connection redirected to the sidecar".into(),
                );
            }
            Via::Library if self.f.no_library[client as usize] => {
                self.set(p.app, State::RequestFailed);
                self.finish(rq, CallResult::Failed(Failure::NoLibrary));
                self.row(
                    p.app,
                    Action::SendRequest,
                    flow,
                    Some(rq),
                    || Outcome::Failed(Failure::NoLibrary),
                    || "service discovery lives in the missing library".into(),
                );
                if self.requests[rq as usize].exec {
                    self.at(0, Ev::ExecDone(rq));
                }
            }
            Via::Library => {
                self.set(p.app, State::SentViaLibrary);
                if let Some(l) = p.library {
                    self.set(l, State::ProcessingRequest);
                }
                self.at(self.lat().library_us, Ev::LibProcess(rq));
                self.row(
                    p.app,
                    Action::SendRequest,
                    flow,
                    Some(rq),
                    || Outcome::SentVia(Route::Library),
                    || "function call into the embedded library".into(),
                );
            }
            Via::Direct => {
                self.set(p.app, State::SentDirect);
                self.requests[rq as usize].max_attempts = 1;
                let server = self.prepare_attempt(rq);
                self.row(
                    p.app,
                    Action::SendRequest,
                    flow,
                    Some(rq),
                    || Outcome::SentVia(Route::Direct),
                    || "direct call: no proxy, no retries, no encryption, no metrics".into(),
                );
                match server {
                    Some(_) => self.launch_attempt(rq, self.topo.mesh.app_timeout_us),
                    None => self.fail_at_client(rq, Failure::NoEndpoints),
                }
            }
        }
    }

    /// Picks the endpoint for the next attempt and records what the attempt
    /// will be (encrypted or not, where the request is). `None`: no endpoints.
    fn prepare_attempt(&mut self, rq: Rq) -> Option<u32> {
        let server = self.pick_endpoint(rq)?;
        let mtls = self.mtls_on();
        let server_has_sidecar = self.has_sidecar(server);
        let server_has_lib = self.pod(server).proxy == ProxyMode::Library;
        let r = &mut self.requests[rq as usize];
        r.attempt += 1;
        r.server = server;
        r.encrypted = match r.via {
            Via::Sidecar => mtls && server_has_sidecar,
            Via::Library => mtls && server_has_lib,
            Via::Direct => false,
        };
        r.view.state = if server_has_sidecar {
            RequestState::ForwardedToServerSidecar
        } else {
            RequestState::ForwardedToServer
        };
        Some(server)
    }

    /// Sends a prepared attempt and arms its timer. Called after the row that
    /// announces it, so a drop on the wire is recorded after the send.
    fn launch_attempt(&mut self, rq: Rq, timeout: Micros) {
        let r = &self.requests[rq as usize];
        let (a, client, server) = (r.attempt, r.client, r.server);
        self.at(timeout, Ev::Timeout(rq, a));
        self.send(client, server, rq, Ev::Arrive(rq, a));
    }

    fn intercept(&mut self, rq: Rq) {
        let r = &self.requests[rq as usize];
        let (client, svc, flow) = (r.client, r.service as usize, r.flow);
        let Some(s) = self.pod(client).sidecar else {
            return;
        };
        self.set(s, State::Intercepting);
        let on_demand = !self.known_routes.is_empty();
        let known = if on_demand {
            self.known_routes[client as usize][svc]
        } else {
            self.config[s.index()] > 0
        };
        let r = &mut self.requests[rq as usize];
        r.view.state = RequestState::InterceptedByClientSidecar;
        r.view.policy = PolicyState::Checked;
        if known {
            r.view.routing = RoutingState::Fetched;
        }
        let next = if on_demand && !known {
            Ev::Consult(rq)
        } else {
            Ev::Apply(rq)
        };
        self.at(self.lat().intercept_us, next);
        self.row(
            s,
            Action::Intercept,
            flow,
            Some(rq),
            || Outcome::Done,
            || "captured by iptables redirect; access policy checked".into(),
        );
    }

    fn consult(&mut self, rq: Rq) {
        let (client, flow) = (
            self.requests[rq as usize].client,
            self.requests[rq as usize].flow,
        );
        let Some(s) = self.pod(client).sidecar else {
            return;
        };
        self.set(s, State::Consulting);
        let reachable = self.cp_reachable();
        if reachable {
            self.at(self.lat().control_plane_us, Ev::Lookup(rq));
        }
        self.at(self.topo.mesh.per_try_timeout_us, Ev::Timeout(rq, LOOKUP));
        self.row(
            s,
            Action::ConsultControlPlane,
            flow,
            Some(rq),
            || {
                if reachable {
                    Outcome::Sent
                } else {
                    Outcome::Lost
                }
            },
            String::new,
        );
    }

    fn lookup(&mut self, rq: Rq) {
        let cp = self.cp();
        let flow = self.requests[rq as usize].flow;
        self.requests[rq as usize].view.routing = RoutingState::Fetched;
        self.at(self.lat().control_plane_us, Ev::Routes(rq));
        self.row(
            cp,
            Action::AnswerLookup,
            flow,
            Some(rq),
            || Outcome::Sent,
            String::new,
        );
    }

    fn routes(&mut self, rq: Rq) {
        let r = &mut self.requests[rq as usize];
        if r.done || r.lookup_done {
            return;
        }
        r.lookup_done = true;
        let (client, svc, flow) = (r.client, r.service as usize, r.flow);
        if let Some(k) = self.known_routes.get_mut(client as usize) {
            k[svc] = true;
        }
        let Some(s) = self.pod(client).sidecar else {
            return;
        };
        self.at(0, Ev::Apply(rq));
        self.row(
            s,
            Action::ReceiveRoutes,
            flow,
            Some(rq),
            || Outcome::Done,
            || "routes cached for later calls".into(),
        );
    }

    fn apply(&mut self, rq: Rq) {
        let r = &self.requests[rq as usize];
        let (client, flow, svc) = (r.client, r.flow, r.service as usize);
        let p = self.pod(client);
        let Some(s) = p.sidecar else { return };
        self.set(s, State::ApplyingPolicies);
        self.set(p.app, State::WaitingForResponse);
        let has_route = if self.known_routes.is_empty() {
            self.config[s.index()] > 0
        } else {
            self.known_routes[client as usize][svc]
        };
        let max = self.max_attempts();
        let mtls = self.mtls_on();
        self.requests[rq as usize].max_attempts = max;
        if has_route {
            self.at(self.lat().sidecar_us, Ev::Forward(rq));
        } else {
            self.requests[rq as usize].lookup_done = true;
            self.at(
                0,
                Ev::ResponseBack(rq, self.requests[rq as usize].attempt, 503),
            );
        }
        self.row(
            s,
            Action::ApplyPolicies,
            flow,
            Some(rq),
            || {
                if has_route {
                    Outcome::Done
                } else {
                    Outcome::Failed(Failure::NoRoute)
                }
            },
            || {
                format!(
                    "routing, access policy, {}, {} retr{}",
                    if mtls { "mTLS" } else { "no mTLS" },
                    max - 1,
                    if max == 2 { "y" } else { "ies" }
                )
            },
        );
    }

    fn forward(&mut self, rq: Rq, retry: bool) {
        let (client, flow) = (
            self.requests[rq as usize].client,
            self.requests[rq as usize].flow,
        );
        let Some(s) = self.pod(client).sidecar else {
            return;
        };
        self.set(s, State::Forwarding);
        let r = &mut self.requests[rq as usize];
        r.view.routing = RoutingState::Applied;
        r.view.policy = PolicyState::Enforced;
        let Some(server) = self.prepare_attempt(rq) else {
            self.fail_at_client(rq, Failure::NoEndpoints);
            return;
        };
        let r = &self.requests[rq as usize];
        let (attempt, encrypted) = (r.attempt, r.encrypted);
        let action = if retry {
            Action::Retry
        } else {
            Action::Forward
        };
        self.row(
            s,
            action,
            flow,
            Some(rq),
            || Outcome::Forwarded {
                endpoint: server,
                attempt,
                encrypted,
            },
            String::new,
        );
        self.launch_attempt(rq, self.topo.mesh.per_try_timeout_us);
        if attempt == 1 {
            self.at(0, Ev::Report(client, flow));
        }
    }

    fn lib_process(&mut self, rq: Rq) {
        let r = &mut self.requests[rq as usize];
        let (client, flow) = (r.client, r.flow);
        r.view.routing = RoutingState::Applied;
        r.view.policy = PolicyState::Enforced;
        r.max_attempts = if self.f.retries_off {
            1
        } else {
            1 + self.topo.mesh.retries
        };
        let p = self.pod(client);
        let lib = p.library.unwrap_or(p.app);
        self.set(lib, State::AwaitingResponse);
        self.set(p.app, State::WaitingForResponse);
        let Some(server) = self.prepare_attempt(rq) else {
            self.fail_at_client(rq, Failure::NoEndpoints);
            return;
        };
        let (attempt, encrypted) = (
            self.requests[rq as usize].attempt,
            self.requests[rq as usize].encrypted,
        );
        self.row(
            lib,
            Action::LibraryProcess,
            flow,
            Some(rq),
            || Outcome::Forwarded {
                endpoint: server,
                attempt,
                encrypted,
            },
            || "in-process: no extra hop".into(),
        );
        self.launch_attempt(rq, self.topo.mesh.per_try_timeout_us);
    }

    // ------------------------------------------------------------ server side

    fn arrive(&mut self, rq: Rq, attempt: u32) {
        let r = &self.requests[rq as usize];
        let (server, flow, encrypted) = (r.server, r.flow, r.encrypted);
        let sp = self.pod(server);
        let sidecar = sp.sidecar.filter(|_| self.has_sidecar(server));
        match sidecar {
            Some(s) => {
                let strict = self.topo.mesh.mtls == MtlsMode::Strict && self.mtls_on();
                if strict && !encrypted {
                    self.set(s, State::Idle);
                    let client = self.requests[rq as usize].client;
                    self.send(server, client, rq, Ev::ResponseBack(rq, attempt, REFUSED));
                    self.row(
                        s,
                        Action::RejectPlaintext,
                        flow,
                        Some(rq),
                        || Outcome::Failed(Failure::Refused),
                        || "strict mTLS: plaintext connection reset".into(),
                    );
                } else {
                    self.set(s, State::Intercepting);
                    self.at(self.lat().loopback_us, Ev::Handle(rq, attempt));
                    self.row(
                        s,
                        Action::InterceptInbound,
                        flow,
                        Some(rq),
                        || Outcome::Done,
                        || {
                            if encrypted {
                                "mTLS terminated".into()
                            } else {
                                "plaintext accepted".into()
                            }
                        },
                    );
                }
            }
            None => self.handle_request(rq, attempt),
        }
    }

    fn handle_request(&mut self, rq: Rq, attempt: u32) {
        let r = &mut self.requests[rq as usize];
        r.view.state = RequestState::ProcessedByServer;
        let (server, flow) = (r.server, r.flow);
        let sp = self.pod(server);
        self.set(sp.app, State::Handling);
        self.at(sp.service_time_us, Ev::Respond(rq, attempt));
        self.row(
            sp.app,
            Action::HandleRequest,
            flow,
            Some(rq),
            || Outcome::Done,
            || "application code unchanged".into(),
        );
    }

    fn respond(&mut self, rq: Rq, attempt: u32) {
        let r = &self.requests[rq as usize];
        let (server, client, flow) = (r.server, r.client, r.flow);
        let sp = self.pod(server);
        self.set(sp.app, State::Idle);
        match sp.sidecar.filter(|_| self.has_sidecar(server)) {
            Some(_) => self.at(self.lat().loopback_us, Ev::ServerReturn(rq, attempt, 200)),
            None => self.send(server, client, rq, Ev::ResponseBack(rq, attempt, 200)),
        }
        self.row(
            sp.app,
            Action::SendResponse,
            flow,
            Some(rq),
            || Outcome::Done,
            String::new,
        );
    }

    fn server_return(&mut self, rq: Rq, attempt: u32, status: u16) {
        let r = &self.requests[rq as usize];
        let (server, client, flow) = (r.server, r.client, r.flow);
        let Some(s) = self.pod(server).sidecar else {
            return;
        };
        self.set(s, State::Idle);
        self.send(server, client, rq, Ev::ResponseBack(rq, attempt, status));
        self.row(
            s,
            Action::ReturnResponse,
            flow,
            Some(rq),
            || Outcome::Done,
            || "response captured on its way out and logged".into(),
        );
    }

    // ------------------------------------------------------------ back at the client

    fn response_back(&mut self, rq: Rq, attempt: u32, status: u16) {
        let r = &self.requests[rq as usize];
        if r.done || attempt != r.attempt {
            return; // a late answer to an attempt already given up on
        }
        let retriable = status == REFUSED || status == 503;
        let proxied = r.via != Via::Direct;
        if proxied && retriable && r.attempt < r.max_attempts && r.attempt > 0 {
            self.retry(rq);
            return;
        }
        let (client, flow, via) = (r.client, r.flow, r.via);
        let p = self.pod(client);
        match via {
            Via::Sidecar => {
                let s = p.sidecar.unwrap_or(p.app);
                let status = if status == REFUSED { 503 } else { status };
                self.close_request(rq, status, true);
                self.set(s, State::Idle);
                self.at(self.lat().loopback_us, Ev::AppReceive(rq, status));
                let out = self.http_outcome(rq, status);
                self.row(
                    s,
                    Action::ReturnResponse,
                    flow,
                    Some(rq),
                    || out,
                    || "response handed to the app and logged".into(),
                );
            }
            Via::Library => {
                if let Some(l) = p.library {
                    self.set(l, State::Idle);
                }
                self.close_request(rq, status, true);
                self.app_receive(rq, status);
            }
            Via::Direct => {
                self.close_request(rq, status, false);
                self.app_receive(rq, status);
            }
        }
    }

    fn http_outcome(&self, rq: Rq, status: u16) -> Outcome {
        let r = &self.requests[rq as usize];
        match status {
            REFUSED => Outcome::Failed(Failure::Refused),
            s => Outcome::Http {
                status: s,
                latency_us: self.now.saturating_sub(r.started),
                attempts: r.attempt.max(1),
                encrypted: r.encrypted,
            },
        }
    }

    /// Marks the request answered and writes the proxy's access log line.
    fn close_request(&mut self, rq: Rq, status: u16, proxied: bool) {
        let now = self.now;
        let r = &mut self.requests[rq as usize];
        r.done = true;
        r.view.routing = RoutingState::Finished;
        r.view.policy = PolicyState::Finished;
        let entry = LogEntry {
            status,
            latency_us: now.saturating_sub(r.started),
            retries: r.attempt.saturating_sub(1),
            encrypted: r.encrypted,
            proxied,
        };
        self.logs[r.client as usize].push(entry);
    }

    fn retry(&mut self, rq: Rq) {
        match self.requests[rq as usize].via {
            Via::Sidecar => self.forward(rq, true),
            Via::Library => {
                let (client, flow) = (
                    self.requests[rq as usize].client,
                    self.requests[rq as usize].flow,
                );
                let p = self.pod(client);
                let lib = p.library.unwrap_or(p.app);
                if let Some(server) = self.prepare_attempt(rq) {
                    let (attempt, encrypted) = (
                        self.requests[rq as usize].attempt,
                        self.requests[rq as usize].encrypted,
                    );
                    self.row(
                        lib,
                        Action::LibraryRetry,
                        flow,
                        Some(rq),
                        || Outcome::Forwarded {
                            endpoint: server,
                            attempt,
                            encrypted,
                        },
                        String::new,
                    );
                    self.launch_attempt(rq, self.topo.mesh.per_try_timeout_us);
                } else {
                    self.fail_at_client(rq, Failure::NoEndpoints);
                }
            }
            Via::Direct => {}
        }
    }

    fn timeout(&mut self, rq: Rq, attempt: u32) {
        let r = &self.requests[rq as usize];
        if r.done {
            return;
        }
        if attempt == LOOKUP {
            if r.lookup_done {
                return;
            }
            self.requests[rq as usize].lookup_done = true;
            let flow = self.requests[rq as usize].flow;
            let c = self.client_proxy(rq);
            self.row(
                c,
                Action::AttemptTimeout,
                flow,
                Some(rq),
                || Outcome::Failed(Failure::ControlPlaneDown),
                || "no routes arrived from the control plane".into(),
            );
            self.response_back(rq, self.requests[rq as usize].attempt, 503);
            return;
        }
        if attempt != r.attempt {
            return;
        }
        let (flow, via, can_retry) = (r.flow, r.via, r.attempt < r.max_attempts);
        let c = self.client_proxy(rq);
        self.row(
            c,
            Action::AttemptTimeout,
            flow,
            Some(rq),
            || Outcome::Failed(Failure::Timeout),
            || format!("attempt {attempt} got no answer"),
        );
        if via != Via::Direct && can_retry {
            self.retry(rq);
            return;
        }
        match via {
            Via::Direct => {
                self.close_request(rq, 504, false);
                self.finish(rq, CallResult::Failed(Failure::Timeout));
                self.app_receive_failed(rq, Failure::Timeout);
            }
            _ => self.response_back(rq, attempt, 504),
        }
    }

    fn app_receive(&mut self, rq: Rq, status: u16) {
        if status == REFUSED {
            self.finish(rq, CallResult::Failed(Failure::Refused));
            self.app_receive_failed(rq, Failure::Refused);
            return;
        }
        let (client, flow) = (
            self.requests[rq as usize].client,
            self.requests[rq as usize].flow,
        );
        let app = self.pod(client).app;
        self.set(
            app,
            if status == 200 {
                State::ResponseReceived
            } else {
                State::RequestFailed
            },
        );
        self.finish(rq, CallResult::Http(status));
        let out = self.http_outcome(rq, status);
        self.row(
            app,
            Action::ReceiveResponse,
            flow,
            Some(rq),
            || out,
            String::new,
        );
        if self.requests[rq as usize].exec {
            self.at(0, Ev::ExecDone(rq));
        }
    }

    fn app_receive_failed(&mut self, rq: Rq, why: Failure) {
        let (client, flow) = (
            self.requests[rq as usize].client,
            self.requests[rq as usize].flow,
        );
        let app = self.pod(client).app;
        self.set(app, State::RequestFailed);
        self.row(
            app,
            Action::ReceiveResponse,
            flow,
            Some(rq),
            || Outcome::Failed(why),
            String::new,
        );
        if self.requests[rq as usize].exec {
            self.at(0, Ev::ExecDone(rq));
        }
    }

    fn fail_at_client(&mut self, rq: Rq, why: Failure) {
        self.close_request(rq, 503, self.requests[rq as usize].via != Via::Direct);
        self.finish(rq, CallResult::Failed(why));
        self.app_receive_failed(rq, why);
    }

    fn finish(&mut self, rq: Rq, result: CallResult) {
        let r = &mut self.requests[rq as usize];
        r.done = true;
        r.result = Some(result);
        if !matches!(result, CallResult::Http(200)) {
            r.view.state = RequestState::Failed;
        }
        r.view.routing = RoutingState::Finished;
        r.view.policy = PolicyState::Finished;
    }

    fn exec_done(&mut self, rq: Rq) {
        let r = &self.requests[rq as usize];
        let out = cluster::curl_output(
            r.result.unwrap_or(CallResult::Pending),
            self.topo,
            r.service as usize,
        );
        let flow = r.flow;
        let kubectl = self.topo.kubectl;
        let res = r.result;
        let outcome = match res {
            Some(CallResult::Http(s)) => self.http_outcome(rq, s),
            Some(CallResult::Failed(f)) => Outcome::Failed(f),
            _ => Outcome::Output(out.clone()),
        };
        self.row(
            kubectl,
            Action::ExecCurl,
            flow,
            Some(rq),
            || outcome,
            || out,
        );
    }

    // ------------------------------------------------------------ telemetry and config

    fn report(&mut self, pod: u32, flow: u32) {
        let Some(s) = self.pod(pod).sidecar else {
            return;
        };
        self.set(s, State::ReportingMetrics);
        let reachable = self.cp_reachable();
        if reachable {
            self.at(self.lat().control_plane_us, Ev::Metrics(pod, flow));
        }
        self.row(
            s,
            Action::ReportMetrics,
            flow,
            None,
            || {
                if reachable {
                    Outcome::Sent
                } else {
                    Outcome::Lost
                }
            },
            || "request count, latency, status".into(),
        );
    }

    fn metrics(&mut self, _pod: u32, flow: u32) {
        let cp = self.cp();
        let push = self
            .topo
            .control_plane
            .as_ref()
            .is_some_and(|c| c.push_on_telemetry);
        if push {
            if self.f.push_halted {
                self.set(cp, State::PushHalted);
            } else {
                self.set(cp, State::UpdatingConfig);
                if !self.push_pending {
                    self.push_pending = true;
                    let d = self
                        .topo
                        .control_plane
                        .as_ref()
                        .map_or(0, |c| c.processing_us);
                    self.at(d, Ev::Push(flow));
                }
            }
        }
        self.row(
            cp,
            Action::ReceiveMetrics,
            flow,
            None,
            || Outcome::Done,
            || "endpoint statistics updated".into(),
        );
    }

    fn push(&mut self, flow: u32) {
        let cp = self.cp();
        self.push_pending = false;
        if !self.cp_reachable() || self.f.push_halted {
            let why = if self.f.push_halted {
                Failure::PushHalted
            } else {
                Failure::ControlPlaneDown
            };
            self.row(
                cp,
                Action::PushConfig,
                flow,
                None,
                || Outcome::Failed(why),
                String::new,
            );
            return;
        }
        self.cp_version += 1;
        let v = self.cp_version;
        self.set(cp, State::Idle);
        let d = self.lat().control_plane_us;
        let mut n = 0;
        for i in 0..self.topo.pods.len() {
            if self.pod(i as u32).sidecar.is_some() && self.has_sidecar(i as u32) {
                self.at(d, Ev::Config(i as u32, v, flow));
                n += 1;
            }
        }
        self.row(
            cp,
            Action::PushConfig,
            flow,
            None,
            || Outcome::Pushed {
                version: v,
                sidecars: n,
            },
            || "routes, endpoints, mTLS and retry policy".into(),
        );
    }

    fn apply_config(&mut self, pod: u32, version: u32, flow: u32) {
        let Some(s) = self.pod(pod).sidecar else {
            return;
        };
        let ci = s.index();
        self.config[ci] = self.config[ci].max(version);
        if self.states[ci] == State::Inactive || self.states[ci] == State::Idle {
            // An idle sidecar just takes the config; a busy one shows it is changing behaviour.
        } else {
            self.set(s, State::UpdatingBehaviour);
        }
        self.row(
            s,
            Action::ApplyConfig,
            flow,
            None,
            || Outcome::Config { version },
            String::new,
        );
    }
}
