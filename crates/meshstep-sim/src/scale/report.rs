//! The scale lab's figures as a table, for the command line: the same
//! numbers the lab's panel shows beside its plots.

use crate::compare::fmt_duration;
use crate::compare::format::Table;
use crate::trace::fmt_us;

use super::model::{SweepPoint, point};
use super::{LaneResult, ScaleResult};

/// The rows of the summary, once: label and how to read it off a lane.
type Row = (&'static str, fn(&LaneResult, &SweepPoint) -> String);

const ROWS: [Row; 12] = [
    ("Hops per call", |l, _| format!("{:.1}", l.hops_per_call)),
    ("Latency p50", |l, _| us(l, l.latency_p50_us)),
    ("Latency p99", |l, _| us(l, l.latency_p99_us)),
    ("Added latency p50", |l, _| us(l, l.added_p50_us)),
    ("Added latency p99", |l, _| us(l, l.added_p99_us)),
    ("Proxies", |l, _| {
        l.load.map_or("0".into(), |x| x.proxies.to_string())
    }),
    ("Proxy utilisation", |l, _| {
        l.load
            .map_or("—".into(), |x| format!("{:.1}%", x.utilisation * 100.0))
    }),
    ("Proxy CPU (modelled)", |_, s| {
        format!("{:.2} vCPU", s.proxy_vcpu)
    }),
    ("Proxy memory (modelled)", |_, s| {
        format!("{:.0} MiB", s.proxy_memory_mib)
    }),
    ("Roll out one policy change", |l, s| {
        if l.approach == crate::compare::Approach::Direct {
            "—".into()
        } else {
            fmt_duration((s.rollout_s * 1e6).round() as u64)
        }
    }),
    ("Pods restarted for it", |_, s| s.pods_restarted.to_string()),
    ("Control-plane connections", |_, s| {
        s.control_plane_connections.to_string()
    }),
];

fn us(l: &LaneResult, v: Option<u64>) -> String {
    if l.overloaded {
        return "overloaded".into();
    }
    v.map_or("—".into(), fmt_us)
}

impl ScaleResult {
    pub fn table(&self) -> Table {
        let mut columns = vec!["Figure".to_string()];
        columns.extend(self.lanes.iter().map(|l| l.approach.label().to_string()));
        let points: Vec<SweepPoint> = self
            .lanes
            .iter()
            .map(|l| {
                point(
                    l.approach,
                    &self.params,
                    &self.calibration,
                    self.params.pods,
                )
            })
            .collect();
        let rows = ROWS
            .iter()
            .map(|(label, f)| {
                let mut r = vec![label.to_string()];
                r.extend(self.lanes.iter().zip(&points).map(|(l, s)| f(l, s)));
                r
            })
            .collect();
        Table { columns, rows }
    }
}
