//! What a screen reader hears: the step on screen in one paragraph (who
//! acts, what they do, what results, why) and the verdict on the quiz
//! question just checked. The page puts it in a visually hidden live region
//! (its canvas is opaque to screen readers); the desktop app exposes the
//! panels themselves through AccessKit.

use crate::shell::Shell;
use crate::tabs::Tab;
use meshstep_sim::lesson::StepStatus;

/// The narration for what the shell shows now.
pub fn narration(shell: &Shell) -> String {
    let Some(v) = &shell.viewer else {
        return "The lesson could not be opened; its problems are listed on screen.".into();
    };
    let title = &v.lesson.scenario.title;
    let n = v.step_count();
    let mut out = match v.current_step() {
        None => format!(
            "{title}. Before the first of {n} steps. Press the right arrow key to take a step."
        ),
        Some(c) => {
            let row = &v.run.table.rows[c as usize - 1];
            let result = match row.status {
                StepStatus::AsWritten => row.result.clone(),
                StepStatus::Changed => format!("Changed in this run: {}", row.engine),
                StepStatus::Missing => "This step did not happen in this run.".into(),
                StepStatus::Consequence => format!(
                    "No longer true in this run: {}; {}",
                    row.result,
                    row.consequence.as_deref().unwrap_or_default()
                ),
            };
            let why = v.why(c).map(|w| format!(" Why: {w}")).unwrap_or_default();
            format!(
                "Step {c} of {n}. {}: {}. {result}.{why}",
                row.component, row.action_text
            )
        }
    };
    if let Some(p) = &shell.learn.predict {
        out.push_str(&format!(" Predict before step {}: {}", p.step, p.question));
    }
    if shell.tab == Tab::Quiz {
        let q = shell.learn.quiz_at;
        if let Some(verdict) = shell.learn.quiz.get(&q).and_then(|s| s.verdict.as_ref()) {
            let options = &v.lesson.scenario.quiz[q].options;
            let right = &options[verdict.right].text;
            out.push_str(&if verdict.correct {
                format!(" Quiz question {}: right, {right}.", q + 1)
            } else {
                format!(
                    " Quiz question {}: not quite; the answer is {right}.",
                    q + 1
                )
            });
        }
    }
    out
}
