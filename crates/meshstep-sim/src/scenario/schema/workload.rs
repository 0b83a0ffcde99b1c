//! What an app does with a request it receives (its handler: how long it
//! takes, how often it fails, which services it calls in turn), and what an
//! HTTP request carries that routing and policy look at.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The parts of an HTTP request that routes and authorization policies
/// match on. Left out: `GET /` with no extra headers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpRequest {
    /// `GET`, `POST`, … (default `GET`).
    pub method: Option<String>,
    /// The request path (default `/`).
    pub path: Option<String>,
    /// Headers by lowercase name (`{"end-user": "jason"}`).
    pub headers: BTreeMap<String, String>,
}

impl HttpRequest {
    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or("GET")
    }

    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }
}

/// What the app in a pod does with each request it receives. Left out, it
/// answers 200 after the pod's `service_time_us`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handler {
    /// How long the app works on a request, besides waiting for its own
    /// calls (default: the pod's `service_time_us`, every time).
    #[serde(default)]
    pub time: Option<ServiceTime>,
    /// The app answers with an error status instead of 200, always or with
    /// a probability (drawn from the lesson's seed).
    #[serde(default)]
    pub errors: Option<ErrorRate>,
    /// Services the app calls while handling a request, in order; its answer
    /// waits for them and depends on them.
    #[serde(default)]
    pub calls: Vec<OutCall>,
    /// What the app answers when one of its calls fails: any answer but a
    /// 2xx (a 403 or 404 too, as most HTTP clients raise on them), or none.
    /// Left out: `500`, an unhandled error.
    #[serde(default)]
    pub fallback: Option<u16>,
    /// The app copies the trace headers (`traceparent`, `x-b3-*`,
    /// `x-request-id`) from the request it handles onto the calls it makes,
    /// so a tracing backend sees one trace. No proxy can do this for it.
    #[serde(default = "yes")]
    pub propagates_trace: bool,
}

/// How long an app takes per request. Random times are drawn with integer
/// arithmetic and `libm`, so every platform draws the same.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ServiceTime {
    /// Always this many microseconds.
    Fixed(u64),
    /// Evenly spread between the two bounds (inclusive).
    Uniform { min_us: u64, max_us: u64 },
    /// Mostly short with a long tail, around this mean (exponential).
    Exponential { mean_us: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRate {
    /// The status it answers with (`500`, `503`).
    pub status: u16,
    /// How often, from 0 to 1 (default 1: every request).
    #[serde(default = "one")]
    pub probability: f64,
}

/// One call an app makes while it handles a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutCall {
    /// A Service name or the host of an entry in `topology.external`.
    pub to: String,
    /// Sent at the same time as the call before it rather than after its
    /// answer (calls in a run of `parallel` ones go out together).
    #[serde(default)]
    pub parallel: bool,
    #[serde(default)]
    pub http: HttpRequest,
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}
