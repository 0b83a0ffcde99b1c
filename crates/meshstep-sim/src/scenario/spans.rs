//! A lenient RON reader that records where every value sits, keyed by its path
//! (`steps[3].on.component`), so problems found after deserializing can point
//! at the exact text. It never fails: on malformed input it keeps what it read.

use std::collections::HashMap;
use std::ops::Range;

use crate::scenario::lex::{Tok, lex};

/// Where one value (and, for struct fields, its key) sits in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub value: Range<usize>,
    pub key: Option<Range<usize>>,
}

/// A map key written twice: serde keeps the second value without a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The map's path (`labels`, `tracker.rows[0].wording`).
    pub map: String,
    /// The key as written, quotes included.
    pub key: String,
    pub first: Range<usize>,
    pub second: Range<usize>,
}

/// Paths to source ranges for one RON document.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    places: HashMap<String, Place>,
    /// Every struct field key seen: (path of the struct, field name, key range).
    keys: Vec<(String, String, Range<usize>)>,
    duplicates: Vec<DuplicateKey>,
}

impl SpanIndex {
    pub fn parse(src: &str) -> Self {
        let toks = lex(src);
        let mut p = Parser {
            src,
            toks: &toks,
            pos: 0,
            index: SpanIndex::default(),
            depth: 0,
        };
        p.value(String::new(), None);
        p.index
    }

