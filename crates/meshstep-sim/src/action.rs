//! The vocabulary of the trace: every kind of thing a component can do.
//!
//! Scenario steps bind to these names (`on: (component: "…", action: ApplyPolicies)`),
//! so renaming a variant is a format change.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    // kubectl / cluster
    /// `kubectl apply` of the mesh manifest.
    ApplyManifest,
    /// The control plane's pods became Running.
    ControlPlaneReady,
    /// A pod was restarted with a sidecar container.
    InjectSidecar,
    /// `kubectl get pods` printed its listing.
    ListPods,
    /// `kubectl get svc` printed its listing.
    ListServices,
    /// `kubectl exec … curl` printed the response.
    ExecCurl,
    /// `kubectl logs` printed a pod's log.
    ReadLogs,
    /// `kubectl rollout restart` recreated a namespace's pods.
    RolloutRestart,
    /// A new image of an app was built with a new proxy-library
    /// configuration, to be rolled out.
    RebuildApp,
    /// `kubectl apply` of mesh configuration (routing, security, telemetry resources).
    ApplyMeshConfig,
    /// `istioctl proxy-status` printed each proxy's config version.
    ProxyStatus,
    /// A recreated pod became Running.
    PodReady,
    // application container
    /// The app issued an outbound call.
    SendRequest,
    /// The app received a request and processed it.
    HandleRequest,
    /// The app sent its response.
    SendResponse,
    /// The app got the answer to its call (or gave up).
    ReceiveResponse,
    // library proxy (in-process)
    /// The library applied its policies in-process and sent the request.
    LibraryProcess,
    /// The library retried a failed attempt.
    LibraryRetry,
    // sidecar proxy
    /// The sidecar captured the app's outbound connection.
    Intercept,
    /// The sidecar asked the control plane for routes to a destination.
    ConsultControlPlane,
    /// The sidecar received routing rules from the control plane.
    ReceiveRoutes,
    /// The sidecar applied routing, policy, mTLS and retry settings.
    ApplyPolicies,
    /// The sidecar sent the request towards an endpoint.
    Forward,
    /// The sidecar retried a failed attempt.
    Retry,
    /// The sidecar captured traffic arriving at its pod.
    InterceptInbound,
    /// The sidecar handed a response back to its app, logging it.
    ReturnResponse,
    /// The proxy recorded the request in its metrics, which a metrics system
    /// (Prometheus) scrapes from it.
    ReportMetrics,
    /// The sidecar installed a config version from the control plane.
    ApplyConfig,
    /// A sidecar refused plaintext traffic (strict mTLS).
    RejectPlaintext,
    /// A sidecar refused a request its authorization policies do not allow (403).
    DenyRequest,
    /// A proxy (or app) discarded a reply to an attempt it had already given up on.
    DropLateReply,
    /// A proxy sent a copy of a request to a mirror; its answer is thrown away.
    MirrorRequest,
    /// A proxy's outlier detection ejected an endpoint that kept failing.
    EjectEndpoint,
    // control plane
    /// Format version 1 only: no current mesh sends per-request metrics to
    /// its control plane, so the engine never produces this.
    ReceiveMetrics,
    /// The control plane answered a sidecar's route lookup.
    AnswerLookup,
    /// The control plane sent config and policies to sidecars.
    PushConfig,
    // network
    /// A lossy link dropped a message.
    DropMessage,
    // engine
    /// A what-if's fault took effect during the run.
    InjectFault,
    /// An attempt ran out of time.
    AttemptTimeout,
    /// No events remain: the run is over.
    End,
}

impl Action {
    /// Every action, in declaration order (for suggestions and docs).
    pub const ALL: &'static [Action] = &[
        Action::ApplyManifest,
        Action::ControlPlaneReady,
        Action::InjectSidecar,
        Action::ListPods,
        Action::ListServices,
        Action::ExecCurl,
        Action::ReadLogs,
        Action::RolloutRestart,
        Action::RebuildApp,
        Action::ApplyMeshConfig,
        Action::ProxyStatus,
        Action::PodReady,
        Action::SendRequest,
        Action::HandleRequest,
        Action::SendResponse,
        Action::ReceiveResponse,
        Action::LibraryProcess,
        Action::LibraryRetry,
        Action::Intercept,
        Action::ConsultControlPlane,
        Action::ReceiveRoutes,
        Action::ApplyPolicies,
        Action::Forward,
        Action::Retry,
        Action::InterceptInbound,
        Action::ReturnResponse,
        Action::ReportMetrics,
        Action::ApplyConfig,
        Action::RejectPlaintext,
        Action::DenyRequest,
        Action::DropLateReply,
        Action::MirrorRequest,
        Action::EjectEndpoint,
        Action::ReceiveMetrics,
        Action::AnswerLookup,
        Action::PushConfig,
        Action::DropMessage,
        Action::InjectFault,
        Action::AttemptTimeout,
        Action::End,
    ];

    /// A plain-words description used in the raw trace.
    pub fn describe(self) -> &'static str {
        match self {
            Action::ApplyManifest => "applies the mesh manifest",
            Action::ControlPlaneReady => "control plane pods running",
            Action::InjectSidecar => "restarts pod with a sidecar",
            Action::ListPods => "lists pods",
            Action::ListServices => "lists services",
            Action::ExecCurl => "curl inside the pod returns",
            Action::ReadLogs => "prints pod logs",
            Action::RolloutRestart => "restarts the namespace's deployments",
            Action::RebuildApp => "rebuilds an app with new library configuration",
            Action::ApplyMeshConfig => "applies mesh configuration",
            Action::ProxyStatus => "lists each proxy's config version",
            Action::PodReady => "new pod running",
            Action::SendRequest => "sends request",
            Action::HandleRequest => "handles request",
            Action::SendResponse => "sends response",
            Action::ReceiveResponse => "receives response",
            Action::LibraryProcess => "processes request in-process",
            Action::LibraryRetry => "retries in-process",
            Action::Intercept => "intercepts outbound request",
            Action::ConsultControlPlane => "asks control plane for routes",
            Action::ReceiveRoutes => "receives routing rules",
            Action::ApplyPolicies => "applies routing, policy and mTLS",
            Action::Forward => "forwards request",
            Action::Retry => "retries request",
            Action::InterceptInbound => "intercepts inbound traffic",
            Action::ReturnResponse => "returns response to app",
            Action::ReportMetrics => "records metrics for scraping",
            Action::ApplyConfig => "installs new config",
            Action::RejectPlaintext => "rejects plaintext",
            Action::DenyRequest => "denies the request (authorization policy)",
            Action::DropLateReply => "discards a late reply",
            Action::MirrorRequest => "mirrors the request",
            Action::EjectEndpoint => "ejects a failing endpoint",
            Action::ReceiveMetrics => {
                "receives metrics (not modelled: Prometheus scrapes the proxies)"
            }
            Action::AnswerLookup => "answers route lookup",
            Action::PushConfig => "pushes config and policies",
            Action::DropMessage => "drops a message",
            Action::InjectFault => "a what-if takes effect",
            Action::AttemptTimeout => "attempt timed out",
            Action::End => "no more events",
        }
    }

    pub fn name(self) -> String {
        format!("{self:?}")
    }
}
