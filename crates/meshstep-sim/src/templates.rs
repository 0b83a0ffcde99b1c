//! The lessons an author starts from: one template per kind of lesson, each
//! commented, with every optional section present and explained, and each
//! passing `meshstep check` (tested for all). `meshstep new` writes one to a
//! file; the editor view starts a new lesson from one. One list for both.

/// A kind of lesson there is a template for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Its name on the command line (`--template KEY`).
    pub key: &'static str,
    /// What it teaches, in a few words (the help and the editor's menu).
    pub about: &'static str,
    source: &'static str,
}

/// Every template, the default first.
pub const TEMPLATES: [Template; 4] = [
    Template {
        key: "single-call",
        about: "one call from a pod with a sidecar to a service",
        source: include_str!("../templates/single-call.ron"),
    },
    Template {
        key: "call-chain",
        about: "A calls B, which calls C, every hop through sidecars",
        source: include_str!("../templates/call-chain.ron"),
    },
    Template {
        key: "canary",
        about: "part of the traffic to a new version, by a config push",
        source: include_str!("../templates/canary.ron"),
    },
    Template {
        key: "fault",
        about: "a lesson built around a fault and its what-ifs",
        source: include_str!("../templates/fault.ron"),
    },
];

/// The template named `key`.
pub fn by_key(key: &str) -> Option<Template> {
    TEMPLATES.into_iter().find(|t| t.key == key)
}

impl Template {
    /// The template's text with the lesson's id and title filled in; the
    /// title is the id in words (`my-first-lesson` → "My first lesson").
    pub fn text(&self, id: &str) -> String {
        self.source
            .replace("__ID__", id)
            .replace("__TITLE__", &sentence_case(&id.replace(['-', '_'], " ")))
    }
}

/// A lesson id from a file name or a title: lower case letters and digits,
/// words joined by `-` (`My Lesson.ron` → `my-lesson-ron`; strip the
/// extension first). An empty result becomes `my-lesson`.
pub fn id_from(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    match id.trim_end_matches('-') {
        "" => "my-lesson".into(),
        id => id.to_string(),
    }
}

/// The text with its first letter upper case.
pub fn sentence_case(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_fills_in_its_id_and_title_and_loads() {
        for t in TEMPLATES {
            let text = t.text("my-first-lesson");
            assert!(
                !text.contains("__ID__") && !text.contains("__TITLE__"),
                "{}",
                t.key
            );
            let lesson = crate::Lesson::from_source(&format!("{}.ron", t.key), &text)
                .unwrap_or_else(|d| panic!("{}: {d:?}", t.key));
            assert_eq!(lesson.scenario.id, "my-first-lesson");
            assert_eq!(lesson.scenario.title, "My first lesson");
        }
        assert_eq!(by_key("canary").map(|t| t.key), Some("canary"));
        assert_eq!(by_key("nope"), None);
    }

    #[test]
    fn ids_are_made_from_names() {
        assert_eq!(id_from("My Lesson"), "my-lesson");
        assert_eq!(id_from("--"), "my-lesson");
        assert_eq!(id_from("a__b"), "a-b");
    }
}
