//! The lesson editor beside the running lesson: opened from the top bar on
//! the lesson on screen; a broken edit is checked once typing pauses, each
//! problem listed with its line:col and hint, marked in the margin, and a
//! click on it selects exactly its span in the text, while the last valid
//! version keeps running; a valid edit replaces the lesson at the same
//! step; typing never steps the lesson; a template starts a new lesson;
//! Save writes the file.

use egui::Key;
use egui::text::{CCursor, CCursorRange};
use egui_kittest::kittest::Queryable;
use meshstep_ui::editor::{EditorAction, Status};
use meshstep_ui::editor_ui::text_id;
use meshstep_ui::panels::UiAction;
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;
use shell_support::{harness, step, title};

type H = egui_kittest::Harness<'static, Shell>;

fn opened(lesson: &str) -> H {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of(lesson).unwrap();
    let mut h = harness(Shell::new(lib, i));
    h.run();
    h.state_mut().apply(UiAction::JumpToStep(4));
    h.run();
    h.get_by_label("✏ Edit").click();
    h.run();
    h
}

/// Replaces the editor's text as typing would, then lets the pause pass.
fn type_text(h: &mut H, text: String) {
    let e = h.state_mut().editor.as_mut().unwrap();
    e.text = text;
    let now = h.ctx.input(|i| i.time);
    h.state_mut().editor.as_mut().unwrap().edited(now);
    h.run();
    h.run();
}

#[test]
fn a_broken_edit_is_listed_marked_and_selected_at_its_span_while_the_last_good_runs() {
    let mut h = opened("mesh-vs-library");
    let src = meshstep_sim::bundled::source("mesh-vs-library").unwrap();
    assert_eq!(h.state().editor.as_ref().unwrap().text, src);
    assert!(h.query_by_label_contains("✔ Valid").is_some());

    // A misspelt field name: the loader names it and suggests the right one.
    let broken = src.replacen("summary:", "sumary:", 1);
    let at = broken.find("sumary").unwrap();
    let line = broken[..at].matches('\n').count() + 1;
    type_text(&mut h, broken.clone());
    let e = h.state().editor.as_ref().unwrap();
    assert_eq!(e.status, Status::Broken);
    let d = e.problems.iter().find(|d| d.is_error()).unwrap().clone();
    let span = d.span.clone().unwrap();
    assert!(
        span.start <= at && at < span.end.max(span.start + 1),
        "the error is at the misspelt field: {span:?} vs {at}"
    );
    assert_eq!(d.line_col(&broken).unwrap().0, line);

    // Listed with its kind in words and its place, and its hint under it.
    let listed = format!("✖ error {line}:");
    assert!(h.query_by_label_contains(&listed).is_some(), "{listed}");
    for hint in &d.hints {
        assert!(h.query_by_label_contains(hint).is_some(), "hint {hint}");
    }
    // And the section of the format reference that explains it.
    let section = d.section.expect("a section");
    assert_eq!(section.number, "3.1", "a misspelt top-level field");
    assert!(
        h.query_by_label_contains(&format!("explained in {section}"))
            .is_some()
    );
    assert!(h.query_by_label_contains("✖ 1 error(s)").is_some());
    // The last good version keeps running, at the step it was at.
    assert_eq!(title(&h), "Service mesh vs library-based approach");
    assert_eq!(step(&h), Some(4));

    // A click on the problem selects exactly its span in the text.
    h.get_by_label_contains(&listed).click();
    h.run();
    let state = egui::text_edit::TextEditState::load(&h.ctx, text_id()).unwrap();
    let chars = |b: usize| broken[..b].chars().count();
    let range = meshstep_ui::ron_colour::visible(&broken, span);
    assert_eq!(
        state.cursor.char_range(),
        Some(CCursorRange::two(
            CCursor::new(chars(range.start)),
            CCursor::new(chars(range.end))
        ))
    );
    assert!(
        h.ctx.memory(|m| m.has_focus(text_id())),
        "the text has focus"
    );

    // Typing (here, arrow keys) moves in the text, not through the lesson.
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(step(&h), Some(4));

    // Fixed, and the title changed: the lesson follows at the same step.
    let fixed = src.replacen(
        "title: \"Service mesh vs library-based approach\"",
        "title: \"Edited in the editor\"",
        1,
    );
    type_text(&mut h, fixed);
    assert_eq!(h.state().editor.as_ref().unwrap().status, Status::Valid);
    assert_eq!(title(&h), "Edited in the editor");
    assert_eq!(step(&h), Some(4));
    assert!(h.query_by_label_contains("● unsaved").is_some());
}

#[test]
fn the_check_waits_for_typing_to_pause() {
    let mut h = opened("mesh-vs-library");
    let src = meshstep_sim::bundled::source("mesh-vs-library").unwrap();
    let e = h.state_mut().editor.as_mut().unwrap();
    e.text = src.replacen("summary:", "sumary:", 1);
    let now = h.ctx.input(|i| i.time);
    h.state_mut().editor.as_mut().unwrap().edited(now);
    h.step(); // a quarter second: still waiting
    assert_eq!(h.state().editor.as_ref().unwrap().status, Status::Waiting);
    assert!(
        h.query_by_label_contains("checked when you pause")
            .is_some()
    );
    h.run();
    assert_eq!(h.state().editor.as_ref().unwrap().status, Status::Broken);
}

