//! The shell's state and behaviour: the lesson library and the viewer, the
//! learning state, the explore pages, the side panel's tab and the saved
//! settings; every [`UiAction`] is applied here, and the key map is read
//! into actions. Drawing it is `shell_ui`'s job (`shell_ui.rs`).

use crate::editor::EditorAction;
use crate::explore::{Explore, Page};
use crate::keys::Command;
use crate::layout::Layout;
use crate::learn::Learning;
use crate::library::{Entry, LessonLibrary};
use crate::panels::UiAction;
use crate::tabs::Tab;
use crate::ui_action::ViewMove;
use crate::viewer::Viewer;

/// The smallest text the panels draw, in points.
pub const MIN_TEXT_PX: f32 = 12.0;

/// Everything the egui layer owns between frames.
pub struct Shell {
    pub library: LessonLibrary,
    pub selected: usize,
    pub viewer: Option<Viewer>,
    /// Why the selected lesson could not be simulated, if it could not.
    pub error: Option<String>,
    pub dark: bool,
    pub help_open: bool,
    /// The theme last handed to egui: setting it every frame would make egui
    /// ask for another frame, and the app would never go idle.
    pub(crate) applied_dark: Option<bool>,
    /// Whether the saved text size has been handed to egui.
    pub(crate) applied_zoom: bool,
    /// Quizzes, practice, predictions, deep dive and saved progress.
    pub learn: Learning,
    /// Where exports are written (desktop); `None` shows the text instead.
    pub export_dir: Option<std::path::PathBuf>,
    /// Export text to show when there is nowhere to write it.
    pub export_text: Option<String>,
    /// The flow view's layout and the (snapped) size it was made for, for
    /// placing labels; the lesson shown changes only through `select`.
    pub(crate) flow_layout: Option<((u32, u32), Layout)>,
    /// The side-by-side and scale-lab pages.
    pub explore: Explore,
    /// The side panel's open tab, and whether the side panel is shown.
    pub tab: Tab,
    pub side_open: bool,
    /// Steps jump instead of animating.
    pub reduced_motion: bool,
    /// Width kept free at the top bar's right end, for a control the host
    /// draws there (the page's "Open file…" button).
    pub top_bar_reserve: f32,
    /// The last hot reload's errors, shown over the view while the last
    /// good version keeps running.
    pub reload_problem: Option<crate::library::ReloadProblem>,
    /// The lesson editor, when open: beside the running lesson.
    pub editor: Option<crate::editor::Editor>,
    /// Unsaved editor text of lessons the editor has left, by entry name.
    pub drafts: std::collections::BTreeMap<String, crate::editor::Draft>,
    /// A file the browser should offer as a download (the editor's save);
    /// the page's glue takes it.
    pub download: Option<crate::editor::Download>,
    /// A link that carries a lesson, made for the learner to copy.
    pub link_text: Option<String>,
    /// A lesson (and step) the page should pack into a link.
    pub share_lesson: Option<(String, Option<u32>)>,
    /// The lesson pack opened, if any, and whether its menu is showing.
    pub pack: Option<crate::library::PackMenu>,
    pub pack_open: bool,
}

impl Shell {
    pub fn new(library: LessonLibrary, selected: usize) -> Self {
        Self::with_learning(library, selected, Learning::default())
    }

    pub fn with_learning(library: LessonLibrary, selected: usize, learn: Learning) -> Self {
        let mut s = Shell {
            library,
            selected,
            viewer: None,
            error: None,
            dark: true,
            help_open: false,
            applied_dark: None,
            applied_zoom: false,
            learn,
            export_dir: None,
            export_text: None,
            flow_layout: None,
            explore: Explore::default(),
            tab: Tab::default(),
            side_open: true,
            top_bar_reserve: 0.0,
            reduced_motion: false,
            reload_problem: None,
            editor: None,
            drafts: Default::default(),
            download: None,
            pack: None,
            pack_open: false,
            link_text: None,
            share_lesson: None,
        };
        // Settings saved with the progress: theme, side panel, tab, speed.
        let prefs = s.learn.progress.prefs.clone();
        s.dark = prefs.dark.unwrap_or(s.dark);
        s.side_open = prefs.side_panel.unwrap_or(s.side_open);
        s.tab = prefs
            .tab
            .as_deref()
            .and_then(Tab::from_key)
            .unwrap_or(s.tab);
        s.select(selected);
        s
    }

