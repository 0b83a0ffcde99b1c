//! The scale lab's page: sliders (pods, services, rate, languages, mesh,
//! calls sampled, seed), the experiments the deep dives' myths link to, a
//! progress bar while the sampler runs, the figures at the chosen size, and
//! four plots — latency distribution per approach, time to roll out one
//! policy change, proxy memory, and control-plane connections against pods.
//! Lines differ by dash and marker shape as well as colour.

use egui::{Color32, RichText, Ui};
use egui_plot::{GridInput, GridMark, Legend, Line, LineStyle, MarkerShape, Plot, Points, VLine};
use meshstep_sim::compare::Approach;
use meshstep_sim::scale::{self, MeshKind, ScaleParams, ScaleResult, presets};

use crate::explore::ScaleLab;
use crate::theme::Palette;

#[derive(Debug, Clone, PartialEq)]
pub enum ScaleAction {
    /// The sliders changed: compute again.
    Params(ScaleParams),
    Preset(&'static str),
}

/// How each approach is drawn: colour, dash and marker, so no line is told
/// apart by colour alone.
fn look(a: Approach) -> (Color32, LineStyle, MarkerShape) {
    match a {
        Approach::Direct => (
            Color32::from_rgb(150, 156, 166),
            LineStyle::Solid,
            MarkerShape::Circle,
        ),
        Approach::Library => (
            Color32::from_rgb(230, 159, 0),
            LineStyle::dashed_loose(),
            MarkerShape::Square,
        ),
        Approach::Sidecar => (
            Color32::from_rgb(86, 180, 233),
            LineStyle::Dotted { spacing: 6.0 },
            MarkerShape::Diamond,
        ),
        Approach::Ambient => (
            Color32::from_rgb(0, 158, 115),
            LineStyle::Dotted { spacing: 6.0 },
            MarkerShape::Up,
        ),
    }
}

fn lane_name(a: Approach, mesh: MeshKind) -> String {
    match a {
        Approach::Sidecar | Approach::Ambient => mesh.label().to_string(),
        _ => a.label().to_string(),
    }
}

/// Grid lines at whole powers of ten of a log10 axis, only those in view
/// (egui_plot paints a mark's label even when it lies outside the plot).
fn decades(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    (lo.ceil() as i64..=hi.floor() as i64)
        .map(|v| GridMark {
            value: v as f64,
            step_size: 1.0,
        })
        .collect()
}

fn pow10_label(v: f64, unit: &str) -> String {
    let x = 10f64.powf(v);
    if x >= 1000.0 {
        format!("{:.0}k{unit}", x / 1000.0)
    } else if x >= 1.0 {
        format!("{x:.0}{unit}")
    } else {
        format!("{x}{unit}")
    }
}

pub fn scale_ui(ui: &mut Ui, lab: &ScaleLab, pal: &Palette) -> Option<ScaleAction> {
    let mut action = None;
    ui.heading("Scale lab");
    ui.label("How each approach fares from 10 to 10,000 pods. Per-call costs come from the engine; load, rollouts and resources follow the model in the docs (sources cited there).");
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(300.0);
            action = controls(ui, lab, pal).or(action.take());
        });
        ui.separator();
        ui.vertical(|ui| match &lab.result {
            Some(r) => plots(ui, r),
            None => {
                ui.label(lab.error.as_deref().unwrap_or("Computing…"));
            }
        });
    });
    action
}

fn controls(ui: &mut Ui, lab: &ScaleLab, pal: &Palette) -> Option<ScaleAction> {
    let mut action = None;
    let mut p = lab.params;
    egui::ComboBox::from_label("Experiment")
        .selected_text(
            lab.preset
                .and_then(presets::by_id)
                .map_or("choose…", |x| x.title),
        )
        .width(200.0)
        .show_ui(ui, |ui| {
            for x in presets::all() {
                if ui
                    .selectable_label(lab.preset == Some(x.id), x.title)
                    .clicked()
                {
                    action = Some(ScaleAction::Preset(x.id));
                }
            }
        });
    if let Some(x) = lab.preset.and_then(presets::by_id) {
        ui.label(
            RichText::new(format!("Look at {}.", x.look_at))
                .small()
                .color(pal.dim_text),
        );
    }
    let mut changed = false;
    changed |= ui
        .add(
            egui::Slider::new(&mut p.pods, scale::PODS)
                .logarithmic(true)
                .text("pods"),
        )
        .changed();
    p.services = p.services.min(p.pods);
    changed |= ui
        .add(
            egui::Slider::new(&mut p.services, 1..=p.pods)
                .logarithmic(true)
                .text("services"),
        )
        .changed();
    changed |= ui
        .add(
            egui::Slider::new(&mut p.rate_rps, scale::RATE)
                .logarithmic(true)
                .text("calls/s"),
        )
        .changed();
    changed |= ui
        .add(egui::Slider::new(&mut p.languages, scale::LANGUAGES).text("languages"))
        .changed();
    egui::ComboBox::from_label("mesh")
        .selected_text(p.mesh.label())
        .width(200.0)
        .show_ui(ui, |ui| {
            for m in MeshKind::ALL {
                changed |= ui.selectable_value(&mut p.mesh, m, m.label()).changed();
            }
        });
    changed |= ui
        .add(
            egui::Slider::new(&mut p.requests, scale::REQUESTS)
                .logarithmic(true)
                .text("calls sampled"),
        )
        .changed();
    ui.horizontal(|ui| {
        ui.label("seed");
        changed |= ui.add(egui::DragValue::new(&mut p.seed)).changed();
    });
    if changed {
        action = Some(ScaleAction::Params(p));
    }
    if lab.running() {
        ui.add(
            egui::ProgressBar::new(lab.progress())
                .show_percentage()
                .text("sampling calls…"),
        );
    }
    if let Some(e) = &lab.error {
        ui.colored_label(pal.highlight, e);
    }
    if let Some(r) = &lab.result {
        ui.add_space(6.0);
        summary(ui, r);
        if r.lanes.iter().any(|l| l.overloaded) {
            ui.colored_label(pal.highlight, "⚠ Some proxies get more calls than they can serve at this rate: their latency grows without bound, so none is sampled.");
        }
        let k = r.params.languages;
        if k > 1 {
            ui.label(RichText::new(format!("With {k} languages the library must be ported {} time{} before every app has it; the mesh needs no port.", k - 1, if k == 2 { "" } else { "s" })).small());
        }
    }
    action
}

