//! Checking a deserialized scenario: references between its parts (steps,
//! components, checkpoints, flows), quiz marks, and — by simulating it — every
//! place where what the author wrote disagrees with what the engine does.

use std::collections::HashSet;
use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::engine::RunOptions;
use crate::fault::Fault;
use crate::lesson::quiz::{EngineAnswer, engine_answer, letter, option_step, right_options};
use crate::lesson::{Lesson, StepStatus};
use crate::scenario::load::Loaded;
use crate::scenario::schema::*;
use crate::scenario::spans::SpanIndex;
use crate::suggest::nearest;
use crate::topology::Topology;

struct V<'a> {
    spans: &'a SpanIndex,
    out: Vec<Diagnostic>,
}

impl V<'_> {
    fn at(&self, path: &str) -> Option<Range<usize>> {
        self.spans.value(path)
    }
    fn error(&mut self, path: &str, msg: impl Into<String>, label: &str, hints: &[String]) {
        let mut d = Diagnostic::error(msg, self.at(path)).with_label(label);
        for h in hints {
            d = d.with_hint(h.clone());
        }
        self.out.push(d);
    }
    fn warn(&mut self, path: &str, msg: impl Into<String>, label: &str, hint: &str) {
        self.out.push(
            Diagnostic::warning(msg, self.at(path))
                .with_label(label)
                .with_hint(hint),
        );
    }
    fn errors(&self) -> usize {
        self.out.iter().filter(|d| d.is_error()).count()
    }
}

/// "did you mean …?", or the names there are when none is close.
fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let all: Vec<&str> = candidates.into_iter().collect();
    match nearest(given, all.iter().copied()) {
        Some(n) => vec![format!("did you mean `{n}`?")],
        None if !all.is_empty() && all.len() <= 12 => {
            vec![format!("known names: {}", all.join(", "))]
        }
        None => vec![],
    }
}

/// The wording keys a tracker row can have, by what it tracks.
fn wording_keys(subject: &Subject) -> Vec<&'static str> {
    use crate::component::State;
    use crate::trace::{PolicyState, RequestState, RoutingState};
    match subject {
        Subject::Component(_) | Subject::Components(_) => {
            State::ALL.iter().map(|s| s.key()).collect()
        }
        Subject::Request {
            field: RequestField::State,
            ..
        } => [
            RequestState::NotSent,
            RequestState::Sent,
            RequestState::InterceptedByClientSidecar,
            RequestState::ForwardedToServerSidecar,
            RequestState::ForwardedToServer,
            RequestState::ProcessedByServer,
            RequestState::Failed,
        ]
        .iter()
        .map(|s| s.key())
        .collect(),
        Subject::Request {
            field: RequestField::Routing,
            ..
        } => [
            RoutingState::Empty,
            RoutingState::Fetched,
            RoutingState::Applied,
            RoutingState::Finished,
        ]
        .iter()
        .map(|s| s.key())
        .collect(),
        Subject::Request {
            field: RequestField::Policy,
            ..
        } => [
            PolicyState::None,
            PolicyState::Checked,
            PolicyState::Enforced,
            PolicyState::Finished,
        ]
        .iter()
        .map(|s| s.key())
        .collect(),
        Subject::Path { property, .. } => match property {
            PathProperty::Communication => vec!["direct", "sidecar", "library"],
            PathProperty::Security => vec!["plaintext", "mtls", "library_tls"],
            PathProperty::Observability => vec!["limited", "telemetry", "library_metrics"],
            PathProperty::Reliability => vec!["none", "retries"],
        },
    }
}

/// Validates a loaded scenario. Returns the built topology when it could be
/// built, and every problem found.
pub fn validate(loaded: &Loaded) -> (Option<Topology>, Vec<Diagnostic>) {
    validate_with(loaded, true)
}

