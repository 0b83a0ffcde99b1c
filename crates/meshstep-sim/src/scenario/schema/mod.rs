//! The scenario file format: the serde types a lesson's RON file deserializes into.
//!
//! Everything an instructor writes lives here. Fields that bind wording to the
//! simulation (steps, tracker rows, quiz checks) name engine components and
//! actions; the validator checks those names and cross-checks the author's
//! stated expectations against a real simulation run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod config;
mod deep_dive;
pub mod fault;
mod quiz;
mod steps;
mod stimulus;
mod topology;
mod tracker;
mod workload;

pub use config::*;
pub use deep_dive::*;
pub use fault::Fault;
pub use quiz::*;
pub use steps::*;
pub use stimulus::*;
pub use topology::*;
pub use tracker::*;
pub use workload::*;

/// The newest scenario format version this build understands.
pub const FORMAT_VERSION: u32 = 1;

/// One lesson: a topology to simulate, the stimuli that drive it, and the
/// teaching material bound to the resulting trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be at most [`FORMAT_VERSION`].
    pub version: u32,
    /// Short machine name, used in share links and progress files (`mesh-vs-library`).
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Seed for the engine's random numbers (lossy links). Same seed, same trace.
    #[serde(default)]
    pub seed: u64,
    pub topology: TopologySpec,
    /// Display names for components, keyed by component id (`checkout-lib/app`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Things that happen at given virtual times: calls, `kubectl` commands, config pushes.
    pub stimuli: Vec<Stimulus>,
    /// The process table: each step binds author wording to one engine event.
    pub steps: Vec<Step>,
    #[serde(default)]
    pub process_flow: ProcessFlow,
    #[serde(default)]
    pub execution_sample: ExecutionSample,
    #[serde(default)]
    pub tracker: Tracker,
    #[serde(default)]
    pub key_moments: Vec<KeyMoment>,
    #[serde(default)]
    pub quiz: Vec<QuizQuestion>,
    #[serde(default)]
    pub concept_snapshot: Vec<String>,
    #[serde(default)]
    pub transcript: String,
    #[serde(default)]
    pub practice: Vec<PracticeQuestion>,
    /// "What if" experiments offered to the learner, each a set of faults.
    #[serde(default)]
    pub what_if: Vec<WhatIf>,
    #[serde(default)]
    pub deep_dive: Option<DeepDive>,
    /// Which questions the engine may generate from this lesson for extra
    /// practice (default: every kind that fits the lesson).
    #[serde(default)]
    pub generate: Generate,
}

impl Scenario {
    /// Steps (1-based) the learner is asked to predict before seeing them.
    pub fn predict_steps(&self) -> impl Iterator<Item = u32> + '_ {
        self.steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.predict.is_some())
            .map(|(i, _)| i as u32 + 1)
    }
}
