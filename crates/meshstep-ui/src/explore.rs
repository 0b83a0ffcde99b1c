//! What the two explore pages keep between frames: the side-by-side view of
//! one call through each approach (with the figures strip under it) and the
//! scale lab, whose computation advances a chunk per frame so the window and
//! the page keep drawing while it runs.

use meshstep_sim::compare::{Approach, CompareOptions, Comparison, Workload, compare, sample};
use meshstep_sim::scale::{ScaleJob, ScaleParams, ScaleResult, presets};
use meshstep_sim::topology::Topology;
use meshstep_sim::trace::Trace;
use meshstep_sim::trace::phase::Phase;
use meshstep_sim::{Lesson, Outcome};

/// The pages that cover the flow view, like the deep dive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    SideBySide,
    ScaleLab,
}

impl Page {
    pub const ALL: [Page; 2] = [Page::SideBySide, Page::ScaleLab];

    /// Its name on the command line (`--page`).
    pub fn key(self) -> &'static str {
        match self {
            Page::SideBySide => "side-by-side",
            Page::ScaleLab => "scale-lab",
        }
    }

    pub fn from_key(key: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Page::SideBySide => "⚖ Side by side",
            Page::ScaleLab => "📈 Scale lab",
        }
    }

    pub fn hover(self) -> &'static str {
        match self {
            Page::SideBySide => {
                "One call through each approach, phase by phase, with figures over many calls"
            }
            Page::ScaleLab => "What each approach costs from 10 to 10,000 pods",
        }
    }
}

/// Calls per approach behind the figures strip (the command line's default too).
pub use meshstep_sim::compare::DEFAULT_REQUESTS as STRIP_REQUESTS;

/// Calls the scale lab samples between looks at the clock (about half a
/// millisecond natively, a few in the browser).
pub const SCALE_SLICE: u32 = 5_000;

/// How long the scale lab may compute in one frame: the window or the page
/// draws between budgets, so it keeps answering while a million calls run.
/// Natively a frame under software rendering costs ~40 ms, so 10 ms keeps the
/// window above 15 fps. In the browser a frame costs far more than the
/// computation (100–300 ms under SwiftShader), so a larger share per frame
/// finishes sooner without making frames much rarer.
#[cfg(not(target_arch = "wasm32"))]
pub const FRAME_BUDGET: std::time::Duration = std::time::Duration::from_millis(10);
#[cfg(target_arch = "wasm32")]
pub const FRAME_BUDGET: std::time::Duration = std::time::Duration::from_millis(50);

/// One approach's run of a single call, for its column.
pub struct Column {
    pub approach: Approach,
    pub topology: Topology,
    pub trace: Trace,
}

impl Column {
    /// The rows of the call, in order, with their phase.
    pub fn rows(&self) -> Vec<(usize, Phase)> {
        (0..self.trace.rows.len())
            .filter_map(|i| self.trace.phase(&self.topology, i).map(|p| (i, p)))
            .collect()
    }

    /// What the caller got, as a line.
    pub fn answer(&self) -> String {
        match self.trace.rows.iter().rev().find(|r| {
            r.action == meshstep_sim::Action::ReceiveResponse
                && matches!(r.outcome, Outcome::Http { .. })
        }) {
            Some(r) => r.outcome.describe(&self.topology),
            None => "no answer".into(),
        }
    }
}

pub struct SideBySide {
    /// The lesson it was computed for (recomputed when that changes).
    pub lesson_id: String,
    pub workload: Result<Workload, String>,
    /// The approaches shown, in column order (two or three).
    pub chosen: Vec<Approach>,
    pub columns: Vec<Column>,
    pub figures: Result<Comparison, String>,
    /// The phase all columns are at.
    pub cursor: usize,
}

impl SideBySide {
    pub fn new(lesson: &Lesson) -> SideBySide {
        let workload = Workload::from_scenario(&lesson.scenario).map_err(|e| e.to_string());
        let chosen = vec![Approach::Library, Approach::Sidecar];
        let mut s = SideBySide {
            lesson_id: lesson.scenario.id.clone(),
            workload,
            chosen,
            columns: Vec::new(),
            figures: Err(String::new()),
            cursor: Phase::ALL.len() - 1,
        };
        s.recompute(lesson.scenario.seed);
        s
    }

    pub fn available(&self) -> Vec<Approach> {
        self.workload
            .as_ref()
            .map_or(Vec::new(), |w| w.approaches())
    }

