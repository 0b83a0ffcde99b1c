//! Mistakes in the text itself that a RON parser reports badly or not at
//! all: control characters, `#` comments, numbers with units, and brackets
//! that are never closed. Found before parsing, so one mistake is one
//! message at its line instead of a cascade of unrelated ones.

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::scenario::lex::{Tok, lex};

/// Units people write after a number; RON numbers take none.
const UNITS: &[&str] = &[
    "ns", "us", "µs", "ms", "s", "sec", "secs", "m", "min", "h", "%",
];

/// Scans the source; any diagnostic found makes parsing pointless. Each
/// names the reference's section on RON's syntax.
pub fn lint(src: &str) -> Vec<Diagnostic> {
    (scan(src).into_iter())
        .map(|d| d.with_section(crate::scenario::reference::RON))
        .collect()
}

fn scan(src: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    control_characters(src, &mut out);
    if !out.is_empty() {
        return out;
    }
    let toks = lex(src);
    for (t, r) in &toks {
        if *t == Tok::Hash {
            out.push(
                Diagnostic::error("`#` does not start a comment in RON", Some(r.clone()))
                    .with_label("read as the start of an attribute")
                    .with_hint(
                        "write `//` at the start of a comment (or `/* … */` around a block)",
                    ),
            );
        }
    }
    if !out.is_empty() {
        return out;
    }
    if let Some((d, seen_up_to)) = brackets(&toks) {
        // Brackets that do not match after a string that runs over a line end:
        // the string's missing quote swallowed them.
        let seen_up_to = seen_up_to.unwrap_or(src.len());
        return vec![runaway_string(&toks, seen_up_to).map_or(d, unclosed_string)];
    }
    for (t, r) in &toks {
        if *t == Tok::Atom
            && let Some(d) = unit(src, r.clone())
        {
            out.push(d);
        }
    }
    out
}

fn control_characters(src: &str, out: &mut Vec<Diagnostic>) {
    for (i, c) in src.char_indices() {
        let allowed = matches!(c, '\n' | '\r' | '\t') || (i == 0 && c == '\u{feff}');
        if (c.is_control() || c == '\u{feff}') && !allowed {
            out.push(
                Diagnostic::error(
                    format!("the file contains a control character (U+{:04X})", c as u32),
                    Some(i..i + c.len_utf8()),
                )
                .with_label("invisible character")
                .with_hint("remove it: lesson files are plain text (it often comes from pasting out of a PDF or a word processor)"),
            );
            if out.len() >= 5 {
                return;
            }
        }
    }
}

/// The first bracket that closes the wrong one or is never closed, with
/// where the scan noticed (`None`: at the end of the file).
fn brackets(toks: &[(Tok, Range<usize>)]) -> Option<(Diagnostic, Option<usize>)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for (t, r) in toks {
        match t {
            Tok::Open(c) => open.push((r.start, *c)),
            Tok::Close(c) => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match open.pop() {
                    Some((_, o)) if o == want => {}
                    Some((at, o)) => {
                        return Some((unclosed(at, o, Some((r.start, *c))), Some(r.start)));
                    }
                    None => {
                        let d = Diagnostic::error(format!("`{c}` closes nothing"), Some(r.clone()))
                            .with_label("no bracket open here")
                            .with_hint("remove it, or add the bracket it was meant to close");
                        return Some((d, Some(r.start)));
                    }
                }
            }
            _ => {}
        }
    }
    open.last().map(|&(at, o)| (unclosed(at, o, None), None))
}

/// A number written with a unit (`50ms`): a located error naming the unit
/// the field takes.
fn unit(src: &str, r: Range<usize>) -> Option<Diagnostic> {
    let text = &src[r.clone()];
    let digits = text
        .find(|c: char| !(c.is_ascii_digit() || c == '_' || c == '.'))
        .filter(|&n| n > 0 && text.as_bytes()[0].is_ascii_digit())?;
    if !UNITS.contains(&&text[digits..]) {
        return None;
    }
    let hint = match field_before(src, r.start).as_deref() {
        Some(f) if f.ends_with("_us") => format!(
            "`{f}` is in microseconds: write a plain number (50 ms is `50000`, 2 s is `2000000`)"
        ),
        Some("probability") => {
            "a probability is a number from 0 to 1, such as `0.3` for 30%".into()
        }
        _ => "write the number alone; the field's name says its unit (`_us`: microseconds)".into(),
    };
    Some(
        Diagnostic::error(
            format!("`{text}` has a unit: numbers in a lesson take none"),
            Some(r),
        )
        .with_label("number with a unit")
        .with_hint(hint),
    )
}