/// Like [`validate`]; `cross_check: false` skips comparing the text with the
/// simulation (so an author can still run a lesson whose wording is wrong).
pub fn validate_with(
    loaded: &Loaded,
    cross_check_engine: bool,
) -> (Option<Topology>, Vec<Diagnostic>) {
    let s = &loaded.scenario;
    let mut v = V {
        spans: &loaded.spans,
        out: Vec::new(),
    };
    if s.version == 0 || s.version > FORMAT_VERSION {
        v.error(
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
            &[if s.version > FORMAT_VERSION {
                "update meshstep to open this lesson, or rewrite it for version 1".into()
            } else {
                format!("set `version: {FORMAT_VERSION}`")
            }],
        );
        return (None, v.out);
    }
    if s.id.is_empty()
        || !s
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        v.error(
            "id",
            format!("`{}` is not a usable lesson id", s.id),
            "used in links and progress files",
            &["use lowercase letters, digits and dashes, such as `mesh-vs-library`".into()],
        );
    }
    let topo = match Topology::build(&s.topology, &s.labels) {
        Ok(t) => Some(t),
        Err(errs) => {
            for e in errs {
                let hints: Vec<String> = e.hint.into_iter().collect();
                v.error(&e.path, e.message, "here", &hints);
            }
            None
        }
    };
    static_checks(&mut v, s, topo.as_ref());
    let Some(topo) = topo else {
        return (None, v.out);
    };
    if v.errors() > 0 || !cross_check_engine {
        return (Some(topo), v.out);
    }
    cross_check(&mut v, loaded, &topo);
    (Some(topo), v.out)
}

