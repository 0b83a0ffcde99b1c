//! Messages in flight, derived from the trace: every row names the row that
//! caused it, so a row whose cause was another component's is a message that
//! travelled between them, from the cause's time to its own. Pure data: the
//! renderer decides shapes and colours by kind.

use meshstep_sim::trace::{Outcome, Trace};
use meshstep_sim::{Action, ComponentId, ComponentKind, Topology};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketKind {
    Request,
    Response,
    /// A sidecar asking the control plane for routes.
    Lookup,
    /// Config or routes from the control plane.
    Config,
}

impl PacketKind {
    /// Every kind, in the order the legend lists them.
    pub const ALL: [PacketKind; 4] = [
        PacketKind::Request,
        PacketKind::Response,
        PacketKind::Config,
        PacketKind::Lookup,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PacketKind::Request => "request",
            PacketKind::Response => "response",
            PacketKind::Lookup => "route lookup",
            PacketKind::Config => "config",
        }
    }
}

/// One message's journey.
#[derive(Debug, Clone, PartialEq)]
pub struct PacketSpan {
    pub kind: PacketKind,
    pub from: ComponentId,
    pub to: ComponentId,
    /// The row that sent it (it is visible from this row on) and the row that received it.
    pub start_row: usize,
    pub end_row: usize,
    pub t0: f64,
    pub t1: f64,
}

/// A packet at one moment: where along its link it is (0 = sender, 1 = receiver).
#[derive(Debug, Clone, PartialEq)]
pub struct InFlight {
    pub kind: PacketKind,
    pub from: ComponentId,
    pub to: ComponentId,
    pub progress: f32,
    /// Index into the span list, stable while the packet flies.
    pub id: usize,
}

/// What kind of message left a row with this action (and outcome, and actor).
fn kind_sent_by(action: Action, outcome: &Outcome, actor: ComponentKind) -> PacketKind {
    match action {
        Action::SendResponse | Action::ReturnResponse | Action::RejectPlaintext => {
            PacketKind::Response
        }
        Action::InterceptInbound if matches!(outcome, Outcome::Failed(_)) => PacketKind::Response,
        Action::HandleRequest if actor == ComponentKind::External => PacketKind::Response,
        Action::ConsultControlPlane => PacketKind::Lookup,
        Action::AnswerLookup | Action::PushConfig => PacketKind::Config,
        _ => PacketKind::Request,
    }
}

pub fn packet_spans(topo: &Topology, trace: &Trace) -> Vec<PacketSpan> {
    let rows = &trace.rows;
    let mut out = Vec::new();
    for (b, r) in rows.iter().enumerate() {
        let Some(a) = r.cause.map(|c| c.index()) else {
            continue;
        };
        let cause = &rows[a];
        let (ca, cb) = (cause.component, r.component);
        let kubectl = |c| c == topo.kubectl;
        // Nothing travels within a component, from a timer or a fault, or
        // between an app and its library (one process, a function call);
        // kubectl's effects are API writes, not messages on the mesh's links.
        if ca == cb
            || matches!(
                r.action,
                Action::DropMessage | Action::AttemptTimeout | Action::InjectFault
            )
            || in_process(topo, ca, cb)
            || kubectl(ca)
            || kubectl(cb)
        {
            continue;
        }
        // A proxy's config comes from the control plane, whatever set it off.
        let (from, kind, t0) = match (r.action, topo.control_plane_id) {
            (Action::ApplyConfig, Some(cp)) => (
                cp,
                PacketKind::Config,
                r.time_us.saturating_sub(topo.latency.control_plane_us),
            ),
            _ => (
                ca,
                kind_sent_by(cause.action, &cause.outcome, topo.component(ca).kind),
                cause.time_us,
            ),
        };
        if r.time_us <= t0 {
            continue; // no flight to draw
        }
        out.push(PacketSpan {
            kind,
            from,
            to: cb,
            start_row: a,
            end_row: b,
            t0: t0 as f64,
            t1: r.time_us as f64,
        });
    }
    out
}

fn in_process(topo: &Topology, a: ComponentId, b: ComponentId) -> bool {
    let (ca, cb) = (topo.component(a), topo.component(b));
    let library = |k| k == meshstep_sim::ComponentKind::Library;
    ca.pod.is_some() && ca.pod == cb.pod && (library(ca.kind) || library(cb.kind))
}

