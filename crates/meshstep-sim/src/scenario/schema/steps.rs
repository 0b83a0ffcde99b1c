//! The process table's steps, predictions, process flow and execution sample.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::action::Action;

/// Where a lesson points at a step: by number (1-based, in the order of
/// `steps`) or by the step's `id`, which stays right when steps are
/// inserted. The loader turns every id it knows into its number, so a
/// validated lesson holds numbers only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StepRef {
    Number(u32),
    Id(String),
}

impl StepRef {
    /// The step's number, once known.
    pub fn number(&self) -> Option<u32> {
        match self {
            StepRef::Number(n) => Some(*n),
            StepRef::Id(_) => None,
        }
    }
}

impl From<u32> for StepRef {
    fn from(n: u32) -> Self {
        StepRef::Number(n)
    }
}

impl PartialEq<u32> for StepRef {
    fn eq(&self, n: &u32) -> bool {
        self.number() == Some(*n)
    }
}

impl fmt::Display for StepRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepRef::Number(n) => write!(f, "step {n}"),
            StepRef::Id(id) => write!(f, "step `{id}`"),
        }
    }
}

impl Serialize for StepRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StepRef::Number(n) => s.serialize_u32(*n),
            StepRef::Id(id) => s.serialize_str(id),
        }
    }
}

impl<'de> Deserialize<'de> for StepRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = StepRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a step number such as `3` or a step id in quotes such as `\"intercept\"`",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StepRef, E> {
                u32::try_from(v)
                    .map(StepRef::Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StepRef, E> {
                u64::try_from(v)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StepRef, E> {
                Ok(StepRef::Id(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One row of the process table: author wording bound to an engine event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A name other parts of the lesson can point at this step by
    /// (`"intercept"`), and prose by `{step:intercept}`.
    #[serde(default)]
    pub id: Option<String>,
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
    /// The step during which this line is the current one.
    #[serde(default)]
    pub step: Option<StepRef>,
}