#[test]
fn a_template_starts_a_new_lesson_and_save_writes_it() {
    let mut h = opened("mesh-vs-library");
    let dir = std::env::temp_dir().join(format!("meshstep-editor-{}", std::process::id()));
    h.state_mut().export_dir = Some(dir.clone());
    h.get_by_label("➕ New from template").click();
    h.run();
    h.get_by_label_contains("canary:").click();
    h.run();
    assert_eq!(title(&h), "My lesson");
    let e = h.state().editor.as_ref().unwrap();
    assert_eq!(e.name, "my-lesson.ron");
    assert_eq!(e.status, Status::Valid);
    assert!(e.text.contains("canary") || e.text.contains("Canary"));
    assert!(e.unsaved(), "a new lesson is not saved yet");

    h.get_by_label("💾 Save").click();
    h.run();
    let written = std::fs::read_to_string(dir.join("my-lesson.ron")).unwrap();
    assert_eq!(written, h.state().editor.as_ref().unwrap().text);
    assert!(!h.state().editor.as_ref().unwrap().unsaved());
    assert!(h.query_by_label_contains("Saved to").is_some());

    // Closed from the keyboard, even from inside the text.
    h.state_mut()
        .apply(UiAction::Editor(EditorAction::GoTo(0..1)));
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::E);
    h.run();
    assert!(h.state().editor.is_none());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_browser_downloads_instead_of_writing() {
    let mut h = opened("canary");
    assert!(h.state().export_dir.is_none());
    assert!(h.query_by_label("💾 Save").is_none());
    h.get_by_label("⬇ Download").click();
    h.run();
    let d = h.state_mut().download.take().unwrap();
    assert_eq!(d.file_name, "canary.ron");
    assert_eq!(d.text, meshstep_sim::bundled::source("canary").unwrap());
}

#[test]
fn the_handout_button_saves_the_handout_or_downloads_it() {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of("canary").unwrap();
    let mut h = harness(Shell::new(lib, i));
    h.state_mut()
        .apply(UiAction::OpenTab(meshstep_ui::tabs::Tab::Overview));
    h.run();
    // The page: a download of the same HTML `meshstep export` writes.
    h.get_by_label("🖨 Printable handout").click();
    h.run();
    let d = h.state_mut().download.take().expect("a download");
    assert_eq!(d.file_name, "canary-handout.html");
    assert!(d.text.contains("<h2>Answer key</h2>") && d.text.contains("<svg"));

    // The desktop: a file where exports go, and a note saying where.
    let dir = std::env::temp_dir().join(format!("meshstep-handout-{}", std::process::id()));
    h.state_mut().export_dir = Some(dir.clone());
    h.get_by_label("🖨 Printable handout").click();
    h.run();
    let written = std::fs::read_to_string(dir.join("canary-handout.html")).unwrap();
    assert_eq!(written, d.text);
    assert!(h.query_by_label_contains("Saved ").is_some());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn unsaved_text_survives_looking_at_another_lesson_or_closing_the_editor() {
    let mut h = opened("mesh-vs-library");
    let src = meshstep_sim::bundled::source("mesh-vs-library").unwrap();
    let broken = src.replacen("summary:", "sumary:", 1);
    type_text(&mut h, broken.clone());
    let back = h.state().selected;

    // Another lesson: the editor follows it, with that lesson's own text.
    let other = h.state().library.index_of("canary").unwrap();
    h.state_mut().apply(UiAction::SelectLesson(other));
    h.run();
    let e = h.state().editor.as_ref().unwrap();
    assert_eq!(e.text, meshstep_sim::bundled::source("canary").unwrap());
    assert!(!e.unsaved());

    // Back: the broken text is there, still unsaved and still broken.
    h.state_mut().apply(UiAction::SelectLesson(back));
    h.run();
    let e = h.state().editor.as_ref().unwrap();
    assert_eq!(e.text, broken);
    assert!(e.unsaved());
    assert_eq!(e.status, Status::Broken);

    // Closed and opened again: the same.
    h.state_mut().apply(UiAction::Editor(EditorAction::Toggle));
    h.state_mut().apply(UiAction::Editor(EditorAction::Toggle));
    h.run();
    assert_eq!(h.state().editor.as_ref().unwrap().text, broken);
    assert!(h.query_by_label_contains("● unsaved").is_some());
}

#[test]
fn link_packs_the_text_into_a_link_that_opens_it() {
    let mut h = opened("mesh-overview");
    let src = meshstep_sim::bundled::source("mesh-overview").unwrap();
    let edited = src.replacen(
        "title: \"Service mesh concept overview\"",
        "title: \"Shared by link\"",
        1,
    );
    type_text(&mut h, edited.clone());
    h.get_by_label("🔗 Link").click();
    h.run();
    let link = h.state().link_text.clone().expect("a link");
    assert!(h.query_by_label("Link to this lesson").is_some());
    let (parsed, problems) = meshstep_sim::share::ShareLink::parse(&link);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(parsed.step, Some(4), "at the step on screen");
    let lz = parsed.lz.expect("the lesson in the link");
    assert_eq!(meshstep_ui::inline_link::unpack(&lz).unwrap(), edited);

    // A broken text gets no link, and says why.
    h.state_mut().link_text = None;
    type_text(&mut h, src.replacen("summary:", "sumary:", 1));
    h.get_by_label("🔗 Link").click();
    h.run();
    assert!(h.state().link_text.is_none());
    assert!(h.query_by_label_contains("Fix the errors first").is_some());
}
