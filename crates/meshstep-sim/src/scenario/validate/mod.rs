//! Checking a deserialized scenario against itself: references between its
//! parts (steps, components, checkpoints, flows), quiz marks, and fields of
//! format version 1 that no longer say something true. One section per
//! module, all writing to one [`Sink`]; "did you mean" comes from
//! [`crate::suggest::did_you_mean`]. Comparing the text with a simulation run
//! is the lesson's job (`Lesson::cross_check`), after this has passed.

mod config;
mod questions;
mod steps;
mod stimuli;
mod topology;
mod tracker;
mod workload;

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::scenario::load::Loaded;
use crate::scenario::schema::{FORMAT_VERSION, Scenario, StepRef};
use crate::scenario::spans::SpanIndex;
use crate::suggest::did_you_mean;
use crate::topology::Topology;

/// Where diagnostics go: each names the path of the value it is about, and
/// the sink turns the path into a span of the source.
pub struct Sink<'a> {
    spans: &'a SpanIndex,
    pub out: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(spans: &'a SpanIndex) -> Self {
        Sink {
            spans,
            out: Vec::new(),
        }
    }

    pub fn at(&self, path: &str) -> Option<Range<usize>> {
        self.spans.value(path)
    }

    pub fn key_at(&self, path: &str) -> Option<Range<usize>> {
        self.spans.key(path)
    }

    /// An error at the value `path`, with a label under it and any hints.
    pub fn error(
        &mut self,
        path: &str,
        message: impl Into<String>,
        label: &str,
        hints: impl IntoIterator<Item = String>,
    ) {
        let mut d = Diagnostic::error(message, self.at(path)).with_label(label);
        for h in hints {
            d = d.with_hint(h);
        }
        self.out.push(d);
    }

    pub fn warn(&mut self, path: &str, message: impl Into<String>, label: &str, hint: &str) {
        self.out.push(
            Diagnostic::warning(message, self.at(path))
                .with_label(label)
                .with_hint(hint),
        );
    }

    pub fn errors(&self) -> usize {
        self.out.iter().filter(|d| d.is_error()).count()
    }
}

/// The longest time a lesson may name: a day. Times are microseconds, and a
/// far larger number is a unit mistake (or would overflow the clock).
pub(crate) const MAX_TIME_US: u64 = 86_400_000_000;

/// A time field must fit a lesson.
pub(crate) fn time(sink: &mut Sink<'_>, path: &str, value: u64) {
    if value > MAX_TIME_US {
        sink.error(
            path,
            format!(
                "{value} µs is {:.1} days: longer than any lesson runs",
                value as f64 / 86_400_000_000.0
            ),
            "too large",
            ["times are in microseconds (1 s is `1000000`); keep each at most a day".into()],
        );
    }
}

/// The names a scenario defines, for checking what refers to them.
pub(crate) struct Names<'s> {
    pub steps: u32,
    pub flows: Vec<&'s str>,
    pub pods: Vec<&'s str>,
    /// Pods and ingress gateways: what a call may come from.
    pub callers: Vec<&'s str>,
    /// Services and external hosts: what a call may name.
    pub targets: Vec<&'s str>,
    pub components: Vec<String>,
    pub tracker_rows: Vec<&'s str>,
    pub checkpoints: Vec<&'s str>,
    pub built: bool,
}

impl<'s> Names<'s> {
    fn new(s: &'s Scenario, topo: Option<&Topology>) -> Self {
        Names {
            steps: s.steps.len() as u32,
            flows: s.stimuli.iter().filter_map(|x| x.id.as_deref()).collect(),
            pods: s.topology.pods.iter().map(|p| p.id.as_str()).collect(),
            callers: (s.topology.pods.iter().map(|p| p.id.as_str()))
                .chain(s.topology.gateways.iter().map(|g| g.id.as_str()))
                .collect(),
            targets: (s.topology.services.iter().map(|p| p.name.as_str()))
                .chain(s.topology.external.iter().map(|e| e.host.as_str()))
                .collect(),
            components: topo
                .map(|t| t.ids().map(String::from).collect())
                .unwrap_or_default(),
            tracker_rows: s.tracker.rows.iter().map(|r| r.id.as_str()).collect(),
            checkpoints: s
                .tracker
                .checkpoints
                .iter()
                .map(|c| c.id.as_str())
                .collect(),
            built: topo.is_some(),
        }
    }

