//! The lessons a learner can pick: the bundled ones (compiled in, so the
//! browser build has them too) and any file opened by path or dropped on the
//! window. A file with errors stays in the list with its diagnostics.

use meshstep_sim::Lesson;
use meshstep_sim::diagnostics::Diagnostic;

pub use meshstep_sim::bundled::{BUNDLED, DEFAULT_LESSON};

pub enum Entry {
    Ready(Box<Lesson>),
    Broken {
        diagnostics: Vec<Diagnostic>,
        source: String,
    },
}

/// A reload that failed (`reload.rs`): what the broken file says is wrong,
/// while the entry keeps its last good version.
#[derive(Debug, Clone)]
pub struct ReloadProblem {
    pub name: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct LibraryEntry {
    /// Bundled id or the file's name.
    pub name: String,
    pub title: String,
    pub entry: Entry,
    /// The file it was read from, which hot reload watches (desktop).
    pub path: Option<std::path::PathBuf>,
    /// The address it was fetched from (the page's `src=` links), kept in
    /// the share link so the link opens it again.
    pub url: Option<String>,
    /// The lesson as a link carries it (`lz=`), kept in the share link so
    /// the link opens it again.
    pub lz: Option<String>,
}

/// A lesson pack's menu (`meshstep_sim::pack`): its lessons are library
/// entries, listed under the pack's title.
#[derive(Debug, Clone, PartialEq)]
pub struct PackMenu {
    pub title: String,
    pub summary: Option<String>,
    /// Where the index was read from: its address (kept in the share link)
    /// or its path.
    pub src: String,
    /// The lessons' entry names, in the pack's order.
    pub lessons: Vec<String>,
}

#[derive(Default)]
pub struct LessonLibrary {
    pub entries: Vec<LibraryEntry>,
}

impl LessonLibrary {
    pub fn bundled() -> Self {
        let mut lib = LessonLibrary::default();
        for (id, src) in BUNDLED {
            lib.add_source(&format!("{id}.ron"), src);
            if let Some(e) = lib.entries.last_mut() {
                e.name = (*id).to_string();
            }
        }
        lib
    }

    /// Adds (or replaces, by name) a lesson from source text; returns its index.
    pub fn add_source(&mut self, name: &str, source: &str) -> usize {
        match Lesson::from_source(name, source) {
            Ok(l) => self.put(LibraryEntry {
                name: name.to_string(),
                title: l.scenario.title.clone(),
                entry: Entry::Ready(Box::new(l)),
                path: None,
                url: None,
                lz: None,
            }),
            Err(diagnostics) => self.add_broken(name, source, diagnostics),
        }
    }

    /// Puts an entry in place of the one with its name, or at the end.
    fn put(&mut self, entry: LibraryEntry) -> usize {
        match self.entries.iter().position(|e| e.name == entry.name) {
            Some(i) => {
                self.entries[i] = entry;
                i
            }
            None => {
                self.entries.push(entry);
                self.entries.len() - 1
            }
        }
    }

    /// Adds a file from disk; unreadable files become entries with a diagnostic.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn add_path(&mut self, path: &std::path::Path) -> usize {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(src) => {
                let i = self.add_source(&name, &src);
                self.entries[i].path = Some(path.to_path_buf());
                i
            }
            Err(e) => {
                let d = Diagnostic::error(format!("cannot read {name}: {e}"), None)
                    .with_hint("check the path, and that the file is UTF-8 text");
                self.entries.push(LibraryEntry {
                    title: format!("{name} (cannot be read)"),
                    name,
                    entry: Entry::Broken {
                        diagnostics: vec![d],
                        source: String::new(),
                    },
                    path: Some(path.to_path_buf()),
                    url: None,
                    lz: None,
                });
                self.entries.len() - 1
            }
        }
    }

    /// Adds (or replaces) an entry that cannot be opened, with why.
    pub fn add_broken(&mut self, name: &str, source: &str, diagnostics: Vec<Diagnostic>) -> usize {
        self.put(LibraryEntry {
            name: name.to_string(),
            title: format!("{name} (has errors)"),
            entry: Entry::Broken {
                diagnostics,
                source: source.to_string(),
            },
            path: None,
            url: None,
            lz: None,
        })
    }

    /// The entry named `name`, or else the lesson whose id it is (a pack's
    /// lessons are named by their address, but links name them by id).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.name == name)
            .or_else(|| {
                (self.entries.iter())
                    .position(|e| matches!(&e.entry, Entry::Ready(l) if l.scenario.id == name))
            })
    }
}
