//! The learning layer's state in the app: saved progress and its store, and
//! what the learner has selected, asked for and been told in this lesson's
//! quiz, practice, predictions and deep dive.

use std::collections::{BTreeMap, BTreeSet};

use meshstep_sim::learning::grading::{self, Verdict};
use meshstep_sim::learning::practice::PredictRecord;
use meshstep_sim::learning::progress::{Progress, Score, lesson_score};
use meshstep_sim::lesson::{Lesson, LessonRun};
use meshstep_sim::scenario::schema::HintTarget;

use crate::more_practice::{MorePractice, PatternTest};
use crate::store::{MemoryStore, ProgressStore};

/// A "predict, then reveal" question on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictPrompt {
    pub step: u32,
    pub question: String,
    pub choices: Vec<String>,
    pub right: usize,
    pub chosen: Option<usize>,
    pub mistakes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct QuestionUi {
    pub selected: Option<usize>,
    pub verdict: Option<Verdict>,
    pub hint_shown: bool,
    /// Practice: how many worked-solution steps are shown.
    pub solution_steps: usize,
}

pub struct Learning {
    pub progress: Progress,
    store: Box<dyn ProgressStore>,
    /// Something the learner should know (a problem with saved progress, an export).
    pub message: Option<String>,
    pub quiz: BTreeMap<usize, QuestionUi>,
    /// The quiz question on screen (the quiz shows one at a time).
    pub quiz_at: usize,
    pub practice: BTreeMap<usize, QuestionUi>,
    /// What the last hint points at in the table or tracker.
    pub hint_focus: Option<HintTarget>,
    pub predict: Option<PredictPrompt>,
    pub deep_dive_open: bool,
    pub myths_revealed: BTreeSet<usize>,
    pub progress_window: bool,
    pub import_path: String,
    /// Generated practice and "test this pattern".
    pub more: MorePractice,
}

impl Default for Learning {
    fn default() -> Self {
        Self::with_store(Box::new(MemoryStore::default()))
    }
}

impl Learning {
    /// Loads saved progress from `store`, keeping what can be read.
    pub fn with_store(mut store: Box<dyn ProgressStore>) -> Self {
        let loaded = store.load();
        Learning {
            progress: loaded.progress,
            store,
            message: loaded.message,
            quiz: BTreeMap::new(),
            quiz_at: 0,
            practice: BTreeMap::new(),
            hint_focus: None,
            predict: None,
            deep_dive_open: false,
            myths_revealed: BTreeSet::new(),
            progress_window: false,
            import_path: String::new(),
            more: MorePractice::default(),
        }
    }

    /// Forgets what was on screen for the previous lesson (not the progress).
    pub fn reset_view(&mut self) {
        self.quiz.clear();
        self.quiz_at = 0;
        self.practice.clear();
        self.hint_focus = None;
        self.predict = None;
        self.deep_dive_open = false;
        self.myths_revealed.clear();
        self.more.clear();
    }

    pub fn store_location(&self) -> String {
        self.store.location()
    }

    fn save(&mut self) {
        if let Err(e) = self.store.save(&self.progress) {
            self.message = Some(format!("Progress could not be saved: {e}"));
        }
    }

    pub fn score(&self, lesson: &Lesson) -> Score {
        lesson_score(
            &lesson.scenario,
            self.progress.lessons.get(&lesson.scenario.id),
        )
    }

    /// Checks the selected answer of quiz question `q`; returns the step to show.
    pub fn check_quiz(&mut self, lesson: &Lesson, run: &LessonRun, q: usize) -> Option<u32> {
        let choice = self.quiz.get(&q)?.selected?;
        let v = grading::grade_quiz(lesson, run, q, choice)?;
        self.progress
            .lesson_mut(&lesson.scenario.id)
            .quiz
            .entry(q)
            .or_default()
            .answer(choice, v.correct);
        let step = v.show_step;
        self.quiz.entry(q).or_default().verdict = Some(v);
        // Answered: the hint's mark has done its job.
        self.hint_focus = None;
        self.save();
        step
    }

    /// Chooses answer `choice` (0 = A) of the quiz question on screen, as
    /// the A–D keys do; an answer the question does not have is ignored.
    pub fn choose_quiz_answer(&mut self, lesson: &Lesson, choice: usize) {
        let q = self.quiz_at;
        if lesson
            .scenario
            .quiz
            .get(q)
            .is_some_and(|x| choice < x.options.len())
        {
            self.quiz.entry(q).or_default().selected = Some(choice);
        }
    }

    /// Commits to answer `choice` of the open prediction, as the keys do.
    pub fn choose_prediction(&mut self, lesson: &Lesson, choice: usize) {
        let open = self
            .predict
            .as_ref()
            .is_some_and(|p| p.chosen.is_none() && choice < p.choices.len());
        if open {
            self.commit_prediction(lesson, choice);
        }
    }

    pub fn quiz_hint(&mut self, lesson: &Lesson, q: usize) {
        self.quiz.entry(q).or_default().hint_shown = true;
        self.hint_focus = lesson
            .scenario
            .quiz
            .get(q)
            .and_then(|x| x.hint_target.clone());
    }

    pub fn check_practice(&mut self, lesson: &Lesson, run: &LessonRun, q: usize) {
        let Some(choice) = self.practice.get(&q).and_then(|p| p.selected) else {
            return;
        };
        let Some(v) = grading::grade_practice(lesson, run, q, choice) else {
            return;
        };
        self.progress
            .lesson_mut(&lesson.scenario.id)
            .practice
            .entry(q)
            .or_default()
            .answer(choice, v.correct);
        self.practice.entry(q).or_default().verdict = Some(v);
        self.save();
    }

