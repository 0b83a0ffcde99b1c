//! The steps section: each step names a component and an action the engine
//! can produce; predictions, the execution sample and key moments name steps
//! that exist.

use super::{Names, Sink};
use crate::action::Action;
use crate::scenario::schema::{Predict, PredictAsk, Scenario};

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario, names: &Names<'_>) {
    if s.steps.is_empty() {
        sink.error(
            "steps",
            "the lesson has no steps",
            "empty",
            [
                "add at least one step: `(on: (component: …, action: …), action: …, result: …)`"
                    .into(),
            ],
        );
    }
    for (i, st) in s.steps.iter().enumerate() {
        if let Some(Predict {
            asks: PredictAsk::NextState { row },
            ..
        }) = &st.predict
        {
            names.tracker_row(sink, &format!("steps[{i}].predict.asks.row"), row);
        }
        names.component(sink, &format!("steps[{i}].on.component"), &st.on.component);
        if let Some(f) = &st.on.flow {
            names.flow(sink, &format!("steps[{i}].on.flow"), f);
        }
        if st.on.action == Action::ReceiveMetrics {
            sink.error(
                &format!("steps[{i}].on.action"),
                "the control plane never receives per-request metrics",
                "not something a mesh does",
                [
                    "proxies keep their metrics for a metrics system (Prometheus) to scrape: bind the step to the proxy's `ReportMetrics`".into(),
                ],
            );
        }
    }
    for (i, k) in s.key_moments.iter().enumerate() {
        if k.steps.is_empty() {
            sink.error(
                &format!("key_moments[{i}].steps"),
                "a key moment must name the step(s) it refers to",
                "no steps",
                ["for example `steps: [3, 4]`".into()],
            );
        }
    }
}
