//! The lesson editor's panel: the file's name and buttons (save or
//! download, a new lesson from a template, close), a status line saying
//! whether the lesson on screen is this text, the RON text in colour with
//! line numbers and each problem underlined at its span, and the problems
//! listed with their hints (a click puts the cursor on the span).

use egui::text::{CCursor, CCursorRange};
use egui::{RichText, Ui};
use meshstep_sim::Severity;
use meshstep_sim::templates::TEMPLATES;

use crate::editor::{Editor, EditorAction, Status};
use crate::panels::UiAction;
use crate::ron_colour;
use crate::theme::Palette;

/// The text field's id, for the cursor moves and the tests.
pub fn text_id() -> egui::Id {
    egui::Id::new("lesson-editor-text")
}

/// Draws the editor. `writes_files`: the desktop saves to a file, the
/// browser downloads one.
pub fn editor_ui(
    ui: &mut Ui,
    editor: &mut Editor,
    writes_files: bool,
    dark: bool,
    pal: &Palette,
) -> Option<UiAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("✏ {}", editor.file_name())).strong());
        if editor.unsaved() {
            ui.label(RichText::new("● unsaved").color(pal.highlight));
        }
        let save = if writes_files {
            "💾 Save"
        } else {
            "⬇ Download"
        };
        if ui
            .button(save)
            .on_hover_text("Ctrl+S; the lesson's own file when it has one")
            .clicked()
        {
            action = Some(EditorAction::Save);
        }
        if ui
            .button("🔗 Link")
            .on_hover_text("A link that carries this lesson itself: share it with no web host")
            .clicked()
        {
            action = Some(EditorAction::Link);
        }
        ui.menu_button("➕ New from template", |ui| {
            for t in TEMPLATES {
                if ui.button(format!("{}: {}", t.key, t.about)).clicked() {
                    action = Some(EditorAction::New(t));
                    ui.close();
                }
            }
        });
        if ui
            .button("✖ Close editor")
            .on_hover_text("Ctrl+E")
            .clicked()
        {
            action = Some(EditorAction::Toggle);
        }
    });
    status_ui(ui, editor, dark, pal);
    ui.separator();

    // The problems get up to a third of the height, under the text.
    let listed = editor.problems.len();
    let list_h = if listed == 0 {
        0.0
    } else {
        (ui.available_height() * 0.34).min(30.0 + 48.0 * listed as f32)
    };
    let text_h = (ui.available_height() - list_h).max(80.0);
    text_ui(ui, editor, text_h, dark);
    if listed > 0 {
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("editor-problems")
            .max_height(list_h - 8.0)
            .show(ui, |ui| {
                if let Some(a) = problems_ui(ui, editor, dark) {
                    action = Some(a);
                }
            });
    }
    action.map(UiAction::Editor)
}

fn status_ui(ui: &mut Ui, editor: &Editor, dark: bool, pal: &Palette) {
    let errors = editor.problems.iter().filter(|d| d.is_error()).count();
    let warnings = editor.problems.len() - errors;
    let (text, colour) = match editor.status {
        Status::Waiting => (
            "… edited: checked when you pause typing".to_string(),
            pal.dim_text,
        ),
        Status::Valid if warnings == 0 => (
            "✔ Valid: the lesson beside is this text".to_string(),
            pal.right,
        ),
        Status::Valid => (
            format!("✔ Valid, {warnings} warning(s): the lesson beside is this text"),
            pal.right,
        ),
        Status::Broken if !editor.ever_valid => (
            format!(
                "✖ {errors} error(s): no valid version yet; the lesson shows beside \
                 once they are fixed"
            ),
            ron_colour::severity_colour(Severity::Error, dark),
        ),
        Status::Broken => (
            format!(
                "✖ {errors} error(s): the lesson beside is the last valid version; \
                 fix them and it follows"
            ),
            ron_colour::severity_colour(Severity::Error, dark),
        ),
    };
    ui.label(RichText::new(text).color(colour));
    if let Some(note) = &editor.note {
        ui.label(RichText::new(note).small().color(pal.dim_text));
    }
}

