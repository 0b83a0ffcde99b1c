//! Syntax colouring for the lesson editor: a small RON tokenizer and the
//! egui text layout it turns into, with each diagnostic's span underlined:
//! a thick line under errors, a thin one under warnings, so the kind does
//! not rest on colour alone (the list under the text names it too).
//!
//! Hand-written because neither egui's built-in highlighter (Rust-like
//! languages only: it leaves field names and enum variants uncoloured) nor
//! syntect (no RON grammar; megabytes in the page's `.wasm`) fits; RON's
//! lexical grammar is a handful of rules (<https://github.com/ron-rs/ron/blob/master/docs/grammar.md>).

use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Stroke};
use meshstep_sim::Severity;

/// What a stretch of RON text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Comment,
    Str,
    Number,
    /// A struct field's name (`title:`).
    Field,
    /// A struct or enum variant name (`Scenario`, `Sidecar`).
    Variant,
    /// `true`, `false`, `Some`, `None`.
    Keyword,
    Punct,
    /// Whitespace and anything else.
    Plain,
}

/// The text cut into tokens that cover it whole, in order.
pub fn tokens(text: &str) -> Vec<(Range<usize>, TokenKind)> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        let kind = if c == b'/' && at(i + 1) == b'/' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            TokenKind::Comment
        } else if c == b'/' && at(i + 1) == b'*' {
            i = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            TokenKind::Comment
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            TokenKind::Str
        } else if c == b'r' && (at(i + 1) == b'"' || at(i + 1) == b'#') && raw_start(&b[i..]) {
            let hashes = b[i + 1..].iter().take_while(|&&h| h == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            i = text[body..]
                .find(&close)
                .map_or(b.len(), |e| body + e + close.len());
            TokenKind::Str
        } else if c.is_ascii_digit() || (c == b'-' && at(i + 1).is_ascii_digit()) {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            TokenKind::Number
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &text[start..i];
            let next = text[i..].trim_start_matches([' ', '\t']).bytes().next();
            match word {
                "true" | "false" | "Some" | "None" => TokenKind::Keyword,
                _ if c.is_ascii_uppercase() => TokenKind::Variant,
                _ if next == Some(b':') => TokenKind::Field,
                _ => TokenKind::Plain,
            }
        } else if c.is_ascii_whitespace() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            TokenKind::Plain
        } else {
            // One character, however many bytes it takes.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            if c.is_ascii_punctuation() {
                TokenKind::Punct
            } else {
                TokenKind::Plain
            }
        };
        let end = i.min(b.len());
        // A string cut short by a multi-byte character never splits it.
        let end = (end..=b.len())
            .find(|&e| text.is_char_boundary(e))
            .unwrap_or(b.len());
        i = end;
        out.push((start..end, kind));
    }
    out
}

/// `r"…"` or `r#"…"#`: an `r`, some `#`, then a quote.
fn raw_start(b: &[u8]) -> bool {
    b.iter().skip(1).find(|&&h| h != b'#') == Some(&b'"')
}

/// The colour of a kind of token on the dark or light theme.
pub fn colour(kind: TokenKind, dark: bool) -> Color32 {
    use TokenKind::*;
    let (d, l) = match kind {
        Comment => ((150, 160, 150), (88, 98, 88)),
        Str => ((230, 160, 120), (160, 40, 20)),
        Number => ((180, 215, 160), (20, 120, 70)),
        Field => ((140, 200, 250), (10, 60, 150)),
        Variant => ((90, 210, 190), (20, 110, 130)),
        Keyword => ((210, 150, 220), (140, 30, 170)),
        Punct => ((190, 195, 205), (70, 75, 85)),
        Plain => ((230, 233, 238), (24, 27, 33)),
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
    let toks = tokens(text);
    cuts.extend(toks.iter().map(|(r, _)| r.start));
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
        let kind = toks.get(tok).map_or(TokenKind::Plain, |(_, k)| *k);
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
                italics: kind == TokenKind::Comment,
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
    use TokenKind::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokens(text)
            .into_iter()
            .filter(|(_, k)| *k != Plain)
            .map(|(r, k)| (&text[r], k))
            .collect()
    }

    #[test]
    fn ron_tokens_are_told_apart() {
        let text = "Scenario( // a lesson\n  title: \"Hi \\\" there\", seed: -12, x: Some(r#\"raw\"#), on: true,\n)";
        assert_eq!(
            kinds(text),
            [
                ("Scenario", Variant),
                ("(", Punct),
                ("// a lesson", Comment),
                ("title", Field),
                (":", Punct),
                ("\"Hi \\\" there\"", Str),
                (",", Punct),
                ("seed", Field),
                (":", Punct),
                ("-12", Number),
                (",", Punct),
                ("x", Field),
                (":", Punct),
                ("Some", Keyword),
                ("(", Punct),
                ("r#\"raw\"#", Str),
                (")", Punct),
                (",", Punct),
                ("on", Field),
                (":", Punct),
                ("true", Keyword),
                (",", Punct),
                (")", Punct),
            ]
        );
    }

    #[test]
    fn tokens_cover_any_text_whole_even_cut_short() {
        for text in [
            "\"unclosed",
            "/* open",
            "r#\"open",
            "é→\"ü",
            "a: 1.5e3 /**/ b",
        ] {
            let toks = tokens(text);
            let joined: String = toks.iter().map(|(r, _)| &text[r.clone()]).collect();
            assert_eq!(joined, text);
        }
    }

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
