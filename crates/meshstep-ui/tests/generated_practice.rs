//! Generated practice on the Practice tab, as a learner meets it: in every
//! lesson, each generated question accepts the option the engine computed
//! (checked against fresh engine runs in the sim crate's test) and says why;
//! "show me" moves to the step or runs the what-if; "test this pattern" is
//! taken from the keyboard and its score saved; a link names the set.

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use meshstep_sim::lesson::quiz::letter;
use meshstep_sim::share::ShareLink;
use meshstep_ui::panels::UiAction;
use meshstep_ui::tabs::Tab;
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;
use shell_support::harness_sized;

/// A lesson at 1280×720 with the Practice tab open.
fn practice(lesson: &str) -> Harness<'static, Shell> {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of(lesson).unwrap();
    let mut h = harness_sized(Shell::new(lib, i), 1280.0, 720.0);
    h.run();
    // A deep-dive lesson opens on its reading page; the tab key leaves it.
    h.state_mut().apply(UiAction::OpenTab(Tab::Practice));
    h.run();
    assert_eq!(h.state().tab, Tab::Practice, "{lesson}");
    assert!(
        h.query_by_label("Start the test").is_some(),
        "{lesson}: no Start"
    );
    h
}

#[test]
fn every_lessons_generated_questions_accept_the_engines_answer_and_say_why() {
    for id in meshstep_sim::bundled::ids() {
        let mut h = practice(id);
        assert!(h.query_by_label("Start the test").is_some(), "start");
        h.get_by_label("Generate 5 questions").click();
        h.run();
        let qs = h.state().learn.more.questions.clone();
        assert_eq!(qs.len(), 5, "{id}");
        // Answer the first one wrongly, the rest rightly, by clicking.
        let mut offset = 0;
        for (i, q) in qs.iter().enumerate() {
            let pick = if i == 0 {
                (q.right + 1) % q.options.len()
            } else {
                q.right
            };
            let radio = |h: &Harness<'static, Shell>| {
                let radios: Vec<_> = h.get_all_by_role(Role::RadioButton).collect();
                radios.len() - qs.iter().map(|q| q.options.len()).sum::<usize>() + offset + pick
            };
            let label = format!("{}. {}", letter(pick), q.options[pick]);
            // Scrolled into view first, as a learner would.
            h.get_all_by_role(Role::RadioButton)
                .nth(radio(&h))
                .unwrap()
                .scroll_to_me();
            h.run();
            let node = h.get_all_by_role(Role::RadioButton).nth(radio(&h)).unwrap();
            assert_eq!(
                node.accesskit_node().label().as_deref(),
                Some(label.as_str()),
                "{id}"
            );
            node.click();
            h.run();
            h.get_all_by_label("Check answer")
                .nth(i)
                .unwrap()
                .scroll_to_me();
            h.run();
            h.get_all_by_label("Check answer").nth(i).unwrap().click();
            h.run();
            offset += q.options.len();
        }
        let answers = h.state().learn.more.answers.clone();
        for (i, (a, q)) in answers.iter().zip(&qs).enumerate() {
            let pick = if i == 0 {
                (q.right + 1) % q.options.len()
            } else {
                q.right
            };
            assert_eq!(
                a.checked,
                Some(pick),
                "{id}: question {i} was not answered by clicking"
            );
        }
        let first = &qs[0];
        assert!(
            h.query_by_label(&format!(
                "✖ Not quite: the simulation says {}. {}",
                letter(first.right),
                first.options[first.right]
            ))
            .is_some(),
            "{id}"
        );
        for q in &qs[1..] {
            assert!(
                h.query_all_by_label(&format!("✔ Right: {}", q.options[q.right]))
                    .next()
                    .is_some(),
                "{id}: {}",
                q.question
            );
            assert!(
                h.query_by_label(&format!("Why: {}", q.explanation))
                    .is_some(),
                "{id}"
            );
        }
    }
}

#[test]
fn show_me_moves_to_the_step_or_runs_the_what_if() {
    let mut h = practice("why-mesh-matters");
    h.get_by_label("Generate 5 questions").click();
    h.run();
    for _ in 0..4 {
        h.get_by_label("5 more").scroll_to_me();
        h.run();
        h.get_by_label("5 more").click();
        h.run();
    }
    let qs = h.state().learn.more.questions.clone();
    let (i, q) = (qs.iter().enumerate())
        .find(|(_, q)| !q.faults.is_empty())
        .expect("a fault question among 25");
    let state = &mut h.state_mut().learn.more.answers[i];
    state.selected = Some(q.right);
    state.checked = Some(q.right);
    h.run();
    let step = q.step.unwrap();
    let show = format!("Run it as a what-if, at step {step}");
    h.get_by_label(&show).scroll_to_me();
    h.run();
    h.get_by_label(&show).click();
    h.run();
    let v = h.state().viewer.as_ref().unwrap();
    assert_eq!(v.faults(), q.faults.as_slice());
    assert_eq!(v.current_step(), Some(step));
}

#[test]
fn test_this_pattern_is_taken_from_the_keyboard_and_saved() {
    let mut h = practice("mesh-vs-library");
    h.get_by_label("Start the test").click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    let t = h.state().learn.more.test.clone().unwrap();
    assert_eq!(t.items.len(), 10);
    assert!(
        h.query_by_label("Test this pattern — question 1 of 10")
            .is_some()
    );
    for _ in 0..10 {
        h.key_press(Key::A); // choose A
        h.run();
        h.key_press(Key::Enter); // check
        h.run();
        h.key_press(Key::Enter); // next
        h.run();
    }
    let expect = t.rights.iter().filter(|&&r| r == 0).count() as u32;
    let saved = &h.state().learn.progress.lessons["mesh-vs-library"].tests;
    assert_eq!(saved.len(), 1);
    assert_eq!((saved[0].score, saved[0].out_of), (expect, 10));
    assert!(
        h.query_by_label(&format!(
            "Test finished: {expect} of 10. Saved with your progress."
        ))
        .is_some()
    );
    h.get_by_label("Close the test").click();
    h.run();
    assert!(
        h.query_by_label(&format!("Best so far: {expect} of 10"))
            .is_some()
    );
}

#[test]
fn a_link_names_the_generated_set() {
    let mut a = practice("canary");
    let (link, _) = ShareLink::parse("#v=1&lesson=canary&practice=42");
    assert_eq!(link.practice, Some(42));
    assert!(link.to_fragment().contains("practice=42"));
    a.state_mut().open_link(&link);
    a.run();
    let mut b = practice("canary");
    b.state_mut().open_link(&link);
    b.run();
    let (qa, qb) = (&a.state().learn.more, &b.state().learn.more);
    assert_eq!(qa.seed, 42);
    assert_eq!(qa.questions, qb.questions);
    assert_eq!(a.state().tab, Tab::Practice);
    assert!(a.query_by_label_contains("Set 42:").is_some());
}
