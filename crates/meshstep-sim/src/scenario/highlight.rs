//! What each stretch of a lesson's RON text is, for the editor's colours:
//! read with the same lexer as the span index and the lint, so the three
//! agree on where strings and comments end, whatever the text.

use std::ops::Range;

use crate::scenario::lex::{Tok, lex_with_comments};

/// A kind of text in a RON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    Comment,
    /// Strings, raw strings and chars.
    Str,
    Number,
    /// A struct field's name (`title:`).
    Field,
    /// A struct or enum variant name (`Scenario`, `Sidecar`).
    Variant,
    /// `true`, `false`, `Some`, `None`.
    Keyword,
    Punct,
    /// A `#` that is not RON (the lint reports it).
    Invalid,
}

/// The highlighted stretches, in order and never overlapping; the text
/// between them (spaces, other words) is plain.
pub fn highlight(src: &str) -> Vec<(Range<usize>, Highlight)> {
    let toks = lex_with_comments(src);
    let next_is_colon = |i: usize| {
        (toks[i + 1..].iter())
            .find(|(t, _)| *t != Tok::Comment)
            .is_some_and(|(t, _)| *t == Tok::Colon)
    };
    (toks.iter().enumerate())
        .filter_map(|(i, (t, r))| {
            let kind = match t {
                Tok::Comment => Highlight::Comment,
                Tok::Str { .. } => Highlight::Str,
                Tok::Atom if src[r.clone()].starts_with(['r', 'b', '\'']) => Highlight::Str,
                Tok::Atom => Highlight::Number,
                Tok::Ident(w) if ["true", "false", "Some", "None"].contains(&w.as_str()) => {
                    Highlight::Keyword
                }
                Tok::Ident(w) if w.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    Highlight::Variant
                }
                Tok::Ident(_) if next_is_colon(i) => Highlight::Field,
                Tok::Ident(_) => return None,
                Tok::Open(_) | Tok::Close(_) | Tok::Colon | Tok::Comma => Highlight::Punct,
                Tok::Hash => Highlight::Invalid,
            };
            Some((r.clone(), kind))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Highlight::*;

    fn kinds(text: &str) -> Vec<(&str, Highlight)> {
        (highlight(text).into_iter())
            .map(|(r, k)| (&text[r], k))
            .collect()
    }

    #[test]
    fn ron_is_told_apart() {
        let text = "Scenario( // a lesson\n  title: \"Hi \\\" there\", seed: -12, x: Some(r#\"raw\"#), on: true, /* c */ y: 'q'\n)";
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
                ("/* c */", Comment),
                ("y", Field),
                (":", Punct),
                ("'q'", Str),
                (")", Punct),
            ]
        );
    }

    #[test]
    fn any_text_gives_ordered_stretches_on_character_boundaries() {
        for text in [
            "\"unclosed",
            "/* open",
            "r#\"open",
            "é→\"ü",
            "a: 1.5e3 /**/ b",
            "# x\n(a: 1)",
        ] {
            let mut end = 0;
            for (r, _) in highlight(text) {
                assert!(r.start >= end && r.end <= text.len(), "{text:?}: {r:?}");
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                end = r.end;
            }
        }
    }
}
