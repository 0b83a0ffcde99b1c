//! The cluster a lesson simulates: control plane, nodes, pods, services,
//! gateways, external hosts, per-hop latencies and the mesh's traffic policy.
//!
//! Defaults follow the upstream projects where a lesson does not say
//! otherwise; each is cited where it is defined. "What the engine models" in
//! `docs/scenario-format.md` lists what each field stands for.

use serde::{Deserialize, Serialize};

use super::{Handler, Resource};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopologySpec {
    #[serde(default)]
    pub control_plane: Option<ControlPlaneSpec>,
    /// Kubernetes nodes pods are scheduled on (default: one node, `node-1`).
    #[serde(default)]
    pub nodes: Vec<String>,
    pub pods: Vec<PodSpec>,
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    /// Data-plane proxies at the edge of the mesh (an ingress gateway). They
    /// are installed with the mesh but are not part of its control plane.
    #[serde(default)]
    pub gateways: Vec<GatewaySpec>,
    /// Ambient mode's L7 proxies (Istio only). A waypoint serves the
    /// Services of its namespace, as if the namespace were labelled
    /// `istio.io/use-waypoint`.
    #[serde(default)]
    pub waypoints: Vec<WaypointSpec>,
    /// Hosts outside the cluster that pods may call.
    #[serde(default)]
    pub external: Vec<ExternalSpec>,
    #[serde(default)]
    pub latency: Latency,
    #[serde(default)]
    pub mesh: MeshPolicy,
    /// Mesh configuration in force from the start (version 1 of what the
    /// control plane pushes).
    #[serde(default)]
    pub config: Vec<Resource>,
    /// What every app with a proxy library is built with: its routes and
    /// destinations. Changing it means rebuilding the app (`RebuildApp`).
    #[serde(default)]
    pub library_config: Vec<Resource>,
    /// Languages the proxy library is written for (default: the languages
    /// of the pods that use it). An app in another language gets the
    /// library's features only once someone ports the library.
    #[serde(default)]
    pub library_languages: Vec<String>,
}

/// Which mesh the control plane is; it decides how proxies learn routes and
/// what happens to new pods while the control plane is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Flavour {
    /// istiod pushes the whole mesh's config to every sidecar before any
    /// traffic, and its injection webhook fails closed (`failurePolicy: Fail`).
    #[default]
    Istio,
    /// Each proxy asks the destination service about a target the first time
    /// it sees traffic for it and caches the answer while it is in use; the
    /// proxy injector fails open (`failurePolicy: Ignore`).
    Linkerd,
}

