//! What went wrong, by shape as well as colour and words: a message lost on
//! the way is a cross, a connection or request refused a "no entry" sign, a
//! timeout a clock, an error answer a warning triangle. The flow view puts
//! the shape on each failure's plate, and the legend lists the four.

use egui::{Color32, Painter, Pos2, Shape, Stroke, pos2, vec2};
use meshstep_sim::trace::Failure;
use meshstep_sim::{Action, Outcome, TraceRow};

/// The plate a failure's mark and words sit on (white on it: 6.5:1).
pub const FAILURE_PLATE: Color32 = Color32::from_rgb(170, 40, 40);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureMark {
    /// A message lost on a link (or by a proxy that crashed).
    Dropped,
    /// A connection or request turned away: plaintext under STRICT mTLS,
    /// a policy's deny, nothing listening.
    Refused,
    /// Nobody answered in time.
    TimedOut,
    /// An answer came, and it is an error (4xx/5xx), or the call failed otherwise.
    Error,
}

impl FailureMark {
    /// Every mark, in the order the legend lists them.
    pub const ALL: [FailureMark; 4] = [
        FailureMark::Dropped,
        FailureMark::Refused,
        FailureMark::TimedOut,
        FailureMark::Error,
    ];

    /// The legend's word for it.
    pub fn label(self) -> &'static str {
        match self {
            FailureMark::Dropped => "dropped",
            FailureMark::Refused => "refused",
            FailureMark::TimedOut => "timed out",
            FailureMark::Error => "error",
        }
    }

    /// The shape's name, for the accessible legend and the README.
    pub fn shape(self) -> &'static str {
        match self {
            FailureMark::Dropped => "cross",
            FailureMark::Refused => "no-entry sign",
            FailureMark::TimedOut => "clock",
            FailureMark::Error => "warning triangle",
        }
    }
}

/// The mark and the words for a trace row that is a failure.
pub fn failure_of(row: &TraceRow) -> Option<(FailureMark, String)> {
    use FailureMark::*;
    Some(match (row.action, &row.outcome) {
        (Action::DropMessage, _) | (_, Outcome::Dropped) => (Dropped, "message dropped".into()),
        (Action::RejectPlaintext, _) => (Refused, "plaintext refused".into()),
        (Action::DenyRequest, _) => (Refused, "denied by policy".into()),
        (Action::AttemptTimeout, _) => (TimedOut, "attempt timed out".into()),
        (_, Outcome::Failed(Failure::Timeout)) => (TimedOut, "call timed out".into()),
        (_, Outcome::Failed(Failure::Refused | Failure::Forbidden)) => {
            (Refused, "call refused".into())
        }
        (_, Outcome::Failed(_)) => (Error, "call failed".into()),
        (Action::ReceiveResponse, Outcome::Http { status, .. }) if *status >= 400 => {
            (Error, format!("answered {status}"))
        }
        _ => return None,
    })
}

/// Paints `mark` centred at `c`, `size` points across, in `color`.
pub fn paint_mark(painter: &Painter, c: Pos2, size: f32, mark: FailureMark, color: Color32) {
    let r = size / 2.0;
    let stroke = Stroke::new((size / 7.0).max(1.5), color);
    match mark {
        FailureMark::Dropped => {
            let d = r * 0.75;
            painter.line_segment([c + vec2(-d, -d), c + vec2(d, d)], stroke);
            painter.line_segment([c + vec2(d, -d), c + vec2(-d, d)], stroke);
        }
        FailureMark::Refused => {
            painter.circle_stroke(c, r * 0.85, stroke);
            painter.line_segment([c + vec2(-r * 0.5, 0.0), c + vec2(r * 0.5, 0.0)], stroke);
        }
        FailureMark::TimedOut => {
            painter.circle_stroke(c, r * 0.85, stroke);
            painter.line_segment([c, c + vec2(0.0, -r * 0.6)], stroke);
            painter.line_segment([c, c + vec2(r * 0.45, 0.0)], stroke);
        }
        FailureMark::Error => {
            let pts = vec![
                pos2(c.x, c.y - r * 0.9),
                pos2(c.x + r, c.y + r * 0.8),
                pos2(c.x - r, c.y + r * 0.8),
            ];
            painter.add(Shape::closed_line(pts, stroke));
            painter.line_segment([c + vec2(0.0, -r * 0.35), c + vec2(0.0, r * 0.25)], stroke);
            painter.circle_filled(c + vec2(0.0, r * 0.55), stroke.width * 0.6, color);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_mark_has_its_own_word_and_shape() {
        let words: HashSet<_> = FailureMark::ALL.iter().map(|m| m.label()).collect();
        let shapes: HashSet<_> = FailureMark::ALL.iter().map(|m| m.shape()).collect();
        assert_eq!((words.len(), shapes.len()), (4, 4));
    }
}
