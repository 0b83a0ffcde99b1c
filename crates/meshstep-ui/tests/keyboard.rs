//! The app from the keyboard alone: Tab reaches every control of every
//! side-panel tab (quiz options, Check answer, Hint, practice, what-ifs),
//! a prediction is answered with a letter and the step shown with →, the
//! quiz is answered with a digit and checked with Enter, Ctrl+digit picks a
//! tab, and the step keys leave a focused control alone until Esc.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use meshstep_ui::panels::UiAction;
use meshstep_ui::tabs::Tab;
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;
use shell_support::{harness, shell};

fn focused(h: &Harness<'static, Shell>) -> Option<String> {
    h.query_by(|n| n.is_focused())
        .map(|n| n.accesskit_node().label().unwrap_or_default())
}

/// Presses Tab 150 times (focus goes round the window and starts again),
/// returning the label of every control that had the focus.
fn tab_round(h: &mut Harness<'static, Shell>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..150 {
        h.key_press(Key::Tab);
        h.run();
        if let Some(label) = focused(h)
            && !seen.contains(&label)
        {
            seen.push(label);
        }
    }
    seen
}

fn step(h: &Harness<'static, Shell>) -> Option<u32> {
    h.state().viewer.as_ref().unwrap().current_step()
}

#[test]
fn tab_reaches_every_control_of_every_tab() {
    let mut h = shell("mesh-vs-library");
    let lesson = h.state().viewer.as_ref().unwrap().lesson.clone();
    let s = &lesson.scenario;
    let expect: [(Tab, Vec<String>); 4] = [
        (
            Tab::Quiz,
            vec![
                format!("A. {}", s.quiz[0].options[0].text),
                format!("D. {}", s.quiz[0].options[3].text),
                "Hint".into(),
                "Next question".into(),
            ],
        ),
        (
            Tab::Practice,
            vec!["Answer 1: options".into(), "Answer 2: options".into()],
        ),
        (Tab::WhatIf, vec![s.what_if[0].label.clone()]),
        (Tab::Steps, vec!["Step 1: ".into(), "Step 3: ".into()]),
    ];
    for (tab, wanted) in expect {
        h.state_mut().apply(UiAction::OpenTab(tab));
        h.run();
        let seen = tab_round(&mut h);
        for w in &wanted {
            assert!(
                seen.iter().any(|l| l.contains(w.as_str())),
                "{tab:?}: Tab never reached {w:?}; it reached {seen:?}"
            );
        }
        // The top bar and the tab strip are in the round as well.
        for w in ["▶ Play", Tab::Quiz.label(), "?"] {
            assert!(seen.iter().any(|l| l == w), "{tab:?}: no {w:?} in {seen:?}");
        }
        h.key_press(Key::Escape);
        h.run();
    }
}

#[test]
fn a_prediction_is_answered_and_revealed_from_the_keyboard() {
    let mut h = shell("mesh-vs-library");
    for _ in 0..4 {
        h.key_press(Key::ArrowRight);
        h.run();
    }
    assert_eq!(step(&h), Some(3), "stopped before the predicted step");
    let p = h
        .state()
        .learn
        .predict
        .clone()
        .expect("a prediction is open");
    assert_eq!(p.step, 4);
    // Its letter answers it (the option's own letter, as shown).
    let key = [Key::A, Key::B, Key::C, Key::D][p.right];
    h.key_press(key);
    h.run();
    assert_eq!(
        h.state().learn.predict.as_ref().unwrap().chosen,
        Some(p.right)
    );
    assert!(h.query_by_label_contains("✔ Yes:").is_some());
    // → goes on to the step that was predicted; no click needed.
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(step(&h), Some(4));
    assert!(h.state().learn.predict.is_none());
    assert!(h.state().learn.progress.lessons["mesh-vs-library"].predictions[&4].correct);
}

