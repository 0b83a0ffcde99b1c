//! What an event achieved (`Outcome`), why something failed (`Failure`), how
//! a call ended (`CallResult`) and the engine's remark on a row (`Note`).
//! All are small values: a trace holds one per event.

use std::fmt;

use serde::Serialize;

use crate::ids::PodId;
use crate::queue::Micros;
use crate::topology::Topology;

/// Why something did not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Failure {
    /// The app's code needs its communication library, which is missing: the
    /// container exits at start (CrashLoopBackOff), so it never calls out.
    NoLibrary,
    /// An Istio sidecar that has not received its first config yet: Envoy
    /// is still initialising and its listeners accept nothing, so the app's
    /// connection (redirected to it) is refused. Its readiness probe fails
    /// too, so the pod is not Ready.
    /// <https://cloud.google.com/service-mesh/docs/troubleshooting/troubleshoot-pod-startup-time>
    NotConfigured,
    /// The control plane did not answer.
    ControlPlaneDown,
    /// The control plane is up but pushes no config.
    PushHalted,
    /// A caller without a proxy gave up waiting (its own timer fired).
    Timeout,
    /// The connection was refused or reset before any answer (strict mTLS
    /// refusing plaintext, ztunnel's L4 policy, nothing listening).
    Refused,
    NoEndpoints,
    InjectionFailed,
    /// The injection webhook could not be reached while the pod was created.
    WebhookUnavailable,
    /// A workload certificate ran out and could not be renewed.
    CertExpired,
    /// The host is not in the mesh's registry and the mesh allows only registered hosts.
    NotInRegistry,
    /// Routes exist for the Service but none matches the request (`NR`).
    NoRoute,
    /// The route names a subset no destination defines (`NC`).
    NoCluster,
    /// The circuit breaker's limits are reached (`UO`).
    Overflow,
    /// The route's timeout for the whole call ran out (`UT`).
    RouteTimeout,
    /// An authorization policy refused the caller (403).
    Forbidden,
}

impl Failure {
    pub fn describe(self) -> &'static str {
        match self {
            Failure::NoLibrary => {
                "the app is not running: its code imports the missing library, so the container exits at start"
            }
            Failure::NotConfigured => {
                "connection refused: the sidecar has had no config yet, so it accepts no connections"
            }
            Failure::ControlPlaneDown => "control plane unreachable",
            Failure::PushHalted => "control plane is not pushing config",
            Failure::Timeout => "timed out",
            Failure::Refused => "connection refused or reset before any answer",
            Failure::NoEndpoints => "service has no ready endpoints",
            Failure::InjectionFailed => "sidecar injection failed",
            Failure::WebhookUnavailable => "the injection webhook is unreachable",
            Failure::CertExpired => "workload certificate expired",
            Failure::NotInRegistry => "host not in the mesh registry",
            Failure::NoRoute => "no route matches the request (NR)",
            Failure::NoCluster => "the route names a subset no destination rule defines (NC)",
            Failure::Overflow => "circuit breaker open: too many requests in flight (UO)",
            Failure::RouteTimeout => "the route's timeout ran out (UT)",
            Failure::Forbidden => "denied by an authorization policy (HTTP 403)",
        }
    }
}

/// Which way an app's call leaves its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Route {
    Sidecar,
    Library,
    Direct,
    /// Captured by the node's ztunnel (ambient mode).
    Ztunnel,
}

/// What an event achieved, as the engine sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Outcome {
    Done,
    /// Handed to the next hop.
    Sent,
    /// An app's call left by this route.
    SentVia(Route),
    /// Printed by kubectl.
    Output(Box<str>),
    /// A call completed (or was answered by a proxy) with an HTTP status.
    Http {
        status: u16,
        latency_us: Micros,
        attempts: u32,
        encrypted: bool,
    },
    /// Waits for a connection to free up (the circuit breaker's limit).
    Waiting,
    /// A server's app answered with this status.
    Answered {
        status: u16,
    },
    /// An attempt left for this endpoint (`None`: a host outside the cluster).
    Forwarded {
        endpoint: Option<PodId>,
        attempt: u32,
        encrypted: bool,
    },
    Failed(Failure),
    /// The message was dropped (a lossy link, or a reply nobody waits for).
    Dropped,
    /// Sent to a component that is down; nobody received it.
    Lost,
    Config {
        version: u32,
    },
    Pushed {
        version: u32,
        sidecars: u32,
    },
}

