//! The whole window's egui layer: top bar (lesson picker, controls, theme,
//! explore pages, help), the side panel with its tabs, the timeline with the
//! step's why-line, the help overlay and the windows (prediction, progress,
//! notes). It leaves the centre free for the flow view and reports that
//! rectangle.

use egui::{RichText, Ui};

use crate::flow_labels::{flow_labels, paint_flow_labels};
use crate::keys::KEYMAP;
use crate::layout::snap_view_size;
use crate::learn_ui;
use crate::library::Entry;
use crate::packets::PacketKind;
use crate::panels::{self, UiAction};
use crate::shell::{MIN_TEXT_PX, Shell};
use crate::theme::{packet_color, paint_packet, palette};

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
    shell.tick_editor(ui.input(|i| i.time));
    let mut actions = shell.key_actions(ui.ctx());

    let bar = crate::top_bar::TopBar {
        library: &shell.library,
        selected: shell.selected,
        viewer: shell.viewer.as_ref(),
        dark: shell.dark,
        learn: &shell.learn,
        page: shell.explore.page,
        side_open: shell.side_open,
        editing: shell.editor.is_some(),
        pack: (shell.pack.as_ref()).map(|p| (p.title.as_str(), shell.pack_open)),
        reserve: shell.top_bar_reserve,
    };
    crate::top_bar::top_bar_ui(ui, bar, &mut actions);

    let pack_menu = shell.pack_open && shell.pack.is_some();
    if let (Some(v), None, false) = (&shell.viewer, shell.explore.page, pack_menu) {
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

    // The editor on the left; the lesson it edits stays on the right.
    let writes_files = shell.export_dir.is_some();
    if let Some(editor) = &mut shell.editor {
        let width = ui.available_width();
        egui::Panel::left("lesson-editor")
            .resizable(true)
            .default_size(width * 0.5)
            .min_size(320.0)
            .max_size(width * 0.7)
            .show(ui, |ui| {
                let a = crate::editor_ui::editor_ui(ui, editor, writes_files, shell.dark, &pal);
                actions.extend(a);
            });
        if editor.changed_at.is_some() {
            // Keep the clock running until the pending check is done.
            ui.ctx().request_repaint();
        }
    }

    // An explore page takes the whole width: it has its own columns; the
    // editor takes the side panel's place.
    let side_open =
        shell.side_open && shell.explore.page.is_none() && shell.editor.is_none() && !pack_menu;
    if let (Some(v), true) = (&shell.viewer, side_open) {
        let learn = &mut shell.learn;
        let next = shell
            .library
            .entries
            .get(shell.selected + 1)
            .map(|e| (shell.selected + 1, e.title.as_str()));
        let (width, height) = (ui.available_width(), ui.available_height());
        let panel = |ui: &mut Ui| {
            if let Some(a) = crate::side_panel::side_panel_ui(ui, v, shell.tab, learn, next, &pal) {
                actions.push(a);
            }
        };
        if portrait(width, height) {
            // A tablet held upright: the panel under the flow view, both full width.
            egui::Panel::bottom("lesson-panels-below")
                .resizable(true)
                .default_size(height * 0.5)
                .min_size(240.0)
                .max_size(height * 0.7)
                .show(ui, panel);
        } else {
            egui::Panel::right("lesson-panels")
                .resizable(true)
                .default_size(width * 0.42)
                .min_size(280.0)
                .max_size(width * 0.5)
                .show(ui, panel);
        }
    }

    // What is left is the flow view's, or the place to show why a lesson cannot open.
    let central = ui.available_rect_before_wrap();
    let entry = shell.library.entries.get(shell.selected);
    if pack_menu {
        // The pack's menu covers the flow view, like the deep dive.
        cover_page(ui, central, &pal, |ui| {
            actions.extend(crate::packs::pack_menu_ui(ui, shell, &pal));
        });
    } else if let Some(e) = entry
        && let Entry::Broken {
            diagnostics,
            source,
        } = &e.entry
    {
        ui.scope_builder(
            egui::UiBuilder::new().max_rect(central.shrink(12.0)),
            |ui| {
                if shell.editor.is_some() {
                    // The editor beside lists the problems at their places.
                    ui.heading(format!("{} has errors", e.name));
                    ui.label("The lesson shows here as soon as the text in the editor is valid.");
                } else {
                    panels::diagnostics_ui(ui, &e.name, source, diagnostics, &pal);
                }
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
        cover_page(ui, central, &pal, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("deep-dive")
                .show(ui, |ui| {
                    if let Some(a) = learn_ui::deep_dive_ui(ui, &v.lesson, learn, &pal) {
                        actions.push(a);
                    }
                });
        });
    } else if let Some(page) = shell.explore.page {
        if let Some(a) = crate::explore_ui::page_ui(ui, &shell.explore, page, central, &pal) {
            actions.push(a);
        }
    } else if let Some(v) = &mut shell.viewer {
        let size = snap_view_size(central.width(), central.height());
        if shell.flow_layout.as_ref().map(|(s, _)| *s) != Some(size) {
            let l = crate::layout::flow_layout(v, size.0 as f32, size.1 as f32);
            shell.flow_layout = Some((size, l));
        }
        if let Some((_, l)) = &shell.flow_layout {
            if let Some(a) = crate::flow_zoom_ui::flow_zoom_ui(ui, v, l, central) {
                actions.push(a);
            }
            let painter = ui.painter().with_clip_rect(central);
            let absent = crate::flow_marks::absent_boxes(v, l, central);
            crate::flow_marks::paint_absent(&painter, &absent, shell.dark);
            let labels = flow_labels(v, l, central, shell.dark);
            paint_flow_labels(&painter, labels);
        }
        legend_ui(ui, central, shell.dark);
    }

    crate::reload::reload_problem_ui(ui.ctx(), shell, central, &pal);

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
    if let Some(link) = shell.link_text.clone() {
        link_window(ui.ctx(), shell, &link);
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

/// The link that carries the lesson: how long it is, the start of it, and
/// Copy (the whole link can be thousands of characters).
fn link_window(ctx: &egui::Context, shell: &mut Shell, link: &str) {
    use crate::inline_link::LINK_ADVICE;
    let mut open = true;
    egui::Window::new("Link to this lesson")
        .open(&mut open)
        .collapsible(false)
        .default_width(460.0)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 48.0))
        .show(ctx, |ui| {
            if link.starts_with('#') {
                ui.label(
                    "The lesson travels inside the link. Put the address of a meshstep \
                     page in front of it (https://…/meshstep/#v=1&lz=…) and share it.",
                );
            } else {
                ui.label("The lesson travels inside the link: share it as it is.");
            }
            let start: String = link.chars().take(90).collect();
            ui.label(RichText::new(format!("{start}…")).monospace().small());
            ui.label(format!("{} characters.", link.chars().count()));
            if link.len() > LINK_ADVICE {
                ui.label(
                    RichText::new(format!(
                        "⚠ Longer than {LINK_ADVICE} characters: chat and mail programs may cut \
                         it. A file on a web host (#src=…) is the safer route."
                    ))
                    .color(palette(shell.dark).highlight),
                );
            }
            if ui.button("Copy the link").clicked() {
                ui.ctx().copy_text(link.to_string());
            }
        });
    if !open {
        shell.link_text = None;
    }
}

/// A page over the flow view (the deep dive, a pack's menu): opaque, with
/// a margin, filling `central`.
fn cover_page(
    ui: &mut Ui,
    central: egui::Rect,
    pal: &crate::theme::Palette,
    add: impl FnOnce(&mut Ui),
) {
    ui.scope_builder(egui::UiBuilder::new().max_rect(central), |ui| {
        egui::Frame::new()
            .fill(pal.background)
            .inner_margin(16.0)
            .show(ui, |ui| {
                ui.set_min_size(central.size() - egui::vec2(32.0, 32.0));
                add(ui);
            });
    });
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
/// Whether the window is narrow and upright (a tablet held in portrait,
/// a phone): then the lesson's panel goes under the flow view, not beside it.
pub fn portrait(width: f32, height: f32) -> bool {
    width < 900.0 && height > width
}

fn legend_ui(ui: &mut Ui, central: egui::Rect, dark: bool) {
    use crate::failure_marks::{FailureMark, paint_mark};
    egui::Area::new(egui::Id::new("legend"))
        .fixed_pos(central.left_bottom() + egui::vec2(10.0, -8.0))
        .pivot(egui::Align2::LEFT_BOTTOM)
        .interactable(false)
        .show(ui.ctx(), |ui| {
            ui.set_max_width(central.width() - 20.0);
            // Each shape stays with its word when the line wraps: a new row
            // starts before an item that would not fit whole.
            let max = central.width() - 20.0;
            let mut used = 0.0;
            let mut item = |ui: &mut Ui, word: &str, paint: &dyn Fn(&egui::Painter, egui::Rect)| {
                let font = egui::TextStyle::Small.resolve(ui.style());
                let text_w = (ui.painter())
                    .layout_no_wrap(word.to_string(), font, egui::Color32::WHITE)
                    .size()
                    .x;
                let width = 16.0 + ui.spacing().item_spacing.x * 2.0 + text_w + 8.0;
                if used > 0.0 && used + width > max {
                    ui.end_row();
                    used = 0.0;
                }
                used += width;
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::hover());
                paint(ui.painter(), rect);
                ui.label(RichText::new(word).small());
                ui.add_space(8.0);
            };
            ui.horizontal_wrapped(|ui| {
                for k in PacketKind::ALL {
                    item(ui, k.label(), &|p, r| {
                        paint_packet(p, r.center(), 6.5, k, packet_color(k, dark))
                    });
                }
                // Failures as the flow view marks them: the shape on its plate.
                for m in FailureMark::ALL {
                    item(ui, m.label(), &|p, r| {
                        p.rect_filled(r, 3.0, crate::failure_marks::FAILURE_PLATE);
                        paint_mark(p, r.center(), 11.0, m, egui::Color32::WHITE);
                    });
                }
            });
        });
}