fn summary(ui: &mut Ui, r: &ScaleResult) {
    let t = r.table();
    egui::Grid::new("scale-summary")
        .striped(true)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for c in &t.columns {
                ui.label(RichText::new(c).small().strong());
            }
            ui.end_row();
            for row in &t.rows {
                for c in row {
                    ui.label(RichText::new(c).small());
                }
                ui.end_row();
            }
        });
}

fn plots(ui: &mut Ui, r: &ScaleResult) {
    let w = (ui.available_width() / 2.0 - 8.0).max(200.0);
    let h = ((ui.available_height() - 60.0) / 2.0).clamp(140.0, 320.0);
    let pods_x = (r.params.pods as f64).log10();
    ui.horizontal(|ui| {
        plot_box(ui, "Latency of a call (share of calls)", w, h, |ui| {
            Plot::new("latency")
                .legend(Legend::default())
                .x_grid_spacer(decades)
                .x_axis_formatter(|m, _| pow10_label(m.value, " ms"))
                .y_axis_formatter(|m, _| format!("{:.1}%", m.value))
                .allow_scroll(false)
                .show(ui, |pu| {
                    for l in &r.lanes {
                        let (c, style, _) = look(l.approach);
                        let pts: Vec<[f64; 2]> = coarse(&l.latency.density_ms())
                            .into_iter()
                            .map(|[x, y]| [x.log10(), y * 100.0])
                            .collect();
                        pu.line(
                            Line::new(lane_name(l.approach, r.params.mesh), pts)
                                .color(c)
                                .style(style)
                                .width(2.0),
                        );
                    }
                });
        });
        sweep_plot(
            ui,
            "Roll out one policy change (time)",
            w,
            h,
            r,
            pods_x,
            |p| Some(p.rollout_s).filter(|v| *v > 0.0),
            " s",
        );
    });
    ui.horizontal(|ui| {
        sweep_plot(
            ui,
            "Proxy memory",
            w,
            h,
            r,
            pods_x,
            |p| Some(p.proxy_memory_mib).filter(|v| *v > 0.0),
            " MiB",
        );
        sweep_plot(
            ui,
            "Control-plane connections (one push each per change)",
            w,
            h,
            r,
            pods_x,
            |p| Some(p.control_plane_connections as f64).filter(|v| *v > 0.0),
            "",
        );
    });
}

/// Ten histogram buckets to a point: a readable line rather than noise.
fn coarse(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    points
        .chunks(10)
        .map(|c| [c[c.len() - 1][0], c.iter().map(|p| p[1]).sum()])
        .collect()
}

fn plot_box(ui: &mut Ui, title: &str, w: f32, h: f32, add: impl FnOnce(&mut Ui)) {
    ui.vertical(|ui| {
        ui.set_width(w);
        ui.label(RichText::new(title).strong());
        ui.allocate_ui(egui::vec2(w, h), add);
    });
}

#[allow(clippy::too_many_arguments)]
fn sweep_plot(
    ui: &mut Ui,
    title: &str,
    w: f32,
    h: f32,
    r: &ScaleResult,
    pods_x: f64,
    y: impl Fn(&scale::SweepPoint) -> Option<f64>,
    unit: &'static str,
) {
    plot_box(ui, title, w, h, |ui| {
        Plot::new(title)
            .legend(Legend::default())
            .x_grid_spacer(decades)
            .y_grid_spacer(decades)
            .x_axis_formatter(|m, _| pow10_label(m.value, " pods"))
            .y_axis_formatter(move |m, _| pow10_label(m.value, unit))
            .allow_scroll(false)
            .show(ui, |pu| {
                for (a, points) in &r.sweep.lanes {
                    let (c, style, shape) = look(*a);
                    let pts: Vec<[f64; 2]> = points
                        .iter()
                        .filter_map(|p| y(p).map(|v| [(p.pods as f64).log10(), v.log10()]))
                        .collect();
                    if pts.is_empty() {
                        continue;
                    }
                    let name = lane_name(*a, r.params.mesh);
                    pu.line(
                        Line::new(name.clone(), pts.clone())
                            .color(c)
                            .style(style)
                            .width(2.0),
                    );
                    pu.points(Points::new(name, pts).shape(shape).radius(3.5).color(c));
                }
                pu.vline(VLine::new("chosen size", pods_x).color(Color32::GRAY));
            });
    });
}