    /// The value at `path`, or the nearest enclosing value that exists.
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        self.lookup(path).map(|p| p.value.clone())
    }

    /// The key of the field at `path` (falls back to the value).
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.lookup(path)
            .map(|p| p.key.clone().unwrap_or_else(|| p.value.clone()))
    }

    pub fn exact(&self, path: &str) -> Option<&Place> {
        self.places.get(path)
    }

    fn lookup(&self, path: &str) -> Option<&Place> {
        let mut p = path;
        loop {
            if let Some(place) = self.places.get(p) {
                return Some(place);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Field keys named `name` anywhere in the document, in source order.
    pub fn keys_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (&'a str, Range<usize>)> + 'a {
        self.keys
            .iter()
            .filter(move |(_, n, _)| n == name)
            .map(|(p, _, r)| (p.as_str(), r.clone()))
    }

    /// The path of the innermost struct field whose value starts at or encloses `offset`.
    pub fn field_at(&self, offset: usize) -> Option<String> {
        self.places
            .iter()
            .filter(|(_, p)| p.key.is_some() && p.value.start <= offset && offset <= p.value.end)
            .min_by_key(|(k, p)| (p.value.end - p.value.start, std::cmp::Reverse(k.len())))
            .map(|(k, _)| k.clone())
    }

    /// Top-level field names with their key and value ranges, in source order.
    pub fn top_fields(&self) -> Vec<(String, Range<usize>, Range<usize>)> {
        let mut v: Vec<_> = self
            .keys
            .iter()
            .filter(|(p, _, _)| p.is_empty())
            .map(|(_, n, k)| (n.clone(), k.clone(), self.places[n].value.clone()))
            .collect();
        v.sort_by_key(|(_, k, _)| k.start);
        v
    }

    /// Map keys given twice, in source order.
    pub fn duplicate_map_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// Element ranges of the list at `path`, in order.
    pub fn list_items(&self, path: &str) -> Vec<Range<usize>> {
        (0..)
            .map_while(|i| {
                self.places
                    .get(&format!("{path}[{i}]"))
                    .map(|p| p.value.clone())
            })
            .collect()
    }
}

struct Parser<'a> {
    src: &'a str,
    toks: &'a [(Tok, Range<usize>)],
    pos: usize,
    index: SpanIndex,
    depth: usize,
}

/// Deeper nesting than this is skipped, not indexed, so hostile input cannot
/// exhaust the stack (ron itself refuses it with a clear error).
const MAX_DEPTH: usize = 256;

impl Parser<'_> {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k).map(|t| &t.0)
    }

    fn span(&self, k: usize) -> Range<usize> {
        self.toks
            .get(self.pos + k)
            .map(|t| t.1.clone())
            .unwrap_or_else(|| self.toks.last().map_or(0..0, |t| t.1.end..t.1.end))
    }

    /// Skips one balanced group without recursion; returns where it ends.
    fn skip_group(&mut self) -> usize {
        let mut depth = 0usize;
        while let Some((tok, r)) = self.toks.get(self.pos) {
            self.pos += 1;
            match tok {
                Tok::Open(_) => depth += 1,
                Tok::Close(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return r.end;
                    }
                }
                _ => {}
            }
        }
        self.span(0).end
    }

    /// Reads one value and records it at `path`. Returns its range.
    fn value(&mut self, path: String, key: Option<Range<usize>>) -> Range<usize> {
        let start = self.span(0).start;
        if self.depth >= MAX_DEPTH {
            if matches!(self.peek(0), Some(Tok::Ident(_))) {
                self.pos += 1;
            }
            let end = if matches!(self.peek(0), Some(Tok::Open(_))) {
                self.skip_group()
            } else {
                start
            };
            return start..end.max(start);
        }
        self.depth += 1;
        let r = self.value_inner(path, key, start);
        self.depth -= 1;
        r
    }

    fn value_inner(
        &mut self,
        path: String,
        key: Option<Range<usize>>,
        start: usize,
    ) -> Range<usize> {
        let end = match self.peek(0) {
            None => start,
            Some(Tok::Ident(_)) => {
                let ident_end = self.span(0).end;
                self.pos += 1;
                if self.peek(0) == Some(&Tok::Open('(')) {
                    self.group(&path, true)
                } else {
                    ident_end
                }
            }
            Some(Tok::Open('(')) => self.group(&path, false),
            Some(Tok::Open('[')) => self.list(&path),
            Some(Tok::Open('{')) => self.map(&path),
            Some(Tok::Atom | Tok::Str { .. }) => {
                let end = self.span(0).end;
                self.pos += 1;
                end
            }
            Some(_) => {
                // unexpected punctuation: leave it for the caller
                self.span(0).end
            }
        };
        let range = start..end.max(start);
        self.index.places.insert(
            path,
            Place {
                value: range.clone(),
                key,
            },
        );
        range
    }

    /// `( … )` after an optional name: struct fields or tuple elements.
    fn group(&mut self, path: &str, named: bool) -> usize {
        self.pos += 1; // (
        let is_struct =
            matches!(self.peek(0), Some(Tok::Ident(_))) && self.peek(1) == Some(&Tok::Colon);
        let mut i = 0;
        let mut items = Vec::new();
        loop {
            match self.peek(0) {
                None => return self.span(0).end,
                Some(Tok::Close(_)) => {
                    let end = self.span(0).end;
                    self.pos += 1;
                    // `Some(x)`, `Component("x")`: the single element stands for the whole.
                    if named && !is_struct && items.len() == 1 {
                        let inner = format!("{path}[0]");
                        let is_inner = |k: &str| {
                            k.strip_prefix(inner.as_str())
                                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                        };
                        // Take every entry out first, then rename: renaming in place
                        // would depend on the map's iteration order.
                        let moved: Vec<(String, Place)> = {
                            let keys: Vec<String> = self
                                .index
                                .places
                                .keys()
                                .filter(|k| is_inner(k))
                                .cloned()
                                .collect();
                            keys.into_iter()
                                .filter_map(|k| self.index.places.remove(&k).map(|v| (k, v)))
                                .collect()
                        };
                        for (k, v) in moved {
                            let nk = format!("{path}{}", &k[inner.len()..]);
                            self.index.places.insert(nk, v);
                        }
                        for k in &mut self.index.keys {
                            if is_inner(&k.0) {
                                k.0 = format!("{path}{}", &k.0[inner.len()..]);
                            }
                        }
                    }
                    return end;
                }
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::Ident(name)) if is_struct && self.peek(1) == Some(&Tok::Colon) => {
                    let name = name.clone();
                    let key = self.span(0);
                    self.pos += 2;
                    let child = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    self.index.keys.push((path.to_string(), name, key.clone()));
                    self.value(child, Some(key));
                }
                Some(_) => {
                    let before = self.pos;
                    items.push(self.value(format!("{path}[{i}]"), None));
                    i += 1;
                    if self.pos == before {
                        self.pos += 1; // skip what we cannot read
                    }
                }
            }
        }
    }

    fn list(&mut self, path: &str) -> usize {
        self.pos += 1;
        let mut i = 0;
        loop {
            match self.peek(0) {
                None => return self.span(0).end,
                Some(Tok::Close(_)) => {
                    let end = self.span(0).end;
                    self.pos += 1;
                    return end;
                }
                Some(Tok::Comma) => self.pos += 1,
                Some(_) => {
                    let before = self.pos;
                    self.value(format!("{path}[{i}]"), None);
                    i += 1;
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    fn map(&mut self, path: &str) -> usize {
        self.pos += 1;
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        loop {
            match self.peek(0) {
                None => return self.span(0).end,
                Some(Tok::Close(_)) => {
                    let end = self.span(0).end;
                    self.pos += 1;
                    return end;
                }
                Some(Tok::Comma) | Some(Tok::Colon) => self.pos += 1,
                Some(_) => {
                    let key_range = self.span(0);
                    let before = self.pos;
                    let tmp = format!("{path}{{key}}");
                    self.value(tmp.clone(), None);
                    self.index.places.remove(&tmp);
                    if self.peek(0) == Some(&Tok::Colon) {
                        self.pos += 1;
                        // Map entries are keyed by their key's text: `labels["checkout/app"]`.
                        let key_text = self.src.get(key_range.clone()).unwrap_or("");
                        match seen.get(key_text) {
                            Some(first) => self.index.duplicates.push(DuplicateKey {
                                map: path.to_string(),
                                key: key_text.to_string(),
                                first: first.clone(),
                                second: key_range.clone(),
                            }),
                            None => {
                                seen.insert(key_text.to_string(), key_range.clone());
                            }
                        }
                        self.value(format!("{path}[{key_text}]"), Some(key_range));
                    }
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r##"// a lesson
Scenario(
    version: 1,
    steps: [
        (on: (component: "a/app", action: SendRequest), result: "ok"),
        (on: (component: "b", action: End), result: r#"raw "x""#),
    ],
    labels: {"a/app": "App"},
    deep_dive: Some((overview: (what: "w"))),
    subject: Component("x"),
)"##;

    fn text(idx: &SpanIndex, path: &str) -> &'static str {
        let r = idx.value(path).unwrap();
        &SRC[r]
    }

    #[test]
    fn finds_nested_values_by_path() {
        let idx = SpanIndex::parse(SRC);
        assert_eq!(text(&idx, "version"), "1");
        assert_eq!(text(&idx, "steps[0].on.component"), "\"a/app\"");
        assert_eq!(text(&idx, "steps[1].result"), "r#\"raw \"x\"\"#");
        assert_eq!(text(&idx, "steps[1].on.action"), "End");
        assert_eq!(text(&idx, "labels[\"a/app\"]"), "\"App\"");
        assert_eq!(text(&idx, "deep_dive.overview.what"), "\"w\"");
        assert_eq!(text(&idx, "subject"), "Component(\"x\")");
        // missing leaf falls back to the nearest parent
        assert_eq!(
            text(&idx, "steps[0].on.flow"),
            "(component: \"a/app\", action: SendRequest)"
        );
        let k = idx.key("steps[0].result").unwrap();
        assert_eq!(&SRC[k], "result");
        let tops: Vec<_> = idx.top_fields().into_iter().map(|t| t.0).collect();
        assert_eq!(tops, ["version", "steps", "labels", "deep_dive", "subject"]);
        assert_eq!(idx.list_items("steps").len(), 2);
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_loses_the_rest() {
        let deep = format!("(a: {}{}, b: 1)", "(".repeat(20_000), ")".repeat(20_000));
        let idx = SpanIndex::parse(&deep);
        assert_eq!(idx.value("b").map(|r| &deep[r]), Some("1"));
        let deep_list = format!("(a: {}{})", "[".repeat(20_000), "]".repeat(20_000));
        let _ = SpanIndex::parse(&deep_list);
    }

    #[test]
    fn single_element_collapse_is_deterministic() {
        let src = r#"(s: Some([9, 2, 3]), c: Components(["x", "y"]))"#;
        for _ in 0..50 {
            let idx = SpanIndex::parse(src);
            assert_eq!(idx.value("s[0]").map(|r| &src[r]), Some("9"));
            assert_eq!(idx.value("c[1]").map(|r| &src[r]), Some("\"y\""));
        }
    }

    #[test]
    fn a_map_key_given_twice_is_found_at_its_second_place() {
        let src = r#"(labels: {"a": "x", "b": "y", "a": "z"})"#;
        let idx = SpanIndex::parse(src);
        let d = idx.duplicate_map_keys();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].map.as_str(), d[0].key.as_str()), ("labels", "\"a\""));
        assert_eq!(&src[d[0].first.clone()], "\"a\"");
        assert!(d[0].second.start > d[0].first.start);
        assert_eq!(&src[d[0].second.clone()], "\"a\"");
    }

    #[test]
    fn survives_garbage() {
        for src in [
            "",
            "(",
            ")",
            "Scenario(version: ",
            "[[[",
            "\"unterminated",
            "r#\"x",
            "(a: (b: [1, 2}",
        ] {
            let _ = SpanIndex::parse(src);
        }
    }
}
