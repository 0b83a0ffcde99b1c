//! A latency histogram with logarithmic buckets (200 per decade, 1 µs
//! to 1,000 s), so a million calls take a few kilobytes and any percentile is
//! read within 1.2%.

use serde::Serialize;

const PER_DECADE: f64 = 200.0;
const DECADES: usize = 9;
const BUCKETS: usize = DECADES * 200 + 1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }
}

impl Histogram {
    fn bucket(us: f64) -> usize {
        if us < 1.0 {
            return 0;
        }
        ((libm::log10(us) * PER_DECADE) as usize + 1).min(BUCKETS - 1)
    }

    /// The upper edge of bucket `i`, µs.
    pub fn upper(i: usize) -> f64 {
        if i == 0 {
            1.0
        } else {
            libm::pow(10.0, i as f64 / PER_DECADE)
        }
    }

    pub fn add(&mut self, us: f64) {
        self.counts[Self::bucket(us)] += 1;
        self.total += 1;
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The `p`th percentile (0–100), as its bucket's upper edge.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((self.total as f64 * p / 100.0).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(Self::upper(i));
            }
        }
        None
    }

    /// (bucket's upper edge in ms, share of calls) for every non-empty
    /// stretch between the first and last filled bucket: a plot's line.
    pub fn density_ms(&self) -> Vec<[f64; 2]> {
        let first = self.counts.iter().position(|&c| c > 0);
        let last = self.counts.iter().rposition(|&c| c > 0);
        let (Some(first), Some(last)) = (first, last) else {
            return Vec::new();
        };
        (first..=last)
            .map(|i| {
                [
                    Self::upper(i) / 1000.0,
                    self.counts[i] as f64 / self.total as f64,
                ]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Histogram;

    #[test]
    fn percentiles_land_within_two_percent() {
        let mut h = Histogram::default();
        for us in 1..=10_000 {
            h.add(us as f64);
        }
        for (p, exact) in [(50.0, 5_000.0), (99.0, 9_900.0)] {
            let got = h.percentile(p).unwrap();
            assert!(
                got >= exact && got <= exact * 1.012,
                "p{p}: {got} vs {exact}"
            );
        }
        assert_eq!(h.total(), 10_000);
    }
}