impl Outcome {
    /// A one-line description, naming pods through the topology.
    pub fn describe(&self, topo: &Topology) -> String {
        match self {
            Outcome::Done => "done".into(),
            Outcome::Sent => "sent".into(),
            Outcome::SentVia(Route::Sidecar) => "redirected to the sidecar".into(),
            Outcome::SentVia(Route::Ztunnel) => "captured by the node's ztunnel".into(),
            Outcome::SentVia(Route::Library) => "handed to the in-process library".into(),
            Outcome::SentVia(Route::Direct) => "sent directly, no proxy".into(),
            Outcome::Output(s) => s.to_string(),
            Outcome::Http {
                status,
                latency_us,
                attempts,
                encrypted,
            } => format!(
                "HTTP {status} {} after {}, {} attempt{}, {}",
                status_text(*status),
                fmt_us(*latency_us),
                attempts,
                if *attempts == 1 { "" } else { "s" },
                if *encrypted { "mTLS" } else { "plaintext" }
            ),
            Outcome::Waiting => "waits for a free connection".into(),
            Outcome::Answered { status } => {
                format!("answers HTTP {status} {}", status_text(*status))
            }
            Outcome::Forwarded {
                endpoint,
                attempt,
                encrypted,
            } => format!(
                "to {} (attempt {attempt}, {})",
                endpoint.map_or("an external host", |p| topo.pod(p).id.as_str()),
                if *encrypted { "mTLS" } else { "plaintext" }
            ),
            Outcome::Failed(f) => format!("failed: {}", f.describe()),
            Outcome::Dropped => "message dropped".into(),
            Outcome::Lost => "not delivered: receiver is down".into(),
            Outcome::Config { version } => format!("config v{version} installed"),
            Outcome::Pushed { version, sidecars } => {
                format!("config v{version} sent to {sidecars} proxies")
            }
        }
    }
}

/// The engine's remark on a row. Mostly fixed phrases (held by a thin
/// reference, so a row stays small and recording it allocates nothing);
/// commands and log lines carry their own text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Note {
    None,
    Text(&'static &'static str),
    /// "attempt N got no answer"
    AttemptTimedOut(u32),
    /// "reply to attempt N came after it timed out"
    LateReply(u32),
    /// What a proxy applied to a request.
    Policies {
        mtls: bool,
        retries: u32,
    },
    Owned(Box<String>),
}

impl Note {
    pub fn is_empty(&self) -> bool {
        matches!(self, Note::None)
    }
}

impl From<&'static &'static str> for Note {
    fn from(s: &'static &'static str) -> Self {
        Note::Text(s)
    }
}

impl From<String> for Note {
    fn from(s: String) -> Self {
        Note::Owned(Box::new(s))
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::None => Ok(()),
            Note::Text(s) => f.write_str(s),
            Note::Owned(s) => f.write_str(s),
            Note::AttemptTimedOut(n) => write!(f, "attempt {n} got no answer"),
            Note::LateReply(n) => write!(
                f,
                "the reply to attempt {n} came after that attempt timed out; nobody waits for it"
            ),
            Note::Policies { mtls, retries } => write!(
                f,
                "routing, access policy, {}, {} retr{}",
                if *mtls { "mTLS" } else { "no mTLS" },
                retries,
                if *retries == 1 { "y" } else { "ies" }
            ),
        }
    }
}

pub fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `2.000300 s`, `1.234 ms` or `850 µs`.
pub fn fmt_us(us: Micros) -> String {
    // Exact (no rounding), without trailing zeros: "30 s", "2.19 ms", "3.5 ms".
    let exact = |whole: Micros, frac: Micros, digits: usize, unit: &str| {
        let f = format!("{frac:0digits$}");
        let f = f.trim_end_matches('0');
        if f.is_empty() {
            format!("{whole} {unit}")
        } else {
            format!("{whole}.{f} {unit}")
        }
    };
    if us >= 1_000_000 {
        exact(us / 1_000_000, us % 1_000_000, 6, "s")
    } else if us >= 1000 {
        exact(us / 1000, us % 1000, 3, "ms")
    } else {
        format!("{us} µs")
    }
}

/// How a call ended, for summaries and quiz checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CallResult {
    Http(u16),
    Failed(Failure),
    /// Still in flight when the run ended (only when it was cut short).
    Pending,
}

#[cfg(test)]
mod tests {
    use super::fmt_us;

    #[test]
    fn times_read_without_padding_and_without_rounding() {
        assert_eq!(fmt_us(30_000_000), "30 s");
        assert_eq!(fmt_us(3_000_000), "3 s");
        assert_eq!(fmt_us(1_500_001), "1.500001 s");
        assert_eq!(fmt_us(2_190), "2.19 ms");
        assert_eq!(fmt_us(15_000), "15 ms");
        assert_eq!(fmt_us(999), "999 µs");
        assert_eq!(fmt_us(0), "0 µs");
    }
}
