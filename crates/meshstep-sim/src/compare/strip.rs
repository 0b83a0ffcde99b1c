//! The figures a comparison shows, once: the strip under the side-by-side
//! view and the command line's table are both built from [`Figure::ALL`].

use crate::queue::Micros;
use crate::trace::fmt_us;

use super::format::Table;
use super::{Comparison, Figures};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Hops,
    AddedP50,
    AddedP99,
    LatencyP50,
    LatencyP99,
    Proxies,
    Cpu,
    Memory,
    RolloutTime,
    RolloutPods,
    Pushes,
    Lookups,
    Mtls,
    Telemetry,
    Languages,
    Failed,
}

impl Figure {
    pub const ALL: [Figure; 16] = [
        Figure::Hops,
        Figure::AddedP50,
        Figure::AddedP99,
        Figure::LatencyP50,
        Figure::LatencyP99,
        Figure::Proxies,
        Figure::Cpu,
        Figure::Memory,
        Figure::RolloutTime,
        Figure::RolloutPods,
        Figure::Pushes,
        Figure::Lookups,
        Figure::Mtls,
        Figure::Telemetry,
        Figure::Languages,
        Figure::Failed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Figure::Hops => "Hops per call",
            Figure::AddedP50 => "Added latency p50",
            Figure::AddedP99 => "Added latency p99",
            Figure::LatencyP50 => "Latency p50",
            Figure::LatencyP99 => "Latency p99",
            Figure::Proxies => "Proxies",
            Figure::Cpu => "Proxy CPU (modelled)",
            Figure::Memory => "Proxy memory (modelled)",
            Figure::RolloutTime => "Roll out one policy change",
            Figure::RolloutPods => "Pods restarted for it",
            Figure::Pushes => "Config pushes for it (control-plane load)",
            Figure::Lookups => "Route lookups to the control plane",
            Figure::Mtls => "Calls with mTLS",
            Figure::Telemetry => "Calls in HTTP (L7) proxy metrics",
            Figure::Languages => "Languages covered, no new code",
            Figure::Failed => "Calls failed",
        }
    }

    /// The cell for one approach; `langs` is how many languages the workload uses.
    pub fn value(self, f: &Figures, langs: usize) -> String {
        let us = |v: Option<u64>| v.map_or("—".to_string(), fmt_us);
        let added = |v: Option<i64>| match v {
            None => "—".to_string(),
            Some(v) if v < 0 => format!("−{}", fmt_us(v.unsigned_abs())),
            Some(v) => format!("+{}", fmt_us(v as u64)),
        };
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        match self {
            Figure::Hops => format!("{:.1}", f.hops_per_call),
            Figure::AddedP50 => added(f.added_p50_us),
            Figure::AddedP99 => added(f.added_p99_us),
            Figure::LatencyP50 => us(f.latency_p50_us),
            Figure::LatencyP99 => us(f.latency_p99_us),
            Figure::Proxies => f.proxies.to_string(),
            Figure::Cpu => format!("{:.3} vCPU", f.proxy_vcpu),
            Figure::Memory => format!("{:.0} MiB", f.proxy_memory_mib),
            Figure::RolloutTime => match &f.rollout {
                None => "—".into(),
                Some(r) => fmt_duration(r.time_us),
            },
            Figure::RolloutPods => match &f.rollout {
                None => "—".into(),
                Some(r) if r.apps_rebuilt > 0 => format!(
                    "{} ({} apps rebuilt, {} language{})",
                    r.pods_restarted,
                    r.apps_rebuilt,
                    r.languages,
                    if r.languages == 1 { "" } else { "s" }
                ),
                Some(r) => r.pods_restarted.to_string(),
            },
            Figure::Pushes => match &f.rollout {
                Some(r) if r.apps_rebuilt == 0 => r.proxies_updated.to_string(),
                _ => "—".into(),
            },
            Figure::Lookups => f.control_plane_lookups.to_string(),
            Figure::Mtls => pct(f.mtls_share),
            Figure::Telemetry => pct(f.telemetry_share),
            Figure::Languages => format!("{} of {}", f.languages_covered, langs),
            Figure::Failed => format!("{} of {}", f.failed + f.errors, f.calls),
        }
    }
}

impl Comparison {
    /// One row per figure, one column per approach.
    pub fn table(&self) -> Table {
        let mut columns = vec!["Figure".to_string()];
        columns.extend(self.figures.iter().map(|f| f.approach.label().to_string()));
        let rows = Figure::ALL
            .iter()
            .map(|fig| {
                let mut r = vec![fig.label().to_string()];
                r.extend(
                    self.figures
                        .iter()
                        .map(|f| fig.value(f, self.languages.len())),
                );
                r
            })
            .collect();
        Table { columns, rows }
    }
}

/// A duration as a figure reads best: microseconds to milliseconds as the
/// trace prints them, seconds with two decimals, minutes and seconds beyond.
pub fn fmt_duration(us: Micros) -> String {
    if us >= 60_000_000 {
        let s = (us + 500_000) / 1_000_000;
        format!("{} min {} s", s / 60, s % 60)
    } else if us >= 1_000_000 {
        format!("{:.2} s", us as f64 / 1e6)
    } else {
        fmt_us(us)
    }
}