/// Packets in flight when `shown_row` is drawn at virtual time `view_us`.
pub fn in_flight(spans: &[PacketSpan], shown_row: Option<usize>, view_us: f64) -> Vec<InFlight> {
    let Some(row) = shown_row else {
        return Vec::new();
    };
    spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.start_row <= row && row < s.end_row)
        .map(|(id, s)| {
            let progress = if s.t1 > s.t0 {
                ((view_us - s.t0) / (s.t1 - s.t0)).clamp(0.0, 1.0) as f32
            } else {
                0.5
            };
            InFlight {
                kind: s.kind,
                from: s.from,
                to: s.to,
                progress,
                id,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use meshstep_sim::{Lesson, RunOptions};

    fn spans(id: &str) -> (Lesson, Trace, Vec<PacketSpan>) {
        let p = format!("{}/../../scenarios/{id}.ron", env!("CARGO_MANIFEST_DIR"));
        let l = Lesson::from_path(std::path::Path::new(&p)).unwrap();
        let run = l
            .run(&RunOptions {
                seed: l.scenario.seed,
                ..Default::default()
            })
            .unwrap();
        let s = packet_spans(&l.topology, &run.trace);
        (l, run.trace, s)
    }

    #[test]
    fn the_mesh_call_sends_a_request_then_a_response_and_config_but_no_metrics() {
        let (l, trace, s) = spans("mesh-vs-library");
        let id = |x: &str| l.topology.find(x).unwrap();
        let has = |k, f: &str, t: &str| {
            s.iter()
                .any(|p| p.kind == k && p.from == id(f) && p.to == id(t))
        };
        assert!(has(
            PacketKind::Request,
            "checkout-mesh/app",
            "checkout-mesh/sidecar"
        ));
        assert!(has(
            PacketKind::Request,
            "checkout-mesh/sidecar",
            "payments-0/sidecar"
        ));
        assert!(has(
            PacketKind::Response,
            "payments-0/sidecar",
            "checkout-mesh/sidecar"
        ));
        assert!(has(
            PacketKind::Response,
            "checkout-mesh/sidecar",
            "checkout-mesh/app"
        ));
        assert!(has(PacketKind::Config, "istiod", "checkout-mesh/sidecar"));
        // Metrics stay in the sidecar for Prometheus: nothing flies to the control plane.
        assert!(!s.iter().any(|p| p.to == id("istiod")));
        // One request each, from the library and from the sidecar: no retries here.
        for from in ["checkout-lib/library", "checkout-mesh/sidecar"] {
            let n = s
                .iter()
                .filter(|p| {
                    p.kind == PacketKind::Request
                        && p.from == id(from)
                        && p.to == id("payments-0/sidecar")
                })
                .count();
            assert_eq!(n, 1, "{from}");
        }
        // the library is called in-process: no packet between app and library
        assert!(
            !s.iter()
                .any(|p| p.from == id("checkout-lib/app") && p.to == id("checkout-lib/library"))
        );
        // spans go forward in time and in rows
        for p in &s {
            assert!(p.start_row < p.end_row && p.t0 <= p.t1, "{p:?}");
            assert!(p.end_row < trace.rows.len());
        }
    }

    #[test]
    fn in_flight_follows_the_rows_and_progress_follows_time() {
        let (_, trace, s) = spans("mesh-vs-library");
        let fwd = trace
            .rows
            .iter()
            .position(|r| r.action == Action::Forward)
            .unwrap();
        let req = s
            .iter()
            .find(|p| p.start_row == fwd && p.kind == PacketKind::Request)
            .expect("the forwarded request");
        let at_send = in_flight(&s, Some(fwd), req.t0);
        let me = at_send
            .iter()
            .find(|f| f.from == req.from && f.to == req.to)
            .unwrap();
        assert_eq!(me.progress, 0.0);
        let half = in_flight(&s, Some(fwd), (req.t0 + req.t1) / 2.0);
        assert!(
            half.iter()
                .any(|f| f.from == req.from && (f.progress - 0.5).abs() < 1e-6)
        );
        // after delivery it is gone
        assert!(
            in_flight(&s, Some(req.end_row), req.t1)
                .iter()
                .all(|f| !(f.from == req.from && f.to == req.to && f.kind == PacketKind::Request))
        );
        assert!(in_flight(&s, None, 0.0).is_empty());
    }
}
