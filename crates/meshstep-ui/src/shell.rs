//! The whole window's egui layer: top bar (lesson picker, controls, theme,
//! panels, help), the side panel with the lesson panels, the timeline, the
//! help overlay and keyboard shortcuts. It leaves the centre free for the
//! flow view and reports that rectangle.

use egui::{RichText, Ui};

use crate::explore::{Explore, Page};
use crate::flow_labels::{flow_labels, paint_flow_labels};
use crate::keys::{Command, KEYMAP};
use crate::layout::{Layout, snap_view_size};
use crate::learn::Learning;
use crate::learn_ui;
use crate::library::{Entry, LessonLibrary};
use crate::packets::PacketKind;
use crate::panels::{self, UiAction};
use crate::tabs::Tab;
use crate::theme::{packet_color, palette};
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
    applied_dark: Option<bool>,
    /// Whether the saved text size has been handed to egui.
    applied_zoom: bool,
    /// Quizzes, practice, predictions, deep dive and saved progress.
    pub learn: Learning,
    /// Where exports are written (desktop); `None` shows the text instead.
    pub export_dir: Option<std::path::PathBuf>,
    /// Export text to show when there is nowhere to write it.
    pub export_text: Option<String>,
    /// The flow view's layout and the (snapped) size it was made for, for
    /// placing labels; the lesson shown changes only through `select`.
    flow_layout: Option<((u32, u32), Layout)>,
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
            match self.library.index_of(id) {
                Some(i) if i != self.selected => self.select(i),
                Some(_) => {}
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
            UiAction::SelectLesson(i) => self.select(i),
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
                    let next = if n == 0 { here + len - 1 } else { here + 1 } % len;
                    Some(UiAction::OpenTab(Tab::ALL[next]))
                }
                Command::ToggleSidePanel => Some(UiAction::ToggleSidePanel),
                Command::ToggleReducedMotion => Some(UiAction::ToggleReducedMotion),
                Command::ToggleHelp => Some(UiAction::ToggleHelp),
                Command::Close => Some(UiAction::CloseHelp),
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

