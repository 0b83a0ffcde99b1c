//! The shell's side of the lesson editor: opening it on the lesson on
//! screen, starting a lesson from a template, running the debounced check
//! and showing each valid version at the same step, and saving (a file on
//! the desktop, a download in the browser). The editor's own state is
//! `editor.rs`.

use meshstep_sim::Lesson;

use crate::editor::{Download, Draft, Editor, EditorAction, Status};
use crate::library::Entry;
use crate::shell::Shell;

impl Shell {
    /// The lesson on screen's text: what the editor opens on.
    fn selected_source(&self) -> Option<(String, String)> {
        let e = self.library.entries.get(self.selected)?;
        let text = match &e.entry {
            Entry::Ready(l) => l.source.clone(),
            Entry::Broken { source, .. } => source.clone(),
        };
        Some((e.name.clone(), text))
    }

    /// Opens the editor on the lesson on screen, with the unsaved text it
    /// had when the editor last left it.
    pub fn open_editor(&mut self) {
        self.stash_editor();
        self.editor = self
            .selected_source()
            .map(|(name, text)| match self.drafts.remove(&name) {
                Some(d) => {
                    let mut e = Editor::new(&name, &d.text);
                    e.saved = d.saved;
                    e
                }
                None => Editor::new(&name, &text),
            });
        self.explore.page = None;
        self.learn.deep_dive_open = false;
    }

    /// Closes the editor; unsaved text is kept for when it opens on that
    /// lesson again (it is not lost by looking at another lesson).
    fn stash_editor(&mut self) {
        if let Some(e) = self.editor.take().filter(Editor::unsaved) {
            let draft = Draft {
                text: e.text,
                saved: e.saved,
            };
            self.drafts.insert(e.name, draft);
        }
    }

    pub fn apply_editor(&mut self, action: EditorAction) {
        match action {
            EditorAction::Toggle if self.editor.is_some() => self.stash_editor(),
            EditorAction::Toggle => self.open_editor(),
            EditorAction::Save => self.save_editor(),
            EditorAction::New(t) => {
                let id = (1..)
                    .map(|n| match n {
                        1 => "my-lesson".to_string(),
                        n => format!("my-lesson-{n}"),
                    })
                    .find(|id| self.library.index_of(&format!("{id}.ron")).is_none())
                    .unwrap_or_default();
                let name = format!("{id}.ron");
                let i = self.library.add_source(&name, &t.text(&id));
                self.select(i);
                self.open_editor();
                if let Some(e) = &mut self.editor {
                    e.saved = String::new(); // never saved yet
                }
            }
            EditorAction::Link => self.link_editor(),
            EditorAction::GoTo(r) => {
                if let Some(e) = &mut self.editor {
                    e.goto = Some(r);
                }
            }
        }
    }

    /// Runs the editor's check once typing has paused (the shell keeps
    /// frames coming while one is pending).
    pub fn tick_editor(&mut self, now: f64) {
        let Some(e) = self.editor.as_mut() else {
            return;
        };
        if e.due_in(now) != Some(0.0) {
            return;
        }
        if let Some(lesson) = e.check() {
            let name = e.name.clone();
            self.show_edited(&name, lesson);
        }
    }

    /// The edited lesson replaces its entry and is shown at the same step.
    fn show_edited(&mut self, name: &str, lesson: Lesson) {
        let i = match self.library.index_of(name) {
            Some(i) => i,
            None => self.library.add_source(name, &lesson.source),
        };
        self.replace_lesson(i, lesson);
    }

    /// A link carrying the editor's text: made here on the desktop (only
    /// the page's address is left to put in front), by the page in the
    /// browser (`share_lesson`; it knows its own address and compresses
    /// with the browser's own code).
    fn link_editor(&mut self) {
        let Some(e) = &self.editor else {
            return;
        };
        if e.status != Status::Valid {
            self.learn.message = Some(
                "Fix the errors first: a link to a broken lesson would show only them.".into(),
            );
            return;
        }
        let step = self.viewer.as_ref().and_then(|v| v.current_step());
        #[cfg(not(target_arch = "wasm32"))]
        {
            let lz = crate::inline_link::pack(&e.text);
            self.link_text = Some(format!("#{}", crate::inline_link::fragment(&lz, step)));
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.share_lesson = Some((e.text.clone(), step));
        }
    }

    /// Desktop: writes the text to the file it came from, or to a new file
    /// where exports go. Browser: hands it to the page as a download.
    pub fn save_editor(&mut self) {
        let Some(e) = &mut self.editor else {
            return;
        };
        let path =
            (self.library.index_of(&e.name)).and_then(|i| self.library.entries[i].path.clone());
        match (path, &self.export_dir) {
            #[cfg(not(target_arch = "wasm32"))]
            (path, Some(dir)) => {
                let path = path.unwrap_or_else(|| dir.join(e.file_name()));
                let written = (path.parent())
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|_| std::fs::write(&path, &e.text));
                let ok = written.is_ok();
                e.note = Some(match written {
                    Ok(()) => {
                        e.saved = e.text.clone();
                        format!("Saved to {}", path.display())
                    }
                    Err(err) => format!("Could not save to {}: {err}", path.display()),
                });
                if let (true, Some(i)) = (ok, self.library.index_of(&e.name)) {
                    // Hot reload watches it from now on.
                    self.library.entries[i].path = Some(path);
                }
            }
            _ => {
                self.download = Some(Download {
                    file_name: e.file_name(),
                    text: e.text.clone(),
                });
                e.saved = e.text.clone();
                e.note = Some(format!("Downloaded as {}", e.file_name()));
            }
        }
    }
}
