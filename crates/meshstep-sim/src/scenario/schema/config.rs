//! Mesh configuration: the resources an operator applies (Istio's
//! `VirtualService`, `DestinationRule`, `PeerAuthentication` and
//! `AuthorizationPolicy`; Linkerd's `HTTPRoute` and policy resources do the
//! same jobs). The control plane pushes them to the proxies, which behave
//! by them; an app with a proxy library is built with them instead.
//!
//! Defaults are Istio's, from its API reference
//! (<https://istio.io/latest/docs/reference/config/networking/virtual-service/>,
//! <https://istio.io/latest/docs/reference/config/networking/destination-rule/>,
//! <https://istio.io/latest/docs/reference/config/security/authorization-policy/>).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::MtlsMode;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Resource {
    /// How calls to a Service are routed, timed and retried (`VirtualService`).
    Routes(Routes),
    /// A Service's subsets, connection limits, outlier detection and retry
    /// budget (`DestinationRule`).
    Destination(Destination),
    /// Whether workloads accept plaintext (`PeerAuthentication`).
    PeerAuthentication(PeerAuthentication),
    /// Who may call a workload (`AuthorizationPolicy`).
    Authorization(Authorization),
}

/// What kind of resource, as `kubectl` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    VirtualService,
    DestinationRule,
    PeerAuthentication,
    AuthorizationPolicy,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 4] = [
        ResourceKind::VirtualService,
        ResourceKind::DestinationRule,
        ResourceKind::PeerAuthentication,
        ResourceKind::AuthorizationPolicy,
    ];
}

/// A resource by kind and name, as `kubectl delete` names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceRef {
    pub kind: ResourceKind,
    pub name: String,
}