/// Draws the whole egui layer and returns the free rectangle for the flow view.
pub fn shell_ui(ui: &mut Ui, shell: &mut Shell) -> egui::Rect {
    let pal = palette(shell.dark);
    if shell.applied_dark != Some(shell.dark) {
        ui.ctx().set_visuals(if shell.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        // Notes and engine lines use the small style: egui's 9 px is too
        // small to read at 1280×720, so nothing is drawn below 12 px.
        ui.ctx().all_styles_mut(|s| {
            s.text_styles.insert(
                egui::TextStyle::Small,
                egui::FontId::proportional(MIN_TEXT_PX),
            );
        });
        shell.applied_dark = Some(shell.dark);
    }
    remember_zoom(ui.ctx(), shell);
    let mut actions = shell.key_actions(ui.ctx());

    let bar = crate::top_bar::TopBar {
        library: &shell.library,
        selected: shell.selected,
        viewer: shell.viewer.as_ref(),
        dark: shell.dark,
        learn: &shell.learn,
        page: shell.explore.page,
        side_open: shell.side_open,
        reserve: shell.top_bar_reserve,
    };
    crate::top_bar::top_bar_ui(ui, bar, &mut actions);

    if let (Some(v), None) = (&shell.viewer, shell.explore.page) {
        egui::Panel::bottom("timeline").show(ui, |ui| {
            ui.horizontal(|ui| {
                let n = v.step_count();
                let cur = v.current_step().unwrap_or(0);
                ui.label(RichText::new(format!("Step {cur} of {n}")).strong());
                let mut s = cur;
                let w = (ui.available_width() * 0.45).max(120.0);
                ui.spacing_mut().slider_width = w;
                let slider = ui
                    .add(egui::Slider::new(&mut s, 0..=n).show_value(false))
                    .on_hover_text(
                        "Drag, or focus it and use the arrow keys, to move through the steps",
                    );
                slider.widget_info(|| {
                    egui::WidgetInfo::slider(true, f64::from(cur), format!("Step {cur} of {n}"))
                });
                if slider.changed() {
                    actions.push(UiAction::JumpToStep(s));
                }
                if let Some(k) = crate::lab_ui::fork_step(&v.run) {
                    crate::lab_ui::fork_marker_ui(ui, slider.rect, k, n, &pal);
                }
                let caption = v
                    .current_step()
                    .and_then(|c| v.run.table.rows.get(c as usize - 1))
                    .map_or(
                        "Before the first event. Press the right arrow key or ▶| to start."
                            .to_string(),
                        |r| format!("{}: {}", r.component, r.action_text),
                    );
                let caption = match v.current_step().and_then(|c| v.why(c)) {
                    Some(why) => format!("{caption}  ·  Why: {why}"),
                    None => caption,
                };
                // One line: long why-lines end in "…" and show whole on hover.
                ui.add(egui::Label::new(caption).truncate());
            });
        });
    }

    // An explore page takes the whole width: it has its own columns.
    let side_open = shell.side_open && shell.explore.page.is_none();
    if let (Some(v), true) = (&shell.viewer, side_open) {
        let learn = &mut shell.learn;
        let next = shell
            .library
            .entries
            .get(shell.selected + 1)
            .map(|e| (shell.selected + 1, e.title.as_str()));
        let width = ui.available_width();
        egui::Panel::right("lesson-panels")
            .resizable(true)
            .default_size(width * 0.42)
            .min_size(280.0)
            .max_size(width * 0.5)
            .show(ui, |ui| {
                if let Some(a) =
                    crate::side_panel::side_panel_ui(ui, v, shell.tab, learn, next, &pal)
                {
                    actions.push(a);
                }
            });
    }

    // What is left is the flow view's, or the place to show why a lesson cannot open.
    let central = ui.available_rect_before_wrap();
    let entry = shell.library.entries.get(shell.selected);
    if let Some(e) = entry
        && let Entry::Broken {
            diagnostics,
            source,
        } = &e.entry
    {
        ui.scope_builder(
            egui::UiBuilder::new().max_rect(central.shrink(12.0)),
            |ui| {
                panels::diagnostics_ui(ui, &e.name, source, diagnostics, &pal);
            },
        );
    } else if let Some(err) = &shell.error {
        ui.scope_builder(
            egui::UiBuilder::new().max_rect(central.shrink(12.0)),
            |ui| {
                ui.heading("The lesson could not be simulated");
                ui.label(err);
            },
        );
    } else if let (Some(v), true) = (&shell.viewer, shell.learn.deep_dive_open) {
        // The reading page covers the flow view with an opaque page.
        let learn = &mut shell.learn;
        ui.scope_builder(egui::UiBuilder::new().max_rect(central), |ui| {
            egui::Frame::new()
                .fill(pal.background)
                .inner_margin(16.0)
                .show(ui, |ui| {
                    ui.set_min_size(central.size() - egui::vec2(32.0, 32.0));
                    egui::ScrollArea::vertical()
                        .id_salt("deep-dive")
                        .show(ui, |ui| {
                            if let Some(a) = learn_ui::deep_dive_ui(ui, &v.lesson, learn, &pal) {
                                actions.push(a);
                            }
                        });
                });
        });
    } else if let Some(page) = shell.explore.page {
        if let Some(a) = crate::explore_ui::page_ui(ui, &shell.explore, page, central, &pal) {
            actions.push(a);
        }
    } else if let Some(v) = &shell.viewer {
        let size = snap_view_size(central.width(), central.height());
        if shell.flow_layout.as_ref().map(|(s, _)| *s) != Some(size) {
            let l = crate::layout::flow_layout(v, size.0 as f32, size.1 as f32);
            shell.flow_layout = Some((size, l));
        }
        if let Some((_, l)) = &shell.flow_layout {
            let painter = ui.painter().with_clip_rect(central);
            let absent = crate::flow_marks::absent_boxes(v, l, central);
            crate::flow_marks::paint_absent(&painter, &absent, shell.dark);
            let labels = flow_labels(v, l, central, shell.dark);
            paint_flow_labels(&painter, labels);
        }
        legend_ui(ui, central, shell.dark);
    }

    // "Predict, then reveal", over the flow view.
    let mut reveal = false;
    if let (Some(v), Some(_)) = (&shell.viewer, &shell.learn.predict) {
        let learn = &mut shell.learn;
        egui::Window::new("Predict, then reveal")
            .collapsible(false)
            .resizable(false)
            .default_width(420.0)
            .default_pos(central.center() - egui::vec2(210.0, 120.0))
            .show(ui.ctx(), |ui| {
                reveal = learn_ui::predict_ui(ui, &v.lesson, learn, &pal);
            });
    }
    if reveal {
        shell.reveal_prediction();
    }

    // Scores, saved progress, export and import.
    if shell.learn.progress_window {
        let lessons: Vec<&meshstep_sim::Lesson> = shell
            .library
            .entries
            .iter()
            .filter_map(|e| match &e.entry {
                Entry::Ready(l) => Some(&**l),
                Entry::Broken { .. } => None,
            })
            .collect();
        let mut open = true;
        let mut export = None;
        let learn = &mut shell.learn;
        egui::Window::new("Progress")
            .open(&mut open)
            .collapsible(false)
            .show(ui.ctx(), |ui| {
                export = learn_ui::progress_ui(ui, &lessons, learn, &pal);
            });
        if !open {
            shell.learn.progress_window = false;
        }
        if let Some(text) = export {
            shell.export_progress(text);
        }
    }
    if let Some(text) = shell.export_text.clone() {
        let mut open = true;
        egui::Window::new("Exported progress")
            .open(&mut open)
            .show(ui.ctx(), |ui| {
                ui.label("Save this text to a .json file; import it later or on another machine.");
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        ui.label(RichText::new(&text).monospace().small());
                    });
                if ui.button("Copy").clicked() {
                    ui.ctx().copy_text(text.clone());
                }
            });
        if !open {
            shell.export_text = None;
        }
    }
    if let Some(msg) = shell.learn.message.clone() {
        let mut open = true;
        egui::Window::new("Note")
            .open(&mut open)
            .collapsible(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 48.0))
            .show(ui.ctx(), |ui| {
                ui.label(msg);
            });
        if !open {
            shell.learn.message = None;
        }
    }

    if shell.help_open {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ui.ctx(), |ui| {
                egui::Grid::new("keys").spacing([16.0, 6.0]).show(ui, |ui| {
                    for b in KEYMAP {
                        ui.label(RichText::new(b.keys_label()).monospace().strong());
                        ui.label(b.does);
                        ui.end_row();
                    }
                });
                ui.add_space(6.0);
                let mut reduced = shell.reduced_motion;
                if ui
                    .checkbox(
                        &mut reduced,
                        "Reduced motion: steps jump instead of animating",
                    )
                    .changed()
                {
                    actions.push(UiAction::ToggleReducedMotion);
                }
                ui.label("Drop a lesson file (.ron) on the window to open it.");
            });
        if !open {
            actions.push(UiAction::ToggleHelp);
        }
    }

    // An action changes what is shown after this frame was laid out: ask for
    // one more, or the reactive app keeps showing the old value (a click on
    // the speed slider seemed to do nothing until the mouse moved).
    if !actions.is_empty() {
        ui.ctx().request_repaint();
    }
    for a in actions {
        shell.apply(a);
    }
    central
}

