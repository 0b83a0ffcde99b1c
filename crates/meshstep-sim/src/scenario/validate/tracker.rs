//! The tracker section: unique checkpoints in time order, rows that track
//! something that exists, wording keyed by states the row can show.

use std::collections::HashSet;

use super::{Names, Sink};
use crate::component::State;
use crate::scenario::schema::{CheckpointAt, RequestField, Scenario, StimulusAction, Subject};
use crate::scenario::spans::SpanIndex;
use crate::suggest::did_you_mean;
use crate::trace::{PolicyState, RequestState, RoutingState};

/// The wording keys a tracker row can have, by what it tracks.
pub(crate) fn wording_keys(subject: &Subject) -> Vec<&'static str> {
    match subject {
        Subject::Component(_) | Subject::Components(_) => {
            State::ALL.iter().map(|s| s.key()).collect()
        }
        Subject::Request { field, .. } => match field {
            RequestField::State => RequestState::ALL.iter().map(|s| s.key()).collect(),
            RequestField::Routing => RoutingState::ALL.iter().map(|s| s.key()).collect(),
            RequestField::Policy => PolicyState::ALL.iter().map(|s| s.key()).collect(),
        },
        Subject::Path { property, .. } => property.keys().to_vec(),
    }
}

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario, names: &Names<'_>, _spans: &SpanIndex) {
    let t = &s.tracker;
    let mut seen = HashSet::new();
    for (i, c) in t.checkpoints.iter().enumerate() {
        if !seen.insert(c.id.as_str()) {
            sink.error(
                &format!("tracker.checkpoints[{i}].id"),
                format!("two checkpoints have the id `{}`", c.id),
                "duplicate id",
                ["checkpoint ids must be unique".into()],
            );
        }
    }
    let order = |a: &CheckpointAt| match a {
        CheckpointAt::Start => 0,
        CheckpointAt::AfterStep(n) => n.number().map_or(0, u64::from),
        CheckpointAt::Final => u64::MAX,
    };
    if let Some(i) = t
        .checkpoints
        .windows(2)
        .position(|w| order(&w[0].at) > order(&w[1].at))
    {
        sink.warn(
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
                let hints = did_you_mean(k, keys.iter().copied())
                    .into_iter()
                    .chain([format!("this row's states are: {}", keys.join(", "))]);
                sink.error(
                    &format!("{p}.wording[{k:?}]"),
                    format!("`{k}` is not a state this row can show"),
                    "unknown state key",
                    hints,
                );
            }
        }
        if r.outside_flow.is_some()
            && !matches!(r.subject, Subject::Component(_) | Subject::Components(_))
        {
            sink.error(
                &format!("{p}.outside_flow"),
                "`outside_flow` only applies to component rows",
                "ignored here",
                ["remove it, or track a component".into()],
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
            sink.error(
                &format!("{p}.subject.flow"),
                format!("flow `{flow}` sends no request, so this row would never change"),
                "not a call",
                ["point it at a `Call` or `KubectlExecCurl` stimulus".into()],
            );
        }
        if !seen.insert(r.id.as_str()) {
            sink.error(
                &format!("{p}.id"),
                format!("two tracker rows have the id `{}`", r.id),
                "duplicate id",
                ["row ids must be unique".into()],
            );
        }
        match &r.subject {
            Subject::Component(c) => names.component(sink, &format!("{p}.subject"), c),
            Subject::Components(cs) => {
                for (j, c) in cs.iter().enumerate() {
                    names.component(sink, &format!("{p}.subject[{j}]"), c);
                }
            }
            Subject::Request { flow, .. } => names.flow(sink, &format!("{p}.subject.flow"), flow),
            Subject::Path { from, to, .. } => {
                names.pod(sink, &format!("{p}.subject.from"), from);
                names.target(sink, &format!("{p}.subject.to"), to);
            }
        }
        if !r.expect.is_empty() && r.expect.len() != t.checkpoints.len() {
            sink.error(
                &format!("{p}.expect"),
                format!(
                    "`expect` has {} value(s) but the tracker has {} checkpoint(s)",
                    r.expect.len(),
                    t.checkpoints.len()
                ),
                "one value per checkpoint",
                [format!(
                    "list the expected cell for each of: {}",
                    names.checkpoints.join(", ")
                )],
            );
        }
    }
}
