//! What a learner has done with a question, and what it is worth. A shown
//! solution does not count as solving; a hint or a retry halves the credit.

use serde::{Deserialize, Serialize};

/// A visual-quiz question's record: only the first answer scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct QuizRecord {
    pub first_choice: Option<usize>,
    pub first_correct: bool,
    pub last_choice: Option<usize>,
    pub attempts: u32,
}

impl QuizRecord {
    pub fn answer(&mut self, choice: usize, correct: bool) {
        if self.attempts == 0 {
            self.first_choice = Some(choice);
            self.first_correct = correct;
        }
        self.last_choice = Some(choice);
        self.attempts += 1;
    }

    pub fn points(&self) -> u32 {
        u32::from(self.first_correct)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeStatus {
    NotTried,
    /// Answered, not right yet.
    Wrong,
    /// Right at the first try without a hint.
    Solved,
    /// Right after a hint or a wrong try.
    SolvedWithHelp,
    /// The solution was shown before a right answer: not solved.
    Revealed,
}

impl PracticeStatus {
    pub fn label(self) -> &'static str {
        match self {
            PracticeStatus::NotTried => "not tried",
            PracticeStatus::Wrong => "not yet",
            PracticeStatus::Solved => "solved",
            PracticeStatus::SolvedWithHelp => "solved with help",
            PracticeStatus::Revealed => "solution shown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PracticeRecord {
    pub attempts: u32,
    pub hint_used: bool,
    pub solution_shown: bool,
    pub solved: bool,
    pub solved_first_try: bool,
    pub last_choice: Option<usize>,
}

impl PracticeRecord {
    pub fn answer(&mut self, choice: usize, correct: bool) {
        self.attempts += 1;
        self.last_choice = Some(choice);
        // Once the solution is shown, a right answer no longer counts.
        if correct && !self.solved && !self.solution_shown {
            self.solved = true;
            self.solved_first_try = self.attempts == 1;
        }
    }

    pub fn use_hint(&mut self) {
        self.hint_used = true;
    }

    pub fn show_solution(&mut self) {
        self.solution_shown = true;
    }

    pub fn status(&self) -> PracticeStatus {
        match (self.solved, self.solution_shown, self.attempts) {
            (true, _, _) if self.solved_first_try && !self.hint_used => PracticeStatus::Solved,
            (true, _, _) => PracticeStatus::SolvedWithHelp,
            (false, true, _) => PracticeStatus::Revealed,
            (false, false, 0) => PracticeStatus::NotTried,
            (false, false, _) => PracticeStatus::Wrong,
        }
    }

    /// 2 for a clean solve, 1 with help, 0 otherwise.
    pub fn points(&self) -> u32 {
        match self.status() {
            PracticeStatus::Solved => 2,
            PracticeStatus::SolvedWithHelp => 1,
            _ => 0,
        }
    }
}

/// A "predict, then reveal" answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PredictRecord {
    pub choice: String,
    pub correct: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_first_time_scores_full() {
        let mut p = PracticeRecord::default();
        assert_eq!(p.status(), PracticeStatus::NotTried);
        p.answer(3, true);
        assert_eq!((p.status(), p.points()), (PracticeStatus::Solved, 2));
    }

    #[test]
    fn a_hint_or_a_wrong_try_halves_the_credit() {
        let mut hinted = PracticeRecord::default();
        hinted.use_hint();
        hinted.answer(0, true);
        assert_eq!(
            (hinted.status(), hinted.points()),
            (PracticeStatus::SolvedWithHelp, 1)
        );
        let mut retried = PracticeRecord::default();
        retried.answer(1, false);
        assert_eq!(
            (retried.status(), retried.points()),
            (PracticeStatus::Wrong, 0)
        );
        retried.answer(0, true);
        assert_eq!(
            (retried.status(), retried.points()),
            (PracticeStatus::SolvedWithHelp, 1)
        );
    }

    #[test]
    fn showing_the_solution_is_not_solving() {
        let mut p = PracticeRecord::default();
        p.answer(1, false);
        p.show_solution();
        p.answer(0, true);
        assert!(!p.solved);
        assert_eq!((p.status(), p.points()), (PracticeStatus::Revealed, 0));
        // but a solve before the reveal stands
        let mut q = PracticeRecord::default();
        q.answer(0, true);
        q.show_solution();
        assert_eq!(q.status(), PracticeStatus::Solved);
    }

    #[test]
    fn only_the_first_quiz_answer_scores() {
        let mut q = QuizRecord::default();
        q.answer(2, false);
        q.answer(1, true);
        assert_eq!(
            (q.points(), q.first_choice, q.last_choice, q.attempts),
            (0, Some(2), Some(1), 2)
        );
        let mut r = QuizRecord::default();
        r.answer(1, true);
        assert_eq!(r.points(), 1);
    }
}
