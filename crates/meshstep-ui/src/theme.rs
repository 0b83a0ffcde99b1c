//! Colours for both themes, shared by the egui panels and the bevy flow view
//! so a packet kind or a component kind looks the same everywhere.

use egui::Color32;

use crate::packets::PacketKind;
use meshstep_sim::ComponentKind;

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub background: Color32,
    pub text: Color32,
    pub dim_text: Color32,
    pub pod_fill: Color32,
    pub pod_stroke: Color32,
    pub link: Color32,
    pub highlight: Color32,
    pub current_row: Color32,
    pub changed_cell: Color32,
    pub future_text: Color32,
    /// A right answer.
    pub right: Color32,
    /// Behind configuration shown as code.
    pub code_background: Color32,
}

pub fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            background: Color32::from_rgb(24, 27, 33),
            text: Color32::from_rgb(230, 233, 238),
            dim_text: Color32::from_rgb(170, 176, 186),
            pod_fill: Color32::from_rgb(36, 41, 50),
            pod_stroke: Color32::from_rgb(96, 106, 122),
            link: Color32::from_rgb(84, 92, 106),
            highlight: Color32::from_rgb(255, 214, 92),
            current_row: Color32::from_rgb(50, 62, 38),
            changed_cell: Color32::from_rgb(76, 60, 20),
            future_text: Color32::from_rgb(150, 156, 166),
            right: Color32::from_rgb(110, 205, 120),
            code_background: Color32::from_rgb(16, 18, 22),
        }
    } else {
        Palette {
            background: Color32::from_rgb(246, 247, 249),
            text: Color32::from_rgb(24, 27, 33),
            dim_text: Color32::from_rgb(78, 84, 94),
            pod_fill: Color32::from_rgb(255, 255, 255),
            pod_stroke: Color32::from_rgb(150, 158, 170),
            link: Color32::from_rgb(170, 176, 186),
            // Dark amber: the old (214, 150, 0) was 1.9:1 on the library's lavender.
            highlight: Color32::from_rgb(150, 78, 0),
            current_row: Color32::from_rgb(214, 236, 196),
            changed_cell: Color32::from_rgb(255, 226, 150),
            future_text: Color32::from_rgb(100, 106, 116),
            right: Color32::from_rgb(16, 110, 34),
            code_background: Color32::from_rgb(234, 236, 240),
        }
    }
}

/// Fill of a component box by kind.
pub fn component_fill(kind: ComponentKind, dark: bool) -> Color32 {
    let (d, l) = match kind {
        ComponentKind::App => ((38, 62, 98), (205, 225, 250)),
        ComponentKind::Sidecar => ((30, 80, 74), (196, 238, 228)),
        ComponentKind::Library => ((76, 56, 106), (228, 214, 250)),
        ComponentKind::ControlPlane => ((98, 50, 76), (250, 214, 232)),
        ComponentKind::Kubectl => ((60, 64, 72), (226, 228, 232)),
        ComponentKind::Service => ((70, 70, 42), (240, 240, 204)),
        ComponentKind::Gateway | ComponentKind::Waypoint | ComponentKind::Ztunnel => {
            ((30, 80, 74), (196, 238, 228))
        }
        ComponentKind::External | ComponentKind::Client => ((60, 64, 72), (226, 228, 232)),
        ComponentKind::Pod | ComponentKind::End => ((36, 41, 50), (255, 255, 255)),
    };
    let (r, g, b) = if dark { d } else { l };
    Color32::from_rgb(r, g, b)
}

/// Colour of a packet kind (its shape differs too, so colour is not the only
/// cue). Okabe and Ito's colour-blind-safe set, chosen per theme so that the
/// four stay apart under protanopia, deuteranopia and tritanopia and each
/// stands 3:1 off the background (a test simulates all three).
pub fn packet_color(kind: PacketKind, dark: bool) -> Color32 {
    let (d, l) = match kind {
        PacketKind::Request => ((86, 180, 233), (0, 114, 178)),
        PacketKind::Response => ((230, 159, 0), (213, 94, 0)),
        PacketKind::Config => ((240, 228, 66), (30, 30, 30)),
        PacketKind::Lookup => ((0, 114, 178), (0, 158, 115)),
    };
    let (r, g, b) = if dark { d } else { l };
    Color32::from_rgb(r, g, b)
}

/// Paints a packet kind's shape: circle, square, triangle or diamond (a
/// hexagon, tried first, reads as a circle at packet size).
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
            let r = r * 1.2;
            p.add(poly(vec![
                pos2(c.x, c.y - r),
                pos2(c.x + r, c.y),
                pos2(c.x, c.y + r),
                pos2(c.x - r, c.y),
            ]));
        }
    }
}

