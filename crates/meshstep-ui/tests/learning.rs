//! The learning layer as a learner meets it: quiz answers graded with
//! feedback and a jump to the step, hints that point into the table,
//! practice with hint and step-by-step solution, predictions before marked
//! steps, the deep dive's "commit before reading on", and saved progress
//! that survives damaged or newer files.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meshstep_sim::learning::practice::PracticeStatus;
use meshstep_sim::learning::progress::Progress;
use meshstep_ui::learn::Learning;
use meshstep_ui::panels::{self, UiAction};
use meshstep_ui::store::{FileStore, ProgressStore};
use meshstep_ui::tabs::Tab;
use meshstep_ui::theme::palette;
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;
use shell_support::{harness, shell};

/// Opens a side-panel tab by clicking it, as a learner would.
fn open_tab(h: &mut Harness<'static, Shell>, tab: Tab) {
    h.get_by_label(tab.label()).click();
    h.run();
    assert_eq!(h.state().tab, tab);
}

#[test]
fn a_right_quiz_answer_is_confirmed_and_shows_its_step() {
    let mut h = shell("mesh-vs-library");
    open_tab(&mut h, Tab::Quiz);
    h.get_all_by_label("B. Step 4").next().unwrap().click();
    h.run();
    h.get_all_by_label("Check answer").next().unwrap().click();
    h.run();
    assert!(h.query_by_label("✔ Right: Step 4").is_some());
    assert_eq!(
        h.state().viewer.as_ref().unwrap().current_step(),
        Some(4),
        "the step view moved to the step asked about"
    );
    let p = &h.state().learn.progress.lessons["mesh-vs-library"];
    assert_eq!(p.quiz[&0].points(), 1);
}

#[test]
fn a_wrong_answer_says_why_it_is_wrong_and_what_is_right() {
    let mut h = shell("mesh-vs-library");
    open_tab(&mut h, Tab::Quiz);
    h.get_all_by_label("C. Step 6").next().unwrap().click();
    h.run();
    h.get_all_by_label("Check answer").next().unwrap().click();
    h.run();
    assert!(
        h.query_by_label("✖ Not quite. You chose C: Step 6")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Why not: At step 6 the sidecar is reporting metrics")
            .is_some()
    );
    assert!(h.query_by_label("The answer is B: Step 4").is_some());
    // a second, right answer does not change the score: the first answer counts
    h.get_all_by_label("B. Step 4").next().unwrap().click();
    h.run();
    h.get_all_by_label("Check answer").next().unwrap().click();
    h.run();
    assert_eq!(
        h.state().learn.progress.lessons["mesh-vs-library"].quiz[&0].points(),
        0
    );
}

#[test]
fn a_hint_points_at_the_column_row_or_cell() {
    let mut h = shell("mesh-vs-library");
    open_tab(&mut h, Tab::Quiz);
    h.get_by_label("2").click();
    h.run();
    h.get_by_label("Hint").click();
    h.run();
    let focus = h.state().learn.hint_focus.clone();
    assert!(
        h.query_by_label_contains("Find the Library Proxy row")
            .is_some(),
        "the hint text shows"
    );
    // and the tracker marks that cell
    let v = h.state().viewer.as_ref().unwrap();
    let t = v.run.tracker.clone();
    let pal = palette(true);
    let mut th = Harness::new_ui(move |ui| {
        panels::tracker_ui(ui, &t, Some(1), true, focus.as_ref(), None, &pal)
    });
    th.run();
    assert!(th.query_by_label("• Processing request (hint)").is_some());
    // a column hint marks the table's header
    let table = v.run.table.clone();
    let col = Some(meshstep_sim::scenario::schema::HintTarget::Column(
        "Action".into(),
    ));
    let mut tt = Harness::new_ui(move |ui| {
        panels::table_ui(
            ui,
            &table,
            panels::TableView {
                current: Some(2),
                hint: col.as_ref(),
                ..Default::default()
            },
            &pal,
        );
    });
    tt.run();
    assert!(tt.query_by_label("Action (hint)").is_some());
}

