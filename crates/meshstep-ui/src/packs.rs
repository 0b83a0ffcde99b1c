//! Lesson packs in the shell: opening one puts its lessons in the library
//! and shows its menu (the pack's title and summary, then each lesson with
//! its summary, size and whether it opens); a lesson that could not be
//! fetched or has errors stays in the menu, marked. The index format is
//! `meshstep_sim::pack`; fetching the files is the host's job (the page's
//! loader, the desktop's file reads).

use egui::{RichText, Ui};
use meshstep_sim::diagnostics::Diagnostic;
use meshstep_sim::pack::{Pack, PackItem};

use crate::library::{Entry, PackMenu};
use crate::panels::UiAction;
use crate::shell::Shell;
use crate::theme::Palette;

/// Where a pack's lesson file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Url(String),
    Path(std::path::PathBuf),
}

/// A pack's lesson file as the host read it: its address or path as the
/// index resolves it, and its text or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub at: String,
    pub text: Result<String, String>,
}

impl Shell {
    /// Opens a pack from its index (`name`, `source`, read from `src`) and
    /// the lesson files the host fetched; shows its menu. A broken index
    /// shows its diagnostics instead, like a broken lesson.
    pub fn open_pack(&mut self, name: &str, source: &str, src: Origin, fetched: &[Fetched]) {
        let pack = match Pack::from_source(source) {
            Ok(p) => p,
            Err(d) => {
                let i = self.library.add_broken(name, source, d);
                self.select(i);
                return;
            }
        };
        let base = match &src {
            Origin::Url(u) => u.clone(),
            Origin::Path(p) => p.display().to_string(),
        };
        let mut lessons = Vec::new();
        for item in pack.items(&base) {
            let at = match item {
                PackItem::Bundled(id) => {
                    lessons.push(id);
                    continue;
                }
                PackItem::File(at) => at,
            };
            let got = fetched.iter().find(|f| f.at == at);
            let i = match got.map(|f| &f.text) {
                Some(Ok(text)) => self.library.add_source(&at, text),
                Some(Err(why)) => self.library.add_broken(
                    &at,
                    "",
                    vec![
                        Diagnostic::error(format!("{at} could not be loaded: {why}"), None)
                            .with_hint("check the name in the pack's index, and that the file is beside it"),
                    ],
                ),
                None => self.library.add_broken(
                    &at,
                    "",
                    vec![Diagnostic::error(format!("{at} was not fetched"), None)],
                ),
            };
            let e = &mut self.library.entries[i];
            match &src {
                Origin::Url(_) => e.url = Some(at.clone()),
                Origin::Path(_) => e.path = Some(at.clone().into()),
            }
            lessons.push(at);
        }
        // Behind the menu, the pack's first lesson that opens: the top bar
        // then speaks of the pack's lessons, not of the one open before.
        let first = (lessons.iter())
            .filter_map(|n| self.library.entries.iter().position(|e| &e.name == n))
            .find(|&i| matches!(self.library.entries[i].entry, Entry::Ready(_)));
        if let Some(i) = first {
            self.select(i);
        }
        self.pack = Some(PackMenu {
            title: pack.title,
            summary: pack.summary,
            src: base,
            lessons,
        });
        self.pack_open = true;
        self.explore.page = None;
        self.learn.deep_dive_open = false;
    }
}

/// The pack's menu, over the flow view.
pub fn pack_menu_ui(ui: &mut Ui, shell: &Shell, pal: &Palette) -> Option<UiAction> {
    let pack = shell.pack.as_ref()?;
    let mut action = None;
    ui.heading(format!("📚 {}", pack.title));
    if let Some(s) = &pack.summary {
        ui.label(s);
    }
    ui.label(
        RichText::new(format!(
            "{} lessons. Open one; 📚 in the top bar brings this menu back.",
            pack.lessons.len()
        ))
        .color(pal.dim_text),
    );
    ui.add_space(8.0);
    egui::ScrollArea::vertical()
        .id_salt("pack-menu")
        .show(ui, |ui| {
            for (n, name) in pack.lessons.iter().enumerate() {
                let Some(i) = shell.library.index_of(name) else {
                    continue;
                };
                let e = &shell.library.entries[i];
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        let open = match &e.entry {
                            Entry::Ready(_) => "Open",
                            Entry::Broken { .. } => "Show problems",
                        };
                        if ui.button(open).clicked() {
                            action = Some(UiAction::SelectLesson(i));
                        }
                        let title = match &e.entry {
                            Entry::Ready(l) => l.scenario.title.clone(),
                            Entry::Broken { .. } => e.name.clone(),
                        };
                        ui.label(RichText::new(format!("{}. {title}", n + 1)).strong());
                    });
                    match &e.entry {
                        Entry::Ready(l) => {
                            let s = &l.scenario;
                            ui.label(&s.summary);
                            ui.label(
                                RichText::new(format!(
                                    "{} steps · {} quiz questions · {} practice",
                                    s.steps.len(),
                                    s.quiz.len(),
                                    s.practice.len()
                                ))
                                .small()
                                .color(pal.dim_text),
                            );
                        }
                        Entry::Broken { diagnostics, .. } => {
                            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                            let first = diagnostics.first().map_or("", |d| d.message.as_str());
                            ui.label(
                                RichText::new(format!(
                                    "✖ does not open: {errors} error(s). {first}"
                                ))
                                .color(
                                    crate::ron_colour::severity_colour(
                                        meshstep_sim::Severity::Error,
                                        shell.dark,
                                    ),
                                ),
                            );
                        }
                    }
                });
                ui.add_space(4.0);
            }
        });
    action
}