    pub fn practice_hint(&mut self, lesson: &Lesson, q: usize) {
        self.practice.entry(q).or_default().hint_shown = true;
        self.progress
            .lesson_mut(&lesson.scenario.id)
            .practice
            .entry(q)
            .or_default()
            .use_hint();
        self.save();
    }

    /// Shows one more step of the worked solution (the first one counts as showing it).
    pub fn practice_next_solution_step(&mut self, lesson: &Lesson, q: usize) {
        let total = lesson
            .scenario
            .practice
            .get(q)
            .map_or(0, |p| p.solution.len());
        let ui = self.practice.entry(q).or_default();
        ui.solution_steps = (ui.solution_steps + 1).min(total);
        self.progress
            .lesson_mut(&lesson.scenario.id)
            .practice
            .entry(q)
            .or_default()
            .show_solution();
        self.save();
    }

    /// Starts a "test this pattern": the learner's next test of this
    /// lesson under the practice seed, so the same link and history give
    /// the same questions on another device.
    pub fn start_test(&mut self, lesson: &Lesson, run: &LessonRun) {
        let taken = self
            .progress
            .lessons
            .get(&lesson.scenario.id)
            .map_or(0, |p| p.tests.len() as u64);
        let seed = self.more.seed.wrapping_mul(1000).wrapping_add(taken);
        self.more.test = Some(PatternTest::start(lesson, run, seed));
    }

    /// Checks the test's chosen answer; the finished test's score is saved.
    pub fn check_test(&mut self, lesson: &Lesson) {
        let Some(t) = &mut self.more.test else { return };
        if let Some(result) = t.check() {
            self.progress
                .lesson_mut(&lesson.scenario.id)
                .tests
                .push(result);
            self.save();
        }
    }

    /// Steps still to be predicted in this lesson.
    pub fn open_predictions(&self, lesson: &Lesson) -> BTreeSet<u32> {
        let done = self.progress.lessons.get(&lesson.scenario.id);
        lesson
            .scenario
            .predict_steps()
            .filter(|s| done.is_none_or(|d| !d.predictions.contains_key(s)))
            .collect()
    }

    /// Puts the prediction for `step` on screen.
    pub fn ask_prediction(&mut self, lesson: &Lesson, run: &LessonRun, step: u32) {
        let Some((choices, right)) = grading::prediction(lesson, run, step) else {
            return;
        };
        let p = lesson.scenario.steps[step as usize - 1].predict.clone();
        let Some(p) = p else { return };
        self.predict = Some(PredictPrompt {
            step,
            question: p.question,
            choices,
            right,
            chosen: None,
            mistakes: p.mistakes,
        });
    }

    /// Commits to a prediction; it is graded against the engine at once.
    pub fn commit_prediction(&mut self, lesson: &Lesson, choice: usize) {
        let Some(p) = &mut self.predict else { return };
        if p.chosen.is_some() {
            return;
        }
        p.chosen = Some(choice);
        let record = PredictRecord {
            choice: p.choices.get(choice).cloned().unwrap_or_default(),
            correct: choice == p.right,
        };
        let step = p.step;
        self.progress
            .lesson_mut(&lesson.scenario.id)
            .predictions
            .insert(step, record);
        self.save();
    }

    pub fn commit_deep_dive(&mut self, lesson: &Lesson, build_up: usize, choice: usize) {
        self.progress
            .lesson_mut(&lesson.scenario.id)
            .deep_dive
            .entry(build_up)
            .or_insert(choice);
        self.save();
    }

    /// Remembers where the learner is in a lesson: the furthest step seen,
    /// and the step on screen so the lesson reopens there.
    pub fn note_step(&mut self, lesson: &Lesson, step: Option<u32>) {
        let l = self.progress.lesson_mut(&lesson.scenario.id);
        let step = step.unwrap_or(0);
        let before = (l.furthest_step, l.last_step);
        l.furthest_step = l.furthest_step.max(step);
        l.last_step = step;
        if (l.furthest_step, l.last_step) != before {
            self.save();
        }
    }

    /// Changes the saved settings; writes the file only when they changed.
    pub fn update_prefs(&mut self, f: impl FnOnce(&mut meshstep_sim::learning::progress::Prefs)) {
        let mut p = self.progress.prefs.clone();
        f(&mut p);
        if p != self.progress.prefs {
            self.progress.prefs = p;
            self.save();
        }
    }

    /// Puts a lesson's progress in place of what was saved for it (the
    /// record a learning platform keeps), and saves.
    pub fn replace_lesson_progress(
        &mut self,
        id: &str,
        p: meshstep_sim::learning::progress::LessonProgress,
    ) {
        self.progress.lessons.insert(id.to_string(), p);
        self.save();
    }

    /// Export text: the progress file as it is saved.
    pub fn export_text(&self) -> String {
        self.progress.to_text()
    }

    /// Imports progress text (merging: nothing already done is lost).
    /// Imports the file at `import_path`, saying what happened either way.
    pub fn import_from_path(&mut self) {
        let path = self.import_path.trim().to_string();
        match std::fs::read_to_string(&path) {
            Ok(t) => {
                self.import_text(&t);
                if let Some(m) = &mut self.message {
                    *m = format!("{m} (from {path})");
                }
            }
            Err(e) => self.message = Some(format!("Cannot read {path}: {e}")),
        }
    }

    pub fn import_text(&mut self, text: &str) {
        let r = meshstep_sim::learning::progress::read(text);
        let n = r.progress.lessons.len();
        let problem = r.problem.clone();
        self.progress.merge(r.progress);
        self.save();
        self.message = Some(match problem {
            None => format!("Imported progress for {n} lesson(s)."),
            Some(p) if n > 0 => format!("Imported {n} lesson(s); {}.", p.describe()),
            Some(p) => format!("Nothing imported: {}.", p.describe()),
        });
    }
}
