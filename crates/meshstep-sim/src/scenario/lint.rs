//! Mistakes in the text itself that a RON parser reports badly or not at
//! all: control characters, `#` comments, numbers with units, and brackets
//! that are never closed. Found before parsing, so one mistake is one
//! message at its line instead of a cascade of unrelated ones.

use std::ops::Range;

use crate::diagnostics::Diagnostic;

/// Units people write after a number; RON numbers take none.
const UNITS: &[&str] = &[
    "ns", "us", "µs", "ms", "s", "sec", "secs", "m", "min", "h", "%",
];

/// Scans the source; any diagnostic found makes parsing pointless.
pub fn lint(src: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    control_characters(src, &mut out);
    if !out.is_empty() {
        return out;
    }
    let mut s = Scanner::new(src);
    s.run(&mut out);
    // Brackets that do not match after a string that runs over a line end:
    // the string's missing quote swallowed them.
    if let (Some(first), Some(q)) = (out.first(), s.runaway.clone())
        && first
            .span
            .as_ref()
            .is_some_and(|sp| sp.start >= q.start || first.message.contains("never closed"))
    {
        return vec![unclosed_string(q)];
    }
    out
}

pub(crate) fn unclosed_string(at: Range<usize>) -> Diagnostic {
    Diagnostic::error("this string is never closed", Some(at))
        .with_label("opened here; the text runs on over the line end")
        .with_hint("add the closing `\"` at the end of the text")
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

struct Scanner<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    /// Open brackets: (byte offset, bracket).
    open: Vec<(usize, u8)>,
    /// The first string that runs over a line end.
    runaway: Option<Range<usize>>,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str) -> Self {
        Scanner {
            src,
            b: src.as_bytes(),
            i: 0,
            open: Vec::new(),
            runaway: None,
        }
    }

    fn at_line_start(&self) -> bool {
        self.src[..self.i]
            .rsplit('\n')
            .next()
            .is_some_and(|before| before.trim().is_empty())
    }

    fn run(&mut self, out: &mut Vec<Diagnostic>) {
        let b = self.b;
        while self.i < b.len() {
            let c = b[self.i];
            match c {
                b'/' if b.get(self.i + 1) == Some(&b'/') => {
                    while self.i < b.len() && b[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                b'/' if b.get(self.i + 1) == Some(&b'*') => self.block_comment(),
                b'"' => self.string(),
                b'r' if self.raw_string_start() => self.raw_string(),
                b'#' if b.get(self.i + 1) != Some(&b'!') && self.at_line_start() => {
                    let end = self.src[self.i..]
                        .find('\n')
                        .map_or(self.src.len(), |n| self.i + n);
                    out.push(
                        Diagnostic::error("`#` does not start a comment in RON", Some(self.i..self.i + 1))
                            .with_label("read as the start of an attribute")
                            .with_hint("write `//` at the start of a comment line (or `/* … */` around a block)"),
                    );
                    self.i = end;
                }
                b'(' | b'[' | b'{' => {
                    self.open.push((self.i, c));
                    self.i += 1;
                }
                b')' | b']' | b'}' => {
                    let want = match c {
                        b')' => b'(',
                        b']' => b'[',
                        _ => b'{',
                    };
                    match self.open.pop() {
                        Some((_, o)) if o == want => {}
                        Some((at, o)) => {
                            out.push(unclosed(at, o, Some((self.i, c))));
                            return;
                        }
                        None => {
                            out.push(
                                Diagnostic::error(
                                    format!("`{}` closes nothing", c as char),
                                    Some(self.i..self.i + 1),
                                )
                                .with_label("no bracket open here")
                                .with_hint("remove it, or add the bracket it was meant to close"),
                            );
                            return;
                        }
                    }
                    self.i += 1;
                }
                b'0'..=b'9' if self.starts_number() => self.number(out),
                _ => self.i += 1,
            }
        }
        if let Some(&(at, o)) = self.open.last()
            && out.is_empty()
        {
            out.push(unclosed(at, o, None));
        }
    }

    fn block_comment(&mut self) {
        let b = self.b;
        let mut depth = 0;
        while self.i < b.len() {
            if b[self.i] == b'/' && b.get(self.i + 1) == Some(&b'*') {
                depth += 1;
                self.i += 2;
            } else if b[self.i] == b'*' && b.get(self.i + 1) == Some(&b'/') {
                depth -= 1;
                self.i += 2;
                if depth == 0 {
                    return;
                }
            } else {
                self.i += 1;
            }
        }
    }

    fn string(&mut self) {
        let b = self.b;
        let start = self.i;
        self.i += 1;
        while self.i < b.len() && b[self.i] != b'"' {
            if b[self.i] == b'\n' && self.runaway.is_none() {
                self.runaway = Some(start..start + 1);
            }
            self.i += if b[self.i] == b'\\' { 2 } else { 1 };
        }
        self.i += 1;
    }

    fn raw_string_start(&self) -> bool {
        let prev_ident = self.i > 0
            && (self.b[self.i - 1].is_ascii_alphanumeric() || self.b[self.i - 1] == b'_');
        let rest = &self.b[self.i + 1..];
        let hashes = rest.iter().take_while(|&&c| c == b'#').count();
        !prev_ident && rest.get(hashes) == Some(&b'"')
    }

    fn raw_string(&mut self) {
        let rest = &self.src[self.i + 1..];
        let hashes = rest.bytes().take_while(|&c| c == b'#').count();
        let close = format!("\"{}", "#".repeat(hashes));
        let body = self.i + 1 + hashes + 1;
        self.i = self.src[body..]
            .find(&close)
            .map_or(self.src.len(), |n| body + n + close.len());
    }

    fn starts_number(&self) -> bool {
        self.i == 0 || !(self.b[self.i - 1].is_ascii_alphanumeric() || self.b[self.i - 1] == b'_')
    }

    fn number(&mut self, out: &mut Vec<Diagnostic>) {
        let start = self.i;
        let b = self.b;
        while self.i < b.len()
            && (b[self.i].is_ascii_digit() || b[self.i] == b'_' || b[self.i] == b'.')
        {
            self.i += 1;
        }
        let tail: String = self.src[self.i..]
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '%')
            .collect();
        if tail.is_empty() || !UNITS.contains(&tail.as_str()) {
            self.i += tail.len();
            return;
        }
        let end = self.i + tail.len();
        let field = field_before(self.src, start);
        let hint = match field.as_deref() {
            Some(f) if f.ends_with("_us") => format!(
                "`{f}` is in microseconds: write a plain number (50 ms is `50000`, 2 s is `2000000`)"
            ),
            Some("probability") => {
                "a probability is a number from 0 to 1, such as `0.3` for 30%".into()
            }
            _ => "write the number alone; the field's name says its unit (`_us`: microseconds)"
                .into(),
        };
        out.push(
            Diagnostic::error(
                format!(
                    "`{}` has a unit: numbers in a lesson take none",
                    &self.src[start..end]
                ),
                Some(start..end),
            )
            .with_label("number with a unit")
            .with_hint(hint),
        );
        self.i = end;
    }
}