/// The text with line numbers; lines with a problem are marked in the
/// margin (✖ error, ⚠ warning) as well as underlined.
fn text_ui(ui: &mut Ui, editor: &mut Editor, height: f32, dark: bool) {
    let marks = editor.marks();
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let lines = editor.text.lines().count().max(1) + usize::from(editor.text.ends_with('\n'));
    let mut worst: Vec<Option<Severity>> = vec![None; lines];
    for (r, s) in &marks {
        let line = editor.text[..r.start.min(editor.text.len())]
            .bytes()
            .filter(|b| *b == b'\n')
            .count();
        if let Some(w) = worst.get_mut(line) {
            *w = (*w).max(Some(*s));
        }
    }
    let gutter: String = (worst.iter().enumerate())
        .map(|(i, w)| {
            let sign = match w {
                Some(Severity::Error) => "✖",
                Some(Severity::Warning) => "⚠",
                None => " ",
            };
            format!("{sign}{:>4}\n", i + 1)
        })
        .collect();
    let mut layouter = |ui: &Ui, text: &dyn egui::TextBuffer, _wrap: f32| {
        let job = ron_colour::layout_job(text.as_str(), &marks, font.clone(), dark);
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let goto = editor.goto.take();
    let mut edited = false;
    egui::ScrollArea::both()
        .id_salt("editor-text")
        .max_height(height)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.add_space(2.0); // the text field's own top margin
                    ui.label(RichText::new(gutter).font(font.clone()).weak());
                });
                let output = egui::TextEdit::multiline(&mut editor.text)
                    .id(text_id())
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(lines)
                    .layouter(&mut layouter)
                    .show(ui);
                edited = output.response.changed();
                if let Some(r) = goto {
                    let r = ron_colour::visible(&editor.text, r);
                    let a = editor.text[..r.start].chars().count();
                    let b = a + editor.text[r].chars().count();
                    let mut state = output.state;
                    let range = CCursorRange::two(CCursor::new(a), CCursor::new(b));
                    state.cursor.set_char_range(Some(range));
                    state.store(ui.ctx(), text_id());
                    ui.memory_mut(|m| m.request_focus(text_id()));
                    let at = output.galley.pos_from_cursor(CCursor::new(a));
                    ui.scroll_to_rect(
                        at.translate(output.galley_pos.to_vec2()),
                        Some(egui::Align::Center),
                    );
                }
            });
        });
    if edited {
        editor.edited(ui.input(|i| i.time));
    }
}

/// Each problem: its kind in words, line:col, the message and its hints; a
/// click puts the cursor on it.
fn problems_ui(ui: &mut Ui, editor: &Editor, dark: bool) -> Option<EditorAction> {
    let mut action = None;
    for d in &editor.problems {
        let kind = if d.is_error() {
            "✖ error"
        } else {
            "⚠ warning"
        };
        let at = d
            .line_col(&editor.text)
            .map_or(String::new(), |(l, c)| format!(" {l}:{c}"));
        let head = RichText::new(format!("{kind}{at}: {}", d.message))
            .color(ron_colour::severity_colour(d.severity, dark));
        let resp = match &d.span {
            Some(_) => ui
                .add(egui::Button::new(head).frame(false).wrap())
                .on_hover_text("Show it in the text"),
            None => ui.label(head),
        };
        if resp.clicked()
            && let Some(s) = &d.span
        {
            action = Some(EditorAction::GoTo(s.clone()));
        }
        for h in &d.hints {
            ui.label(RichText::new(format!("    hint: {h}")).small());
        }
        if let Some(sec) = d.section {
            ui.label(RichText::new(format!("    📖 explained in {sec}")).small());
        }
    }
    action
}