    /// A step reference must name a step. (An id that names none was
    /// reported with the unresolved ids.)
    pub fn step(&self, sink: &mut Sink<'_>, path: &str, r: &StepRef) {
        let Some(n) = r.number() else { return };
        // With no steps at all, that one error says it.
        if self.steps > 0 && (n == 0 || n > self.steps) {
            sink.error(
                path,
                format!("there is no step {n}"),
                "step out of range",
                [format!(
                    "steps are numbered 1 to {}, in the order of `steps`",
                    self.steps
                )],
            );
        }
    }

    pub fn component(&self, sink: &mut Sink<'_>, path: &str, id: &str) {
        if self.built && !self.components.iter().any(|c| c == id) {
            let hints = did_you_mean(id, self.components.iter().map(String::as_str))
                .into_iter()
                .chain(["components are `kubectl`, `end`, the control plane id, pod ids, `<pod>/app`, `<pod>/sidecar`, `<pod>/library`, `svc/<service>`, gateway ids and `ext/<host>`".to_string()]);
            sink.error(
                path,
                format!("there is no component `{id}`"),
                "unknown component",
                hints,
            );
        }
    }

    pub fn flow(&self, sink: &mut Sink<'_>, path: &str, f: &str) {
        if !self.flows.contains(&f) {
            let hints = did_you_mean(f, self.flows.iter().copied())
                .into_iter()
                .chain(["a flow is named by a stimulus's `id`".to_string()]);
            sink.error(
                path,
                format!("no stimulus has the id `{f}`"),
                "unknown flow",
                hints,
            );
        }
    }

    pub fn pod(&self, sink: &mut Sink<'_>, path: &str, p: &str) {
        if !self.pods.contains(&p) {
            sink.error(
                path,
                format!("there is no pod `{p}`"),
                "unknown pod",
                did_you_mean(p, self.pods.iter().copied()),
            );
        }
    }

    /// A call's `from`: a pod, or an ingress gateway (a call from outside
    /// the cluster through it).
    pub fn caller(&self, sink: &mut Sink<'_>, path: &str, p: &str) {
        if !self.callers.contains(&p) {
            sink.error(
                path,
                format!("there is no pod or gateway `{p}`"),
                "unknown pod",
                did_you_mean(p, self.callers.iter().copied()),
            );
        }
    }

    pub fn target(&self, sink: &mut Sink<'_>, path: &str, t: &str) {
        if !self.targets.contains(&t) {
            sink.error(
                path,
                format!("there is no service or external host `{t}`"),
                "unknown service",
                did_you_mean(t, self.targets.iter().copied()),
            );
        }
    }

    pub fn tracker_row(&self, sink: &mut Sink<'_>, path: &str, r: &str) {
        if !self.tracker_rows.contains(&r) {
            sink.error(
                path,
                format!("the tracker has no row `{r}`"),
                "unknown row",
                did_you_mean(r, self.tracker_rows.iter().copied()),
            );
        }
    }

    pub fn checkpoint(&self, sink: &mut Sink<'_>, path: &str, c: &str) {
        if !self.checkpoints.contains(&c) {
            sink.error(
                path,
                format!("the tracker has no checkpoint `{c}`"),
                "unknown checkpoint",
                did_you_mean(c, self.checkpoints.iter().copied()),
            );
        }
    }
}

