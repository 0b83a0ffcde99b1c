//! What a SCORM package reports: the score as a percentage, the status
//! (incomplete until every step is seen and every quiz question answered;
//! passed or failed by a mastery score), and the progress as suspend data
//! that reads back the same and never passes SCORM 1.2's 4,096 characters.

use meshstep_sim::learning::lms::{LessonStatus, SUSPEND_LIMIT, report, resume, suspend_data};
use meshstep_sim::learning::practice::{PracticeRecord, PredictRecord, QuizRecord};
use meshstep_sim::learning::progress::{LessonProgress, TestResult, lesson_score};
use meshstep_sim::{Lesson, bundled};

fn lesson(id: &str) -> Lesson {
    Lesson::from_source(id, bundled::source(id).unwrap()).unwrap()
}

/// Every step seen and every quiz question answered, `right` of them right.
fn finished(l: &Lesson, right: usize) -> LessonProgress {
    let mut p = LessonProgress {
        furthest_step: l.scenario.steps.len() as u32,
        last_step: 3,
        ..Default::default()
    };
    for q in 0..l.scenario.quiz.len() {
        let mut r = QuizRecord::default();
        r.answer(1, q < right);
        p.quiz.insert(q, r);
    }
    p
}

#[test]
fn status_follows_steps_seen_quiz_answered_and_the_mastery_score() {
    let l = lesson("mesh-vs-library");
    let s = &l.scenario;
    let fresh = report(s, None, None);
    assert_eq!(
        (fresh.score_raw, fresh.status),
        (0, LessonStatus::Incomplete)
    );

    let all = s.quiz.len();
    assert!(all >= 2, "the lesson has a quiz");
    let mut p = finished(&l, all);
    p.quiz.remove(&(all - 1));
    assert_eq!(report(s, Some(&p), None).status, LessonStatus::Incomplete);

    let p = finished(&l, all);
    let r = report(s, Some(&p), None);
    assert_eq!(r.status, LessonStatus::Completed);
    let score = lesson_score(s, Some(&p));
    assert_eq!(r.score_raw, score.earned * 100 / score.possible);
    assert_eq!(r.location, "step 3");
    assert_eq!(
        report(s, Some(&p), Some(r.score_raw)).status,
        LessonStatus::Passed
    );
    assert_eq!(
        report(s, Some(&p), Some(r.score_raw + 1)).status,
        LessonStatus::Failed
    );
    assert_eq!(LessonStatus::Failed.cmi(), "failed");
}

#[test]
fn suspend_data_reads_back_the_same_progress() {
    let l = lesson("canary");
    let mut p = finished(&l, 1);
    let mut pr = PracticeRecord::default();
    pr.answer(2, true);
    p.practice.insert(0, pr);
    p.predictions.insert(
        4,
        PredictRecord {
            choice: "v2, \"quoted\" ✓".into(),
            correct: true,
        },
    );
    p.deep_dive.insert(1, 2);
    p.tests.push(TestResult {
        seed: u64::MAX,
        score: 7,
        out_of: 10,
    });
    let data = suspend_data("canary", &p);
    assert_eq!(resume(&data), Ok(("canary".to_string(), p)));
    assert!(resume("{not json").unwrap_err().contains("cannot be read"));
    assert!(
        resume("[9,\"x\",[0,0],[],[],[],[],[]]")
            .unwrap_err()
            .contains("format 9")
    );
}

#[test]
fn heavy_progress_fits_in_4096_characters_keeping_every_scored_answer() {
    for id in bundled::ids() {
        let l = lesson(id);
        let s = &l.scenario;
        let mut p = finished(&l, s.quiz.len());
        for q in 0..s.practice.len() {
            let mut r = PracticeRecord::default();
            r.answer(0, false);
            r.answer(1, true);
            p.practice.insert(q, r);
        }
        for step in 1..=s.steps.len() as u32 {
            let choice = "a long predicted answer, as the option reads ".repeat(4);
            p.predictions.insert(
                step,
                PredictRecord {
                    choice,
                    correct: step % 2 == 0,
                },
            );
        }
        for i in 0..300 {
            p.tests.push(TestResult {
                seed: 1 << 60 | i,
                score: (i % 11) as u32,
                out_of: 10,
            });
        }
        let data = suspend_data(id, &p);
        assert!(
            data.chars().count() <= SUSPEND_LIMIT,
            "{id}: {}",
            data.len()
        );
        let (back_id, back) = resume(&data).unwrap();
        assert_eq!(back_id, id);
        assert_eq!(
            lesson_score(s, Some(&back)),
            lesson_score(s, Some(&p)),
            "{id}"
        );
        assert_eq!(
            back.best_test(),
            p.best_test(),
            "{id}: the best test is kept"
        );
        assert_eq!(
            report(s, Some(&back), None),
            report(s, Some(&p), None),
            "{id}"
        );
    }
}