fn static_checks(v: &mut V<'_>, s: &Scenario, topo: Option<&Topology>) {
    let nsteps = s.steps.len() as u32;
    let flows: Vec<&str> = s.stimuli.iter().filter_map(|x| x.id.as_deref()).collect();
    let pods: Vec<&str> = s.topology.pods.iter().map(|p| p.id.as_str()).collect();
    let services: Vec<&str> = s
        .topology
        .services
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let ids: Vec<String> = topo
        .map(|t| t.ids().map(String::from).collect())
        .unwrap_or_default();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let check_step = |v: &mut V<'_>, path: &str, n: u32| {
        // With no steps at all, that one error says it.
        if nsteps > 0 && (n == 0 || n > nsteps) {
            v.error(
                path,
                format!("there is no step {n}"),
                "step out of range",
                &[format!(
                    "steps are numbered 1 to {nsteps}, in the order of `steps`"
                )],
            );
        }
    };
    let check_component = |v: &mut V<'_>, path: &str, id: &str| {
        if topo.is_some() && !ids.contains(&id) {
            let mut hints = did_you_mean(id, ids.iter().copied());
            hints.push("components are `kubectl`, `end`, the control plane id, pod ids, and `<pod>/app`, `<pod>/sidecar`, `<pod>/library`, `svc/<service>`".into());
            v.error(
                path,
                format!("there is no component `{id}`"),
                "unknown component",
                &hints,
            );
        }
    };
    let check_flow = |v: &mut V<'_>, path: &str, f: &str| {
        if !flows.contains(&f) {
            let mut hints = did_you_mean(f, flows.iter().copied());
            hints.push("a flow is named by a stimulus's `id`".into());
            v.error(
                path,
                format!("no stimulus has the id `{f}`"),
                "unknown flow",
                &hints,
            );
        }
    };
    let check_faults = |v: &mut V<'_>, path: &str, faults: &[Fault]| {
        for (i, f) in faults.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if let Some(pod) = f.pod()
                && !pods.contains(&pod)
            {
                v.error(
                    &p,
                    format!("the fault names pod `{pod}`, which does not exist"),
                    "unknown pod",
                    &did_you_mean(pod, pods.iter().copied()),
                );
            }
            if let Fault::Lossy { probability, .. } = f
                && !(0.0..=1.0).contains(probability)
            {
                v.error(
                    &p,
                    format!("loss probability {probability} is not between 0 and 1"),
                    "probability",
                    &["use a value such as 0.3".into()],
                );
            }
        }
    };

    // topology
    if s.topology.control_plane.is_none() {
        for (i, p) in s.topology.pods.iter().enumerate() {
            if p.proxy == ProxyMode::Sidecar {
                v.error(&format!("topology.pods[{i}].proxy"), format!(
                    "pod `{}` has a sidecar, but the topology has no control plane to inject and configure it", p.id
                ), "no control plane", &["add `control_plane: (id: \"istiod\")` to the topology, or use `proxy: None`".into()]);
            }
        }
    }
    for (field, value) in [
        ("per_try_timeout_us", s.topology.mesh.per_try_timeout_us),
        ("app_timeout_us", s.topology.mesh.app_timeout_us),
    ] {
        if value == 0 {
            v.error(
                &format!("topology.mesh.{field}"),
                format!("`{field}` is 0, so every call would time out at once"),
                "zero timeout",
                &["use a timeout longer than a round trip, such as 5000".into()],
            );
        }
    }

    // stimuli
    let mut seen = HashSet::new();
    for (i, st) in s.stimuli.iter().enumerate() {
        if let Some(id) = &st.id
            && !seen.insert(id.as_str())
        {
            v.error(
                &format!("stimuli[{i}].id"),
                format!("two stimuli have the id `{id}`"),
                "duplicate id",
                &["flow ids must be unique".into()],
            );
        }
        let p = |f: &str| format!("stimuli[{i}].do.{f}");
        let (pod, svc) = match &st.action {
            StimulusAction::Call { from, to } => (Some((from, p("from"))), Some((to, p("to")))),
            StimulusAction::KubectlExecCurl { pod, service } => {
                (Some((pod, p("pod"))), Some((service, p("service"))))
            }
            StimulusAction::KubectlLogs { pod } => (Some((pod, p("pod"))), None),
            _ => (None, None),
        };
        if let Some((pod, path)) = pod
            && !pods.contains(&pod.as_str())
        {
            v.error(
                &path,
                format!("there is no pod `{pod}`"),
                "unknown pod",
                &did_you_mean(pod, pods.iter().copied()),
            );
        }
        if let Some((svc, path)) = svc
            && !services.contains(&svc.as_str())
        {
            v.error(
                &path,
                format!("there is no service `{svc}`"),
                "unknown service",
                &did_you_mean(svc, services.iter().copied()),
            );
        }
    }
    if s.stimuli
        .iter()
        .any(|x| matches!(x.action, StimulusAction::KubectlApply { .. }))
        && s.topology.control_plane.is_none()
    {
        v.warn(
            "stimuli",
            "`KubectlApply` installs a control plane, but the topology has none",
            "nothing to install",
            "add `control_plane: Some((id: \"istiod\"))` to the topology",
        );
    }

    // steps
    if s.steps.is_empty() {
        v.error(
            "steps",
            "the lesson has no steps",
            "empty",
            &[
                "add at least one step: `(on: (component: …, action: …), action: …, result: …)`"
                    .into(),
            ],
        );
    }
    let tracker_rows: Vec<&str> = s.tracker.rows.iter().map(|r| r.id.as_str()).collect();
    for (i, st) in s.steps.iter().enumerate() {
        if let Some(Predict {
            asks: PredictAsk::NextState { row },
            ..
        }) = &st.predict
            && !tracker_rows.contains(&row.as_str())
        {
            v.error(
                &format!("steps[{i}].predict.asks.row"),
                format!("the tracker has no row `{row}`"),
                "unknown row",
                &did_you_mean(row, tracker_rows.iter().copied()),
            );
        }
        check_component(v, &format!("steps[{i}].on.component"), &st.on.component);
        if let Some(f) = &st.on.flow {
            check_flow(v, &format!("steps[{i}].on.flow"), f);
        }
    }

    // process flow, execution sample, key moments
    for (i, l) in s.execution_sample.lines.iter().enumerate() {
        if let Some(n) = l.step {
            check_step(v, &format!("execution_sample.lines[{i}].step"), n);
        }
    }
    for (i, k) in s.key_moments.iter().enumerate() {
        if k.steps.is_empty() {
            v.error(
                &format!("key_moments[{i}].steps"),
                "a key moment must name the step(s) it refers to",
                "no steps",
                &["for example `steps: [3, 4]`".into()],
            );
        }
        for (j, &n) in k.steps.iter().enumerate() {
            check_step(v, &format!("key_moments[{i}].steps[{j}]"), n);
        }
    }

    // tracker
    let t = &s.tracker;
    let cps: Vec<&str> = t.checkpoints.iter().map(|c| c.id.as_str()).collect();
    let rows: Vec<&str> = t.rows.iter().map(|r| r.id.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, c) in t.checkpoints.iter().enumerate() {
        if !seen.insert(c.id.as_str()) {
            v.error(
                &format!("tracker.checkpoints[{i}].id"),
                format!("two checkpoints have the id `{}`", c.id),
                "duplicate id",
                &["checkpoint ids must be unique".into()],
            );
        }
        if let CheckpointAt::AfterStep(n) = c.at {
            check_step(v, &format!("tracker.checkpoints[{i}].at"), n);
        }
    }
    let order = |a: CheckpointAt| match a {
        CheckpointAt::Start => 0,
        CheckpointAt::AfterStep(n) => u64::from(n),
        CheckpointAt::Final => u64::MAX,
    };
    if let Some(i) = t
        .checkpoints
        .windows(2)
        .position(|w| order(w[0].at) > order(w[1].at))
    {
        v.warn(
            &format!("tracker.checkpoints[{}].at", i + 1),
            "checkpoints are not in time order",
            "comes before the previous checkpoint",
            "list checkpoints from Start to Final; the tracker reads left to right",
        );
    }
    let mut seen = HashSet::new();
    for (i, r) in t.rows.iter().enumerate() {
        let p = format!("tracker.rows[{i}]");
        let keys = wording_keys(&r.subject);
        for k in r.wording.keys() {
            if !keys.contains(&k.as_str()) {
                let mut hints = did_you_mean(k, keys.iter().copied());
                hints.push(format!("this row's states are: {}", keys.join(", ")));
                v.error(
                    &format!("{p}.wording[{k:?}]"),
                    format!("`{k}` is not a state this row can show"),
                    "unknown state key",
                    &hints,
                );
            }
        }
        if r.outside_flow.is_some()
            && !matches!(r.subject, Subject::Component(_) | Subject::Components(_))
        {
            v.error(
                &format!("{p}.outside_flow"),
                "`outside_flow` only applies to component rows",
                "ignored here",
                &["remove it, or track a component".into()],
            );
        }
        if let Subject::Request { flow, .. } = &r.subject
            && let Some(st) = s
                .stimuli
                .iter()
                .find(|x| x.id.as_deref() == Some(flow.as_str()))
            && !matches!(
                st.action,
                StimulusAction::Call { .. } | StimulusAction::KubectlExecCurl { .. }
            )
        {
            v.error(
                &format!("{p}.subject.flow"),
                format!("flow `{flow}` sends no request, so this row would never change"),
                "not a call",
                &["point it at a `Call` or `KubectlExecCurl` stimulus".into()],
            );
        }
        if !seen.insert(r.id.as_str()) {
            v.error(
                &format!("{p}.id"),
                format!("two tracker rows have the id `{}`", r.id),
                "duplicate id",
                &["row ids must be unique".into()],
            );
        }
        match &r.subject {
            Subject::Component(c) => check_component(v, &format!("{p}.subject"), c),
            Subject::Components(cs) => {
                for (j, c) in cs.iter().enumerate() {
                    check_component(v, &format!("{p}.subject[{j}]"), c);
                }
            }
            Subject::Request { flow, .. } => check_flow(v, &format!("{p}.subject.flow"), flow),
            Subject::Path { from, to, .. } => {
                if !pods.contains(&from.as_str()) {
                    v.error(
                        &format!("{p}.subject.from"),
                        format!("there is no pod `{from}`"),
                        "unknown pod",
                        &did_you_mean(from, pods.iter().copied()),
                    );
                }
                if !services.contains(&to.as_str()) {
                    v.error(
                        &format!("{p}.subject.to"),
                        format!("there is no service `{to}`"),
                        "unknown service",
                        &did_you_mean(to, services.iter().copied()),
                    );
                }
            }
        }
        if !r.expect.is_empty() && r.expect.len() != t.checkpoints.len() {
            v.error(
                &format!("{p}.expect"),
                format!(
                    "`expect` has {} value(s) but the tracker has {} checkpoint(s)",
                    r.expect.len(),
                    t.checkpoints.len()
                ),
                "one value per checkpoint",
                &[format!(
                    "list the expected cell for each of: {}",
                    cps.join(", ")
                )],
            );
        }
    }

    // quiz and practice
    let check_ask = |v: &mut V<'_>, p: &str, ask: &Ask| match ask {
        Ask::StepOf { component, .. } => {
            check_component(v, &format!("{p}.asks.component"), component)
        }
        Ask::TrackerCell { row, checkpoint } => {
            if !rows.contains(&row.as_str()) {
                v.error(
                    &format!("{p}.asks.row"),
                    format!("the tracker has no row `{row}`"),
                    "unknown row",
                    &did_you_mean(row, rows.iter().copied()),
                );
            }
            if !cps.contains(&checkpoint.as_str()) {
                v.error(
                    &format!("{p}.asks.checkpoint"),
                    format!("the tracker has no checkpoint `{checkpoint}`"),
                    "unknown checkpoint",
                    &did_you_mean(checkpoint, cps.iter().copied()),
                );
            }
        }
        Ask::StepOutcome { step } => check_step(v, &format!("{p}.asks.step"), *step),
        Ask::FirstStepAffectedBy { faults } => check_faults(v, &format!("{p}.asks.faults"), faults),
        Ask::FlowOutcomeWith { faults, flow } => {
            check_faults(v, &format!("{p}.asks.faults"), faults);
            check_flow(v, &format!("{p}.asks.flow"), flow);
        }
        Ask::Concept => {}
    };
    let check_options = |v: &mut V<'_>, p: &str, options: &[AnswerOption]| {
        if options.len() < 2 {
            v.error(
                &format!("{p}.options"),
                "a question needs at least two options",
                "too few options",
                &["add the wrong answers a learner might pick".into()],
            );
        }
        let marked: Vec<usize> = options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, _)| i)
            .collect();
        match marked.len() {
            0 => v.error(
                &format!("{p}.options"),
                "no option is marked `correct: true`",
                "no right answer",
                &["mark exactly one option `correct: true`".into()],
            ),
            1 => {}
            _ => {
                let letters: Vec<String> = marked.iter().map(|&i| letter(i).to_string()).collect();
                v.error(
                    &format!("{p}.options[{}].correct", marked[1]),
                    format!(
                        "options {} are all marked correct; a question has one right answer",
                        letters.join(" and ")
                    ),
                    "second right answer",
                    &["keep `correct: true` on one option only".into()],
                );
            }
        }
        for (i, o) in options.iter().enumerate() {
            if let Some(Means::Step(n)) = o.means {
                check_step(v, &format!("{p}.options[{i}].means"), n);
            }
            if o.text.trim().is_empty() {
                v.error(
                    &format!("{p}.options[{i}].text"),
                    format!("option {} has no text", letter(i)),
                    "empty",
                    &["write what the option says".into()],
                );
            }
            if o.correct && !o.why_wrong.is_empty() {
                v.warn(
                    &format!("{p}.options[{i}].why_wrong"),
                    format!(
                        "option {} is the right answer but has a `why_wrong`",
                        letter(i)
                    ),
                    "never shown",
                    "move this text to the question's `explanation`",
                );
            }
        }
    };
    for (i, q) in s.quiz.iter().enumerate() {
        let p = format!("quiz[{i}]");
        if q.hint.trim().is_empty() {
            v.error(
                &format!("{p}.hint"),
                "the question has an empty hint",
                "empty",
                &["write a hint that points at where to look".into()],
            );
        }
        check_options(v, &p, &q.options);
        check_ask(v, &p, &q.asks);
        match &q.hint_target {
            Some(HintTarget::Step(n)) => check_step(v, &format!("{p}.hint_target"), *n),
            Some(HintTarget::TrackerRow(r)) if !rows.contains(&r.as_str()) => {
                v.error(
                    &format!("{p}.hint_target"),
                    format!("the tracker has no row `{r}`"),
                    "unknown row",
                    &did_you_mean(r, rows.iter().copied()),
                );
            }
            Some(HintTarget::Cell { row, checkpoint }) => {
                if !rows.contains(&row.as_str()) {
                    v.error(
                        &format!("{p}.hint_target.row"),
                        format!("the tracker has no row `{row}`"),
                        "unknown row",
                        &did_you_mean(row, rows.iter().copied()),
                    );
                }
                if !cps.contains(&checkpoint.as_str()) {
                    v.error(
                        &format!("{p}.hint_target.checkpoint"),
                        format!("the tracker has no checkpoint `{checkpoint}`"),
                        "unknown checkpoint",
                        &did_you_mean(checkpoint, cps.iter().copied()),
                    );
                }
            }
            Some(HintTarget::Column(c)) => {
                const COLS: [&str; 6] = [
                    "Step",
                    "Component",
                    "Action",
                    "Result",
                    "Notes",
                    "System State Change",
                ];
                if !COLS.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                    v.error(
                        &format!("{p}.hint_target"),
                        format!("the process table has no column `{c}`"),
                        "unknown column",
                        &[format!("columns are: {}", COLS.join(", "))],
                    );
                }
            }
            _ => {}
        }
    }
    for (i, q) in s.practice.iter().enumerate() {
        let p = format!("practice[{i}]");
        check_options(v, &p, &q.options);
        check_ask(v, &p, &q.asks);
        if q.solution.is_empty() {
            v.error(
                &format!("{p}.solution"),
                "a practice question needs a worked solution",
                "empty solution",
                &["list the reasoning steps, ending with the answer".into()],
            );
        }
    }
    for (i, w) in s.what_if.iter().enumerate() {
        if w.faults.is_empty() {
            v.error(
                &format!("what_if[{i}].faults"),
                "a what-if needs at least one fault",
                "nothing to break",
                &[format!("faults: {}", Fault::SYNTAX)],
            );
        }
        check_faults(v, &format!("what_if[{i}].faults"), &w.faults);
        for (j, &n) in w.expect_affected.iter().flatten().enumerate() {
            check_step(v, &format!("what_if[{i}].expect_affected[{j}]"), n);
        }
    }
    if let Some(dd) = &s.deep_dive {
        for (i, b) in dd.build_up.iter().enumerate() {
            let p = format!("deep_dive.build_up[{i}]");
            if let Some(pr) = &b.prediction
                && pr.answer >= pr.choices.len()
            {
                v.error(
                    &format!("{p}.prediction.answer"),
                    format!(
                        "answer {} points past the {} choice(s)",
                        pr.answer,
                        pr.choices.len()
                    ),
                    "out of range",
                    &["`answer` is a 0-based index into `choices`".into()],
                );
            }
            if let Some(n) = b.sim_step {
                check_step(v, &format!("{p}.sim_step"), n);
            }
        }
    }
}

