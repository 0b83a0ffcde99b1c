//! Reading a scenario file: RON into [`Scenario`], with every problem turned
//! into a [`Diagnostic`]. When serde stops at the first bad value, the loader
//! re-reads each top-level section (and each list element) on its own, so one
//! run reports every broken part of the file.

use std::collections::BTreeMap;
use std::ops::Range;

use ron::error::{Error as RonError, SpannedError};
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, offset_of};
use crate::scenario::schema::*;
use crate::scenario::spans::SpanIndex;
use crate::scenario::step_ids::{Unresolved, resolve};
use crate::suggest::nearest;

/// A scenario read from source, with the index that maps paths to text.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario, with every step id it defines turned into a number.
    pub scenario: Scenario,
    pub spans: SpanIndex,
    /// Step ids that name no step, for the validator to report.
    pub unresolved: Vec<Unresolved>,
}

/// Top-level fields: name, required.
const TOP_FIELDS: &[(&str, bool)] = &[
    ("version", true),
    ("id", true),
    ("title", true),
    ("summary", false),
    ("seed", false),
    ("topology", true),
    ("labels", false),
    ("stimuli", true),
    ("steps", true),
    ("process_flow", false),
    ("execution_sample", false),
    ("tracker", false),
    ("key_moments", false),
    ("quiz", false),
    ("concept_snapshot", false),
    ("transcript", false),
    ("practice", false),
    ("what_if", false),
    ("deep_dive", false),
    ("generate", false),
];

/// How scenario files are read: `Some(…)` may be left out around optional values.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

pub fn load(source: &str) -> Result<Loaded, Vec<Diagnostic>> {
    // Editors on Windows may save a byte-order mark; three spaces keep every offset.
    let unmarked;
    let source = match source.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => source,
    };
    let lint = crate::scenario::lint::lint(source);
    if !lint.is_empty() {
        return Err(lint);
    }
    let spans = SpanIndex::parse(source);
    if spans.value("").is_none_or(|r| r.is_empty()) {
        return Err(vec![
            Diagnostic::error("the file has no scenario in it", Some(0..source.len().min(1)))
                .with_label("nothing but spaces or comments")
                .with_hint("a lesson starts with `Scenario(version: 1, id: \"…\", …)`; see docs/scenario-format.md"),
        ]);
    }
    match ron_options().from_str::<Scenario>(source) {
        Ok(mut scenario) => {
            let unresolved = resolve(&mut scenario);
            Ok(Loaded {
                scenario,
                spans,
                unresolved,
            })
        }
        Err(whole) => {
            let first = ron_diagnostic(&whole, source, 0, &spans);
            if is_syntax(&whole.code) {
                // An unclosed quote makes the error show up lines later: point at the quote.
                let at = first.span.as_ref().map_or(source.len(), |s| s.start);
                let toks = crate::scenario::lex::lex(source);
                if let Some(q) = crate::scenario::lint::runaway_string(&toks, at) {
                    return Err(vec![crate::scenario::lint::unclosed_string(q)]);
                }
                return Err(vec![first]);
            }
            let mut diags = recover(source, &spans);
            if diags.is_empty() {
                diags.push(first);
            }
            diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
            diags.dedup();
            Err(diags)
        }
    }
}

/// Errors in the text itself, after which nothing further can be trusted.
fn is_syntax(e: &RonError) -> bool {
    matches!(
        e,
        RonError::Eof
            | RonError::ExpectedArrayEnd
            | RonError::ExpectedAttributeEnd
            | RonError::ExpectedComma
            | RonError::ExpectedMapColon
            | RonError::ExpectedMapEnd
            | RonError::ExpectedOptionEnd
            | RonError::ExpectedStructLikeEnd
            | RonError::ExpectedStringEnd
            | RonError::InvalidEscape(_)
            | RonError::UnclosedBlockComment
            | RonError::UnclosedLineComment
            | RonError::UnexpectedChar(_)
            | RonError::TrailingCharacters
            | RonError::Utf8Error(_)
            | RonError::ExceededRecursionLimit
    )
}

