//! What a lesson packaged for a learning platform (SCORM 1.2, `meshstep
//! export --format scorm`) reports to it: the score, the lesson's status
//! and the learner's progress as `cmi.suspend_data`, which the platform
//! keeps for the next session on any device.
//!
//! SCORM 1.2 gives `cmi.suspend_data` 4,096 characters (CMIString4096, RTE
//! 3.4.4 in the SCORM 1.2 Run-Time Environment): the progress is written as
//! compact JSON arrays (no field names) and, should it still be too long,
//! what scores nothing is dropped first (old test runs, prediction wording,
//! the deep dive's build-up), never a scored answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::learning::practice::{PracticeRecord, PredictRecord, QuizRecord};
use crate::learning::progress::{LessonProgress, TestResult, lesson_score};
use crate::scenario::schema::Scenario;

/// The most characters SCORM 1.2 keeps in `cmi.suspend_data`.
pub const SUSPEND_LIMIT: usize = 4096;

/// `cmi.core.lesson_status`, as far as a lesson decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonStatus {
    /// Steps left to see or quiz questions left to answer.
    Incomplete,
    /// Everything seen and answered (no mastery score was set).
    Completed,
    /// Everything done, and the score reached the mastery score.
    Passed,
    /// Everything done, below the mastery score.
    Failed,
}

impl LessonStatus {
    /// Its value in the SCORM 1.2 data model (CMIVocabulary, RTE 3.4.4).
    pub fn cmi(self) -> &'static str {
        match self {
            LessonStatus::Incomplete => "incomplete",
            LessonStatus::Completed => "completed",
            LessonStatus::Passed => "passed",
            LessonStatus::Failed => "failed",
        }
    }
}

/// Everything the package sends to the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LmsReport {
    /// `cmi.core.score.raw`: the lesson's score as a percentage (0–100).
    pub score_raw: u32,
    pub status: LessonStatus,
    /// `cmi.suspend_data`: the progress, at most [`SUSPEND_LIMIT`] characters.
    pub suspend_data: String,
    /// `cmi.core.lesson_location`: the step the learner is at.
    pub location: String,
}

/// The report for a lesson and the learner's progress in it. Complete when
/// every step has been seen and every quiz question answered; with a
/// mastery score, passed or failed by it.
pub fn report(s: &Scenario, p: Option<&LessonProgress>, mastery: Option<u32>) -> LmsReport {
    let score = lesson_score(s, p);
    let score_raw = (score.earned * 100)
        .checked_div(score.possible)
        .unwrap_or(100)
        .min(100);
    let fresh = LessonProgress::default();
    let p = p.unwrap_or(&fresh);
    let steps = s.steps.len() as u32;
    let done = p.furthest_step >= steps
        && (0..s.quiz.len()).all(|q| p.quiz.get(&q).is_some_and(|r| r.attempts > 0));
    let status = match (done, mastery) {
        (false, _) => LessonStatus::Incomplete,
        (true, None) => LessonStatus::Completed,
        (true, Some(m)) if score_raw >= m => LessonStatus::Passed,
        (true, Some(_)) => LessonStatus::Failed,
    };
    LmsReport {
        score_raw,
        status,
        suspend_data: suspend_data(&s.id, p),
        location: format!("step {}", p.last_step),
    }
}

/// A quiz record: question, first choice, first right, last choice, attempts.
type QuizRow = (usize, Option<usize>, bool, Option<usize>, u32);
/// A practice record: question, attempts, hint used, solution shown, solved,
/// solved first time, last choice.
type PracticeRow = (usize, u32, bool, bool, bool, bool, Option<usize>);

/// The progress in compact form: version, lesson id, then each record as an
/// array. Maps become arrays of `[key, …fields]`.
#[derive(Serialize, Deserialize)]
struct Compact(
    u32,
    String,
    (u32, u32),
    Vec<QuizRow>,
    Vec<PracticeRow>,
    Vec<(u32, String, bool)>,
    Vec<(usize, usize)>,
    Vec<(u64, u32, u32)>,
);