/// Text size (egui's zoom, Ctrl +/−) is a setting kept with the progress:
/// restored on the first frame, saved when the learner changes it.
fn remember_zoom(ctx: &egui::Context, shell: &mut Shell) {
    let zoom = ctx.zoom_factor();
    match (shell.applied_zoom, shell.learn.progress.prefs.zoom) {
        (false, Some(saved)) => {
            ctx.set_zoom_factor(saved.clamp(0.5, 3.0));
            shell.applied_zoom = true;
        }
        (false, None) => shell.applied_zoom = true,
        (true, saved) if saved != Some(zoom) && (saved.is_some() || zoom != 1.0) => {
            shell.learn.update_prefs(|p| p.zoom = Some(zoom));
        }
        _ => {}
    }
}

/// Which shape and colour each packet kind has, bottom-left of the flow view.
/// Shapes are painted (not font glyphs) so they match the flow view exactly.
fn legend_ui(ui: &mut Ui, central: egui::Rect, dark: bool) {
    let kinds = PacketKind::ALL;
    let pos = central.left_bottom() + egui::vec2(10.0, -30.0);
    egui::Area::new(egui::Id::new("legend"))
        .fixed_pos(pos)
        .interactable(false)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                for k in kinds {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::hover());
                    paint_packet(ui.painter(), rect.center(), 6.5, k, packet_color(k, dark));
                    ui.label(RichText::new(k.label()).small());
                    ui.add_space(8.0);
                }
            });
        });
}

/// Paints a packet kind's shape: circle, square, triangle or hexagon.
pub fn paint_packet(
    p: &egui::Painter,
    c: egui::Pos2,
    r: f32,
    kind: PacketKind,
    color: egui::Color32,
) {
    use egui::{Shape, Stroke, pos2};
    let poly = |pts: Vec<egui::Pos2>| Shape::convex_polygon(pts, color, Stroke::NONE);
    match kind {
        PacketKind::Request => {
            p.circle_filled(c, r, color);
        }
        PacketKind::Response => {
            p.rect_filled(
                egui::Rect::from_center_size(c, egui::vec2(2.0 * r, 2.0 * r)),
                1.0,
                color,
            );
        }
        PacketKind::Config => {
            p.add(poly(vec![
                pos2(c.x, c.y - r),
                pos2(c.x + r, c.y + r * 0.8),
                pos2(c.x - r, c.y + r * 0.8),
            ]));
        }
        PacketKind::Lookup => {
            let pts = (0..6)
                .map(|i| {
                    let a = std::f32::consts::TAU * i as f32 / 6.0;
                    pos2(c.x + r * a.cos(), c.y + r * a.sin())
                })
                .collect();
            p.add(poly(pts));
        }
    }
}
