//! The lesson editor's state and what it does: the RON text beside the
//! running lesson, checked a moment after the last keystroke (the same
//! checks as `meshstep check`, engine cross-check included); while the text
//! is valid the lesson on screen is that text (at the same step), and while
//! it is broken the last valid version keeps running and the problems are
//! listed and underlined. What the shell does with it is `editing.rs`;
//! drawing it is `editor_ui`'s job.

use std::ops::Range;

use meshstep_sim::diagnostics::Diagnostic;
use meshstep_sim::templates::Template;
use meshstep_sim::{Lesson, Severity};

/// Seconds of quiet after a keystroke before the text is checked: checking
/// a lesson runs the engine (a few milliseconds natively, tens in the
/// browser), too much to do on every key.
pub const DEBOUNCE_S: f64 = 0.4;

/// What the editor asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum EditorAction {
    /// Open the editor on the lesson on screen (or close it).
    Toggle,
    /// Write the text to its file (desktop) or download it (browser).
    Save,
    /// Start a new lesson from a template.
    New(Template),
    /// Put the cursor on this byte range of the text.
    GoTo(Range<usize>),
    /// Make a link that carries the lesson (`lz=`), at the step on screen.
    Link,
}

/// Where the text stands against the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Edited; checked once typing pauses.
    Waiting,
    /// A valid lesson: the view shows it.
    Valid,
    /// Has errors: the view shows the last valid version.
    Broken,
}

/// Unsaved text the editor left behind, kept by lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// What was last saved (or opened), to tell that it is unsaved.
    pub saved: String,
}

/// A download the host should offer (the browser has no file to write to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub file_name: String,
    pub text: String,
}

pub struct Editor {
    /// The library entry the text is (its name there).
    pub name: String,
    pub text: String,
    /// The text as last opened or saved: anything else is unsaved.
    pub saved: String,
    /// When the text changed with no check since (egui's clock, seconds).
    pub changed_at: Option<f64>,
    /// What the last check found (warnings too when valid).
    pub problems: Vec<Diagnostic>,
    pub status: Status,
    /// Whether the text has been a valid lesson since the editor opened:
    /// if not, there is no last valid version running beside it.
    pub ever_valid: bool,
    /// Where to put the cursor on the next frame (a click on a problem).
    pub goto: Option<Range<usize>>,
    /// What the last save did, for the status line.
    pub note: Option<String>,
}

impl Editor {
    pub fn new(name: &str, text: &str) -> Editor {
        let mut e = Editor {
            name: name.to_string(),
            text: text.to_string(),
            saved: text.to_string(),
            changed_at: None,
            problems: Vec::new(),
            status: Status::Valid,
            ever_valid: false,
            goto: None,
            note: None,
        };
        e.check();
        e
    }

    pub fn unsaved(&self) -> bool {
        self.text != self.saved
    }

    /// Notes a keystroke at `now`: the check waits for a pause.
    pub fn edited(&mut self, now: f64) {
        self.changed_at = Some(now);
        self.status = Status::Waiting;
        self.note = None;
    }

    /// Seconds until the pending check is due (0: now), if one is pending.
    pub fn due_in(&self, now: f64) -> Option<f64> {
        self.changed_at.map(|t| (t + DEBOUNCE_S - now).max(0.0))
    }

    /// Checks the text; the valid lesson, when it is one.
    pub fn check(&mut self) -> Option<Lesson> {
        self.changed_at = None;
        match Lesson::from_source(&self.name, &self.text) {
            Ok(lesson) => {
                self.problems = lesson.warnings.clone();
                self.status = Status::Valid;
                self.ever_valid = true;
                Some(lesson)
            }
            Err(problems) => {
                self.problems = problems;
                self.status = Status::Broken;
                None
            }
        }
    }

    /// The spans to underline, with how bad each is.
    pub fn marks(&self) -> Vec<(Range<usize>, Severity)> {
        (self.problems.iter())
            .filter_map(|d| d.span.clone().map(|s| (s, d.severity)))
            .collect()
    }

    /// The file name a save or download uses.
    pub fn file_name(&self) -> String {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        if base.ends_with(".ron") {
            base.to_string()
        } else {
            format!("{base}.ron")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_waits_for_a_pause_in_typing() {
        let src = meshstep_sim::bundled::source("mesh-vs-library").unwrap();
        let mut e = Editor::new("x.ron", src);
        assert_eq!(e.status, Status::Valid);
        e.text.push_str(" oops");
        e.edited(10.0);
        assert_eq!(e.status, Status::Waiting);
        assert!((e.due_in(10.1).unwrap() - (DEBOUNCE_S - 0.1)).abs() < 1e-9);
        e.edited(10.3);
        assert!(e.due_in(10.5).unwrap() > 0.0, "a new key restarts the wait");
        assert_eq!(e.due_in(10.3 + DEBOUNCE_S), Some(0.0));
        assert!(e.check().is_none());
        assert_eq!(e.status, Status::Broken);
        assert!(e.unsaved());
        assert_eq!(e.file_name(), "x.ron");
    }
}