#[test]
fn the_quiz_is_answered_with_a_digit_and_checked_with_enter() {
    let mut h = shell("mesh-vs-library");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run();
    assert_eq!(h.state().tab, Tab::Quiz, "Ctrl+5 opens the fifth tab");
    let right = {
        let v = h.state().viewer.as_ref().unwrap();
        meshstep_sim::learning::grading::grade_quiz(&v.lesson, &v.run, 0, 0)
            .unwrap()
            .right
    };
    h.key_press([Key::Num1, Key::Num2, Key::Num3, Key::Num4][right]);
    h.run();
    assert_eq!(h.state().learn.quiz[&0].selected, Some(right));
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label_contains("✔ Right:").is_some());
    assert_eq!(
        h.state().learn.progress.lessons["mesh-vs-library"].quiz[&0].points(),
        1
    );
}

#[test]
fn step_keys_leave_a_focused_control_alone_until_esc() {
    let mut h = shell("mesh-vs-library");
    h.key_press(Key::Tab);
    h.run();
    assert!(focused(&h).is_some(), "Tab focuses the first control");
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(step(&h), None, "→ moved the focus, not the lesson");
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(focused(&h), None);
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(step(&h), Some(1));
}

#[test]
fn the_help_overlay_lists_the_key_map() {
    let mut h = shell("mesh-vs-library");
    h.key_press(Key::Questionmark);
    h.run();
    for b in meshstep_ui::keys::KEYMAP {
        assert!(
            h.query_by_label(b.does).is_some(),
            "help lacks {:?}",
            b.does
        );
        let keys = b.keys_label();
        assert!(
            h.query_all_by_label(&keys).next().is_some(),
            "help lacks {keys}"
        );
    }
    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().help_open);
}

