//! The deep-dive reading page.

use serde::{Deserialize, Serialize};

use super::StepRef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeepDive {
    pub overview: DeepOverview,
    pub mental_model: MentalModel,
    pub build_up: Vec<BuildUpStep>,
    pub under_the_hood: UnderTheHood,
    pub myths: Vec<Myth>,
    pub expert_notes: Vec<String>,
    pub when_not_to_use: String,
    pub production_patterns: String,
    pub connections: Vec<Connection>,
    pub pitfalls: Vec<Pitfall>,
    pub takeaways: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeepOverview {
    pub what: String,
    pub why_it_matters: String,
    pub where_it_fits: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentalModel {
    pub core_idea: String,
    pub analogy: String,
    #[serde(default)]
    pub diagram: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    Foundation,
    Intermediate,
    Advanced,
    Expert,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildUpStep {
    pub title: String,
    pub level: Level,
    pub concept: String,
    pub body: String,
    pub result: String,
    pub insight: String,
    /// "Commit to an answer before reading on."
    #[serde(default)]
    pub prediction: Option<Prediction>,
    /// The simulated step this build-up step shows, if any.
    #[serde(default)]
    pub sim_step: Option<StepRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<String>,
    /// Index (0-based) into `choices` of the answer the section goes on to explain.
    pub answer: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnderTheHood {
    pub mechanism: String,
    pub why_designed: String,
    #[serde(default)]
    pub diagram: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Myth {
    pub question: String,
    pub belief: String,
    pub reality: String,
    pub why_it_matters: String,
    /// A scale-lab experiment that tests the myth (one of
    /// `meshstep_sim::scale::presets`): the myth offers "try it".
    #[serde(default)]
    pub experiment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub topic: String,
    pub relation: String,
    pub insight: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pitfall {
    pub title: String,
    pub wrong: String,
    pub right: String,
    pub root_cause: String,
}
