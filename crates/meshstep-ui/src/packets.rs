//! Messages in flight, derived from the trace: consecutive rows of one
//! request at different components are a request or response travelling
//! between them; reports, route lookups and config pushes are paired by
//! order. Pure data: the renderer decides shapes and colours by kind.

use meshstep_sim::trace::{Outcome, Trace};
use meshstep_sim::{Action, ComponentId, Topology};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketKind {
    Request,
    Response,
    /// A sidecar asking the control plane for routes.
    Lookup,
    /// Config or routes from the control plane.
    Config,
    /// Metrics to the control plane.
    Telemetry,
}

impl PacketKind {
    pub fn label(self) -> &'static str {
        match self {
            PacketKind::Request => "request",
            PacketKind::Response => "response",
            PacketKind::Lookup => "route lookup",
            PacketKind::Config => "config",
            PacketKind::Telemetry => "metrics",
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

pub fn packet_spans(topo: &Topology, trace: &Trace) -> Vec<PacketSpan> {
    let rows = &trace.rows;
    let mut out = Vec::new();
    let span = |kind, a: usize, b: usize| PacketSpan {
        kind,
        from: rows[a].component,
        to: rows[b].component,
        start_row: a,
        end_row: b,
        t0: rows[a].time_us as f64,
        t1: rows[b].time_us as f64,
    };
    // Requests and responses: follow each request through its rows.
    let nreq = rows
        .iter()
        .filter_map(|r| r.request)
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut by_req: Vec<Vec<usize>> = vec![Vec::new(); nreq];
    for (i, r) in rows.iter().enumerate() {
        if let Some(q) = r.request {
            by_req[q as usize].push(i);
        }
    }
    for idx in &by_req {
        let mut answered = false;
        for w in idx.windows(2) {
            let (a, b) = (w[0], w[1]);
            if rows[a].action == Action::SendResponse || rows[a].action == Action::RejectPlaintext {
                answered = true;
            }
            let (ca, cb) = (rows[a].component, rows[b].component);
            // Same component, a drop or a timer: nothing travels. Nor between an
            // app and its library: one process, a function call, no link.
            if ca == cb
                || rows[b].action == Action::DropMessage
                || rows[b].action == Action::AttemptTimeout
                || in_process(topo, ca, cb)
            {
                continue;
            }
            let kind = match (rows[a].action, rows[b].action) {
                (Action::ConsultControlPlane, Action::AnswerLookup) => PacketKind::Lookup,
                (Action::AnswerLookup, _) => PacketKind::Config,
                _ if answered => PacketKind::Response,
                _ => PacketKind::Request,
            };
            out.push(span(kind, a, b));
        }
    }
    // Telemetry: reports reach the control plane in the order they were sent.
    let sent: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].action == Action::ReportMetrics && rows[i].outcome == Outcome::Sent)
        .collect();
    let got: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].action == Action::ReceiveMetrics)
        .collect();
    for (&a, &b) in sent.iter().zip(&got) {
        out.push(span(PacketKind::Telemetry, a, b));
    }
    // Config: each ApplyConfig comes from the push of its version, or from the
    // initial sync after injection (no push row: it left one hop earlier).
    for (b, r) in rows.iter().enumerate() {
        let Outcome::Config { version } = r.outcome else {
            continue;
        };
        let push = rows[..b]
            .iter()
            .rposition(|p| matches!(p.outcome, Outcome::Pushed { version: v, .. } if v == version));
        let a = push.unwrap_or_else(|| {
            let t0 = r.time_us.saturating_sub(topo.latency.control_plane_us);
            rows[..b].iter().rposition(|p| p.time_us <= t0).unwrap_or(0)
        });
        if let Some(cp) = topo.control_plane_id {
            out.push(PacketSpan {
                kind: PacketKind::Config,
                from: cp,
                to: r.component,
                start_row: a,
                end_row: b,
                t0: r.time_us.saturating_sub(topo.latency.control_plane_us) as f64,
                t1: r.time_us as f64,
            });
        }
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
    fn the_mesh_call_sends_a_request_then_a_response_and_telemetry_and_config() {
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
        assert!(has(
            PacketKind::Telemetry,
            "checkout-mesh/sidecar",
            "istiod"
        ));
        assert!(has(PacketKind::Config, "istiod", "checkout-mesh/sidecar"));
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
