//! Syntax colouring for the lesson editor: a small RON tokenizer and the
//! egui text layout it turns into, with each diagnostic's span underlined:
//! a thick line under errors, a thin one under warnings, so the kind does
//! not rest on colour alone (the list under the text names it too).
//!
//! The kinds of text come from `meshstep_sim::scenario::highlight`, which
//! reads with the loader's own lexer. Not egui's built-in highlighter (Rust-
//! like languages only: field names and enum variants stay uncoloured) nor
//! syntect (no RON grammar, and megabytes in the page's `.wasm`).

use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Stroke};
use meshstep_sim::Severity;
use meshstep_sim::scenario::highlight::{Highlight, highlight};

/// The colour of a kind of text (`None`: plain) on the dark or light theme.
pub fn colour(kind: Option<Highlight>, dark: bool) -> Color32 {
    use Highlight::*;
    let (d, l) = match kind {
        Some(Comment) => ((150, 160, 150), (88, 98, 88)),
        Some(Str) => ((230, 160, 120), (160, 40, 20)),
        Some(Number) => ((180, 215, 160), (20, 120, 70)),
        Some(Field) => ((140, 200, 250), (10, 60, 150)),
        Some(Variant) => ((90, 210, 190), (20, 110, 130)),
        Some(Keyword) => ((210, 150, 220), (140, 30, 170)),
        Some(Punct) => ((190, 195, 205), (70, 75, 85)),
        Some(Invalid) => ((255, 110, 110), (200, 20, 20)),
        None => ((230, 233, 238), (24, 27, 33)),
    };
    let (r, g, b) = if dark { d } else { l };
    Color32::from_rgb(r, g, b)
}

/// The underline colours: red for errors, amber for warnings.
pub fn severity_colour(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Error, true) => Color32::from_rgb(255, 110, 110),
        (Severity::Error, false) => Color32::from_rgb(200, 20, 20),
        (Severity::Warning, true) => Color32::from_rgb(255, 200, 80),
        (Severity::Warning, false) => Color32::from_rgb(170, 110, 0),
    }
}

/// The text laid out in colour, with `marks` underlined (an empty span
/// marks the character before it, or the first one, so it still shows).
pub fn layout_job(
    text: &str,
    marks: &[(Range<usize>, Severity)],
    font: FontId,
    dark: bool,
) -> LayoutJob {
    let marks: Vec<(Range<usize>, Severity)> = marks
        .iter()
        .map(|(r, s)| (visible(text, r.clone()), *s))
        .collect();
    let mut cuts: Vec<usize> = marks.iter().flat_map(|(r, _)| [r.start, r.end]).collect();
    let toks = highlight(text);
    cuts.extend(toks.iter().flat_map(|(r, _)| [r.start, r.end]));
    cuts.push(0);
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob {
        text: String::new(),
        ..Default::default()
    };
    job.wrap.max_width = f32::INFINITY;
    let mut tok = 0;
    for w in cuts.windows(2) {
        let piece = w[0]..w[1];
        if piece.is_empty() {
            continue;
        }
        while toks.get(tok).is_some_and(|(r, _)| r.end <= piece.start) {
            tok += 1;
        }
        let kind = (toks.get(tok))
            .filter(|(r, _)| r.start <= piece.start)
            .map(|(_, k)| *k);
        // The worst problem over this piece decides its underline.
        let severity = (marks.iter())
            .filter(|(r, _)| r.start <= piece.start && piece.end <= r.end)
            .map(|(_, s)| *s)
            .max();
        let underline = severity.map_or(Stroke::NONE, |s| {
            let width = if s == Severity::Error { 2.0 } else { 1.0 };
            Stroke::new(width, severity_colour(s, dark))
        });
        job.append(
            &text[piece],
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: colour(kind, dark),
                italics: kind == Some(Highlight::Comment),
                underline,
                ..Default::default()
            },
        );
    }
    job
}

/// A span that can be seen: inside the text, on character boundaries,
/// and at least one character long where the text has one.
pub fn visible(text: &str, r: Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (mut start, mut end) = (floor(r.start), floor(r.end.max(r.start)));
    if start == end {
        match text[end..].chars().next().filter(|c| *c != '\n') {
            Some(c) => end += c.len_utf8(),
            None => {
                start = text[..start]
                    .char_indices()
                    .next_back()
                    .map_or(0, |(i, _)| i);
            }
        }
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_span_is_underlined_and_nothing_else() {
        let text = "Scenario(title: \"x\", sede: 1)";
        let span = text.find("sede").unwrap();
        let job = layout_job(
            text,
            &[(span..span + 4, Severity::Error)],
            FontId::monospace(14.0),
            true,
        );
        let underlined: String = (job.sections.iter())
            .filter(|s| s.format.underline != Stroke::NONE)
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(underlined, "sede");
        let coloured = |word: &str| {
            let at = text.find(word).unwrap();
            (job.sections.iter())
                .find(|s| s.byte_range.start.0 == at)
                .map(|s| s.format.color)
        };
        assert_eq!(coloured("sede"), Some(colour(Some(Highlight::Field), true)));
        assert_eq!(
            coloured("Scenario"),
            Some(colour(Some(Highlight::Variant), true))
        );
        assert_eq!(coloured("\"x\""), Some(colour(Some(Highlight::Str), true)));
        assert_eq!(coloured(" "), Some(colour(None, true)));
        assert_eq!(job.text, text);
    }

    #[test]
    fn an_empty_span_still_marks_a_character() {
        assert_eq!(visible("ab", 1..1), 1..2);
        assert_eq!(visible("ab\n", 2..2), 1..2);
        assert_eq!(visible("ab", 9..9), 1..2);
        assert_eq!(visible("", 0..0), 0..0);
    }
}