const COMPACT_VERSION: u32 = 1;

fn compact(id: &str, p: &LessonProgress) -> Compact {
    Compact(
        COMPACT_VERSION,
        id.to_string(),
        (p.furthest_step, p.last_step),
        (p.quiz.iter())
            .map(|(k, r)| {
                (
                    *k,
                    r.first_choice,
                    r.first_correct,
                    r.last_choice,
                    r.attempts,
                )
            })
            .collect(),
        (p.practice.iter())
            .map(|(k, r)| {
                let PracticeRecord {
                    attempts,
                    hint_used,
                    solution_shown,
                    solved,
                    solved_first_try,
                    last_choice,
                } = *r;
                (
                    *k,
                    attempts,
                    hint_used,
                    solution_shown,
                    solved,
                    solved_first_try,
                    last_choice,
                )
            })
            .collect(),
        (p.predictions.iter())
            .map(|(k, r)| (*k, r.choice.clone(), r.correct))
            .collect(),
        p.deep_dive.iter().map(|(k, v)| (*k, *v)).collect(),
        p.tests
            .iter()
            .map(|t| (t.seed, t.score, t.out_of))
            .collect(),
    )
}

/// `cmi.suspend_data` for a lesson's progress, within [`SUSPEND_LIMIT`].
pub fn suspend_data(id: &str, p: &LessonProgress) -> String {
    let mut c = compact(id, p);
    let text = |c: &Compact| serde_json::to_string(c).unwrap_or_default();
    let mut out = text(&c);
    // Too long: drop what scores nothing, least useful first.
    if out.chars().count() > SUSPEND_LIMIT {
        // Test runs: the best and the latest five are kept.
        let best = p.best_test().map(|t| (t.seed, t.score, t.out_of));
        let n = c.7.len();
        let mut kept: Vec<_> = c.7.drain(n.saturating_sub(5)..).collect();
        if let Some(b) = best.filter(|b| !kept.contains(b)) {
            kept.insert(0, b);
        }
        c.7 = kept;
        out = text(&c);
    }
    if out.chars().count() > SUSPEND_LIMIT {
        for r in &mut c.5 {
            r.1.clear(); // a prediction's wording; whether it was right stays
        }
        c.6.clear();
        out = text(&c);
    }
    if out.chars().count() > SUSPEND_LIMIT {
        c.7.truncate(1);
        out = text(&c);
    }
    out
}

/// Reads `cmi.suspend_data` back: the lesson id and its progress.
pub fn resume(data: &str) -> Result<(String, LessonProgress), String> {
    let c: Compact = serde_json::from_str(data)
        .map_err(|e| format!("the saved progress cannot be read ({e})"))?;
    if c.0 != COMPACT_VERSION {
        return Err(format!(
            "the saved progress is format {}, this build reads {COMPACT_VERSION}",
            c.0
        ));
    }
    let quiz: BTreeMap<usize, QuizRecord> = (c.3.into_iter())
        .map(|(k, first_choice, first_correct, last_choice, attempts)| {
            let r = QuizRecord {
                first_choice,
                first_correct,
                last_choice,
                attempts,
            };
            (k, r)
        })
        .collect();
    let practice = (c.4.into_iter())
        .map(
            |(k, attempts, hint_used, solution_shown, solved, solved_first_try, last_choice)| {
                let r = PracticeRecord {
                    attempts,
                    hint_used,
                    solution_shown,
                    solved,
                    solved_first_try,
                    last_choice,
                };
                (k, r)
            },
        )
        .collect();
    let predictions = (c.5.into_iter())
        .map(|(k, choice, correct)| (k, PredictRecord { choice, correct }))
        .collect();
    let p = LessonProgress {
        quiz,
        practice,
        predictions,
        deep_dive: c.6.into_iter().collect(),
        furthest_step: c.2.0,
        last_step: c.2.1,
        tests: (c.7.into_iter())
            .map(|(seed, score, out_of)| TestResult {
                seed,
                score,
                out_of,
            })
            .collect(),
    };
    Ok((c.1, p))
}
