//! The process table's steps, predictions, process flow and execution sample.

use serde::{Deserialize, Serialize};

use crate::action::Action;

/// One row of the process table: author wording bound to an engine event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Which engine event this row shows: the first one after the previous
    /// step's event that matches.
    pub on: EventRef,
    pub action: String,
    pub result: String,
    /// The "system state change" column some lessons show.
    #[serde(default)]
    pub state_change: String,
    #[serde(default)]
    pub notes: String,
    /// Pause before showing this step and ask the learner to predict it.
    #[serde(default)]
    pub predict: Option<Predict>,
}

/// "Predict, then reveal": what the learner is asked before a step is shown.
/// The process table's columns, in the order they are shown. The one list:
/// the table, the command line's renderings and quiz hints all use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Column {
    Step,
    Component,
    Action,
    StateChange,
    Result,
    Notes,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Step,
        Column::Component,
        Column::Action,
        Column::StateChange,
        Column::Result,
        Column::Notes,
    ];

    /// The heading a learner reads, which hints name.
    pub fn name(self) -> &'static str {
        match self {
            Column::Step => "Step",
            Column::Component => "Component",
            Column::Action => "Action",
            Column::StateChange => "System State Change",
            Column::Result => "Result",
            Column::Notes => "Notes",
        }
    }

    pub fn parse(name: &str) -> Option<Column> {
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether a lesson with these steps shows the column (the optional
    /// ones only when some step fills them).
    pub fn shown(self, steps: &[Step]) -> bool {
        match self {
            Column::StateChange => steps.iter().any(|s| !s.state_change.is_empty()),
            Column::Notes => steps.iter().any(|s| !s.notes.is_empty()),
            _ => true,
        }
    }

    /// The columns a lesson with these steps shows.
    pub fn shown_in(steps: &[Step]) -> Vec<Column> {
        Column::ALL.into_iter().filter(|c| c.shown(steps)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    pub question: String,
    pub asks: PredictAsk,
    /// Common mistakes, shown when the prediction is wrong.
    #[serde(default)]
    pub mistakes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PredictAsk {
    /// Which component acts at this step.
    NextComponent,
    /// What this tracker row shows once the step has happened.
    NextState { row: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRef {
    /// Component id (`checkout-mesh/sidecar`, `istiod`, `kubectl`, `end`).
    pub component: String,
    pub action: Action,
    /// Only events of this flow (a stimulus id).
    #[serde(default)]
    pub flow: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessFlow {
    pub nodes: Vec<String>,
    #[serde(default)]
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionSample {
    /// What the lines are (`Kubernetes`, `call chain`).
    #[serde(default)]
    pub language: String,
    pub lines: Vec<SampleLine>,
    #[serde(default)]
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleLine {
    pub text: String,
    /// The step (1-based) during which this line is the current one.
    #[serde(default)]
    pub step: Option<u32>,
}