/// Re-reads each section on its own to find every data error in the file.
fn recover(source: &str, spans: &SpanIndex) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let top = spans.top_fields();
    let names: Vec<&str> = TOP_FIELDS.iter().map(|(n, _)| *n).collect();
    for (name, key, value) in &top {
        let path = name.as_str();
        let slice = |r: &Range<usize>| &source[r.clone()];
        macro_rules! one {
            ($t:ty) => {
                check::<$t>(slice(value), value.start, source, spans, &mut diags)
            };
        }
        macro_rules! each {
            ($t:ty) => {{
                let items = spans.list_items(path);
                if items.is_empty() {
                    check::<Vec<$t>>(slice(value), value.start, source, spans, &mut diags);
                } else {
                    for it in &items {
                        check::<$t>(slice(it), it.start, source, spans, &mut diags);
                    }
                }
            }};
        }
        match path {
            "version" => one!(u32),
            "id" | "title" | "summary" | "transcript" => one!(String),
            "seed" => one!(u64),
            "topology" => one!(TopologySpec),
            "labels" => one!(BTreeMap<String, String>),
            "stimuli" => each!(Stimulus),
            "steps" => each!(Step),
            "process_flow" => one!(ProcessFlow),
            "execution_sample" => one!(ExecutionSample),
            "tracker" => one!(Tracker),
            "key_moments" => each!(KeyMoment),
            "quiz" => each!(QuizQuestion),
            "concept_snapshot" => one!(Vec<String>),
            "practice" => each!(PracticeQuestion),
            "what_if" => each!(WhatIf),
            "deep_dive" => one!(Option<DeepDive>),
            "generate" => one!(Generate),
            other => diags.push(
                Diagnostic::error(
                    format!("unknown field `{other}` in the scenario"),
                    Some(key.clone()),
                )
                .with_label("not a scenario field")
                .with_hint_opt(
                    nearest(other, names.iter().copied()).map(|n| format!("did you mean `{n}`?")),
                )
                .with_hint(format!("scenario fields are: {}", names.join(", "))),
            ),
        }
    }
    let open = spans.value("").map_or(0..0, |r| r.start..r.start + 1);
    let misspelt: Vec<&str> = top
        .iter()
        .filter(|(n, _, _)| !names.contains(&n.as_str()))
        .filter_map(|(n, _, _)| nearest(n, names.iter().copied()))
        .collect();
    for (name, required) in TOP_FIELDS {
        if *required && !top.iter().any(|(n, _, _)| n == name) && !misspelt.contains(name) {
            diags.push(
                Diagnostic::error(format!("the scenario has no `{name}`"), Some(open.clone()))
                    .with_label("this scenario")
                    .with_hint(format!("add `{name}: …`; see docs/scenario-format.md")),
            );
        }
    }
    diags
}

fn check<T: DeserializeOwned>(
    text: &str,
    base: usize,
    source: &str,
    spans: &SpanIndex,
    diags: &mut Vec<Diagnostic>,
) {
    if let Err(e) = ron_options().from_str::<T>(text) {
        diags.push(ron_diagnostic(&e, text, base, spans).rebase(source));
    }
}