/// The field name a value at `at` belongs to (`at_us` in `at_us: 50ms`).
fn field_before(src: &str, at: usize) -> Option<String> {
    let before = src[..at].trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let name: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty()).then_some(name)
}

fn unclosed(at: usize, open: u8, wrong: Option<(usize, u8)>) -> Diagnostic {
    let close = match open {
        b'(' => ')',
        b'[' => ']',
        _ => '}',
    };
    let d = Diagnostic::error(
        format!("this `{}` is never closed", open as char),
        Some(at..at + 1),
    )
    .with_label("opened here");
    match wrong {
        Some((w, c)) => d
            .with_related(w..w + 1, format!("`{}` comes first", c as char))
            .with_hint(format!("add `{close}` before this `{}`", c as char)),
        None => d.with_hint(format!("add the missing `{close}`; the file ends first")),
    }
}

/// The span of an earlier string that runs across a line end, the usual
/// cause of a syntax error after an unclosed quote.
pub fn runaway_string(src: &str, before: usize) -> Option<Range<usize>> {
    let mut s = Scanner::new(src);
    let b = s.b;
    let mut found = None;
    while s.i < b.len().min(before) {
        match b[s.i] {
            b'/' if b.get(s.i + 1) == Some(&b'/') => {
                while s.i < b.len() && b[s.i] != b'\n' {
                    s.i += 1;
                }
            }
            b'/' if b.get(s.i + 1) == Some(&b'*') => s.block_comment(),
            b'"' => {
                let start = s.i;
                s.string();
                if src[start..s.i.min(src.len())].contains('\n') {
                    found = Some(start..start + 1);
                    break;
                }
            }
            _ => s.i += 1,
        }
    }
    found
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
        assert_eq!(runaway_string(src, src.len()), Some(4..5));
    }
}
