//! Key moments, quiz and practice questions, and what-if experiments.

use serde::{Deserialize, Serialize};

use super::fault::Fault;
use super::{StepRef, StimulusAction};
use crate::action::Action;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyMoment {
    pub question: String,
    pub answer: String,
    /// Steps the moment refers to; it opens at the first.
    pub steps: Vec<StepRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizQuestion {
    pub question: String,
    pub options: Vec<AnswerOption>,
    pub hint: String,
    /// What the hint points at in the table or tracker.
    #[serde(default)]
    pub hint_target: Option<HintTarget>,
    /// What the question asks of the simulation, so the engine can grade it.
    pub asks: Ask,
    /// Why the right answer is right.
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// What this option claims, where the text alone cannot be compared.
    #[serde(default)]
    pub means: Option<Means>,
    /// Why a learner might pick this, and why it is wrong.
    #[serde(default)]
    pub why_wrong: String,
}

/// The indexes of the options a lesson marks correct (a valid question
/// has exactly one).
pub fn marked_correct(options: &[AnswerOption]) -> Vec<usize> {
    options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.correct)
        .map(|(i, _)| i)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Means {
    Step(StepRef),
    Outcome(OutcomeClaim),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutcomeClaim {
    /// The call completed with this HTTP status.
    Http(u16),
    Timeout,
    ConnectionRefused,
    ProxyCrash,
    /// The caller could not reach the service at all.
    Unreachable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HintTarget {
    /// A process-table column (`Action`, `Result`).
    Column(String),
    /// A process-table row.
    Step(StepRef),
    /// A tracker row by id.
    TrackerRow(String),
    /// A tracker cell.
    Cell { row: String, checkpoint: String },
}

/// What a question asks of the engine. The right option is the one whose
/// claim matches what the simulation computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Ask {
    /// "At which step does <component> <action>?" Options mean `Step(n)`.
    StepOf { component: String, action: Action },
    /// "What does the tracker show here?" Options are compared by text.
    TrackerCell { row: String, checkpoint: String },
    /// "What is the result at step N?" Options mean `Outcome(..)`.
    StepOutcome { step: StepRef },
    /// "If <fault>, which step is affected first?" Options mean `Step(n)`.
    FirstStepAffectedBy {
        faults: Vec<Fault>,
        /// When the faults start (default: from the beginning).
        #[serde(default)]
        from: Option<Onset>,
    },
    /// "With <fault>, what happens to the request of <flow>?" Options mean `Outcome(..)`.
    FlowOutcomeWith {
        faults: Vec<Fault>,
        flow: String,
        #[serde(default)]
        from: Option<Onset>,
    },
    /// Conceptual question the engine cannot grade; the author's mark stands.
    Concept,
}

// ---------------------------------------------------------------- practice

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeQuestion {
    pub question: String,
    pub difficulty: Difficulty,
    pub options: Vec<AnswerOption>,
    /// The worked solution, one entry per step.
    pub solution: Vec<String>,
    pub quick_check: String,
    pub hint: String,
    pub mistakes: Vec<String>,
    #[serde(default = "concept")]
    pub asks: Ask,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    pub label: String,
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// Settings changed as an operator would change them, when the faults
    /// start: `KubectlApplyConfig`, `KubectlDeleteConfig` or `RebuildApp`
    /// (retries, timeouts, weights, mTLS mode, policies…), with the push or
    /// the rebuild and rollout that carries each change.
    #[serde(default)]
    pub changes: Vec<StimulusAction>,
    /// When the faults start: from the beginning (left out), just after a
    /// step, or at a time. Everything before is the same as without them.
    #[serde(default)]
    pub from: Option<Onset>,
    #[serde(default)]
    pub explanation: String,
    /// Steps the author says change under these faults; checked by the validator.
    #[serde(default)]
    pub expect_affected: Option<Vec<StepRef>>,
}

/// When a what-if's faults start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Onset {
    /// Just after step N's event: step N is the same in both runs.
    AfterStep(StepRef),
    /// At this virtual time, before anything else happens then.
    AtUs(u64),
}

// ------------------------------------------------------ generated practice

/// A kind of question the engine can write from a lesson's run, its answer
/// computed by the simulation (`learning::generate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum QuestionKind {
    /// "After step N, which component acts next?"
    NextComponent,
    /// "What does the tracker show for X just after step N?"
    StateAfter,
    /// "If F happens from the start, which steps change?"
    StepsChanged,
    /// "If F happens, what does the caller of flow X get?"
    OutcomeUnder,
    /// "How many hops does one call take through a sidecar, and through a library?"
    MeshVsLibrary,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::NextComponent,
        QuestionKind::StateAfter,
        QuestionKind::StepsChanged,
        QuestionKind::OutcomeUnder,
        QuestionKind::MeshVsLibrary,
    ];

    /// What the learner reads about this kind.
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::NextComponent => "Which component acts next",
            QuestionKind::StateAfter => "A state after a step",
            QuestionKind::StepsChanged => "Which steps a fault changes",
            QuestionKind::OutcomeUnder => "What the caller gets under a fault",
            QuestionKind::MeshVsLibrary => "Hops: mesh versus library",
        }
    }

    /// How hard a question of this kind is, as the seed pages grade them:
    /// reading the trace is easy, reading state medium, reasoning about a
    /// run that was not shown hard.
    pub fn difficulty(self) -> Difficulty {
        match self {
            QuestionKind::NextComponent => Difficulty::Easy,
            QuestionKind::StateAfter | QuestionKind::MeshVsLibrary => Difficulty::Medium,
            QuestionKind::StepsChanged | QuestionKind::OutcomeUnder => Difficulty::Hard,
        }
    }
}

/// Which generated questions a lesson offers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Generate {
    /// Every kind that fits the lesson.
    #[default]
    All,
    /// Only these kinds (`Only([NextComponent, StepsChanged])`).
    Only(Vec<QuestionKind>),
    /// None: the lesson's own practice only.
    Off,
}

impl Generate {
    /// The kinds this setting allows, in [`QuestionKind::ALL`]'s order.
    pub fn kinds(&self) -> Vec<QuestionKind> {
        match self {
            Generate::All => QuestionKind::ALL.to_vec(),
            Generate::Only(k) => QuestionKind::ALL
                .into_iter()
                .filter(|x| k.contains(x))
                .collect(),
            Generate::Off => Vec::new(),
        }
    }
}

/// `A`, `B`, … for option indices.
pub fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

fn concept() -> Ask {
    Ask::Concept
}
