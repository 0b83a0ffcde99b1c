//! The tokens of a RON document, for the readers that must survive any
//! text: the span index (where each value sits), the lint (mistakes a
//! parser reports badly) and the editor's colouring (`highlight`).

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Open(char),
    Close(char),
    Colon,
    Comma,
    Ident(String),
    /// A string literal; `multiline` when it runs over a line end (legal,
    /// but usually a missing closing quote).
    Str {
        multiline: bool,
    },
    /// Numbers, chars and anything else that is a leaf value.
    Atom,
    /// A `#` that starts no attribute (`#![...]`): someone's idea of a comment.
    Hash,
    /// A comment (only from [`lex_with_comments`]).
    Comment,
}

/// The tokens of a RON document with their byte ranges. Comments and
/// attributes are skipped; it never fails, whatever the text.
pub(crate) fn lex(src: &str) -> Vec<(Tok, Range<usize>)> {
    lex_impl(src, false)
}

/// The same tokens with the comments among them.
pub(crate) fn lex_with_comments(src: &str) -> Vec<(Tok, Range<usize>)> {
    lex_impl(src, true)
}

fn lex_impl(src: &str, comments: bool) -> Vec<(Tok, Range<usize>)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                if comments {
                    out.push((Tok::Comment, start..i));
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                if comments {
                    out.push((Tok::Comment, start..i.min(b.len())));
                }
            }
            b'#' if b.get(i + 1) == Some(&b'!') => {
                // `#![enable(...)]` attributes: skip to the closing bracket.
                while i < b.len() && b[i] != b']' {
                    i += 1;
                }
                i += 1;
            }
            b'#' => {
                // Not RON: skip the line, so the rest still lines up.
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                out.push((Tok::Hash, start..start + 1));
            }
            b'(' | b'[' | b'{' => {
                out.push((Tok::Open(c as char), start..i + 1));
                i += 1;
            }
            b')' | b']' | b'}' => {
                out.push((Tok::Close(c as char), start..i + 1));
                i += 1;
            }
            b':' => {
                out.push((Tok::Colon, start..i + 1));
                i += 1;
            }
            b',' => {
                out.push((Tok::Comma, start..i + 1));
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                let multiline = src[start..i].contains('\n');
                out.push((Tok::Str { multiline }, start..i));
            }
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.push((Tok::Atom, start..i));
            }
            b'r' | b'b' if is_raw_string(b, i) => {
                let mut j = i + 1;
                if b[i] == b'b' {
                    j += 1;
                }
                let mut hashes = 0;
                while j < b.len() && b[j] == b'#' {
                    hashes += 1;
                    j += 1;
                }
                j += 1; // opening quote
                loop {
                    if j >= b.len() {
                        break;
                    }
                    if b[j] == b'"'
                        && b[j + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&h| h == b'#')
                            .count()
                            == hashes
                    {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j.min(b.len());
                out.push((Tok::Atom, start..i));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'#')
                {
                    i += 1;
                }
                let word = src[start..i].trim_start_matches("r#").to_string();
                out.push((Tok::Ident(word), start..i));
            }
            _ => {
                // numbers and anything else: consume a run of non-delimiters
                i += 1;
                while i < b.len() && !b" \t\r\n,:()[]{}".contains(&b[i]) {
                    i += 1;
                }
                out.push((Tok::Atom, start..i));
            }
        }
    }
    out
}

fn is_raw_string(b: &[u8], i: usize) -> bool {
    let mut j = i + 1;
    if b[i] == b'b' {
        if b.get(j) != Some(&b'r') {
            return b.get(j) == Some(&b'"');
        }
        j += 1;
    }
    while j < b.len() && b[j] == b'#' {
        j += 1;
    }
    b.get(j) == Some(&b'"')
}