/// Only the comparison of the text with a simulation run, for a scenario whose
/// structure already validated (and built `topo`).
pub fn cross_check_engine(loaded: &Loaded, topo: &Topology) -> Vec<Diagnostic> {
    let mut v = V {
        spans: &loaded.spans,
        out: Vec::new(),
    };
    cross_check(&mut v, loaded, topo);
    v.out
}

fn cross_check(v: &mut V<'_>, loaded: &Loaded, topo: &Topology) {
    let s = &loaded.scenario;
    let lesson = Lesson {
        file: String::new(),
        source: String::new(),
        scenario: s.clone(),
        topology: topo.clone(),
        spans: loaded.spans.clone(),
        warnings: Vec::new(),
    };
    let base = match lesson.run(&RunOptions {
        seed: s.seed,
        ..Default::default()
    }) {
        Ok(r) => r,
        Err(errs) => {
            for e in errs {
                let hints: Vec<String> = e.hint.into_iter().collect();
                v.error(&e.path, e.message, "here", &hints);
            }
            return;
        }
    };

    // every step's event must happen, in order
    let mut prev: Option<(usize, usize)> = None; // (step index, trace row) of the last bound step
    for (i, (st, b)) in s.steps.iter().zip(&base.bindings).enumerate() {
        if let Some(r) = b {
            prev = Some((i, *r));
            continue;
        }
        let comp = topo.find(&st.on.component);
        let after = prev.map_or(0, |(_, r)| r + 1).min(base.trace.rows.len());
        let since = prev.map_or_else(
            || "at all".to_string(),
            |(k, _)| format!("after step {}", k + 1),
        );
        let mut did: Vec<String> = Vec::new();
        for r in base.trace.rows[after..]
            .iter()
            .filter(|r| Some(r.component) == comp)
        {
            let a = format!("{:?}", r.action);
            if !did.contains(&a) {
                did.push(a);
            }
        }
        let earlier = base.trace.rows[..after]
            .iter()
            .any(|r| Some(r.component) == comp && r.action == st.on.action);
        let mut hints = Vec::new();
        if earlier {
            hints.push(
                "it happens earlier in the run: move this step before the one it now follows"
                    .to_string(),
            );
        }
        hints.push(if did.is_empty() {
            format!("`{}` does nothing {since}", st.on.component)
        } else {
            format!("{since}, `{}` does: {}", st.on.component, did.join(", "))
        });
        hints.push("`meshstep run FILE` lists every event; tracker and quiz checks wait until every step happens".into());
        v.error(
            &format!("steps[{i}].on"),
            format!(
                "step {}: the simulation never shows `{}` doing {:?} {since}",
                i + 1,
                st.on.component,
                st.on.action
            ),
            "no such event in the trace",
            &hints,
        );
    }
    if base.bindings.iter().any(Option::is_none) {
        // Checkpoints and step answers depend on every step; more errors would only echo this one.
        return;
    }

    // tracker cells the author states
    for (i, r) in s.tracker.rows.iter().enumerate() {
        if r.expect.len() != s.tracker.checkpoints.len() {
            continue;
        }
        let Some(line) = base.tracker.lines.iter().find(|l| l.id == r.id) else {
            continue;
        };
        for (j, (want, got)) in r.expect.iter().zip(&line.cells).enumerate() {
            if want.trim() != got.text.trim() {
                let cp = &s.tracker.checkpoints[j];
                v.error(
                    &format!("tracker.rows[{i}].expect[{j}]"),
                    format!("tracker row `{}` at `{}`: the text says \"{want}\", the simulation shows \"{}\"", r.id, cp.id, got.text),
                    "disagrees with the engine",
                    &[format!(
                        "the engine state there is `{}`; fix the expectation, or add `\"{}\": \"{want}\"` to the row's `wording` if only the words differ",
                        got.key, got.key
                    )],
                );
            }
        }
    }

    // quiz and practice answers
    let grade = |v: &mut V<'_>, p: &str, ask: &Ask, options: &[AnswerOption]| {
        let answer = engine_answer(&lesson, &base, ask);
        if let EngineAnswer::Unanswerable(why) = &answer {
            v.error(
                &format!("{p}.asks"),
                format!("the engine cannot answer this question: {why}"),
                "unanswerable",
                &["point `asks` at something the simulation does, or use `Concept`".into()],
            );
            return;
        }
        let Some(right) = right_options(&answer, options) else {
            return;
        };
        let marked: Vec<usize> = options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, _)| i)
            .collect();
        if marked.len() != 1 {
            return; // already reported
        }
        if matches!(ask, Ask::StepOf { .. } | Ask::FirstStepAffectedBy { .. }) {
            for (i, o) in options.iter().enumerate() {
                if option_step(o).is_none() {
                    v.error(
                        &format!("{p}.options[{i}]"),
                        format!("option {} does not say which step it means", letter(i)),
                        "no step",
                        &["start its text with \"Step N\" or add `means: Some(Step(N))`".into()],
                    );
                }
            }
        }
        match right.as_slice() {
            [r] if *r == marked[0] => {}
            [] => v.error(&format!("{p}.options"), format!("the engine's answer is {answer}, and no option says that"), "no option matches the engine", &[
                "add an option with that answer and mark it correct".into(),
            ]),
            [r] => v.error(
                &format!("{p}.options[{}].correct", marked[0]),
                format!(
                    "option {} is marked correct, but the engine's answer is {answer}: option {} (\"{}\")",
                    letter(marked[0]), letter(*r), options[*r].text
                ),
                "disagrees with the engine",
                &[format!("mark option {} `correct: true` instead, or change the question", letter(*r))],
            ),
            many => {
                let ls: Vec<String> = many.iter().map(|&i| letter(i).to_string()).collect();
                v.error(&format!("{p}.options"), format!("options {} all match the engine's answer ({answer})", ls.join(" and ")), "ambiguous", &[
                    "reword the options so only one is right".into(),
                ]);
            }
        }
    };
    for (i, q) in s.quiz.iter().enumerate() {
        grade(v, &format!("quiz[{i}]"), &q.asks, &q.options);
    }
    for (i, q) in s.practice.iter().enumerate() {
        grade(v, &format!("practice[{i}]"), &q.asks, &q.options);
    }

    // what-if expectations
    for (i, w) in s.what_if.iter().enumerate() {
        let Some(expect) = &w.expect_affected else {
            continue;
        };
        let run = match lesson.run(&RunOptions {
            seed: s.seed,
            faults: w.faults.clone(),
            ..Default::default()
        }) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let got = run.affected_steps();
        if &got != expect {
            let missing: Vec<u32> = run
                .table
                .rows
                .iter()
                .filter(|r| r.status == StepStatus::Missing)
                .map(|r| r.step)
                .collect();
            v.error(&format!("what_if[{i}].expect_affected"), format!(
                "with {}, the text expects steps {expect:?} to change; the simulation changes {got:?}",
                w.faults.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(" + ")
            ), "disagrees with the engine", &[format!(
                "steps that no longer happen: {missing:?}; run `meshstep table FILE {}` to see the changed table",
                w.faults.iter().map(|f| format!("--fault {f}")).collect::<Vec<_>>().join(" ")
            )]);
        }
    }
}