#[test]
fn the_readme_key_table_is_the_key_map() {
    // Read at run time: one target directory serves several checkouts.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let readme = std::fs::read_to_string(std::path::Path::new(&root).join("../../README.md"))
        .expect("README.md");
    for b in meshstep_ui::keys::KEYMAP {
        let row = format!("| {} | {} |", b.keys_label(), b.does);
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

#[test]
fn a_click_on_the_speed_slider_sets_the_speed() {
    let mut h = shell("mesh-vs-library");
    let whole = h
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Playback speed")
        .rect();
    // The rail is the slider's part left of its value box.
    let value = h
        .query_all_by_role(egui::accesskit::Role::SpinButton)
        .map(|n| n.rect())
        .find(|r| whole.contains(r.center()))
        .expect("the speed's value box");
    let rail_width = value.left() - whole.left();
    let at = egui::pos2(whole.left() + rail_width * 0.9, whole.center().y);
    h.event(egui::Event::PointerMoved(at));
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    let speed = h.state().viewer.as_ref().unwrap().speed;
    assert!(
        speed > 2.0,
        "speed after a click near the right end: {speed}"
    );
}

#[test]
fn every_control_is_named_for_screen_readers_and_so_is_the_step() {
    use egui::accesskit::Role;
    let mut h = shell("mesh-vs-library");
    h.state_mut().apply(UiAction::JumpToStep(2));
    h.run();
    let controls = [
        Role::Button,
        Role::CheckBox,
        Role::RadioButton,
        Role::Slider,
        Role::ComboBox,
        Role::SpinButton,
        Role::Link,
        Role::Tab,
    ];
    for tab in Tab::ALL {
        h.state_mut().apply(UiAction::OpenTab(tab));
        h.run();
        let unnamed: Vec<String> = h
            .query_all_by(|n| controls.contains(&n.role()))
            .filter(|n| {
                let a = n.accesskit_node();
                a.label().or(a.value()).is_none_or(|l| l.trim().is_empty())
            })
            .map(|n| format!("{:?} at {:?}", n.accesskit_node().role(), n.rect()))
            .collect();
        assert!(
            unnamed.is_empty(),
            "{tab:?}: controls without a name: {unnamed:#?}"
        );
    }
    assert!(
        h.query_all_by_label("Step 2 of 9").next().is_some(),
        "the step is named"
    );
    assert!(
        h.query_by_label_contains("Lesson: Service mesh vs library")
            .is_some()
    );
}

#[test]
fn ctrl_plus_enlarges_the_text_and_the_size_is_kept() {
    let mut h = shell("mesh-vs-library");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run();
    let zoom = h.ctx.zoom_factor();
    assert!(zoom > 1.0, "zoom {zoom}");
    assert_eq!(h.state().learn.progress.prefs.zoom, Some(zoom), "saved");
    // The side panel's toggle moved off Ctrl+0, which is egui's zoom reset.
    assert!(h.state().side_open);
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run();
    assert!(!h.state().side_open, "Ctrl+B hides the side panel");
    // A new start with the same progress comes back at that size.
    let mut learn = meshstep_ui::learn::Learning::default();
    learn.progress.prefs.zoom = Some(zoom);
    let mut again = harness(Shell::with_learning(LessonLibrary::bundled(), 0, learn));
    again.run();
    assert_eq!(again.ctx.zoom_factor(), zoom);
}

#[test]
fn reduced_motion_jumps_instead_of_animating_and_is_kept() {
    let mut h = shell("mesh-vs-library");
    h.state_mut().apply(UiAction::JumpToStep(1));
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    assert!(
        h.state().viewer.as_ref().unwrap().animating(),
        "animates by default"
    );
    h.state_mut().apply(UiAction::JumpToStep(1));
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    assert!(h.state().reduced_motion);
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    let v = h.state().viewer.as_ref().unwrap();
    assert!(!v.animating(), "jumps");
    assert_eq!(v.current_step(), Some(2));
    assert_eq!(h.state().learn.progress.prefs.reduced_motion, Some(true));
}

#[test]
fn the_narration_says_the_step_why_and_the_quiz_verdict() {
    use meshstep_ui::narrate::narration;
    let mut h = shell("mesh-vs-library");
    assert!(narration(h.state()).contains("Before the first of 9 steps"));
    h.state_mut().apply(UiAction::JumpToStep(5));
    h.run();
    let said = narration(h.state());
    assert!(
        said.starts_with("Step 5 of 9. Sidecar Proxy (checkout-mesh): Forwards the request"),
        "{said}"
    );
    assert!(
        said.contains("Why: Sidecar Proxy (checkout-mesh) forwards request"),
        "{said}"
    );
    h.state_mut().apply(UiAction::OpenTab(Tab::Quiz));
    h.state_mut().apply(UiAction::Answer(2));
    h.state_mut().apply(UiAction::Confirm);
    h.run();
    let said = narration(h.state());
    assert!(
        said.contains("Quiz question 1: not quite; the answer is Step 4."),
        "{said}"
    );
}

#[test]
fn keys_pressed_in_one_frame_act_in_order_and_each_counts() {
    // A browser can deliver several key presses before the next frame.
    let mut h = shell("mesh-vs-library");
    for key in [
        Key::CloseBracket,
        Key::CloseBracket,
        Key::CloseBracket,
        Key::Num2,
    ] {
        h.key_press(key);
    }
    h.run();
    assert_eq!(h.state().tab, Tab::Quiz, "three ] are three tabs on");
    assert_eq!(
        h.state().learn.quiz.get(&0).and_then(|q| q.selected),
        Some(1),
        "then 2 answers in the quiz"
    );
}

#[test]
fn the_flow_view_zooms_and_pans_from_the_keyboard_and_the_buttons() {
    let mut h = shell("zero-trust");
    let zoom = |h: &Harness<'static, Shell>| h.state().viewer.as_ref().unwrap().zoom;
    assert!(zoom(&h).is_fit());
    h.key_press(Key::Plus);
    h.run();
    h.key_press(Key::Equals);
    h.run();
    assert!((zoom(&h).level - 1.5625).abs() < 1e-4, "{:?}", zoom(&h));
    h.key_press_modifiers(egui::Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    assert!(zoom(&h).pan.0 > 0.0, "Shift+Right pans right");
    assert_eq!(step(&h), None, "and does not step");
    h.key_press(Key::Num0);
    h.run();
    assert!(zoom(&h).is_fit());
    // The same by the buttons in the view's corner, named for screen readers.
    h.get_by_label("Zoom the flow view in").click();
    h.run();
    assert!(zoom(&h).level > 1.0);
    h.get_by_label("Fit the whole flow view").click();
    h.run();
    assert!(zoom(&h).is_fit());
}
