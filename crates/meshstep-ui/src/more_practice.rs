//! Generated practice and "test this pattern" as the app holds them: the
//! seed (which a share link carries), the questions generated so far and
//! what the learner chose and checked, and a running test. Scores are saved
//! through [`crate::learn::Learning`].

use meshstep_sim::learning::generate::{Generated, generate};
use meshstep_sim::learning::pattern::{TestItem, pattern_test};
use meshstep_sim::learning::progress::TestResult;
use meshstep_sim::lesson::{Lesson, LessonRun};

/// Questions added by one "more questions".
pub const BATCH: usize = 5;

/// One generated question's answer on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answer {
    pub selected: Option<usize>,
    /// The option that was checked (the verdict shows until another is checked).
    pub checked: Option<usize>,
}

impl Answer {
    pub fn is_right(&self, q: &Generated) -> Option<bool> {
        self.checked.map(|c| c == q.right)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MorePractice {
    /// Picks and orders the generated questions: the same seed, the same set.
    pub seed: u64,
    pub questions: Vec<Generated>,
    pub answers: Vec<Answer>,
    pub test: Option<PatternTest>,
}

impl Default for MorePractice {
    fn default() -> Self {
        MorePractice {
            seed: 1,
            questions: Vec::new(),
            answers: Vec::new(),
            test: None,
        }
    }
}

impl MorePractice {
    /// Generates [`BATCH`] more questions; the ones already shown stay as
    /// they are (a seed's set only grows at its end).
    pub fn more(&mut self, lesson: &Lesson, run: &LessonRun) {
        self.questions = generate(lesson, run, self.seed, self.questions.len() + BATCH);
        self.answers.resize(self.questions.len(), Answer::default());
    }

    /// A fresh set under the next seed.
    pub fn new_set(&mut self, lesson: &Lesson, run: &LessonRun) {
        self.use_seed(self.seed.wrapping_add(1), lesson, run);
    }

    /// The set a link names.
    pub fn use_seed(&mut self, seed: u64, lesson: &Lesson, run: &LessonRun) {
        self.seed = seed;
        self.questions.clear();
        self.answers.clear();
        self.more(lesson, run);
    }

    pub fn check(&mut self, i: usize) {
        if let Some(a) = self.answers.get_mut(i) {
            a.checked = a.selected;
        }
    }

    /// Forgets the questions (another lesson); the seed stays.
    pub fn clear(&mut self) {
        self.questions.clear();
        self.answers.clear();
        self.test = None;
    }
}

/// A "test this pattern" run: one question at a time, the first answer to
/// each counts.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternTest {
    pub seed: u64,
    pub items: Vec<TestItem>,
    /// The right option of each item, computed once when the test starts.
    pub rights: Vec<usize>,
    /// The question on screen.
    pub at: usize,
    pub selected: Option<usize>,
    /// The checked answer of each question so far.
    pub answers: Vec<usize>,
}

impl PatternTest {
    pub fn start(lesson: &Lesson, run: &LessonRun, seed: u64) -> Self {
        let items = pattern_test(lesson, run, seed);
        let rights = items.iter().map(|i| i.right(lesson, run)).collect();
        PatternTest {
            seed,
            items,
            rights,
            at: 0,
            selected: None,
            answers: Vec::new(),
        }
    }

    /// Whether the question on screen has been checked.
    pub fn checked(&self) -> bool {
        self.answers.len() > self.at
    }

    pub fn finished(&self) -> bool {
        self.answers.len() == self.items.len()
    }

    pub fn score(&self) -> u32 {
        (self.answers.iter().zip(&self.rights))
            .filter(|(a, r)| a == r)
            .count() as u32
    }

    pub fn choose(&mut self, choice: usize, options: usize) {
        if !self.checked() && choice < options {
            self.selected = Some(choice);
        }
    }

    /// Checks the chosen answer; returns the result once the last one is checked.
    pub fn check(&mut self) -> Option<TestResult> {
        let choice = self.selected?;
        if self.checked() {
            return None;
        }
        self.answers.push(choice);
        self.finished().then(|| TestResult {
            seed: self.seed,
            score: self.score(),
            out_of: self.items.len() as u32,
        })
    }

    /// On to the next question (after this one is checked).
    pub fn next(&mut self) {
        if self.checked() && self.at + 1 < self.items.len() {
            self.at += 1;
            self.selected = None;
        }
    }
}
