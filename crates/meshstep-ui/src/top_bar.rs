//! The top bar: lesson picker, playback controls and speed, theme, the deep
//! dive and the explore pages, score, the side-panel toggle and help. It only
//! reports what was asked for, as actions the shell applies.

use egui::Ui;

use crate::explore::Page;
use crate::learn::Learning;
use crate::library::LessonLibrary;
use crate::panels::UiAction;
use crate::viewer::Viewer;

/// What the top bar reads of the shell.
pub(crate) struct TopBar<'a> {
    pub library: &'a LessonLibrary,
    pub selected: usize,
    pub viewer: Option<&'a Viewer>,
    pub dark: bool,
    pub learn: &'a Learning,
    pub page: Option<Page>,
    pub side_open: bool,
    /// Whether the lesson editor is open.
    pub editing: bool,
    /// The lesson pack's title, if one is open, and whether its menu shows.
    pub pack: Option<(&'a str, bool)>,
    /// Width to leave free at the right end.
    pub reserve: f32,
}

pub(crate) fn top_bar_ui(ui: &mut Ui, bar: TopBar<'_>, actions: &mut Vec<UiAction>) {
    egui::Panel::top("top-bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.set_max_width((ui.available_width() - bar.reserve).max(200.0));
            let titles: Vec<String> = bar
                .library
                .entries
                .iter()
                .map(|e| e.title.clone())
                .collect();
            let current = titles.get(bar.selected).cloned().unwrap_or_default();
            // Truncation works against the room left: give it 220 px.
            let picker = ui
                .scope(|ui| {
                    ui.set_max_width(220.0);
                    egui::ComboBox::from_id_salt("lesson-picker")
                        .width(220.0)
                        // A long title ends in "…" (whole in the list and for
                        // screen readers), so the bar keeps to one row.
                        .truncate()
                        .selected_text(current.clone())
                        .show_ui(ui, |ui| {
                            for (i, t) in titles.iter().enumerate() {
                                if ui.selectable_label(i == bar.selected, t).clicked() {
                                    actions.push(UiAction::SelectLesson(i));
                                }
                            }
                        })
                })
                .inner;
            // Named for screen readers: the box shows only the lesson's title.
            picker.response.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::WidgetType::ComboBox,
                    true,
                    format!("Lesson: {current}"),
                )
            });
            if let Some((title, open)) = bar.pack
                && ui
                    .selectable_label(open, "📚 Pack")
                    .on_hover_text(format!("The lessons of “{title}”"))
                    .clicked()
            {
                actions.push(UiAction::TogglePack);
            }
            ui.separator();
            if let Some(v) = &bar.viewer {
                if ui.button("⏮").on_hover_text("Start (Home)").clicked() {
                    actions.push(UiAction::Home);
                }
                if ui
                    .button("◀")
                    .on_hover_text("Previous step (Left arrow)")
                    .clicked()
                {
                    actions.push(UiAction::StepBack);
                }
                let play = if v.playing { "⏸ Pause" } else { "▶ Play" };
                if ui
                    .button(play)
                    .on_hover_text("Play / pause (Space)")
                    .clicked()
                {
                    actions.push(UiAction::TogglePlay);
                }
                if ui
                    .button("▶|")
                    .on_hover_text("Next step (Right arrow)")
                    .clicked()
                {
                    actions.push(UiAction::StepForward);
                }
                if ui.button("⏭").on_hover_text("End (End)").clicked() {
                    actions.push(UiAction::End);
                }
                if ui.button("⟲").on_hover_text("Restart").clicked() {
                    actions.push(UiAction::Restart);
                }
                let mut speed = v.speed;
                // Narrower than egui's default, so the bar fits 1280 px in one row.
                ui.spacing_mut().slider_width = 56.0;
                // "1.00×" reads as a speed without a label, which keeps the
                // bar to one row at 1280 px in the page too; screen readers
                // get the name.
                let slider = ui
                    .add(
                        egui::Slider::new(&mut speed, 0.25..=4.0)
                            .logarithmic(true)
                            .suffix("×"),
                    )
                    .on_hover_text("Playback speed");
                slider.widget_info(|| {
                    egui::WidgetInfo::slider(true, f64::from(speed), "Playback speed")
                });
                if slider.changed() {
                    actions.push(UiAction::SetSpeed(speed));
                }
            }
            // The icon alone, to keep the bar to one row; the name is on
            // hover and for screen readers.
            let (icon, name) = if bar.dark {
                ("☀", "Light theme")
            } else {
                ("🌙", "Dark theme")
            };
            let theme = ui.button(icon).on_hover_text(name);
            theme.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, name));
            if theme.clicked() {
                actions.push(UiAction::ToggleTheme);
            }
            if let Some(v) = &bar.viewer {
                if v.lesson.scenario.deep_dive.is_some() {
                    let open = bar.learn.deep_dive_open;
                    if ui.selectable_label(open, "📖 Deep dive").clicked() {
                        actions.push(if open {
                            UiAction::CloseDeepDive
                        } else {
                            UiAction::OpenDeepDive
                        });
                    }
                }
                for page in Page::ALL {
                    let open = bar.page == Some(page);
                    if ui
                        .selectable_label(open, page.label())
                        .on_hover_text(page.hover())
                        .clicked()
                    {
                        actions.push(UiAction::TogglePage(page));
                    }
                }
                let score = bar.learn.score(&v.lesson);
                if ui
                    .button(format!("Score {score}"))
                    .on_hover_text("Scores and saved progress")
                    .clicked()
                {
                    actions.push(UiAction::ToggleProgress);
                }
            }
            if bar.viewer.is_some()
                && ui
                    .selectable_label(bar.side_open, "▤ Panel")
                    .on_hover_text("Show or hide the side panel (Ctrl+B)")
                    .clicked()
            {
                actions.push(UiAction::ToggleSidePanel);
            }
            if ui
                .selectable_label(bar.editing, "✏ Edit")
                .on_hover_text("Edit this lesson's text beside it, checked as you type (Ctrl+E)")
                .clicked()
            {
                actions.push(UiAction::Editor(crate::editor::EditorAction::Toggle));
            }
            if ui
                .button("?")
                .on_hover_text("Keyboard shortcuts (?)")
                .clicked()
            {
                actions.push(UiAction::ToggleHelp);
            }
        });
    });
}