#[test]
fn practice_hint_then_solution_step_by_step_is_not_solving() {
    let mut h = shell("mesh-vs-library");
    open_tab(&mut h, Tab::Practice);
    assert!(
        h.query_by_label_contains("1. What mainly sets a service mesh apart")
            .is_some()
    );
    h.get_by_label("Answer 1: options, hint, solution").click();
    h.run();
    h.get_by_label("Hint").click();
    h.run();
    assert!(h.query_by_label_contains("💡").is_some());
    h.get_by_label("Show solution").click();
    h.run();
    assert!(h.query_by_label_contains("1. Step 1:").is_some());
    assert!(
        h.query_by_label_contains("2. Step 2:").is_none(),
        "one step at a time"
    );
    h.get_by_label("Next solution step").click();
    h.run();
    h.get_by_label("Next solution step").click();
    h.run();
    assert!(h.query_by_label_contains("Quick check:").is_some());
    assert!(h.query_by_label("Common mistakes:").is_some());
    // answering right now does not count as solving
    h.get_by_label_contains("D. The mesh handles communication outside the app")
        .click();
    h.run();
    h.get_by_label("Check answer").click();
    h.run();
    let r = h.state().learn.progress.lessons["mesh-vs-library"].practice[&0];
    assert_eq!((r.status(), r.points()), (PracticeStatus::Revealed, 0));
    assert!(h.query_by_label("Status: solution shown").is_some());
}

#[test]
fn the_app_pauses_for_a_prediction_graded_by_the_engine() {
    let mut h = shell("mesh-vs-library");
    for _ in 0..3 {
        h.state_mut().apply(UiAction::StepForward);
    }
    h.run();
    assert_eq!(h.state().viewer.as_ref().unwrap().current_step(), Some(3));
    h.state_mut().apply(UiAction::StepForward);
    h.run();
    // not shown yet: the app asks first
    assert_eq!(h.state().viewer.as_ref().unwrap().current_step(), Some(3));
    assert!(h.query_by_label_contains("Before step 4:").is_some());
    h.get_by_label_contains(". Sidecar Proxy (checkout-mesh)")
        .click();
    h.run();
    assert!(
        h.query_by_label("✔ Yes: Sidecar Proxy (checkout-mesh)")
            .is_some()
    );
    h.get_by_label("Show me the step").click();
    h.run();
    assert_eq!(h.state().viewer.as_ref().unwrap().current_step(), Some(4));
    assert!(h.state().learn.progress.lessons["mesh-vs-library"].predictions[&4].correct);
    // a wrong prediction gets the lesson's common mistakes
    while h.state().viewer.as_ref().unwrap().current_step() < Some(6) {
        h.state_mut().apply(UiAction::StepForward);
        let v = h.state_mut().viewer.as_mut().unwrap();
        while v.animating() {
            v.tick(0.5);
        }
    }
    h.state_mut().apply(UiAction::StepForward);
    h.run();
    h.get_by_label_contains(". Application (checkout-mesh)")
        .click();
    h.run();
    assert!(
        h.query_by_label_contains("the simulation says Control Plane")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("the app never talks to the control plane")
            .is_some()
    );
}

