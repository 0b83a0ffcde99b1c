//! The status tracker: checkpoints and rows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::StepRef;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracker {
    /// Heading of the first column (`Component`, `Variable`).
    #[serde(default)]
    pub subject_heading: String,
    pub checkpoints: Vec<Checkpoint>,
    pub rows: Vec<TrackerRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub id: String,
    pub label: String,
    pub at: CheckpointAt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckpointAt {
    /// Before the first event.
    Start,
    /// After step N and everything the engine does before step N+1.
    AfterStep(StepRef),
    /// After the last event.
    Final,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackerRow {
    pub id: String,
    pub label: String,
    pub subject: Subject,
    /// Wording for engine state keys (`intercepting` -> "Intercepting request").
    #[serde(default)]
    pub wording: BTreeMap<String, String>,
    /// Shown instead of the state when the row's component takes no part in
    /// the flow of the checkpoint's step (`"N/A"`).
    #[serde(default)]
    pub outside_flow: Option<String>,
    /// What the author says each cell shows, one per checkpoint; checked
    /// against the simulation.
    #[serde(default)]
    pub expect: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Subject {
    /// The state of one component.
    Component(String),
    /// Several components shown as one row (the first that takes part in the
    /// checkpoint's flow, else the first listed).
    Components(Vec<String>),
    /// One field of the request a stimulus started.
    Request { flow: String, field: RequestField },
    /// What a call from a pod to a service gets, given the cluster's state.
    Path {
        from: String,
        to: String,
        property: PathProperty,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestField {
    State,
    Routing,
    Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PathProperty {
    Communication,
    Security,
    Observability,
    Reliability,
}

impl PathProperty {
    /// The state keys a row tracking this property can show (its `wording` keys).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            PathProperty::Communication => {
                &["direct", "sidecar", "library", "ambient", "proxyless"]
            }
            PathProperty::Security => &["plaintext", "mtls", "library_tls"],
            PathProperty::Observability => {
                &["limited", "telemetry", "library_metrics", "l4_telemetry"]
            }
            PathProperty::Reliability => &["none", "retries"],
        }
    }
}