/// The shape each packet kind is drawn with, named for the legend.
pub fn packet_shape(kind: PacketKind) -> &'static str {
    match kind {
        PacketKind::Request => "circle",
        PacketKind::Response => "square",
        PacketKind::Config => "triangle",
        PacketKind::Lookup => "diamond",
    }
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let ch = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Every text colour on every background the app puts it on: the side
/// panel's texts on egui's panel and window fills and on the table's row
/// and cell fills; the flow view's names and states on each component's
/// fill. The contrast test walks this list.
pub fn text_pairs(dark: bool) -> Vec<(String, Color32, Color32)> {
    let p = palette(dark);
    let v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let mut out = Vec::new();
    let panel_texts = [
        ("text", p.text),
        ("dim text", p.dim_text),
        ("future text", p.future_text),
        ("highlight", p.highlight),
        ("right answer", p.right),
    ];
    for (bg_name, bg) in [
        ("panel", v.panel_fill),
        ("window", v.window_fill),
        ("page", p.background),
    ] {
        for (name, fg) in panel_texts {
            out.push((format!("{name} on {bg_name}"), fg, bg));
        }
    }
    for (bg_name, bg) in [
        ("current row", p.current_row),
        ("changed cell", p.changed_cell),
        ("code", p.code_background),
    ] {
        for (name, fg) in [("text", p.text), ("dim text", p.dim_text)] {
            out.push((format!("{name} on {bg_name}"), fg, bg));
        }
    }
    out.push((
        "highlight on current row".into(),
        p.highlight,
        p.current_row,
    ));
    for kind in ComponentKind::ALL {
        let fill = component_fill(kind, dark);
        out.push((format!("name on {kind:?}"), p.text, fill));
        out.push((format!("acting state on {kind:?}"), p.highlight, fill));
    }
    out.push(("pod name on pod".into(), p.dim_text, p.pod_fill));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_meets_wcag_aa_in_both_themes() {
        for dark in [true, false] {
            let bad: Vec<String> = text_pairs(dark)
                .into_iter()
                .filter_map(|(what, fg, bg)| {
                    let c = contrast(fg, bg);
                    (c < 4.5).then(|| format!("{what}: {c:.2}:1"))
                })
                .collect();
            assert!(bad.is_empty(), "dark={dark}: below 4.5:1: {bad:#?}");
        }
    }

    /// A colour as someone with a colour-vision deficiency sees it
    /// (Machado, Oliveira and Fernandes 2009, severity 1, in linear RGB).
    fn simulate(c: Color32, m: &[[f32; 3]; 3]) -> [f32; 3] {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let srgb = |v: f32| {
            let v = v.clamp(0.0, 1.0);
            255.0
                * if v <= 0.003_130_8 {
                    v * 12.92
                } else {
                    1.055 * v.powf(1.0 / 2.4) - 0.055
                }
        };
        let l = [lin(c.r()), lin(c.g()), lin(c.b())];
        std::array::from_fn(|i| srgb(m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]))
    }

    #[test]
    fn packet_colours_stay_apart_for_colour_blind_learners() {
        const VISIONS: [(&str, [[f32; 3]; 3]); 4] = [
            (
                "normal",
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            ),
            (
                "protanopia",
                [
                    [0.152_286, 1.052_583, -0.204_868],
                    [0.114_503, 0.786_281, 0.099_216],
                    [-0.003_882, -0.048_116, 1.051_998],
                ],
            ),
            (
                "deuteranopia",
                [
                    [0.367_322, 0.860_646, -0.227_968],
                    [0.280_085, 0.672_501, 0.047_413],
                    [-0.011_820, 0.042_940, 0.968_881],
                ],
            ),
            (
                "tritanopia",
                [
                    [1.255_528, -0.076_749, -0.178_779],
                    [-0.078_411, 0.930_809, 0.147_602],
                    [0.004_733, 0.691_367, 0.303_900],
                ],
            ),
        ];
        for dark in [true, false] {
            let bg = palette(dark).background;
            for a in PacketKind::ALL {
                let ca = packet_color(a, dark);
                assert!(
                    contrast(ca, bg) >= 3.0,
                    "{a:?} on the background (dark={dark})"
                );
                for b in PacketKind::ALL.into_iter().filter(|b| *b != a) {
                    let cb = packet_color(b, dark);
                    for (vision, m) in &VISIONS {
                        let (x, y) = (simulate(ca, m), simulate(cb, m));
                        let d = (0..3).map(|i| (x[i] - y[i]).powi(2)).sum::<f32>().sqrt();
                        assert!(
                            d >= 28.0,
                            "dark={dark}: {a:?} and {b:?} look alike with {vision} ({d:.0})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn contrast_matches_the_wcag_examples() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
        // #767676 on white is the lightest grey that passes AA: 4.54:1.
        let grey = Color32::from_rgb(0x76, 0x76, 0x76);
        assert!((contrast(grey, Color32::WHITE) - 4.54).abs() < 0.01);
    }
}
