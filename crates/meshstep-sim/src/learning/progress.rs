//! Saved progress: per lesson, what the learner answered and how far they got;
//! scores; and the file format. One JSON line per lesson after a header line,
//! so a file cut short still gives back every complete line. Reading never
//! fails: it returns what it could read and says what was wrong.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::learning::practice::{PracticeRecord, PredictRecord, QuizRecord};
use crate::scenario::schema::Scenario;

/// The newest progress format this build writes and reads.
pub const PROGRESS_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// Visual quiz, by question index.
    pub quiz: BTreeMap<usize, QuizRecord>,
    /// Practice, by question index.
    pub practice: BTreeMap<usize, PracticeRecord>,
    /// "Predict, then reveal", by step.
    pub predictions: BTreeMap<u32, PredictRecord>,
    /// Deep-dive build-up predictions committed to, by build-up step index.
    pub deep_dive: BTreeMap<usize, usize>,
    /// The furthest step seen.
    pub furthest_step: u32,
    /// The step on screen when the learner last left the lesson (0: before
    /// the first), so it opens there again.
    pub last_step: u32,
    /// Finished "test this pattern" runs, oldest first.
    pub tests: Vec<TestResult>,
}

/// One finished "test this pattern": the seed that chose its questions
/// (so it can be taken again) and the first-try score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    pub seed: u64,
    pub score: u32,
    pub out_of: u32,
}

impl LessonProgress {
    /// The best finished test, by share of right answers.
    pub fn best_test(&self) -> Option<TestResult> {
        (self.tests.iter().copied())
            .max_by_key(|t| (u64::from(t.score) * 1000) / u64::from(t.out_of.max(1)))
    }
}

/// How the learner set the app up; kept with the progress so a restart
/// (or another device, through export) looks the same. Every field is
/// optional: an old file, or one written before a setting existed, leaves
/// the app's default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: Option<bool>,
    pub side_panel: Option<bool>,
    /// The side panel's open tab, by its name.
    pub tab: Option<String>,
    pub speed: Option<f32>,
    /// Text size: egui's zoom factor (1 = normal).
    pub zoom: Option<f32>,
    /// Steps jump instead of animating (`None`: follow the system's or
    /// the page's setting where there is one).
    pub reduced_motion: Option<bool>,
    /// The lesson on screen when the app was closed.
    pub lesson: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    pub lessons: BTreeMap<String, LessonProgress>,
    pub prefs: Prefs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    pub earned: u32,
    pub possible: u32,
}

impl std::ops::Add for Score {
    type Output = Score;

    fn add(self, o: Score) -> Score {
        Score {
            earned: self.earned + o.earned,
            possible: self.possible + o.possible,
        }
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.earned, self.possible)
    }
}