/// Turns a ron error in `text` (which starts at byte `base` of the file) into
/// a diagnostic with an absolute span.
pub(crate) fn ron_diagnostic(
    e: &SpannedError,
    text: &str,
    base: usize,
    spans: &SpanIndex,
) -> Diagnostic {
    let mut start = base + offset_of(text, e.span.start.line, e.span.start.col);
    let end = (base + offset_of(text, e.span.end.line, e.span.end.col)).max(start);
    if !is_syntax(&e.code) {
        // ron reports value errors at the whitespace before the value.
        let skipped = text[start - base..].len() - text[start - base..].trim_start().len();
        start += skipped;
    }
    let end = end.max(start);
    let mut span = start..end.max(start + 1).min(base + text.len()).max(start);
    let field = spans.field_at(start);
    let in_field = field
        .as_deref()
        .map_or(String::new(), |f| format!(" in `{f}`"));
    match &e.code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            // Point at the offending key itself: the last one with that name
            // that starts at or before the reported position.
            if let Some((_, r)) = spans
                .keys_named(found)
                .filter(|(_, r)| r.start <= end)
                .max_by_key(|(_, r)| r.start)
            {
                span = r;
            }
            Diagnostic::error(
                format!("unknown field `{found}`{}", in_outer(outer)),
                Some(span),
            )
            .with_label("not a field here")
            .with_hint_opt(
                nearest(found, expected.iter().copied()).map(|n| format!("did you mean `{n}`?")),
            )
            .with_hint(format!("valid fields: {}", expected.join(", ")))
        }
        RonError::MissingStructField { field, outer } => Diagnostic::error(
            format!("missing field `{field}`{}", in_outer(outer)),
            Some(span),
        )
        .with_label(format!("`{field}` is required before this point"))
        .with_hint(format!("add `{field}: …` to this part")),
        RonError::DuplicateStructField { field, outer } => Diagnostic::error(
            format!("the field `{field}` is given twice{}", in_outer(outer)),
            Some(span),
        )
        .with_label("second time")
        .with_hint("keep one of them"),
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => Diagnostic::error(
            format!(
                "unknown {} `{found}`",
                outer
                    .as_deref()
                    .map_or("variant".to_string(), |o| format!("`{o}` variant"))
            ),
            Some(span),
        )
        .with_label("not one of the allowed names")
        .with_hint_opt(
            nearest(found, expected.iter().copied()).map(|n| format!("did you mean `{n}`?")),
        )
        .with_hint(format!("allowed: {}", expected.join(", "))),
        code if is_syntax(code) => Diagnostic::error(format!("syntax error: {code}"), Some(span))
            .with_label("the file stops making sense here")
            .with_hint(
                "look for a missing comma, bracket, parenthesis or quote just before this point",
            )
            .with_section(crate::scenario::reference::RON),
        code => {
            let (what, hint) = match code {
                RonError::ExpectedInteger
                | RonError::IntegerOutOfBounds
                | RonError::InvalidIntegerDigit { .. } => (
                    "a whole number",
                    "write a whole non-negative number without quotes, such as `1000` (times are microseconds)",
                ),
                RonError::ExpectedString | RonError::ExpectedStringEnd => (
                    "text in double quotes",
                    "put the text in double quotes: `\"…\"`",
                ),
                RonError::ExpectedBoolean => (
                    "`true` or `false`",
                    "write `true` or `false` without quotes",
                ),
                RonError::ExpectedOption => (
                    "an optional value",
                    "write `Some(value)` or `None`, or just the value",
                ),
                RonError::ExpectedArray => ("a list", "write a list in square brackets: `[a, b]`"),
                RonError::ExpectedMap => ("a map", "write a map in braces: `{\"key\": \"value\"}`"),
                RonError::ExpectedStructLike | RonError::ExpectedNamedStructLike(_) => (
                    "a group of fields",
                    "write the fields in parentheses: `(name: value, …)`",
                ),
                _ => (
                    "another kind of value",
                    "compare with the field's type in docs/scenario-format.md",
                ),
            };
            Diagnostic::error(format!("{code}{in_field}: expected {what}"), Some(span))
                .with_label("wrong kind of value")
                .with_hint(hint)
        }
    }
}

fn in_outer(outer: &Option<String>) -> String {
    outer
        .as_deref()
        .map_or(String::new(), |o| format!(" in `{o}`"))
}

trait Rebase {
    fn rebase(self, source: &str) -> Self;
}

impl Rebase for Diagnostic {
    /// Clamps the span to the file.
    fn rebase(mut self, source: &str) -> Self {
        if let Some(s) = &mut self.span {
            s.end = s.end.min(source.len());
            s.start = s.start.min(s.end);
        }
        self
    }
}
