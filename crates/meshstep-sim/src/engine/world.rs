//! The simulated world's state, as an arena the handlers change: every
//! component's state, each pod's runtime (phase, sidecar, load-balancer
//! cursors), the control plane's, the requests, and the traffic policy in
//! force (which faults and what-ifs may change).

use std::collections::VecDeque;
use std::sync::Arc;

use crate::component::{ComponentKind, State};
use crate::engine::config::{ConfigSet, RetryPolicy, Shared};
use crate::engine::event::Debounce;
use crate::engine::request::Request;
use crate::ids::{PodId, ReqId, SvcId};
use crate::queue::Micros;
use crate::scenario::schema::{HttpRequest, MeshPolicy, ProxyMode};
use crate::topology::Topology;

/// A pod's lifecycle phase as far as traffic cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Running,
    /// The app container exits at start and is restarted over and over.
    CrashLoop,
}

/// A running sidecar's state.
#[derive(Debug, Clone)]
pub(crate) struct ProxyRt {
    /// The config version it holds; `None` until the first one arrives.
    pub config: Option<u32>,
    /// When its current workload certificate was issued.
    pub cert_issued_at: Micros,
    /// On-demand discovery: targets it has resolved, with when each was last used.
    pub resolved: Vec<(SvcId, Micros)>,
    /// Not an Envoy but a proxyless gRPC app's xDS client (fed by istio-agent):
    /// it takes config and certificates, but no traffic passes through it.
    pub proxyless: bool,
}

impl ProxyRt {
    pub fn started(now: Micros, config: Option<u32>) -> Self {
        Self {
            config,
            cert_issued_at: now,
            resolved: Vec::new(),
            proxyless: false,
        }
    }