/// The field name a value at `at` belongs to (`at_us` in `at_us: 50ms`).
fn field_before(src: &str, at: usize) -> Option<String> {
    let before = src[..at].trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let name = &before[start..];
    (!name.is_empty()).then(|| name.to_string())
}

fn unclosed(at: usize, open: char, wrong: Option<(usize, char)>) -> Diagnostic {
    let close = match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    };
    let d = Diagnostic::error(format!("this `{open}` is never closed"), Some(at..at + 1))
        .with_label("opened here");
    match wrong {
        Some((w, c)) => d
            .with_related(w..w + 1, format!("`{c}` comes first"))
            .with_hint(format!("add `{close}` before this `{c}`")),
        None => d.with_hint(format!("add the missing `{close}`; the file ends first")),
    }
}

pub(crate) fn unclosed_string(at: Range<usize>) -> Diagnostic {
    Diagnostic::error("this string is never closed", Some(at.start..at.start + 1))
        .with_label("opened here; the text runs on over the line end")
        .with_hint("add the closing `\"` at the end of the text")
}

/// The first string before `before` that runs over a line end: after an
/// unclosed quote, the parser's complaint comes lines later.
pub(crate) fn runaway_string(toks: &[(Tok, Range<usize>)], before: usize) -> Option<Range<usize>> {
    toks.iter()
        .take_while(|(_, r)| r.start < before)
        .find(|(t, _)| *t == Tok::Str { multiline: true })
        .map(|(_, r)| r.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Diagnostic {
        let d = lint(src);
        assert_eq!(d.len(), 1, "{d:#?}");
        d.into_iter().next().unwrap()
    }

    #[test]
    fn a_hash_comment_is_one_error_at_its_line() {
        let src = "Scenario(\n    # the topology\n    version: 1,\n)";
        let d = one(src);
        assert_eq!(d.span, Some(14..15));
        assert!(d.hints[0].contains("//"));
        assert!(lint("#![enable(implicit_some)]\n(a: 1)").is_empty());
        assert!(lint("(a: \"# not a comment\")").is_empty());
    }

    #[test]
    fn a_missing_parenthesis_names_the_one_left_open() {
        let src = "Scenario(\n  a: (1, 2,\n  b: [3],\n";
        let d = one(src);
        let at = src.find("(1").unwrap();
        assert_eq!(d.span, Some(at..at + 1));
        assert!(d.hints[0].contains("the file ends first"));
        let d = one("(a: (1, 2], b: 3)");
        assert_eq!(d.span, Some(4..5));
        assert_eq!(d.related[0].0, 9..10);
    }

    #[test]
    fn a_number_with_a_unit_says_which_unit_the_field_takes() {
        let d = one("(at_us: 50ms)");
        assert_eq!(d.span, Some(8..12));
        assert!(
            d.hints[0].contains("`at_us` is in microseconds"),
            "{:?}",
            d.hints
        );
        assert!(one("(probability: 30%)").hints[0].contains("0.3"));
        assert!(lint("(x: 1e5, y: 0x1F, z: \"50ms\", w: 1_000)").is_empty());
    }

    #[test]
    fn control_characters_are_located() {
        let d = lint("(a: \"x\0y\")");
        assert_eq!(d[0].span, Some(6..7));
        assert!(d[0].message.contains("U+0000"));
        assert!(lint("\u{feff}(a: 1)").is_empty());
    }

    #[test]
    fn a_string_across_a_line_end_is_found() {
        let src = "(a: \"open,\n b: \"x\")";
        assert_eq!(runaway_string(&lex(src), src.len()), Some(4..16));
    }
}