impl Flavour {
    pub fn default_namespace(self) -> &'static str {
        match self {
            Flavour::Istio => "istio-system",
            Flavour::Linkerd => "linkerd",
        }
    }

    /// The control plane's deployments, as `kubectl get pods` lists them.
    pub fn default_pods(self) -> &'static [&'static str] {
        match self {
            Flavour::Istio => &["istiod"],
            Flavour::Linkerd => &[
                "linkerd-destination",
                "linkerd-identity",
                "linkerd-proxy-injector",
            ],
        }
    }

    /// The proxy container's name, for `kubectl logs -c`.
    pub fn proxy_container(self) -> &'static str {
        match self {
            Flavour::Istio => "istio-proxy",
            Flavour::Linkerd => "linkerd-proxy",
        }
    }

    /// Whether pod creation fails while the injector webhook is unreachable.
    pub fn injection_fails_closed(self) -> bool {
        matches!(self, Flavour::Istio)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneSpec {
    /// Component id of the control plane (`istiod`).
    pub id: String,
    #[serde(default)]
    pub flavour: Flavour,
    /// Namespace of its pods (default: `istio-system` or `linkerd`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Already running when the simulation starts (and every pod meant to have
    /// a sidecar was created with one). When false, a `KubectlApply` stimulus
    /// installs it; pods that were running before need a restart.
    #[serde(default = "yes")]
    pub installed: bool,
    /// Time from `kubectl apply` until the control plane pods are Running.
    #[serde(default = "default_startup_us")]
    pub startup_us: u64,
    /// Time the control plane needs to build a config push once it starts one.
    #[serde(default = "default_cp_processing_us")]
    pub processing_us: u64,
    /// A push waits until no change has arrived for this long
    /// (Istio's `PILOT_DEBOUNCE_AFTER`, 100 ms).
    #[serde(default = "default_debounce_us")]
    pub debounce_us: u64,
    /// … but no longer than this after the first change (`PILOT_DEBOUNCE_MAX`, 10 s).
    #[serde(default = "default_debounce_max_us")]
    pub debounce_max_us: u64,
    /// Time between sending a push to one proxy and the next (istiod pushes
    /// to many proxies at once; set this to watch a push converge).
    #[serde(default)]
    pub push_spacing_us: u64,
    /// Lifetime of the workload certificates the control plane signs (24 h in
    /// both Istio and Linkerd). Proxies renew at half their lifetime.
    #[serde(default = "default_cert_lifetime_us")]
    pub cert_lifetime_us: u64,
    /// Format version 1 only; no longer accepted as `true`: no mesh pushes
    /// config because a proxy reported telemetry.
    #[serde(default)]
    pub push_on_telemetry: Option<bool>,
    /// Format version 1 only: route discovery now follows `flavour`.
    #[serde(default)]
    pub discovery: Option<Discovery>,
    /// Names of the control plane's own pods (default by flavour).
    #[serde(default)]
    pub pods: Option<Vec<String>>,
}

impl ControlPlaneSpec {
    pub fn namespace(&self) -> &str {
        self.namespace
            .as_deref()
            .unwrap_or(self.flavour.default_namespace())
    }

    pub fn pod_names(&self) -> Vec<String> {
        match &self.pods {
            Some(p) => p.clone(),
            None => self
                .flavour
                .default_pods()
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// Format version 1's way of choosing route discovery; kept so old files get
/// a precise message (see `flavour`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Discovery {
    #[default]
    Push,
    OnDemand,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodSpec {
    /// Pod id, also the prefix of its containers' ids (`checkout/app`, `checkout/sidecar`).
    pub id: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// The app label; services select pods by it.
    pub app: String,
    /// Which proxy handles this pod's traffic. `Sidecar` means the pod is
    /// selected for injection (its namespace is labelled for it).
    #[serde(default)]
    pub proxy: ProxyMode,
    /// Time the app spends handling one request it receives.
    #[serde(default = "default_service_time_us")]
    pub service_time_us: u64,
    /// The node it runs on (default: spread over `nodes` in order).
    #[serde(default)]
    pub node: Option<String>,
    /// The identity its certificate names (default: the app label).
    #[serde(default)]
    pub service_account: Option<String>,
    /// Its `version` label (`v1`), which DestinationRule subsets select.
    #[serde(default)]
    pub version: Option<String>,
    /// What its app does with a request (default: answer 200 after
    /// `service_time_us`).
    #[serde(default)]
    pub handler: Option<Handler>,
    /// Whether it passes its readiness probe. A pod that does not is no
    /// Service endpoint: neither kube-proxy nor a proxy sends it traffic.
    #[serde(default = "yes")]
    pub ready: bool,
    /// The language its app is written in (`go`, `java`): a proxy library
    /// has to exist in it, a sidecar does not care. Used by the comparison
    /// of approaches; left out, the app counts as one unnamed language.
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ProxyMode {
    /// Plain app: direct calls, no retries, no encryption, no metrics.
    #[default]
    None,
    /// A sidecar container injected into the pod by the mesh.
    Sidecar,
    /// Proxy logic compiled into the app (client library).
    Library,
    /// Istio ambient mode (the pod or its namespace is labelled
    /// `istio.io/dataplane-mode=ambient`): no container is added; the
    /// ztunnel on the pod's node carries its traffic in mTLS (HBONE), and a
    /// waypoint, if its namespace has one, applies L7 policy.
    /// <https://istio.io/latest/docs/ambient/overview/>
    Ambient,
    /// Proxyless gRPC: the app's gRPC library is configured over xDS by the
    /// control plane (through istio-agent, injected with the `grpc-agent`
    /// template), with no proxy in the path: the library routes, splits
    /// traffic and applies route timeouts from pushed config, but does not
    /// retry or mirror, and has no auto-mTLS or PERMISSIVE mode.
    /// <https://istio.io/latest/blog/2021/proxyless-grpc/>
    Proxyless,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// A DNS label: lowercase letters, digits and `-`, starting with a letter.
    pub name: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Pods whose `app` equals this are the service's endpoints.
    pub selector: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewaySpec {
    /// Its deployment's name (`istio-ingressgateway`).
    pub id: String,
    /// Default: the control plane's namespace.
    #[serde(default)]
    pub namespace: Option<String>,
}

/// An ambient waypoint proxy: an Envoy deployment (`istioctl waypoint apply
/// -n <namespace> --enroll-namespace`).
/// <https://istio.io/latest/docs/ambient/usage/waypoint/>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaypointSpec {
    /// Its deployment's name (`waypoint`).
    pub id: String,
    /// The namespace whose Services it serves (default `default`).
    #[serde(default = "default_namespace")]
    pub namespace: String,
}

fn default_namespace() -> String {
    "default".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalSpec {
    /// The host name pods call (`api.payments.example`).
    pub host: String,
    /// Registered in the mesh (an Istio `ServiceEntry`), so a proxy in
    /// `RegistryOnly` mode lets calls to it through.
    #[serde(default)]
    pub service_entry: bool,
}

/// Per-hop costs, in microseconds of virtual time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Latency {
    /// App container to its sidecar, over the pod's loopback interface.
    pub loopback_us: u64,
    /// Pod to pod across the cluster network.
    pub network_us: u64,
    /// Sidecar to control plane.
    pub control_plane_us: u64,
    /// Work a library proxy does in-process per request.
    pub library_us: u64,
    /// Work a sidecar does to capture a request (iptables redirect, accept).
    pub intercept_us: u64,
    /// Work a sidecar does to apply routing, policy and mTLS per request.
    pub sidecar_us: u64,
    /// A restarted pod's time from creation to Running.
    pub pod_start_us: u64,
    /// From a pod to a host outside the cluster, one way.
    pub external_us: u64,
    /// Building and pushing a new image of an app (`RebuildApp`).
    pub build_us: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Self {
            loopback_us: 20,
            network_us: 500,
            control_plane_us: 300,
            library_us: 50,
            intercept_us: 30,
            sidecar_us: 100,
            pod_start_us: 1_000_000,
            external_us: 1_000,
            build_us: 180_000_000,
        }
    }
}

/// The traffic policy the lesson configures for its proxies (a
/// `VirtualService` and `PeerAuthentication` in Istio). Istio's own defaults
/// differ: 2 retries on connection failures only and no timeouts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeshPolicy {
    pub mtls: MtlsMode,
    /// Extra attempts a proxy makes after a failed or timed-out try.
    pub retries: u32,
    /// How long a proxy waits for one attempt before retrying.
    pub per_try_timeout_us: u64,
    /// How long an app without a proxy waits before giving up.
    pub app_timeout_us: u64,
    /// Proxies write an access log line per request (off by default in Istio;
    /// the demo profile turns it on).
    pub access_log: bool,
    /// What a sidecar does with a call to a host the mesh does not know.
    pub outbound: OutboundPolicy,
    /// Base of the proxies' jittered back-off between attempts (Envoy's
    /// default, 25 ms): retry N waits a random time below (2^N − 1) × this.
    pub retry_backoff_us: u64,
}

impl Default for MeshPolicy {
    fn default() -> Self {
        Self {
            mtls: MtlsMode::Permissive,
            retries: 2,
            per_try_timeout_us: 5_000,
            app_timeout_us: 15_000,
            access_log: false,
            outbound: OutboundPolicy::AllowAny,
            retry_backoff_us: super::config::default_backoff_us(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MtlsMode {
    Off,
    /// Encrypt between sidecars; still accept plaintext from pods without one (Istio's default).
    Permissive,
    /// Encrypt between sidecars; reset plaintext connections at a sidecar's inbound port.
    Strict,
}

/// Istio's `outboundTrafficPolicy.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OutboundPolicy {
    /// Unknown hosts pass through (`PassthroughCluster`); the default.
    #[default]
    AllowAny,
    /// Only registered hosts; HTTP to others gets 502 (`BlackHoleCluster`).
    RegistryOnly,
}

fn yes() -> bool {
    true
}
fn default_startup_us() -> u64 {
    2_000_000
}
fn default_cp_processing_us() -> u64 {
    200
}
fn default_debounce_us() -> u64 {
    100_000
}
fn default_debounce_max_us() -> u64 {
    10_000_000
}
fn default_cert_lifetime_us() -> u64 {
    24 * 3600 * 1_000_000
}
/// How long an app takes per request when the lesson does not say.
pub const DEFAULT_SERVICE_TIME_US: u64 = 1_000;

fn default_service_time_us() -> u64 {
    DEFAULT_SERVICE_TIME_US
}