#[test]
fn the_deep_dive_asks_for_a_commitment_before_reading_on() {
    let mut h = shell("mesh-vs-library");
    h.state_mut().apply(UiAction::OpenDeepDive);
    h.run();
    assert!(
        h.query_by_label("Deep dive: Service mesh vs library-based approach")
            .is_some()
    );
    let l = h.state().viewer.as_ref().unwrap().lesson.clone();
    let dd = l.scenario.deep_dive.as_ref().unwrap();
    let (i, step) = dd
        .build_up
        .iter()
        .enumerate()
        .find(|(_, b)| b.prediction.is_some())
        .unwrap();
    let body = step.body.clone();
    assert!(h.query_by_label(&body).is_none(), "hidden until committed");
    let concept = step.concept.clone();
    assert!(
        h.query_by_label(&concept).is_none(),
        "the summary would state the answer"
    );
    let question = format!(
        "Before reading on: {}",
        step.prediction.as_ref().unwrap().question
    );
    h.get_by_label(&question).scroll_to_me();
    h.run();
    let choice = step.prediction.as_ref().unwrap().choices[0].clone();
    h.get_all_by_label(&choice).next().unwrap().click();
    h.run();
    assert_eq!(
        h.state().learn.progress.lessons["mesh-vs-library"].deep_dive[&i],
        0,
        "the commitment is saved"
    );
    assert!(
        h.query_by_label(&question).is_none(),
        "the question gives way to the text"
    );
    assert!(h.query_by_label(&body).is_some(), "shown after committing");
    assert!(h.query_by_label(&concept).is_some());
    // a build-up step matching a simulated step opens the step-through there
    h.get_by_label("See this in the step-through (step 4)")
        .scroll_to_me();
    h.run();
    h.get_by_label("See this in the step-through (step 4)")
        .click();
    h.run();
    assert!(!h.state().learn.deep_dive_open);
    assert_eq!(h.state().viewer.as_ref().unwrap().current_step(), Some(4));
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "meshstep-progress-test-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn some_progress() -> Progress {
    let mut p = Progress::default();
    p.lesson_mut("mesh-vs-library")
        .quiz
        .entry(0)
        .or_default()
        .answer(1, true);
    p.lesson_mut("mesh-overview").furthest_step = 5;
    p
}

#[test]
fn progress_is_saved_atomically_and_restored_on_start() {
    let dir = temp_dir("roundtrip");
    FileStore::new(&dir).save(&some_progress()).unwrap();
    let learn = Learning::with_store(Box::new(FileStore::new(&dir)));
    assert_eq!(learn.progress, some_progress());
    assert_eq!(learn.message, None);
    // Saving replaces the file (a new one renamed into place), never
    // rewrites it where it lies: a new inode each time.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = || std::fs::metadata(dir.join("progress.json")).unwrap().ino();
        let before = inode();
        let mut more = some_progress();
        more.lesson_mut("why-mesh-matters").furthest_step = 3;
        FileStore::new(&dir).save(&more).unwrap();
        assert_ne!(
            inode(),
            before,
            "the saved file was replaced, not rewritten"
        );
    }
    assert!(!dir.join("progress.json.tmp").exists());
}

#[test]
fn a_save_that_fails_half_way_leaves_the_saved_progress_intact() {
    let dir = temp_dir("failed-save");
    FileStore::new(&dir).save(&some_progress()).unwrap();
    let before = std::fs::read_to_string(dir.join("progress.json")).unwrap();
    // The temporary file cannot be written: the save fails...
    std::fs::create_dir(dir.join("progress.json.tmp")).unwrap();
    let mut changed = some_progress();
    changed.lesson_mut("mesh-overview").furthest_step = 7;
    assert!(FileStore::new(&dir).save(&changed).is_err());
    // ...and the progress already saved is untouched and still reads back.
    assert_eq!(
        std::fs::read_to_string(dir.join("progress.json")).unwrap(),
        before
    );
    let learn = Learning::with_store(Box::new(FileStore::new(&dir)));
    assert_eq!(learn.progress, some_progress());
}