/// Validates a loaded scenario's structure. Returns the built topology when
/// it could be built, and every problem found.
pub fn validate(loaded: &Loaded) -> (Option<Topology>, Vec<Diagnostic>) {
    let s = &loaded.scenario;
    let mut sink = Sink::new(&loaded.spans);
    if s.version == 0 || s.version > FORMAT_VERSION {
        sink.error(
            "version",
            format!(
                "this file is scenario format version {}, but this meshstep reads {}",
                s.version,
                if FORMAT_VERSION == 1 {
                    "version 1".to_string()
                } else {
                    format!("versions 1 to {FORMAT_VERSION}")
                }
            ),
            "unsupported version",
            [if s.version > FORMAT_VERSION {
                "update meshstep to open this lesson, or rewrite it for version 1".into()
            } else {
                format!("set `version: {FORMAT_VERSION}`")
            }],
        );
        return (None, sink.out);
    }
    if s.id.is_empty()
        || !s
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        sink.error(
            "id",
            format!("`{}` is not a usable lesson id", s.id),
            "used in links and progress files",
            ["use lowercase letters, digits and dashes, such as `mesh-vs-library`".into()],
        );
    }
    let topo = match Topology::build(&s.topology, &s.labels) {
        Ok(t) => Some(t),
        Err(errs) => {
            for e in errs {
                sink.error(&e.path, e.message, "here", e.hint);
            }
            None
        }
    };
    let names = Names::new(s, topo.as_ref());
    topology::check(&mut sink, s, topo.as_ref());
    stimuli::check(&mut sink, s, &names);
    workload::check(&mut sink, s);
    config::check(&mut sink, s);
    steps::check(&mut sink, s, &names);
    tracker::check(&mut sink, s, &names, &loaded.spans);
    questions::check(&mut sink, s, &names, topo.as_ref());
    step_refs(&mut sink, loaded, &names);
    duplicate_keys(&mut sink, &loaded.spans);
    (topo, sink.out)
}

/// Every step reference names a step: ids the loader could not resolve,
/// and numbers past the last step.
fn step_refs(sink: &mut Sink<'_>, loaded: &Loaded, names: &Names<'_>) {
    let s = &loaded.scenario;
    let ids: Vec<&str> = s.steps.iter().filter_map(|st| st.id.as_deref()).collect();
    let mut seen = Vec::new();
    for (i, st) in s.steps.iter().enumerate() {
        let Some(id) = st.id.as_deref() else { continue };
        let p = format!("steps[{i}].id");
        if seen.contains(&id) {
            sink.error(
                &p,
                format!("two steps have the id `{id}`"),
                "second time",
                ["step ids must be unique; rename one".into()],
            );
        }
        seen.push(id);
        if id.is_empty()
            || id.parse::<u32>().is_ok()
            || id.contains(|c: char| c.is_whitespace() || c == '}')
        {
            sink.error(&p, format!("`{id}` is not a usable step id"), "not an id", [
                "use a short name of letters, digits and `-`, not a number, such as `intercept`".into(),
            ]);
        }
    }
    for u in &loaded.unresolved {
        let at = match u.in_text {
            // Inside a string: past its opening quote.
            Some(k) => sink.at(&u.path).map(|r| {
                let start = (r.start + 1 + k).min(r.end);
                start..(start + "{step:}".len() + u.id.len()).min(r.end)
            }),
            None => sink.at(&u.path),
        };
        let hint = did_you_mean(&u.id, ids.iter().copied()).unwrap_or_else(|| {
            "no step has an `id` yet: add `id: \"…\"` to the step you mean, or use its number"
                .into()
        });
        sink.out.push(
            Diagnostic::error(format!("no step has the id `{}`", u.id), at)
                .with_label("unknown step id")
                .with_hint(hint),
        );
    }
    let mut copy = s.clone();
    crate::scenario::step_ids::each_step_ref(&mut copy, &mut |path, r| names.step(sink, path, r));
}

/// A map with the same key twice (`labels`, `wording`) silently keeps the
/// last one when read, so it is an error, at the second key.
fn duplicate_keys(sink: &mut Sink<'_>, spans: &SpanIndex) {
    for dup in spans.duplicate_map_keys() {
        sink.out.push(
            Diagnostic::error(
                format!("the key {} is given twice in `{}`", dup.key, dup.map),
                Some(dup.second.clone()),
            )
            .with_label("second time")
            .with_related(dup.first.clone(), "first given here")
            .with_hint("keep one of them (`meshstep migrate FILE` keeps the last, which is the one that was used)"),
        );
    }
}