/// A lesson's score: 1 per quiz question right first time, 2 per practice
/// question solved cleanly (1 with help), 1 per prediction right.
pub fn lesson_score(s: &Scenario, p: Option<&LessonProgress>) -> Score {
    let predictions = s.predict_steps().count() as u32;
    let possible = s.quiz.len() as u32 + 2 * s.practice.len() as u32 + predictions;
    let Some(p) = p else {
        return Score {
            earned: 0,
            possible,
        };
    };
    let earned = p.quiz.values().map(QuizRecord::points).sum::<u32>()
        + p.practice.values().map(PracticeRecord::points).sum::<u32>()
        + p.predictions.values().filter(|r| r.correct).count() as u32;
    Score {
        earned: earned.min(possible),
        possible,
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    meshstep_progress: u32,
    /// In the header so a reader that does not know it skips it.
    #[serde(default)]
    prefs: Prefs,
}

#[derive(Serialize, Deserialize)]
struct Line {
    lesson: String,
    progress: LessonProgress,
}

impl Progress {
    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }

    /// The file text.
    pub fn to_text(&self) -> String {
        let mut out = serde_json::to_string(&Header {
            meshstep_progress: PROGRESS_VERSION,
            prefs: self.prefs.clone(),
        })
        .unwrap_or_default();
        out.push('\n');
        for (lesson, progress) in &self.lessons {
            let line = Line {
                lesson: lesson.clone(),
                progress: progress.clone(),
            };
            if let Ok(s) = serde_json::to_string(&line) {
                out.push_str(&s);
                out.push('\n');
            }
        }
        out
    }

    /// Adds another progress (an import): per lesson and item, the record
    /// with more done wins, so importing never loses anything.
    pub fn merge(&mut self, other: Progress) {
        for (id, theirs) in other.lessons {
            let mine = self.lesson_mut(&id);
            for (k, v) in theirs.quiz {
                let e = mine.quiz.entry(k).or_default();
                if v.attempts > e.attempts {
                    *e = v;
                }
            }
            for (k, v) in theirs.practice {
                let e = mine.practice.entry(k).or_default();
                if v.points() > e.points() || (v.points() == e.points() && v.attempts > e.attempts)
                {
                    *e = v;
                }
            }
            for (k, v) in theirs.predictions {
                mine.predictions.entry(k).or_insert(v);
            }
            for (k, v) in theirs.deep_dive {
                mine.deep_dive.entry(k).or_insert(v);
            }
            mine.furthest_step = mine.furthest_step.max(theirs.furthest_step);
            for t in theirs.tests {
                if !mine.tests.contains(&t) {
                    mine.tests.push(t);
                }
            }
        }
    }
}

/// What was wrong with a progress file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// Not a meshstep progress file at all (or an empty one).
    NotProgress,
    /// Written by a newer meshstep, in a format this one does not know.
    NewerVersion { found: u32 },
    /// Lines that could not be read (cut short, edited by hand…); 1-based.
    DamagedLines { lines: Vec<usize> },
}

impl ReadProblem {
    pub fn describe(&self) -> String {
        match self {
            ReadProblem::NotProgress => "it is not a meshstep progress file".into(),
            ReadProblem::NewerVersion { found } => format!(
                "it was written by a newer meshstep (progress format {found}; this one reads {PROGRESS_VERSION})"
            ),
            ReadProblem::DamagedLines { lines } => {
                let list = lines
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let (noun, verb) = if lines.len() == 1 {
                    ("line", "was")
                } else {
                    ("lines", "were")
                };
                format!("{noun} {list} {verb} cut short or damaged")
            }
        }
    }
}

/// What reading a file gave: always a progress (possibly empty), and the
/// problem if there was one. With a problem, the caller must keep the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadResult {
    pub progress: Progress,
    pub problem: Option<ReadProblem>,
}