#[test]
fn a_truncated_file_is_kept_aside_and_what_can_be_read_is_restored() {
    let dir = temp_dir("truncated");
    let text = some_progress().to_text();
    std::fs::write(dir.join("progress.json"), &text[..text.len() - 15]).unwrap();
    let mut learn = Learning::with_store(Box::new(FileStore::new(&dir)));
    let msg = learn.message.clone().unwrap();
    assert!(
        msg.contains("line 3 was cut short or damaged") && msg.contains("progress.damaged-1.json"),
        "{msg}"
    );
    assert_eq!(
        learn.progress.lessons.len(),
        1,
        "the complete lesson line is restored"
    );
    let kept = std::fs::read_to_string(dir.join("progress.damaged-1.json")).unwrap();
    assert_eq!(
        kept,
        text[..text.len() - 15],
        "the damaged file is kept as it was"
    );
    // saving now writes a fresh file and leaves the kept one alone
    learn.note_step(
        &meshstep_ui::LessonLibrary::bundled()
            .entries
            .iter()
            .find_map(|e| match &e.entry {
                meshstep_ui::library::Entry::Ready(l) => Some((**l).clone()),
                _ => None,
            })
            .unwrap(),
        Some(3),
    );
    assert!(dir.join("progress.json").exists());
    assert!(dir.join("progress.damaged-1.json").exists());
}

#[test]
fn a_file_from_a_newer_version_is_kept_aside_with_a_message() {
    let dir = temp_dir("newer");
    let text =
        some_progress()
            .to_text()
            .replacen("\"meshstep_progress\":1", "\"meshstep_progress\":9", 1);
    std::fs::write(dir.join("progress.json"), &text).unwrap();
    let learn = Learning::with_store(Box::new(FileStore::new(&dir)));
    let msg = learn.message.unwrap();
    assert!(
        msg.contains("newer meshstep") && msg.contains("progress.from-newer-v9-1.json"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("progress.from-newer-v9-1.json")).unwrap(),
        text
    );
    assert!(learn.progress.lessons.is_empty());
}

#[test]
fn export_then_import_merges_without_losing_anything() {
    let mut a = Learning::default();
    a.progress = some_progress();
    let exported = a.export_text();
    let mut b = Learning::default();
    b.progress.lesson_mut("why-mesh-matters").furthest_step = 2;
    // b got further in mesh-overview and answered quiz 1 twice already.
    b.progress.lesson_mut("mesh-overview").furthest_step = 6;
    let q = b
        .progress
        .lesson_mut("mesh-vs-library")
        .quiz
        .entry(1)
        .or_default();
    q.answer(2, false);
    b.import_text(&exported);
    let p = &b.progress.lessons;
    assert_eq!(p.len(), 3);
    // Everything from both sides is there, and the further of two wins.
    assert_eq!(p["why-mesh-matters"].furthest_step, 2);
    assert_eq!(p["mesh-overview"].furthest_step, 6);
    let q0 = &p["mesh-vs-library"].quiz[&0];
    assert_eq!((q0.first_choice, q0.first_correct), (Some(1), true));
    let q1 = &p["mesh-vs-library"].quiz[&1];
    assert_eq!((q1.first_choice, q1.first_correct), (Some(2), false));
    assert!(
        b.message
            .unwrap()
            .contains("Imported progress for 2 lesson(s)")
    );
    let mut c = Learning::default();
    c.import_text("not progress at all");
    assert!(c.message.unwrap().contains("Nothing imported"));
}

#[test]
fn the_top_bar_opens_the_deep_dive_and_the_progress_window() {
    let mut h = shell("mesh-vs-library");
    assert!(
        h.query_by_label("Score 0/15").is_some(),
        "3 quiz + 10 practice + 2 predictions"
    );
    h.get_by_label("📖 Deep dive").click();
    h.run();
    assert!(h.state().learn.deep_dive_open);
    h.get_by_label("Back to the step-through").click();
    h.run();
    assert!(!h.state().learn.deep_dive_open);
    h.get_by_label("Score 0/15").click();
    h.run();
    assert!(h.query_by_label("All lessons").is_some());
    assert!(
        h.query_by_label("0/77").is_some(),
        "15 + 13 + 5 + 16 + 14 + 14 over the six lessons"
    );
    // why-mesh-matters has no deep dive: no button
    h.state_mut().apply(UiAction::SelectLesson(1));
    h.run();
    assert!(h.query_by_label("📖 Deep dive").is_none());
}

