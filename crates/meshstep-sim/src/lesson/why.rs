//! "Why did this happen?": one line per step in plain words, built from the
//! engine's record of which event caused which (each trace row keeps its
//! `cause`). The step's event is named, then the event that scheduled it —
//! with its step number when a step shows it — and the engine's own note
//! (the rule, the config version, the attempt) when it has one.

use super::{Lesson, LessonRun};
use crate::trace::fmt_us;

/// The why-line of step `step` (1-based), or `None` when the step's event
/// did not happen in this run.
pub fn why_line(lesson: &Lesson, run: &LessonRun, step: u32) -> Option<String> {
    let topo = &lesson.topology;
    let row = run.table.rows.get(step.checked_sub(1)? as usize)?;
    let r = &run.trace.rows[row.trace_row?];
    let who = &topo.component(r.component).label;
    let what = r.action.describe();
    let because = match r.cause {
        None => format!("the lesson's script starts it at {}", fmt_us(r.time_us)),
        Some(c) => {
            let cause = &run.trace.rows[c.index()];
            let shown = run
                .table
                .rows
                .iter()
                .find(|s| s.trace_row == Some(c.index()))
                .map(|s| format!(" (step {})", s.step))
                .unwrap_or_default();
            format!(
                "{} {} at {}{shown}",
                topo.component(cause.component).label,
                cause.action.describe(),
                fmt_us(cause.time_us)
            )
        }
    };
    let note = if r.note.is_empty() {
        String::new()
    } else {
        format!("; {}", r.note)
    };
    Some(format!("{who} {what} because {because}{note}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RunOptions;

    #[test]
    fn each_step_names_the_event_that_caused_it() {
        let l = crate::bundled::lesson("mesh-vs-library").unwrap().unwrap();
        let run = l
            .run(&RunOptions {
                seed: l.scenario.seed,
                ..Default::default()
            })
            .unwrap();
        // Step 1 is where the lesson's script starts a call.
        let s1 = why_line(&l, &run, 1).unwrap();
        assert!(s1.contains("because the lesson's script starts it"), "{s1}");
        // Step 5, the forward, follows step 4's policies, as the engine recorded.
        let s5 = why_line(&l, &run, 5).unwrap();
        assert!(
            s5.starts_with("Sidecar Proxy (checkout-mesh) forwards request because"),
            "{s5}"
        );
        assert!(s5.contains("(step 4)"), "{s5}");
        for n in 1..=run.table.rows.len() as u32 {
            assert!(why_line(&l, &run, n).is_some(), "step {n}");
        }
    }
}