    /// What a pod of this mode gets from the mesh when it starts.
    pub fn for_mode(mode: ProxyMode, now: Micros, config: Option<u32>) -> Option<Self> {
        let proxyless = match mode {
            ProxyMode::Sidecar => false,
            ProxyMode::Proxyless => true,
            ProxyMode::None | ProxyMode::Library | ProxyMode::Ambient => return None,
        };
        Some(Self {
            proxyless,
            ..Self::started(now, config)
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PodRt {
    pub phase: Phase,
    /// Passes its readiness probe.
    pub ready: bool,
    /// The sidecar, while one runs in the pod.
    pub proxy: Option<ProxyRt>,
    /// Requests its app is handling now.
    pub handling: u32,
    /// Probability that a message to or from this pod is lost.
    pub loss: f64,
    /// Injection fails for this pod whenever it is created.
    pub injection_blocked: bool,
    /// Each client-side proxy's round-robin cursor per service (and subset) it calls.
    pub cursors: Vec<(SvcId, Option<u16>, u32)>,
    /// Its proxy's connections, ejections and retries per Service it calls.
    pub upstreams: Vec<Upstream>,
    /// The build of its app (and so of its proxy library's configuration).
    pub build: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct ControlPlaneRt {
    pub installed: bool,
    /// Running and reachable.
    pub up: bool,
    /// Since when it has been down (for certificate renewal).
    pub down_since: Option<Micros>,
    /// Running, but sends no config.
    pub push_halted: bool,
    /// The newest config version it has built.
    pub version: u32,
    pub pending: Option<Debounce>,
}

/// One line of a pod's logs, read back by `kubectl logs`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogEntry {
    pub status: u16,
    pub latency_us: Micros,
    pub retries: u32,
    pub encrypted: bool,
    /// Written by a proxy (sidecar or library) rather than the app alone.
    pub proxied: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct World {
    pub states: Vec<State>,
    pub pods: Vec<PodRt>,
    pub cp: ControlPlaneRt,
    /// The traffic policy in force.
    pub mesh: MeshPolicy,
    pub requests: Vec<Request>,
    /// Per pod: the calls its app made, as its logs record them.
    pub logs: Vec<Vec<LogEntry>>,
    /// Requests the app of each pod has handled.
    pub served: Vec<u32>,
    /// Pods that serve no traffic (app not running, or not ready), so not
    /// every endpoint is ready.
    pub not_serving: u32,
    /// Requests apps are handling now, with the calls they make meanwhile.
    pub jobs: Vec<Job>,
    /// Every distinct method, path and headers a call has carried; a
    /// request names its entry (0: `GET /`).
    pub http: Vec<HttpRequest>,
    /// Every config version the control plane has built, by version number
    /// (0: none yet).
    pub configs: Vec<Shared>,
    /// The configuration the API server holds now, which the next push sends.
    pub staged: Shared,
    /// The changes the next push carries.
    pub changes: Vec<String>,
    /// Every build of an app with a proxy library (0: the first).
    pub builds: Vec<Shared>,
    /// Retry policies routes have given, shared by the requests that use
    /// them; the mesh's default and proxyless gRPC's come first.
    pub policies: Vec<Arc<RetryPolicy>>,
    /// No proxy retries (the `RetriesOff` fault).
    pub retries_off: bool,
    /// No proxy encrypts, whatever the config says (the `MtlsOff` fault).
    pub mtls_off: bool,
}

/// A caller proxy's state for one Service.
#[derive(Debug, Clone)]
/// (Its behaviour is in `engine::breaker`.)
pub(crate) struct Upstream {
    pub svc: SvcId,
    /// Attempts in flight (each on its own connection).
    pub active: u32,
    /// Of those, retries.
    pub retrying: u32,
    /// Requests waiting for a connection.
    pub waiting: VecDeque<ReqId>,
    pub hosts: Vec<Host>,
}

#[derive(Debug, Clone)]
pub(crate) struct Host {
    pub pod: PodId,
    /// Errors in a row.
    pub errors: u32,
    pub ejected_until: Option<Micros>,
    pub ejections: u32,
}

/// An app handling one attempt of a request: the calls it makes first,
/// then its own work, then its answer.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub req: ReqId,
    pub attempt: u32,
    pub pod: PodId,
    /// The next of the app's calls to make.
    pub next_call: u32,
    /// Calls sent and not yet answered.
    pub waiting: u32,
    /// One of its calls failed.
    pub call_failed: bool,
}

impl World {
    /// The world at time zero, before any fault: an installed mesh has injected
    /// and configured every sidecar it selects.
    pub fn new(topo: &Topology) -> Self {
        let initial = Arc::new(ConfigSet::compile(topo, topo.config.clone()));
        let cp_installed = topo.control_plane.as_ref().is_some_and(|c| c.installed);
        let pushes = topo
            .flavour()
            .is_some_and(|f| f == crate::scenario::schema::Flavour::Istio);
        let states = topo
            .components
            .iter()
            .map(|c| match c.kind {
                ComponentKind::Kubectl | ComponentKind::App | ComponentKind::Client => State::Idle,
                ComponentKind::Pod | ComponentKind::Service | ComponentKind::External => {
                    State::Running
                }
                ComponentKind::Gateway | ComponentKind::Waypoint | ComponentKind::Ztunnel
                    if cp_installed =>
                {
                    State::Running
                }
                ComponentKind::Gateway | ComponentKind::Waypoint | ComponentKind::Ztunnel => {
                    State::NotInstalled
                }
                ComponentKind::End | ComponentKind::Library => State::Inactive,
                ComponentKind::ControlPlane if cp_installed => State::Idle,
                ComponentKind::ControlPlane => State::NotInstalled,
                ComponentKind::Sidecar if cp_installed => State::Inactive,
                ComponentKind::Sidecar => State::NotInjected,
            })
            .collect();
        let pods = topo
            .pods
            .iter()
            .map(|p| PodRt {
                phase: Phase::Running,
                ready: p.ready,
                proxy: ProxyRt::for_mode(p.proxy, 0, pushes.then_some(1)).filter(|_| cp_installed),
                handling: 0,
                loss: 0.0,
                injection_blocked: false,
                cursors: Vec::new(),
                upstreams: Vec::new(),
                build: 0,
            })
            .collect();
        World {
            states,
            pods,
            cp: ControlPlaneRt {
                installed: cp_installed,
                up: cp_installed,
                down_since: None,
                push_halted: false,
                version: u32::from(cp_installed),
                pending: None,
            },
            mesh: topo.mesh.clone(),
            requests: Vec::new(),
            logs: vec![Vec::new(); topo.pods.len()],
            served: vec![0; topo.pods.len()],
            not_serving: topo.pods.iter().filter(|p| !p.ready).count() as u32,
            jobs: Vec::new(),
            http: vec![HttpRequest::default()],
            configs: vec![Shared::default(), initial.clone()],
            staged: initial,
            changes: Vec::new(),
            builds: vec![Arc::new(ConfigSet::compile(
                topo,
                topo.library_config.clone(),
            ))],
            policies: vec![
                Arc::new(RetryPolicy::mesh(&topo.mesh)),
                Arc::new(RetryPolicy {
                    attempts: 0,
                    per_try_timeout_us: Some(topo.mesh.app_timeout_us),
                    on: Vec::new(),
                    backoff_us: 0,
                }),
            ],
            retries_off: false,
            mtls_off: false,
        }
    }

    /// The entry for this retry policy, added if new.
    pub fn intern_policy(&mut self, p: RetryPolicy) -> u32 {
        match self.policies.iter().position(|x| **x == p) {
            Some(i) => i as u32,
            None => {
                self.policies.push(Arc::new(p));
                (self.policies.len() - 1) as u32
            }
        }
    }

    /// The entry for these request attributes, added if new.
    pub fn intern(&mut self, h: &HttpRequest) -> u32 {
        match self.http.iter().position(|x| x == h) {
            Some(i) => i as u32,
            None => {
                self.http.push(h.clone());
                (self.http.len() - 1) as u32
            }
        }
    }

    pub fn pod(&self, p: PodId) -> &PodRt {
        &self.pods[p.index()]
    }

    pub fn pod_mut(&mut self, p: PodId) -> &mut PodRt {
        &mut self.pods[p.index()]
    }

    pub fn req(&self, r: ReqId) -> &Request {
        &self.requests[r.index()]
    }

    pub fn req_mut(&mut self, r: ReqId) -> &mut Request {
        &mut self.requests[r.index()]
    }

    /// Whether an Envoy runs beside the app (a sidecar, or a gateway's or
    /// waypoint's own).
    pub fn has_sidecar(&self, p: PodId) -> bool {
        self.pods[p.index()]
            .proxy
            .as_ref()
            .is_some_and(|x| !x.proxyless)
    }

    /// Whether a proxyless gRPC app's xDS client runs in the pod.
    pub fn has_xds_client(&self, p: PodId) -> bool {
        self.pods[p.index()]
            .proxy
            .as_ref()
            .is_some_and(|x| x.proxyless)
    }

    pub fn is_running(&self, p: PodId) -> bool {
        self.pods[p.index()].phase == Phase::Running
    }

    /// Running and ready: an endpoint traffic may go to.
    pub fn serves(&self, p: PodId) -> bool {
        let pod = &self.pods[p.index()];
        pod.phase == Phase::Running && pod.ready
    }
}
