//! Grading questions by the engine: what the simulation says the answer is,
//! and which options claim exactly that.

use crate::lesson::{Lesson, LessonRun};
use crate::scenario::schema::{AnswerOption, Ask, Means, Onset, OutcomeClaim};
use crate::trace::{CallResult, Failure, Outcome};

/// The engine's answer to an [`Ask`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineAnswer {
    Step(u32),
    Text(String),
    Outcome(OutcomeClaim),
    /// The engine could not answer; the string says why.
    Unanswerable(String),
    /// A conceptual question: the author's mark stands.
    Ungraded,
}

impl std::fmt::Display for EngineAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineAnswer::Step(n) => write!(f, "step {n}"),
            EngineAnswer::Text(t) => write!(f, "\"{t}\""),
            EngineAnswer::Outcome(o) => write!(f, "{}", claim_text(*o)),
            EngineAnswer::Unanswerable(why) => write!(f, "no answer ({why})"),
            EngineAnswer::Ungraded => write!(f, "not graded by the engine"),
        }
    }
}

pub fn claim_text(c: OutcomeClaim) -> String {
    match c {
        OutcomeClaim::Http(s) => format!("HTTP {s}"),
        OutcomeClaim::Timeout => "a timeout".into(),
        OutcomeClaim::ConnectionRefused => "connection refused".into(),
        OutcomeClaim::ProxyCrash => "a proxy crash".into(),
        OutcomeClaim::Unreachable => "the service cannot be reached".into(),
    }
}

pub(crate) fn failure_claim(f: Failure) -> OutcomeClaim {
    match f {
        Failure::Timeout => OutcomeClaim::Timeout,
        Failure::Refused | Failure::NotConfigured => OutcomeClaim::ConnectionRefused,
        Failure::Forbidden => OutcomeClaim::Http(403),
        Failure::InjectionFailed => OutcomeClaim::ProxyCrash,
        Failure::NoLibrary
        | Failure::WebhookUnavailable
        | Failure::CertExpired
        | Failure::NotInRegistry
        | Failure::NoRoute
        | Failure::NoCluster
        | Failure::Overflow
        | Failure::RouteTimeout
        | Failure::NoEndpoints
        | Failure::ControlPlaneDown
        | Failure::PushHalted => OutcomeClaim::Unreachable,
    }
}

/// What an outcome amounts to, in the terms options use. A proxy that gives
/// up answers with a status (504 on timeouts): that is `Http(504)`, not a
/// `Timeout`, which only a caller with no proxy experiences.
pub fn outcome_claim(o: &Outcome) -> Option<OutcomeClaim> {
    match o {
        Outcome::Http { status, .. } | Outcome::Answered { status } => {
            Some(OutcomeClaim::Http(*status))
        }
        Outcome::Failed(f) => Some(failure_claim(*f)),
        _ => None,
    }
}

/// What the simulation says the answer to `ask` is. `base` is the lesson's
/// fault-free run.
pub fn engine_answer(lesson: &Lesson, base: &LessonRun, ask: &Ask) -> EngineAnswer {
    match ask {
        Ask::Concept => EngineAnswer::Ungraded,
        Ask::StepOf { component, action } => base
            .table
            .rows
            .iter()
            .find(|r| {
                r.trace_row.is_some_and(|i| {
                    let row = &base.trace.rows[i];
                    lesson.topology.component(row.component).id == *component
                        && row.action == *action
                })
            })
            .map_or_else(
                || {
                    EngineAnswer::Unanswerable(format!(
                        "no step shows `{component}` doing {action:?}"
                    ))
                },
                |r| EngineAnswer::Step(r.step),
            ),
        Ask::TrackerCell { row, checkpoint } => base.tracker.cell(row, checkpoint).map_or_else(
            || {
                EngineAnswer::Unanswerable(format!(
                    "the tracker has no cell `{row}` / `{checkpoint}`"
                ))
            },
            |c| EngineAnswer::Text(c.text.clone()),
        ),
        Ask::StepOutcome { step } => {
            let row = (step.number())
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| base.table.rows.get(i as usize));
            match row.and_then(|r| r.outcome.as_ref()) {
                Some(o) => outcome_claim(o).map_or_else(
                    || {
                        EngineAnswer::Unanswerable(format!(
                            "step {step} ends in `{}`, not a call result",
                            o.describe(&lesson.topology)
                        ))
                    },
                    EngineAnswer::Outcome,
                ),
                None => EngineAnswer::Unanswerable(format!("step {step} did not happen")),
            }
        }
        Ask::FirstStepAffectedBy { faults, from } => {
            match with_faults(lesson, base, faults, from.clone()) {
                Ok(run) => run.affected_steps().first().map_or_else(
                    || EngineAnswer::Unanswerable("no step changes under these faults".into()),
                    |&s| EngineAnswer::Step(s),
                ),
                Err(e) => EngineAnswer::Unanswerable(e),
            }
        }
        Ask::FlowOutcomeWith { faults, flow, from } => {
            match with_faults(lesson, base, faults, from.clone()) {
                Ok(run) => {
                    let f = run.trace.flow(flow);
                    match f.and_then(|f| run.trace.call_results[f.0 as usize]) {
                        Some(CallResult::Http(s)) => EngineAnswer::Outcome(OutcomeClaim::Http(s)),
                        Some(CallResult::Failed(x)) => EngineAnswer::Outcome(failure_claim(x)),
                        Some(CallResult::Pending) => EngineAnswer::Unanswerable(format!(
                            "the call of `{flow}` never finished"
                        )),
                        None => EngineAnswer::Unanswerable(format!("flow `{flow}` makes no call")),
                    }
                }
                Err(e) => EngineAnswer::Unanswerable(e),
            }
        }
    }
}

fn with_faults(
    lesson: &Lesson,
    base: &LessonRun,
    faults: &[crate::Fault],
    from: Option<Onset>,
) -> Result<LessonRun, String> {
    lesson
        .run_what_if(base.trace.seed, faults, from)
        .map_err(|e| crate::topology::TopologyError::join(&e))
}

/// What an option claims: its `means`, or a step number read from text like "Step 4".
pub fn option_step(o: &AnswerOption) -> Option<u32> {
    match &o.means {
        Some(Means::Step(n)) => n.number(),
        Some(Means::Outcome(_)) => None,
        None => {
            let t = o.text.trim();
            let rest = t
                .strip_prefix("Step ")
                .or_else(|| t.strip_prefix("step "))?;
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        }
    }
}

/// Whether an option says what the engine says.
pub fn option_matches(o: &AnswerOption, answer: &EngineAnswer) -> bool {
    match answer {
        EngineAnswer::Step(n) => option_step(o) == Some(*n),
        // Exact, like the tracker's `expect`: the words are what the learner reads.
        EngineAnswer::Text(t) => o.text.trim() == t.trim(),
        EngineAnswer::Outcome(c) => o.means == Some(Means::Outcome(*c)),
        EngineAnswer::Unanswerable(_) | EngineAnswer::Ungraded => false,
    }
}

/// Indices of the options the engine says are right (`None` if it cannot grade).
pub fn right_options(answer: &EngineAnswer, options: &[AnswerOption]) -> Option<Vec<usize>> {
    match answer {
        EngineAnswer::Ungraded | EngineAnswer::Unanswerable(_) => None,
        a => Some(
            options
                .iter()
                .enumerate()
                .filter(|(_, o)| option_matches(o, a))
                .map(|(i, _)| i)
                .collect(),
        ),
    }
}

pub use crate::scenario::schema::letter;