    /// Adds or removes an approach (keeping two or three, in the canonical order).
    pub fn toggle(&mut self, a: Approach, seed: u64) {
        if self.chosen.contains(&a) {
            if self.chosen.len() > 2 {
                self.chosen.retain(|x| *x != a);
            }
        } else if self.chosen.len() < 3 {
            self.chosen.push(a);
            self.chosen.sort();
        }
        self.recompute(seed);
    }

    pub fn recompute(&mut self, seed: u64) {
        let Ok(w) = &self.workload else {
            self.columns.clear();
            self.figures = Err(self.workload.as_ref().err().cloned().unwrap_or_default());
            return;
        };
        self.columns = self
            .chosen
            .iter()
            .filter_map(|&a| {
                sample(w, a, seed).ok().map(|(topology, trace)| Column {
                    approach: a,
                    topology,
                    trace,
                })
            })
            .collect();
        self.figures = compare(
            w,
            &self.chosen,
            &CompareOptions {
                requests: STRIP_REQUESTS,
                seed,
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string());
    }
}

/// The scale lab: sliders, the job in progress and the last result.
#[derive(Default)]
pub struct ScaleLab {
    pub params: ScaleParams,
    pub job: Option<ScaleJob>,
    pub result: Option<ScaleResult>,
    pub error: Option<String>,
    /// The experiment last loaded, whose "look at" line is shown.
    pub preset: Option<&'static str>,
}

impl ScaleLab {
    /// Starts computing the current sliders (dropping any run in progress).
    pub fn start(&mut self) {
        match ScaleJob::new(self.params) {
            Ok(j) => {
                self.job = Some(j);
                self.error = None;
            }
            Err(e) => {
                self.job = None;
                self.error = Some(e.to_string());
            }
        }
    }

    pub fn load_preset(&mut self, id: &str) -> bool {
        match presets::by_id(id) {
            Some(p) => {
                self.params = p.params;
                self.preset = Some(p.id);
                self.start();
                true
            }
            None => false,
        }
    }

    /// One frame's share of the work: slices until `budget` has passed (at
    /// least one); true while there is more to do.
    pub fn tick(&mut self, budget: std::time::Duration) -> bool {
        let Some(job) = &mut self.job else {
            return false;
        };
        let start = web_time::Instant::now();
        let done = loop {
            let done = job.step(SCALE_SLICE);
            if done || start.elapsed() >= budget {
                break done;
            }
        };
        self.result = Some(job.result());
        if done {
            self.job = None;
        }
        !done
    }

    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    pub fn progress(&self) -> f32 {
        self.job.as_ref().map_or(1.0, |j| j.progress())
    }
}

/// Both pages' state; the side-by-side view is built when first opened.
#[derive(Default)]
pub struct Explore {
    pub page: Option<Page>,
    pub side: Option<SideBySide>,
    pub scale: ScaleLab,
}

impl Explore {
    /// Opens (or closes, when it is open) a page; the side-by-side view is
    /// (re)built for `lesson` if it was made for another.
    pub fn toggle(&mut self, page: Page, lesson: Option<&Lesson>) {
        if self.page == Some(page) {
            self.page = None;
            return;
        }
        self.page = Some(page);
        self.prepare(lesson);
    }

    pub fn prepare(&mut self, lesson: Option<&Lesson>) {
        match self.page {
            Some(Page::SideBySide) => {
                if let Some(l) = lesson
                    && self
                        .side
                        .as_ref()
                        .is_none_or(|s| s.lesson_id != l.scenario.id)
                {
                    self.side = Some(SideBySide::new(l));
                }
            }
            Some(Page::ScaleLab) if self.scale.result.is_none() && self.scale.job.is_none() => {
                self.scale.start();
            }
            _ => {}
        }
    }

    /// The experiment to name in a share link: the one loaded, while the
    /// sliders still say what it set.
    pub fn experiment(&self) -> Option<&'static str> {
        let id = self.scale.preset?;
        (presets::by_id(id)?.params == self.scale.params).then_some(id)
    }

    /// A line for the page title while a page is open.
    pub fn title(&self) -> Option<String> {
        Some(match self.page? {
            Page::SideBySide => "side by side".into(),
            Page::ScaleLab if self.scale.running() => {
                format!("scale lab, computing {:.0}%", self.scale.progress() * 100.0)
            }
            Page::ScaleLab => format!("scale lab, {} pods, done", self.scale.params.pods),
        })
    }

    /// Computes one frame's budget when the scale lab is open and running;
    /// true when another frame is wanted.
    pub fn tick(&mut self) -> bool {
        self.page == Some(Page::ScaleLab) && self.scale.tick(FRAME_BUDGET)
    }
}
