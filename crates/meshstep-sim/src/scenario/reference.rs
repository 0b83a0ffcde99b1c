//! Which section of the format reference (docs/scenario-format.md)
//! explains a problem: found from where in the lesson the problem is (the
//! field its span falls in), so every located diagnostic names one without
//! each check having to. A test keeps the list in step with the headings.

use crate::diagnostics::{Diagnostic, Section};
use crate::scenario::spans::SpanIndex;

const fn s(number: &'static str, title: &'static str) -> Section {
    Section { number, title }
}

/// RON's syntax: the lint's problems and the parser's syntax errors.
pub const RON: Section = s("1", "RON in two minutes");
/// Problems that are in no field: what the validator reports, by stage.
pub const VALIDATOR: Section = s("8", "What the validator reports");
/// Lesson packs.
pub const PACKS: Section = s("6.5", "Lesson packs and lessons inside a link");

/// Field paths (indices left out) and the section for everything under
/// them; the longest matching path wins.
pub const SECTIONS: &[(&str, Section)] = &[
    ("", s("3.1", "Scenario (top level)")),
    ("topology", s("3.2", "topology")),
    ("topology.control_plane", s("3.3", "control_plane")),
    ("topology.pods", s("3.4", "pods")),
    (
        "topology.services",
        s("3.5", "services, gateways and external hosts"),
    ),
    (
        "topology.gateways",
        s("3.5", "services, gateways and external hosts"),
    ),
    (
        "topology.external",
        s("3.5", "services, gateways and external hosts"),
    ),
    ("topology.config", s("3.15", "config: mesh resources")),
    (
        "topology.library_config",
        s("3.15", "config: mesh resources"),
    ),
    ("stimuli", s("3.6", "stimuli")),
    ("steps", s("3.7", "steps (the process table)")),
    (
        "process_flow",
        s("3.8", "process_flow and execution_sample"),
    ),
    (
        "execution_sample",
        s("3.8", "process_flow and execution_sample"),
    ),
    ("tracker", s("3.9", "tracker")),
    ("key_moments", s("3.10", "key_moments")),
    ("quiz", s("3.11", "quiz")),
    (
        "quiz.asks",
        s("5", "Quiz questions the engine grades (`asks`)"),
    ),
    ("practice", s("3.12", "practice")),
    ("what_if", s("3.13", "what_if")),
    ("deep_dive", s("3.14", "deep_dive")),
];

/// The section for a field path such as `steps[3].on.component`.
pub fn section_for(path: &str) -> Section {
    let mut bare = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    let within = |p: &str| p.is_empty() || bare == p || bare.starts_with(&format!("{p}."));
    (SECTIONS.iter())
        .filter(|(p, _)| within(p))
        .max_by_key(|(p, _)| p.len())
        .map_or(VALIDATOR, |(_, sec)| *sec)
}

/// Gives each diagnostic that names no section the one for where it is.
pub fn annotate(diagnostics: &mut [Diagnostic], source: &str) {
    if diagnostics.iter().all(|d| d.section.is_some()) {
        return;
    }
    let spans = SpanIndex::parse(source);
    for d in diagnostics.iter_mut().filter(|d| d.section.is_none()) {
        let in_root = |at: usize| spans.value("").is_some_and(|r| r.contains(&at));
        d.section = Some(match &d.span {
            Some(span) => match spans.field_at(span.start) {
                Some(path) => section_for(&path),
                // A top-level key (a misspelt field, say): the scenario's own.
                None if in_root(span.start) => section_for(""),
                None => VALIDATOR,
            },
            None => VALIDATOR,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_sections() {
        assert_eq!(section_for("steps[3].on.component").number, "3.7");
        assert_eq!(section_for("topology.pods[1].proxy").number, "3.4");
        assert_eq!(section_for("topology").number, "3.2");
        assert_eq!(section_for("quiz[0].asks").number, "5");
        assert_eq!(section_for("quiz[0].options[1]").number, "3.11");
        assert_eq!(section_for("title").number, "3.1");
        assert_eq!(
            section_for("stepsx").number,
            "3.1",
            "a prefix of a word is no match"
        );
    }

    #[test]
    fn every_section_named_is_a_heading_of_the_reference() {
        let doc = include_str!("../../../../docs/scenario-format.md");
        let all = SECTIONS.iter().map(|(_, s)| *s).chain([VALIDATOR, PACKS]);
        for sec in all {
            let heading = format!("## {}. {}", sec.number, sec.title);
            let sub = format!("### {} {}", sec.number, sec.title);
            assert!(
                doc.lines().any(|l| l.ends_with(&heading) || l == sub),
                "no heading for {sec}"
            );
        }
        assert!(doc.lines().any(|l| l == format!("### {}", RON.title)));
    }
}