#[test]
fn nothing_after_a_step_still_to_predict_is_shown() {
    let mut h = shell("mesh-vs-library");
    let lesson = h.state().viewer.as_ref().unwrap().lesson.clone();
    let row = |n: usize| lesson.scenario.steps[n - 1].action.clone();
    // Step 4 is to be predicted: from the start, its row and later ones are hidden.
    assert!(
        h.query_by_label(&row(3)).is_some(),
        "step 3 is shown greyed"
    );
    assert!(
        h.query_by_label(&row(4)).is_none(),
        "step 4 would answer the prediction"
    );
    assert!(h.query_by_label(&row(9)).is_none());
    assert!(
        h.query_by_label_contains("Step 4 onward is hidden")
            .is_some()
    );
    // The tracker's later columns too.
    open_tab(&mut h, Tab::Tracker);
    assert!(h.query_all_by_label("? (predict first)").count() > 0);
    for _ in 0..4 {
        h.state_mut().apply(UiAction::StepForward);
    }
    h.run();
    assert!(h.state().learn.predict.is_some());
    let right = h.state().learn.predict.as_ref().unwrap().right;
    h.state_mut().apply(UiAction::Answer(right));
    h.state_mut().apply(UiAction::StepForward);
    open_tab(&mut h, Tab::Steps);
    assert_eq!(h.state().viewer.as_ref().unwrap().current_step(), Some(4));
    assert!(h.query_by_label(&row(4)).is_some(), "shown once predicted");
    // The next prediction (step 7) hides from there on.
    assert!(h.query_by_label(&row(6)).is_some());
    assert!(h.query_by_label(&row(7)).is_none());
}

#[test]
fn a_file_cut_inside_its_only_lesson_says_so_without_contradiction() {
    let dir = temp_dir("cut-only-line");
    let mut one = Progress::default();
    one.lesson_mut("mesh-vs-library").furthest_step = 4;
    let text = one.to_text();
    std::fs::write(dir.join("progress.json"), &text[..text.len() - 10]).unwrap();
    let learn = Learning::with_store(Box::new(FileStore::new(&dir)));
    let msg = learn.message.unwrap();
    assert!(msg.contains("line 2 was cut short or damaged"), "{msg}");
    assert!(msg.contains("start with empty progress"), "{msg}");
    assert!(!msg.contains("everything else"), "{msg}");
    assert!(msg.contains("progress.damaged-1.json"), "{msg}");
    assert!(learn.progress.lessons.is_empty());
}

#[test]
fn theme_tab_speed_and_step_survive_a_restart() {
    let dir = temp_dir("prefs");
    let lib = LessonLibrary::bundled();
    let i = lib.index_of("mesh-vs-library").unwrap();
    {
        let learn = Learning::with_store(Box::new(FileStore::new(&dir)));
        let mut s = Shell::with_learning(LessonLibrary::bundled(), i, learn);
        assert!(s.dark && s.tab == Tab::Steps, "defaults on a first start");
        s.apply(UiAction::ToggleTheme);
        s.apply(UiAction::OpenTab(Tab::Quiz));
        s.apply(UiAction::SetSpeed(2.0));
        s.apply(UiAction::ToggleSidePanel);
        s.apply(UiAction::JumpToStep(3));
    }
    let learn = Learning::with_store(Box::new(FileStore::new(&dir)));
    assert_eq!(learn.message, None);
    let s = Shell::with_learning(lib, i, learn);
    assert!(!s.dark, "light theme kept");
    assert_eq!(s.tab, Tab::Quiz);
    assert!(!s.side_open);
    let v = s.viewer.as_ref().unwrap();
    assert_eq!(v.speed, 2.0);
    assert_eq!(
        v.current_step(),
        Some(3),
        "reopens at the step it was left at"
    );
    assert_eq!(
        s.learn.progress.prefs.lesson.as_deref(),
        Some("mesh-vs-library")
    );
}

