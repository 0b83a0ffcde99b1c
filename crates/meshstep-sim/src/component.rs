//! Simulated components (kubectl, control plane, pods and their containers,
//! services) and the states they move through.

use serde::Serialize;

/// Index of a component in a [`crate::Topology`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ComponentId(pub u32);

impl ComponentId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ComponentKind {
    /// The operator's `kubectl`, source of cluster commands.
    Kubectl,
    ControlPlane,
    Pod,
    /// The application container in a pod.
    App,
    /// The mesh's proxy container beside the app.
    Sidecar,
    /// Proxy logic compiled into the app process.
    Library,
    Service,
    /// A data-plane proxy at the mesh's edge (an ingress gateway).
    Gateway,
    /// A host outside the cluster.
    External,
    /// Clients outside the cluster, calling in through an ingress gateway.
    Client,
    /// Ambient mode's per-node L4 proxy.
    Ztunnel,
    /// Ambient mode's L7 proxy for a namespace's Services.
    Waypoint,
    /// Marks the end of a run in the trace.
    End,
}

impl ComponentKind {
    /// Every kind, for checks that must cover them all (colours, labels).
    pub const ALL: [ComponentKind; 13] = [
        ComponentKind::Kubectl,
        ComponentKind::ControlPlane,
        ComponentKind::Pod,
        ComponentKind::App,
        ComponentKind::Sidecar,
        ComponentKind::Library,
        ComponentKind::Service,
        ComponentKind::Gateway,
        ComponentKind::External,
        ComponentKind::Client,
        ComponentKind::Ztunnel,
        ComponentKind::Waypoint,
        ComponentKind::End,
    ];

    /// The name a learner sees when a scenario gives no label.
    pub fn default_label(self) -> &'static str {
        match self {
            ComponentKind::Kubectl => "kubectl",
            ComponentKind::ControlPlane => "Control Plane",
            ComponentKind::Pod => "Pod",
            ComponentKind::App => "Application",
            ComponentKind::Sidecar => "Sidecar Proxy",
            ComponentKind::Library => "Library Proxy",
            ComponentKind::Service => "Service",
            ComponentKind::Gateway => "Ingress gateway",
            ComponentKind::External => "External host",
            ComponentKind::Client => "Client (outside the cluster)",
            ComponentKind::Ztunnel => "ztunnel (node proxy)",
            ComponentKind::Waypoint => "Waypoint proxy",
            ComponentKind::End => "End",
        }
    }
}

/// What a component is doing now. Each has a stable key (used in scenario
/// wording maps) and a default label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum State {
    Inactive,
    Idle,
    // proxies
    NotInjected,
    Missing,
    Intercepting,
    Consulting,
    ApplyingPolicies,
    Forwarding,
    ReportingMetrics,
    UpdatingBehaviour,
    ProcessingRequest,
    AwaitingResponse,
    // apps
    SentViaLibrary,
    SentToSidecar,
    SentDirect,
    /// Ambient: the app's connection is captured by the node's ztunnel.
    SentToZtunnel,
    WaitingForResponse,
    Handling,
    ResponseReceived,
    RequestFailed,
    /// The container exits at start and is restarted (CrashLoopBackOff).
    NotRunning,
    // control plane
    NotInstalled,
    Starting,
    Down,
    UpdatingConfig,
    PushHalted,
    // pods, kubectl
    Running,
}

impl State {
    pub const ALL: &'static [State] = &[
        State::Inactive,
        State::Idle,
        State::NotInjected,
        State::Missing,
        State::Intercepting,
        State::Consulting,
        State::ApplyingPolicies,
        State::Forwarding,
        State::ReportingMetrics,
        State::UpdatingBehaviour,
        State::ProcessingRequest,
        State::AwaitingResponse,
        State::SentViaLibrary,
        State::SentToSidecar,
        State::SentDirect,
        State::SentToZtunnel,
        State::WaitingForResponse,
        State::Handling,
        State::ResponseReceived,
        State::RequestFailed,
        State::NotRunning,
        State::NotInstalled,
        State::Starting,
        State::Down,
        State::UpdatingConfig,
        State::PushHalted,
        State::Running,
    ];

    pub fn key(self) -> &'static str {
        match self {
            State::Inactive => "inactive",
            State::Idle => "idle",
            State::NotInjected => "not_injected",
            State::Missing => "missing",
            State::Intercepting => "intercepting",
            State::Consulting => "consulting",
            State::ApplyingPolicies => "applying_policies",
            State::Forwarding => "forwarding",
            State::ReportingMetrics => "reporting_metrics",
            State::UpdatingBehaviour => "updating_behaviour",
            State::ProcessingRequest => "processing_request",
            State::AwaitingResponse => "awaiting_response",
            State::SentViaLibrary => "sent_via_library",
            State::SentToSidecar => "sent_to_sidecar",
            State::SentDirect => "sent_direct",
            State::SentToZtunnel => "sent_to_ztunnel",
            State::WaitingForResponse => "waiting_for_response",
            State::Handling => "handling",
            State::ResponseReceived => "response_received",
            State::RequestFailed => "request_failed",
            State::NotRunning => "not_running",
            State::NotInstalled => "not_installed",
            State::Starting => "starting",
            State::Down => "down",
            State::UpdatingConfig => "updating_config",
            State::PushHalted => "push_halted",
            State::Running => "running",
        }
    }

    /// A component that is not there to act: never injected, missing from
    /// the build, crash-looping, not installed or down. The flow view draws
    /// it dashed and crossed out instead of as a working box.
    pub fn is_absent(self) -> bool {
        matches!(
            self,
            State::NotInjected
                | State::Missing
                | State::NotRunning
                | State::NotInstalled
                | State::Down
        )
    }

    /// A state that says the component is doing nothing: shown for the
    /// component acting, it would contradict the step (the flow view says
    /// what it does instead).
    pub fn is_resting(self) -> bool {
        matches!(self, State::Inactive | State::Idle | State::Running)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Inactive => "Inactive",
            State::Idle => "Idle",
            State::NotInjected => "Not injected",
            State::Missing => "Missing",
            State::Intercepting => "Intercepting request",
            State::Consulting => "Consulting control plane",
            State::ApplyingPolicies => "Applying policies",
            State::Forwarding => "Forwarding request",
            State::ReportingMetrics => "Reporting metrics",
            State::UpdatingBehaviour => "Updating behaviour",
            State::ProcessingRequest => "Processing request",
            State::AwaitingResponse => "Awaiting response",
            State::SentViaLibrary => "Request sent via library proxy",
            State::SentToSidecar => "Request sent to sidecar proxy",
            State::SentDirect => "Request sent directly",
            State::SentToZtunnel => "Request sent via ztunnel",
            State::WaitingForResponse => "Waiting for response",
            State::Handling => "Handling request",
            State::ResponseReceived => "Response received",
            State::RequestFailed => "Request failed",
            State::NotRunning => "Not running (CrashLoopBackOff)",
            State::NotInstalled => "Not installed",
            State::Starting => "Starting",
            State::Down => "Down",
            State::UpdatingConfig => "Updating config",
            State::PushHalted => "Config push halted",
            State::Running => "Running",
        }
    }
}

/// One component as the topology knows it.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    /// Scenario-facing id (`checkout/sidecar`).
    pub id: String,
    pub kind: ComponentKind,
    /// Display name (scenario label, else the kind's default).
    pub label: String,
    /// The pod this component lives in, if any.
    pub pod: Option<crate::ids::PodId>,
}
