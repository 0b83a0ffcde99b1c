//! A lesson pack: several lessons under one index file, which the page (a
//! `src=` link to the index) and the desktop app (the index's path) open
//! as a menu. The index is RON like a lesson:
//!
//! ```ron
//! Pack(
//!     title: "Service meshes, week 3",
//!     summary: Some("Start with the first; the last is a test."),
//!     lessons: ["intro.ron", "lessons/retries.ron", "canary"],
//! )
//! ```
//!
//! An entry ending in `.ron` is a file beside the index (or a full
//! address); any other entry is a bundled lesson's id.

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::scenario::lex::{Tok, lex};
use crate::scenario::reference::PACKS;
use crate::scenario::spans::SpanIndex;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub lessons: Vec<String>,
}

/// One of a pack's lessons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackItem {
    /// A file, by its address or path resolved against the index's.
    File(String),
    /// A lesson built into meshstep, by id.
    Bundled(String),
}

/// Whether `source` is a pack index (it starts with `Pack(`) rather than a
/// lesson.
pub fn is_pack(source: &str) -> bool {
    matches!(lex(source).first(), Some((Tok::Ident(w), _)) if w == "Pack")
}

impl Pack {
    /// Reads an index; every problem comes back located, like a lesson's.
    pub fn from_source(source: &str) -> Result<Pack, Vec<Diagnostic>> {
        let lint = crate::scenario::lint::lint(source);
        if !lint.is_empty() {
            return Err(lint);
        }
        let spans = SpanIndex::parse(source);
        let pack: Pack = crate::scenario::load::ron_options()
            .from_str(source)
            .map_err(|e| {
                let d = crate::scenario::load::ron_diagnostic(&e, source, 0, &spans);
                let section = d.section.unwrap_or(PACKS);
                vec![d.with_section(section)]
            })?;
        let mut problems = Vec::new();
        let items = spans.list_items("lessons");
        if pack.lessons.is_empty() {
            problems.push(
                Diagnostic::error("the pack has no lessons", spans.value("lessons"))
                    .with_hint("list lesson files (`\"intro.ron\"`) or bundled ids (`\"canary\"`)")
                    .with_section(PACKS),
            );
        }
        for (i, entry) in pack.lessons.iter().enumerate() {
            if !entry.ends_with(".ron") && crate::bundled::source(entry).is_none() {
                let ids: Vec<&str> = crate::bundled::ids().collect();
                problems.push(
                    Diagnostic::error(
                        format!("`{entry}` is neither a .ron file nor a bundled lesson"),
                        items.get(i).cloned(),
                    )
                    .with_hint("a lesson file's name ends in `.ron`")
                    .with_hint(format!("bundled lessons: {}", ids.join(", ")))
                    .with_section(PACKS),
                );
            }
        }
        if problems.is_empty() {
            Ok(pack)
        } else {
            Err(problems)
        }
    }

    /// The lessons, files resolved against `base` (the index's address or
    /// path).
    pub fn items(&self, base: &str) -> Vec<PackItem> {
        (self.lessons.iter())
            .map(|e| match e.ends_with(".ron") {
                true => PackItem::File(resolve(base, e)),
                false => PackItem::Bundled(e.clone()),
            })
            .collect()
    }
}

impl Pack {
    /// The lesson files to fetch, resolved against `base` (bundled lessons
    /// need none).
    pub fn files(&self, base: &str) -> Vec<String> {
        (self.items(base).into_iter())
            .filter_map(|i| match i {
                PackItem::File(at) => Some(at),
                PackItem::Bundled(_) => None,
            })
            .collect()
    }
}

/// `file` relative to `base` (an address or a path): beside it, unless it
/// is a full address or an absolute path itself.
pub fn resolve(base: &str, file: &str) -> String {
    if file.contains("://") || file.starts_with('/') {
        return file.to_string();
    }
    // The index's folder: everything up to its last `/` (no query or fragment).
    let base = base.split(['?', '#']).next().unwrap_or(base);
    match base.rfind('/') {
        Some(i) => format!("{}{file}", &base[..=i]),
        None => file.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_lists_files_beside_it_and_bundled_lessons() {
        let src =
            "// week 3\nPack(title: \"Week 3\", lessons: [\"a.ron\", \"sub/b.ron\", \"canary\"])";
        assert!(is_pack(src));
        assert!(!is_pack(crate::bundled::source("canary").unwrap()));
        let p = Pack::from_source(src).unwrap();
        assert_eq!(
            p.items("https://example.org/packs/week3.ron?x=1"),
            [
                PackItem::File("https://example.org/packs/a.ron".into()),
                PackItem::File("https://example.org/packs/sub/b.ron".into()),
                PackItem::Bundled("canary".into()),
            ]
        );
        assert_eq!(resolve("week3.ron", "a.ron"), "a.ron");
        assert_eq!(
            resolve("/x/week3.ron", "https://h/a.ron"),
            "https://h/a.ron"
        );
    }

    #[test]
    fn a_broken_index_is_located() {
        let src = "Pack(title: \"W\", lessons: [\"a.ron\", \"nope\"])";
        let e = Pack::from_source(src).unwrap_err();
        let span = e[0].span.clone().unwrap();
        assert_eq!(&src[span], "\"nope\"");
        assert!(e[0].hints.iter().any(|h| h.contains("canary")));

        let e = Pack::from_source("Pack(title: \"W\", lesons: [])").unwrap_err();
        assert!(e[0].message.contains("lesons"), "{:?}", e[0]);
        let e = Pack::from_source("Pack(title: \"W\", lessons: [])").unwrap_err();
        assert!(e[0].message.contains("no lessons"));
    }
}
