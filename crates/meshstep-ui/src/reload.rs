//! Hot reload: the lesson file on screen was saved again. A valid new
//! version replaces the old one at the same step (tab and zoom kept); a
//! broken one leaves the last good version running and its diagnostics
//! (file:line:col, hint) are shown over the view until the file is fixed
//! or the notice closed. Watching the file is the desktop app's job
//! (`src/app/hot_reload.rs`); this is what a reload does.

use meshstep_sim::Lesson;

use crate::library::Entry;
pub use crate::library::ReloadProblem;
use crate::shell::Shell;

/// What a reload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reloaded {
    /// The new version is on screen (or in the menu, if another lesson is).
    Replaced,
    /// It is broken; the last good version keeps running.
    KeptLastGood,
    /// It is broken and there was no good version: its diagnostics show.
    StillBroken,
    /// No lesson of that name is open.
    Unknown,
}

impl Shell {
    /// The file behind the lesson on screen, when it came from one.
    pub fn watched_path(&self) -> Option<&std::path::Path> {
        self.library.entries.get(self.selected)?.path.as_deref()
    }

    /// Reloads the lesson named `name` from `source`.
    pub fn reload(&mut self, name: &str, source: &str) -> Reloaded {
        let Some(i) = self.library.index_of(name) else {
            return Reloaded::Unknown;
        };
        // The editor on this file follows it unless it has edits of its own;
        // its problems show there, not over the view.
        let editing = self.editor.as_ref().is_some_and(|e| e.name == name);
        if editing
            && let Some(e) = self
                .editor
                .as_mut()
                .filter(|e| !e.unsaved() && e.text != source)
        {
            *e = crate::editor::Editor::new(name, source);
        }
        match Lesson::from_source(name, source) {
            Ok(lesson) => {
                self.reload_problem = None;
                self.replace_lesson(i, lesson);
                Reloaded::Replaced
            }
            Err(diagnostics) => {
                if editing {
                    Reloaded::KeptLastGood
                } else if matches!(self.library.entries[i].entry, Entry::Ready(_)) {
                    self.reload_problem = Some(ReloadProblem {
                        name: name.to_string(),
                        source: source.to_string(),
                        diagnostics,
                    });
                    Reloaded::KeptLastGood
                } else {
                    let path = self.library.entries[i].path.clone();
                    self.library.add_source(name, source);
                    self.library.entries[i].path = path;
                    if i == self.selected {
                        self.select(i);
                    }
                    Reloaded::StillBroken
                }
            }
        }
    }

    /// Entry `i` becomes `lesson`, kept where it was read from; when it is
    /// on screen, it is shown at the same step, tab and zoom (a step the new
    /// version no longer has: its last).
    pub(crate) fn replace_lesson(&mut self, i: usize, lesson: Lesson) {
        let entry = &mut self.library.entries[i];
        entry.title = lesson.scenario.title.clone();
        entry.entry = Entry::Ready(Box::new(lesson));
        if i != self.selected {
            return;
        }
        let kept = (self.viewer.as_ref()).map(|v| (v.current_step().unwrap_or(0), v.zoom));
        let tab = self.tab;
        self.select(i);
        self.tab = tab;
        if let (Some(v), Some((step, zoom))) = (self.viewer.as_mut(), kept) {
            v.jump_to_step(step.min(v.step_count()));
            v.zoom = zoom;
        }
    }
}

/// The failed reload's notice over the flow view: what is wrong, where
/// (file:line:col and the hint, as `meshstep check` prints them), and that
/// the last good version is what runs.
pub fn reload_problem_ui(
    ctx: &egui::Context,
    shell: &mut Shell,
    central: egui::Rect,
    pal: &crate::theme::Palette,
) {
    let Some(p) = &shell.reload_problem else {
        return;
    };
    let mut open = true;
    let errors = p.diagnostics.iter().filter(|d| d.is_error()).count();
    egui::Window::new(format!("{} has {errors} error(s)", p.name))
        .id(egui::Id::new("reload-problem"))
        .open(&mut open)
        .collapsible(false)
        .default_pos(central.left_top() + egui::vec2(16.0, 16.0))
        .default_width((central.width() - 32.0).max(200.0))
        .max_height(central.height() * 0.6)
        .show(ctx, |ui| {
            ui.label(
                egui::RichText::new(
                    "The last good version keeps running. Fix the file and save it: \
                     the lesson reloads at the same step.",
                )
                .color(pal.highlight),
            );
            let text = meshstep_sim::diagnostics::render(&p.name, &p.source, &p.diagnostics);
            egui::ScrollArea::both()
                .id_salt("reload-diagnostics")
                .show(ui, |ui| {
                    ui.label(egui::RichText::new(text).monospace());
                });
        });
    if !open {
        shell.reload_problem = None;
    }
}