#[test]
fn a_lesson_starts_with_how_to_use_it_and_ends_with_what_next() {
    let mut h = shell("mesh-vs-library");
    let snap = h
        .state()
        .viewer
        .as_ref()
        .unwrap()
        .lesson
        .scenario
        .concept_snapshot[0]
        .clone();
    assert!(h.query_by_label("How to use this lesson").is_some());
    assert!(
        h.query_by_label_contains(&snap).is_some(),
        "the snapshot, where a learner starts"
    );
    h.state_mut().viewer.as_mut().unwrap().gates.clear();
    h.state_mut().apply(UiAction::End);
    h.run();
    assert!(h.query_by_label("How to use this lesson").is_none());
    assert!(
        h.query_by_label("✔ You have reached the end of the lesson")
            .is_some()
    );
    let next = h.state().library.entries[h.state().selected + 1]
        .title
        .clone();
    let label = format!("Next lesson: {next}");
    let b = h.get_by_label(&label);
    assert!(
        b.rect().top() > 0.0 && b.rect().bottom() < 720.0,
        "in view: {:?}",
        b.rect()
    );
    b.click();
    h.run();
    assert_eq!(h.state().library.entries[h.state().selected].title, next);
}

#[test]
fn a_hint_mark_goes_once_the_question_is_answered() {
    let mut h = shell("mesh-vs-library");
    open_tab(&mut h, Tab::Quiz);
    h.get_by_label("2").click();
    h.run();
    h.get_by_label("Hint").click();
    h.run();
    assert!(h.state().learn.hint_focus.is_some());
    h.state_mut().apply(UiAction::Answer(0));
    h.state_mut().apply(UiAction::Confirm);
    h.run();
    assert!(h.state().learn.quiz[&1].verdict.is_some());
    assert_eq!(h.state().learn.hint_focus, None, "no '(hint)' left behind");
}

#[test]
fn importing_a_typed_path_says_what_came_in_and_from_where() {
    let file = std::env::temp_dir().join("meshstep-typed-progress.json");
    std::fs::write(&file, some_progress().to_text()).unwrap();
    let mut learn = Learning::default();
    learn.progress_window = true;
    learn.import_path = file.display().to_string();
    let mut h = harness(Shell::with_learning(LessonLibrary::bundled(), 0, learn));
    h.run();
    h.get_by_label("Import").click();
    h.run();
    let msg = h.state().learn.message.clone().unwrap_or_default();
    assert!(msg.starts_with("Imported progress for"), "{msg}");
    assert!(msg.contains("meshstep-typed-progress.json"), "{msg}");
    assert!(!h.state().learn.progress.lessons.is_empty());
}

#[test]
fn pitfall_configs_are_shown_exactly_as_written_unwrapped() {
    let mut h = shell("mesh-vs-library");
    h.state_mut().apply(UiAction::OpenDeepDive);
    h.run();
    let lesson = h.state().viewer.as_ref().unwrap().lesson.clone();
    let p = &lesson.scenario.deep_dive.as_ref().unwrap().pitfalls[0];
    assert!(p.right.contains("\n "), "the example is indented YAML");
    for code in [&p.wrong, &p.right] {
        let node = h.get_by_label(code.as_str());
        node.scroll_to_me();
        h.run();
        let r = h.get_by_label(code.as_str()).rect();
        // One text row per line as written: nothing wrapped or justified.
        let lines = code.lines().count() as f32;
        assert!(
            r.height() <= lines * 17.0 + 4.0,
            "{} lines drawn {} high: wrapped",
            lines,
            r.height()
        );
    }
}