impl std::fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}/{}", self.kind, self.name)
    }
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        match self {
            Resource::Routes(_) => ResourceKind::VirtualService,
            Resource::Destination(_) => ResourceKind::DestinationRule,
            Resource::PeerAuthentication(_) => ResourceKind::PeerAuthentication,
            Resource::Authorization(_) => ResourceKind::AuthorizationPolicy,
        }
    }

    /// Its name: given, or the Service it is for.
    pub fn name(&self) -> &str {
        match self {
            Resource::Routes(r) => r.name.as_deref().unwrap_or(&r.host),
            Resource::Destination(d) => d.name.as_deref().unwrap_or(&d.host),
            Resource::PeerAuthentication(p) => &p.name,
            Resource::Authorization(a) => &a.name,
        }
    }

    pub fn reference(&self) -> ResourceRef {
        ResourceRef {
            kind: self.kind(),
            name: self.name().to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routes {
    /// The Service whose calls these routes decide.
    pub host: String,
    /// Default: the host.
    #[serde(default)]
    pub name: Option<String>,
    /// Tried in order; the first that matches a request decides. When none
    /// matches, the caller's proxy answers 404 itself (Envoy's `NR`).
    pub http: Vec<HttpRoute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpRoute {
    #[serde(default)]
    pub name: Option<String>,
    /// The route applies when any of these matches (none: every request).
    #[serde(default)]
    pub matches: Vec<RouteMatch>,
    /// Where its requests go, split by weight (none: the whole Service).
    #[serde(default)]
    pub to: Vec<Backend>,
    /// The whole call, retries included; when it runs out the proxy
    /// answers 504 (`UT`). Default: no timeout.
    #[serde(default)]
    pub timeout_us: Option<u64>,
    /// Default: the mesh's policy (`topology.mesh`).
    #[serde(default)]
    pub retries: Option<Retries>,
    /// A copy of each request goes to this subset too; its answer is thrown
    /// away ("fire and forget").
    #[serde(default)]
    pub mirror: Option<String>,
}

/// Conditions on a request; all that are given must hold.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouteMatch {
    /// Exact header values, by lowercase name.
    pub headers: BTreeMap<String, String>,
    pub path_prefix: Option<String>,
    pub method: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backend {
    /// A subset the Service's `Destination` defines (none: every endpoint).
    #[serde(default)]
    pub subset: Option<String>,
    /// Share of the requests, relative to the other backends (default 100).
    #[serde(default = "hundred")]
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retries {
    /// Retries after the first attempt (0: none).
    pub attempts: u32,
    /// Each attempt's own limit. Default: none (only the route timeout).
    #[serde(default)]
    pub per_try_timeout_us: Option<u64>,
    /// What is worth another attempt (default: `[ConnectFailure]`, Istio's
    /// `connect-failure,refused-stream,…`, which retries neither error
    /// answers nor timed-out attempts).
    #[serde(default = "default_retry_on")]
    pub retry_on: Vec<RetryOn>,
    /// Base of Envoy's jittered back-off: retry N waits a random time below
    /// (2^N − 1) × this, at most 10 × this (default 25 ms).
    #[serde(default = "default_backoff_us")]
    pub backoff_us: u64,
}

/// Envoy's `retryOn` conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RetryOn {
    /// Any 5xx answer, or no answer at all (`5xx`).
    Http5xx,
    /// A 502, 503 or 504, or no answer at all (`gateway-error`).
    GatewayError,
    /// The connection could not be made (`connect-failure`).
    ConnectFailure,
    /// No answer at all: reset, refused or timed out (`reset`).
    Reset,
    /// An answer with this status (`retriable-status-codes`).
    Status(u16),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// The Service this applies to.
    pub host: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Named groups of the Service's pods, by their `version` label.
    #[serde(default)]
    pub subsets: Vec<Subset>,
    /// Circuit breaking: limits each caller's proxy keeps to. Beyond them it
    /// answers 503 at once (`UO`) without trying.
    #[serde(default)]
    pub connection_pool: Option<ConnectionPool>,
    /// Each caller's proxy ejects an endpoint that keeps failing, for a while.
    #[serde(default)]
    pub outlier_detection: Option<OutlierDetection>,
    /// At most this share of a caller's requests to the Service may be
    /// retries at once (Istio 1.27's `retryBudget`).
    #[serde(default)]
    pub retry_budget: Option<RetryBudget>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subset {
    pub name: String,
    /// Pods whose `version` label is this.
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectionPool {
    /// Requests in flight at once, each on its own connection (HTTP/1.1's
    /// `maxConnections`). Default: no limit.
    pub max_connections: Option<u32>,
    /// Requests that may wait for a connection (`http1MaxPendingRequests`).
    /// Default: no limit.
    pub max_pending: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlierDetection {
    /// Errors in a row that eject an endpoint: 5xx answers, resets and
    /// timeouts (default 5).
    #[serde(default = "five")]
    pub consecutive_5xx: u32,
    /// Ejected for this long times the number of times it was ejected
    /// (default 30 s, at most 300 s).
    #[serde(default = "thirty_s")]
    pub base_ejection_us: u64,
    /// At most this share of the endpoints is ejected at once, but always
    /// at least one (default 10).
    #[serde(default = "ten")]
    pub max_ejection_percent: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryBudget {
    /// Retries may be this percentage of active requests (default 20).
    #[serde(default = "twenty")]
    pub percent: u32,
    /// … but at least this many retries at once are always allowed (default 3).
    #[serde(default = "three")]
    pub min_concurrency: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerAuthentication {
    pub name: String,
    /// Its namespace; none: mesh-wide (Istio's root namespace).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Only the pods with this `app` label (none: the whole scope). The most
    /// specific policy applies: workload, then namespace, then mesh.
    #[serde(default)]
    pub selector: Option<String>,
    pub mode: MtlsMode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    pub name: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Only the pods with this `app` label (none: every pod in the namespace).
    #[serde(default)]
    pub selector: Option<String>,
    #[serde(default)]
    pub action: AuthzAction,
    /// A request matches the policy when it matches any rule. An `Allow`
    /// policy with no rules matches nothing, so it denies everything.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AuthzAction {
    /// Once any `Allow` policy selects a workload, only what one allows gets in.
    #[default]
    Allow,
    /// What a `Deny` policy matches is refused, before any `Allow` is looked at.
    Deny,
}

/// A rule matches when each of its parts matches (an empty part: anything).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rule {
    /// Any of these callers.
    pub from: Vec<Source>,
    /// Any of these operations.
    pub to: Vec<Operation>,
}

/// A caller, known by its certificate, so only over mutual TLS.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Source {
    /// `cluster.local/ns/<namespace>/sa/<service account>`, or `*`.
    pub principals: Vec<String>,
    pub namespaces: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Operation {
    pub methods: Vec<String>,
    /// Exact paths, or a prefix ending in `*` (`/admin/*`).
    pub paths: Vec<String>,
}

fn hundred() -> u32 {
    100
}
fn five() -> u32 {
    5
}
fn ten() -> u32 {
    10
}
fn twenty() -> u32 {
    20
}
fn three() -> u32 {
    3
}
fn thirty_s() -> u64 {
    30_000_000
}
pub(crate) fn default_backoff_us() -> u64 {
    25_000
}
fn default_retry_on() -> Vec<RetryOn> {
    vec![RetryOn::ConnectFailure]
}
fn default_namespace() -> String {
    "default".into()
}