    /// Saves the settings a learner expects to find again after a restart.
    fn remember_prefs(&mut self) {
        let (dark, side, tab) = (self.dark, self.side_open, self.tab.key());
        let reduced = self.reduced_motion;
        let speed = self.viewer.as_ref().map(|v| v.speed);
        let lesson = self.viewer.as_ref().map(|v| v.lesson.scenario.id.clone());
        self.learn.update_prefs(|p| {
            p.dark = Some(dark);
            p.side_panel = Some(side);
            p.tab = Some(tab.to_string());
            // Saved once chosen; until then the system's setting applies.
            if p.reduced_motion.is_some() || reduced {
                p.reduced_motion = Some(reduced);
            }
            if speed.is_some() {
                p.speed = speed;
            }
            if lesson.is_some() {
                p.lesson = lesson;
            }
        });
    }

    /// Shows lesson `i` of the library (its diagnostics when it is broken).
    /// Opens what a share link says: the lesson, its seed, faults and fork
    /// point, and the step. Returns what in the link could not be used.
    pub fn open_link(&mut self, link: &meshstep_sim::share::ShareLink) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(id) = link.lesson.as_deref() {
            // One of the open pack's lessons first: its ids may repeat a
            // bundled lesson's.
            let in_pack = (self.pack.iter().flat_map(|p| &p.lessons)).find_map(|name| {
                let i = self.library.entries.iter().position(|e| &e.name == name)?;
                let e = &self.library.entries[i].entry;
                matches!(e, Entry::Ready(l) if l.scenario.id == id).then_some(i)
            });
            match in_pack.or_else(|| self.library.index_of(id)) {
                Some(i) => {
                    if i != self.selected {
                        self.select(i);
                    }
                    self.pack_open = false;
                }
                None => problems.push(format!("there is no lesson `{id}` here")),
            }
        }
        if let Some(v) = self.viewer.as_mut() {
            if let Some(seed) = link.seed {
                v.seed = seed;
            }
            let changes = meshstep_sim::lesson::lab::changes_for(&v.lab, &link.settings)
                .unwrap_or_else(|e| {
                    problems.push(e);
                    Vec::new()
                });
            let rerun = link.seed.is_some()
                || link.faults.as_slice() != v.faults()
                || changes.as_slice() != v.changes()
                || link.from != v.fault_onset();
            if rerun && let Err(e) = v.set_what_if(link.faults.clone(), changes, link.from.clone())
            {
                problems.push(e);
            }
            v.jump_to_step(link.step.unwrap_or(0));
            if let Some(seed) = link.practice {
                self.learn.more.use_seed(seed, &v.lesson, &v.run);
                self.tab = Tab::Practice;
                self.side_open = true;
            }
        }
        if let Some(key) = &link.page {
            match Page::from_key(key) {
                Some(p) if self.explore.page != Some(p) => self.apply_one(UiAction::TogglePage(p)),
                Some(_) => {}
                None => problems.push(format!("there is no page `{key}`")),
            }
        }
        if let Some(id) = &link.experiment {
            match meshstep_sim::scale::presets::by_id(id) {
                Some(x) if self.explore.experiment() != Some(x.id) => {
                    self.apply_one(UiAction::TryExperiment(x.id))
                }
                Some(_) => {}
                None => problems.push(format!("there is no scale-lab experiment `{id}`")),
            }
        }
        problems
    }

    pub fn select(&mut self, i: usize) {
        self.selected = i.min(self.library.entries.len().saturating_sub(1));
        self.viewer = None;
        self.flow_layout = None;
        self.error = None;
        self.reload_problem = None;
        self.learn.reset_view();
        if let Some(e) = self.library.entries.get(self.selected)
            && let Entry::Ready(lesson) = &e.entry
        {
            match Viewer::new((**lesson).clone()) {
                Ok(mut v) => {
                    v.gates = self.learn.open_predictions(&v.lesson);
                    v.reduced_motion = self.reduced_motion;
                    if let Some(speed) = self.learn.progress.prefs.speed {
                        v.speed = speed.clamp(0.25, 4.0);
                    }
                    // Reopen where the learner left it, stopping at a step still to predict.
                    let left_at = self
                        .learn
                        .progress
                        .lessons
                        .get(&v.lesson.scenario.id)
                        .map_or(0, |p| p.last_step);
                    let stop = v
                        .gates
                        .iter()
                        .next()
                        .map_or(left_at, |&g| left_at.min(g - 1));
                    if stop > 0 {
                        v.jump_to_step(stop);
                    }
                    self.viewer = Some(v);
                }
                Err(e) => self.error = Some(e),
            }
        }
        self.explore
            .prepare(self.viewer.as_ref().map(|v| &v.lesson));
    }

    /// Adds a lesson from text (a dropped or opened file) and shows it.
    pub fn open_source(&mut self, name: &str, source: &str) {
        let i = self.library.add_source(name, source);
        self.select(i);
    }

    pub fn apply(&mut self, action: UiAction) {
        self.apply_one(action);
        self.after_move();
        self.remember_prefs();
    }

    /// After any move: a gated step asks for its prediction; the furthest step is remembered.
    fn after_move(&mut self) {
        if let Some(v) = &self.viewer {
            if let Some(step) = v.awaiting
                && self.learn.predict.as_ref().is_none_or(|p| p.step != step)
            {
                self.learn.ask_prediction(&v.lesson, &v.run, step);
            }
            self.learn.note_step(&v.lesson, v.current_step());
        }
    }

    /// Every action, matched without a catch-all: a new action that is not
    /// handled here does not compile.
    fn apply_one(&mut self, action: UiAction) {
        match action {
            UiAction::SelectLesson(i) => {
                self.select(i);
                self.pack_open = false;
                // The editor follows the lesson on screen.
                if self.editor.is_some() {
                    self.open_editor();
                }
            }
            UiAction::Editor(a) => self.apply_editor(a),
            UiAction::ExportHandout => self.export_handout(),
            UiAction::TogglePack => self.pack_open = !self.pack_open && self.pack.is_some(),
            UiAction::ToggleTheme => self.dark = !self.dark,
            UiAction::ToggleHelp => self.help_open = !self.help_open,
            UiAction::CloseHelp => self.help_open = false,
            UiAction::ToggleProgress => self.learn.progress_window = !self.learn.progress_window,
            UiAction::OpenDeepDive => {
                self.learn.deep_dive_open = true;
                self.explore.page = None;
            }
            UiAction::TogglePage(p) => {
                self.learn.deep_dive_open = false;
                self.explore
                    .toggle(p, self.viewer.as_ref().map(|v| &v.lesson));
            }
            UiAction::TryExperiment(id) => {
                self.learn.deep_dive_open = false;
                self.explore.page = Some(Page::ScaleLab);
                self.explore.scale.load_preset(id);
            }
            UiAction::Side(a) => {
                let seed = self.viewer.as_ref().map_or(0, |v| v.seed);
                crate::explore_ui::apply_side(&mut self.explore, a, seed);
            }
            UiAction::Scale(a) => crate::explore_ui::apply_scale(&mut self.explore, a),
            UiAction::CloseDeepDive => self.learn.deep_dive_open = false,
            UiAction::OpenStepFromDeepDive(n) => {
                self.learn.deep_dive_open = false;
                self.apply_one(UiAction::JumpToStep(n));
            }
            UiAction::OpenTab(t) => {
                self.tab = t;
                self.side_open = true;
                // The tabs live beside the step-through, not over a page.
                self.learn.deep_dive_open = false;
                self.explore.page = None;
            }
            UiAction::ToggleSidePanel => self.side_open = !self.side_open,
            UiAction::ToggleReducedMotion => {
                self.reduced_motion = !self.reduced_motion;
                let on = self.reduced_motion;
                self.with_viewer(|v| v.reduced_motion = on);
            }
            UiAction::Answer(i) => self.answer(i),
            UiAction::View(m) => self.move_view(m),
            UiAction::Confirm => self.confirm(),
            UiAction::JumpToStep(n) => self.with_viewer(|v| {
                v.playing = false;
                v.jump_to_step(n);
            }),
            UiAction::StepForward => {
                // After a prediction is answered, the next step is the one predicted.
                if self
                    .learn
                    .predict
                    .as_ref()
                    .is_some_and(|p| p.chosen.is_some())
                {
                    self.reveal_prediction();
                } else {
                    self.with_viewer(|v| {
                        v.playing = false;
                        v.step_forward();
                    });
                }
            }
            UiAction::StepBack => self.with_viewer(Viewer::step_back),
            UiAction::TogglePlay => self.with_viewer(Viewer::toggle_play),
            UiAction::Home => self.with_viewer(Viewer::home),
            UiAction::End => self.with_viewer(Viewer::end),
            UiAction::Restart => self.with_viewer(Viewer::restart),
            UiAction::SetSpeed(s) => self.with_viewer(|v| v.speed = s.clamp(0.25, 4.0)),
            UiAction::TryWhatIfAt {
                faults,
                changes,
                step,
            } => {
                self.apply_one(UiAction::SetFaults {
                    faults,
                    changes,
                    from: None,
                });
                self.apply_one(UiAction::JumpToStep(step));
            }
            UiAction::SetFaults {
                faults,
                changes,
                from,
            } => {
                if let Some(v) = &mut self.viewer
                    && let Err(e) = v.set_what_if(faults, changes, from)
                {
                    self.error = Some(e);
                }
            }
        }
    }

    /// Zooms or pans the flow view by key or button.
    fn move_view(&mut self, m: ViewMove) {
        use crate::flow_zoom::ZOOM_STEP;
        self.with_viewer(|v| match m {
            ViewMove::In => v.zoom.zoom_by(ZOOM_STEP, None),
            ViewMove::Out => v.zoom.zoom_by(1.0 / ZOOM_STEP, None),
            ViewMove::Fit => v.zoom = crate::flow_zoom::FlowZoom::default(),
            ViewMove::Pan(dx, dy) => {
                // A fifth of what is on screen (0.4 of a half), whatever the zoom.
                let step = 0.4 / v.zoom.level;
                v.zoom.pan_by(dx * step, dy * step);
            }
        });
    }

    fn with_viewer(&mut self, f: impl FnOnce(&mut Viewer)) {
        if let Some(v) = &mut self.viewer {
            f(v);
        }
    }

    /// A–D / 1–4: the open prediction first, else the quiz question on screen.
    fn answer(&mut self, choice: usize) {
        let Some(v) = &self.viewer else { return };
        if self.learn.predict.is_some() {
            self.learn.choose_prediction(&v.lesson, choice);
        } else if self.tab == Tab::Quiz && self.side_open {
            self.learn.choose_quiz_answer(&v.lesson, choice);
        } else if self.tab == Tab::Practice
            && self.side_open
            && let Some(t) = &mut self.learn.more.test
        {
            let n = t.items.get(t.at).map_or(0, |i| i.options(&v.lesson).len());
            t.choose(choice, n);
        }
    }

    /// Enter: show the predicted step once answered, or check the quiz answer.
    fn confirm(&mut self) {
        if let Some(p) = &self.learn.predict {
            if p.chosen.is_some() {
                self.reveal_prediction();
            }
            return;
        }
        let Some(v) = &self.viewer else { return };
        if self.tab == Tab::Quiz && self.side_open {
            let (lesson, run) = (v.lesson.clone(), v.run.clone());
            if let Some(step) = self.learn.check_quiz(&lesson, &run, self.learn.quiz_at) {
                self.apply_one(UiAction::JumpToStep(step));
            }
        } else if self.tab == Tab::Practice && self.side_open {
            // Enter checks the test's answer, and once checked goes on.
            let checked = self.learn.more.test.as_ref().map(|t| t.checked());
            match checked {
                Some(false) => self.learn.check_test(&v.lesson.clone()),
                Some(true) => {
                    if let Some(t) = &mut self.learn.more.test {
                        t.next();
                    }
                }
                None => {}
            }
        }
    }

    /// What this frame's key presses ask for, read through the one key map.
    pub fn key_actions(&self, ctx: &egui::Context) -> Vec<UiAction> {
        crate::keys::pressed(ctx)
            .into_iter()
            .filter_map(|(command, n)| match command {
                Command::StepForward => Some(UiAction::StepForward),
                Command::StepBack => Some(UiAction::StepBack),
                Command::TogglePlay => Some(UiAction::TogglePlay),
                Command::Home => Some(UiAction::Home),
                Command::End => Some(UiAction::End),
                Command::Confirm => Some(UiAction::Confirm),
                Command::Answer => Some(UiAction::Answer(n)),
                Command::OpenTab => Tab::ALL.get(n).map(|t| UiAction::OpenTab(*t)),
                Command::CycleTab => {
                    let here = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                    let len = Tab::ALL.len();
                    // One back (the last from the first) or one on, round the strip.
                    let step = if n == 0 { len - 1 } else { 1 };
                    let next = (here + step) % len;
                    Some(UiAction::OpenTab(Tab::ALL[next]))
                }
                Command::ToggleSidePanel => Some(UiAction::ToggleSidePanel),
                Command::ToggleEditor => Some(UiAction::Editor(EditorAction::Toggle)),
                Command::SaveLesson => {
                    (self.editor.is_some()).then_some(UiAction::Editor(EditorAction::Save))
                }
                Command::ToggleReducedMotion => Some(UiAction::ToggleReducedMotion),
                Command::ToggleHelp => Some(UiAction::ToggleHelp),
                Command::Close => Some(UiAction::CloseHelp),
                Command::ViewIn => Some(UiAction::View(ViewMove::In)),
                Command::ViewOut => Some(UiAction::View(ViewMove::Out)),
                Command::ViewFit => Some(UiAction::View(ViewMove::Fit)),
                Command::PanSideways => Some(UiAction::View(ViewMove::Pan(
                    if n == 0 { -1.0 } else { 1.0 },
                    0.0,
                ))),
                Command::PanUpDown => Some(UiAction::View(ViewMove::Pan(
                    0.0,
                    if n == 0 { -1.0 } else { 1.0 },
                ))),
                // egui moves the focus and zooms itself.
                Command::MoveFocus | Command::Zoom => None,
            })
            .collect()
    }

    pub fn needs_frames(&self) -> bool {
        self.viewer.as_ref().is_some_and(Viewer::needs_frames)
            || (self.explore.page == Some(Page::ScaleLab) && self.explore.scale.running())
    }

    /// Advances animation and playback; playback may reach a step to predict.
    /// The scale lab computes one chunk per frame.
    pub fn tick(&mut self, dt: f32) {
        if let Some(v) = &mut self.viewer {
            v.tick(dt);
        }
        self.explore.tick();
        self.after_move();
    }

    /// Lets the viewer go on to the step the learner just predicted.
    pub fn reveal_prediction(&mut self) {
        self.learn.predict = None;
        if let Some(v) = &mut self.viewer {
            v.pass_gate();
        }
        self.after_move();
    }

    /// Writes the progress export where the app keeps exports, or keeps the text to show.
    pub fn export_progress(&mut self, text: String) {
        match &self.export_dir {
            #[cfg(not(target_arch = "wasm32"))]
            Some(dir) => {
                let path = (1..)
                    .map(|n| dir.join(format!("meshstep-progress-{n}.json")))
                    .find(|p| !p.exists());
                let result = std::fs::create_dir_all(dir).and_then(|_| match &path {
                    Some(p) => std::fs::write(p, &text),
                    None => Ok(()),
                });
                self.learn.message = Some(match (result, path) {
                    (Ok(()), Some(p)) => format!("Progress exported to {}", p.display()),
                    (Err(e), _) => format!("Export failed: {e}"),
                    (Ok(()), None) => "Export failed: no free file name".to_string(),
                });
            }
            _ => self.export_text = Some(text),
        }
    }
}