pub fn read(text: &str) -> ReadResult {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header = lines
        .next()
        .and_then(|(_, l)| serde_json::from_str::<Header>(l).ok());
    let Some(header) = header else {
        return ReadResult {
            progress: Progress::default(),
            problem: Some(ReadProblem::NotProgress),
        };
    };
    if header.meshstep_progress > PROGRESS_VERSION {
        return ReadResult {
            progress: Progress::default(),
            problem: Some(ReadProblem::NewerVersion {
                found: header.meshstep_progress,
            }),
        };
    }
    let mut progress = Progress {
        prefs: header.prefs,
        ..Progress::default()
    };
    let mut damaged = Vec::new();
    for (i, l) in lines {
        match serde_json::from_str::<Line>(l) {
            Ok(line) => {
                progress.lessons.insert(line.lesson, line.progress);
            }
            Err(_) => damaged.push(i + 1),
        }
    }
    let problem = (!damaged.is_empty()).then_some(ReadProblem::DamagedLines { lines: damaged });
    ReadResult { progress, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Progress {
        let mut p = Progress::default();
        let a = p.lesson_mut("mesh-vs-library");
        a.quiz.entry(0).or_default().answer(1, true);
        a.practice.entry(2).or_default().answer(0, true);
        a.predictions.insert(
            4,
            PredictRecord {
                choice: "Sidecar Proxy".into(),
                correct: true,
            },
        );
        a.furthest_step = 6;
        let b = p.lesson_mut("mesh-overview");
        b.quiz.entry(1).or_default().answer(3, false);
        b.deep_dive.insert(2, 1);
        p
    }

    #[test]
    fn save_then_load_round_trips() {
        let p = sample();
        let r = read(&p.to_text());
        assert_eq!(r.problem, None);
        assert_eq!(r.progress, p);
    }

    #[test]
    fn a_truncated_file_gives_back_every_complete_lesson() {
        let text = sample().to_text();
        // cut in the middle of the second lesson's line
        let cut = text.len() - 20;
        let r = read(&text[..cut]);
        assert_eq!(
            r.problem,
            Some(ReadProblem::DamagedLines { lines: vec![3] })
        );
        assert_eq!(r.progress.lessons.len(), 1, "the complete line survives");
        assert_eq!(
            r.progress.lessons.keys().next().map(String::as_str),
            Some("mesh-overview")
        );
    }

    #[test]
    fn a_newer_file_is_not_read_and_says_so() {
        let text =
            sample()
                .to_text()
                .replacen("\"meshstep_progress\":1", "\"meshstep_progress\":7", 1);
        let r = read(&text);
        assert_eq!(r.problem, Some(ReadProblem::NewerVersion { found: 7 }));
        assert!(r.progress.lessons.is_empty());
        assert!(r.problem.unwrap().describe().contains("newer"));
    }

    #[test]
    fn garbage_is_not_progress() {
        for t in ["", "hello", "{\"x\":1}", "\u{0}\u{1}"] {
            assert_eq!(read(t).problem, Some(ReadProblem::NotProgress), "{t:?}");
        }
    }

    #[test]
    fn merging_an_import_keeps_the_better_record() {
        let mut mine = Progress::default();
        mine.lesson_mut("l")
            .practice
            .entry(0)
            .or_default()
            .answer(1, false);
        let mut theirs = Progress::default();
        theirs
            .lesson_mut("l")
            .practice
            .entry(0)
            .or_default()
            .answer(0, true);
        theirs.lesson_mut("l").furthest_step = 4;
        theirs.lesson_mut("other").furthest_step = 2;
        mine.merge(theirs);
        assert_eq!(mine.lessons["l"].practice[&0].points(), 2);
        assert_eq!(mine.lessons["l"].furthest_step, 4);
        assert!(mine.lessons.contains_key("other"));
    }

    #[test]
    fn pattern_test_results_are_saved_merged_and_ranked() {
        let mut mine = Progress::default();
        let t = |seed, score| TestResult {
            seed,
            score,
            out_of: 10,
        };
        mine.lesson_mut("l").tests.push(t(1, 6));
        let back = read(&mine.to_text()).progress;
        assert_eq!(back.lessons["l"].tests, vec![t(1, 6)]);
        let mut theirs = Progress::default();
        theirs.lesson_mut("l").tests.extend([t(1, 6), t(2, 9)]);
        mine.merge(theirs);
        assert_eq!(mine.lessons["l"].tests, vec![t(1, 6), t(2, 9)]);
        assert_eq!(mine.lessons["l"].best_test(), Some(t(2, 9)));
        // A file written before tests existed still reads.
        let old =
            "{\"meshstep_progress\":1}\n{\"lesson\":\"l\",\"progress\":{\"furthest_step\":3}}\n";
        let r = read(old);
        assert_eq!(r.problem, None, "{old}");
        assert!(r.progress.lessons["l"].tests.is_empty());
    }

    #[test]
    fn scores_count_quiz_practice_and_predictions() {
        let src = std::fs::read_to_string(format!(
            "{}/../../scenarios/mesh-vs-library.ron",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let l = crate::Lesson::from_source("l", &src).unwrap();
        let p = sample();
        let s = lesson_score(&l.scenario, p.lessons.get("mesh-vs-library"));
        // 3 quiz questions, 5 practice questions worth 2, 2 marked predictions.
        assert_eq!(s.possible, 3 + 2 * 5 + 2);
        assert_eq!(s.earned, 1 + 2 + 1);
        assert_eq!(lesson_score(&l.scenario, None).earned, 0);
    }
}
