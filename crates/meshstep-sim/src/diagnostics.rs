//! Problems found in a scenario file: collected (never fail-fast), each with a
//! byte span, a message saying what is wrong and hints saying what would fix
//! it; rendered with the source snippet and `file:line:col`.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Warning,
    Error,
}

/// The section of the format reference (docs/scenario-format.md) that
/// explains a problem: every diagnostic about a lesson names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Its number as the reference writes it (`3.7`).
    pub number: &'static str,
    /// Its heading's words (`steps (the process table)`).
    pub title: &'static str,
}

impl std::fmt::Display for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "docs/scenario-format.md §{} {}", self.number, self.title)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Byte range in the source; `None` when the problem is not in the file
    /// (it could not be read, say).
    pub span: Option<Range<usize>>,
    /// Short text under the marked source.
    pub label: String,
    /// What would fix it.
    pub hints: Vec<String>,
    /// Other places that explain it (where a duplicate was first given, say).
    pub related: Vec<(Range<usize>, String)>,
    /// Where the format reference explains it.
    pub section: Option<Section>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            hints: Vec::new(),
            related: Vec::new(),
            section: None,
        }
    }

    pub fn warning(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message, span)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Points at another place in the file, with a label.
    pub fn with_related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn with_section(mut self, section: Section) -> Self {
        self.section = Some(section);
        self
    }

    pub fn with_hint_opt(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.with_hint(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self, source: &str) -> Option<(usize, usize)> {
        self.span.as_ref().map(|s| line_col(source, s.start))
    }

    /// `file:line:col: error: message` on one line.
    pub fn short(&self, file: &str, source: &str) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line_col(source) {
            Some((l, c)) => format!("{file}:{l}:{c}: {sev}: {}", self.message),
            None => format!("{file}: {sev}: {}", self.message),
        }
    }
}

/// 1-based line and column of a byte offset; columns count characters.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, source[line_start..offset].chars().count() + 1)
}

/// Byte offset of a 1-based line and column (columns in characters).
pub fn offset_of(source: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match source[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return source.len(),
        }
    }
    let rest = &source[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    start
        + rest[..line_end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_end, |(i, _)| i)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders diagnostics with source snippets, as `meshstep check` prints them.
pub fn render(file: &str, source: &str, diagnostics: &[Diagnostic]) -> String {
    let files = SimpleFile::new(file, source);
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let notes = (d.hints.iter().map(|h| format!("help: {h}")))
            .chain(d.section.map(|s| format!("see: {s}")))
            .collect();
        let mut cs = cs.with_message(&d.message).with_notes(notes);
        if let Some(span) = &d.span {
            let start = floor_char_boundary(source, span.start.min(source.len()));
            let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
            let mut labels = vec![Label::primary((), start..end).with_message(&d.label)];
            for (r, l) in &d.related {
                let s = floor_char_boundary(source, r.start.min(source.len()));
                let e = floor_char_boundary(source, r.end.clamp(s, source.len()));
                labels.push(Label::secondary((), s..e).with_message(l));
            }
            cs = cs.with_labels(labels);
        }
        match term::emit_into_string(&config, &files, &cs) {
            Ok(s) => out.push_str(&s),
            Err(_) => {
                out.push_str(&d.short(file, source));
                out.push('\n');
            }
        }
        if d.span.is_none() {
            out.push_str(&format!("  = in {file}\n"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_round_trips() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 5), (2, 3));
        assert_eq!(offset_of(src, 2, 3), 5);
        assert_eq!(offset_of(src, 3, 1), src.len() - 1);
        assert_eq!(offset_of(src, 9, 9), src.len());
    }

    #[test]
    fn render_names_file_line_and_column() {
        let src = "Scenario(\n  version: 2,\n)";
        let d = Diagnostic::error("unsupported version", Some(21..22))
            .with_label("this build reads version 1")
            .with_hint("set `version: 1`");
        let out = render("x.ron", src, std::slice::from_ref(&d));
        assert!(out.contains("x.ron:2:12"), "{out}");
        assert!(out.contains("help: set `version: 1`"), "{out}");
        assert_eq!(
            d.short("x.ron", src),
            "x.ron:2:12: error: unsupported version"
        );
    }
}
