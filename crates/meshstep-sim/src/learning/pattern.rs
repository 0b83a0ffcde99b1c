//! "Test this pattern": ten questions from easy to hard, as the seed pages
//! offer, mixing the lesson's own practice with generated questions. The
//! seed picks the set; only the first answer to each question scores.

use rand::seq::SliceRandom;

use crate::engine::rng::SimRng;
use crate::learning::generate::{Generated, generate_of};
use crate::learning::grading;
use crate::lesson::{Lesson, LessonRun};
use crate::scenario::schema::Difficulty;

/// Questions in one test.
pub const TEST_LEN: usize = 10;

/// How many questions of each difficulty a test asks, easy first.
const QUOTA: [(Difficulty, usize); 3] = [
    (Difficulty::Easy, 3),
    (Difficulty::Medium, 4),
    (Difficulty::Hard, 3),
];

/// One question of a test.
#[derive(Debug, Clone, PartialEq)]
pub enum TestItem {
    /// The lesson's practice question, by index.
    Own(usize),
    Generated(Box<Generated>),
}

impl TestItem {
    pub fn difficulty(&self, lesson: &Lesson) -> Difficulty {
        match self {
            TestItem::Own(i) => lesson.scenario.practice[*i].difficulty,
            TestItem::Generated(g) => g.difficulty(),
        }
    }

    pub fn question<'a>(&'a self, lesson: &'a Lesson) -> &'a str {
        match self {
            TestItem::Own(i) => &lesson.scenario.practice[*i].question,
            TestItem::Generated(g) => &g.question,
        }
    }

    pub fn options(&self, lesson: &Lesson) -> Vec<String> {
        match self {
            TestItem::Own(i) => (lesson.scenario.practice[*i].options.iter())
                .map(|o| o.text.clone())
                .collect(),
            TestItem::Generated(g) => g.options.clone(),
        }
    }

    /// The right option: the engine's answer where it can grade, else the author's mark.
    pub fn right(&self, lesson: &Lesson, base: &LessonRun) -> usize {
        match self {
            TestItem::Own(i) => {
                let p = &lesson.scenario.practice[*i];
                grading::right_option(lesson, base, &p.asks, &p.options)
            }
            TestItem::Generated(g) => g.right,
        }
    }

    /// Why the right answer is right.
    pub fn explanation(&self, lesson: &Lesson) -> String {
        match self {
            TestItem::Own(i) => (lesson.scenario.practice[*i].solution.last())
                .cloned()
                .unwrap_or_default(),
            TestItem::Generated(g) => g.explanation.clone(),
        }
    }
}

/// The test for `seed`: per difficulty, up to half the quota from the
/// lesson's own practice, the rest generated; a level short of questions is
/// made up from the others so a test has [`TEST_LEN`] where the lesson can.
pub fn pattern_test(lesson: &Lesson, base: &LessonRun, seed: u64) -> Vec<TestItem> {
    let mut rng = SimRng::seed_from_u64(seed);
    let mut spare: Vec<TestItem> = Vec::new();
    let mut out: Vec<TestItem> = Vec::new();
    for (level, quota) in QUOTA {
        let mut own: Vec<usize> = (0..lesson.scenario.practice.len())
            .filter(|&i| lesson.scenario.practice[i].difficulty == level)
            .collect();
        own.shuffle(&mut rng);
        let mut generated: Vec<TestItem> = generate_of(lesson, base, seed, level, quota)
            .into_iter()
            .map(|g| TestItem::Generated(Box::new(g)))
            .collect();
        let own_n = own.len().min(quota.div_ceil(2));
        let mut level_items: Vec<TestItem> = own.drain(..own_n).map(TestItem::Own).collect();
        while level_items.len() < quota && !generated.is_empty() {
            level_items.push(generated.remove(0));
        }
        while level_items.len() < quota && !own.is_empty() {
            level_items.push(TestItem::Own(own.remove(0)));
        }
        spare.extend(own.into_iter().map(TestItem::Own));
        spare.extend(generated);
        level_items.shuffle(&mut rng);
        out.extend(level_items);
    }
    // A lesson short of one level fills the test from what is left.
    while out.len() < TEST_LEN && !spare.is_empty() {
        out.push(spare.remove(0));
    }
    out.sort_by_key(|i| i.difficulty(lesson));
    out
}
