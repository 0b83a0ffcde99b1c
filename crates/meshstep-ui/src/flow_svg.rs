//! The flow view as SVG, for printed handouts: the same layout
//! (`layout::flow_layout`), the same box colours (light theme) and the same
//! words (box titles, states, failures) as the window at the step the viewer
//! shows, drawn without a window so the command line can make it.

use std::fmt::Write;

use meshstep_sim::ComponentKind;

use crate::failure_marks::failure_of;
use crate::flow_labels::state_text;
use crate::layout::{LineKind, flow_layout, node_label};
use crate::theme::{component_fill, palette};
use crate::viewer::Viewer;

fn hex(c: egui::Color32) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
}

/// Text made safe inside XML and HTML (elements and attribute values).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Words broken into lines of at most `chars` characters.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.len() + 1 + word.len() <= chars => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Draw order: pods under their containers, libraries over their apps.
fn depth(kind: ComponentKind) -> u8 {
    match kind {
        ComponentKind::Pod => 0,
        ComponentKind::Library => 2,
        _ => 1,
    }
}

/// The flow view at the viewer's moment, `width`×`height` points.
pub fn flow_svg(v: &Viewer, width: f32, height: f32) -> String {
    let layout = flow_layout(v, width, height);
    let pal = palette(false);
    let topo = &v.lesson.topology;
    let snap = v.snapshot();
    let acting = v.acting();
    // The failure at the step shown, marked on its box as in the window.
    let failure = v
        .shown_row()
        .and_then(|r| failure_of(&v.run.trace.rows[r]).map(|f| (v.run.trace.rows[r].component, f)));
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" role="img">"#,
        w = layout.width,
        h = layout.height
    );
    let _ = write!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        hex(pal.background)
    );
    for l in &layout.links {
        let (Some(a), Some(b)) = (layout.center(l.from), layout.center(l.to)) else {
            continue;
        };
        let dash = if l.kind == LineKind::Traffic {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"{dash}/>"#,
            a.0,
            a.1,
            b.0,
            b.1,
            hex(pal.link)
        );
    }
    let mut boxes: Vec<_> = layout.boxes.iter().collect();
    boxes.sort_by_key(|(c, _)| (depth(topo.component(**c).kind), c.0));
    let k = layout.scale;
    for (&c, r) in boxes {
        let kind = topo.component(c).kind;
        let fill = if kind == ComponentKind::Pod {
            pal.pod_fill
        } else {
            component_fill(kind, false)
        };
        let (stroke, sw) = if acting == Some(c) {
            (pal.highlight, 4.0)
        } else {
            (pal.pod_stroke, 1.0)
        };
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" stroke="{}" stroke-width="{sw}"/>"#,
            r.x - r.w / 2.0,
            r.y - r.h / 2.0,
            r.w,
            r.h,
            hex(fill),
            hex(stroke)
        );
        let t = layout.text.get(&c).copied().unwrap_or(*r);
        let size = 12.0 * k;
        let per_line = ((t.w / (size * 0.55)) as usize).max(6);
        let mut lines: Vec<(String, String, f32)> = wrap(&node_label(topo, c), per_line)
            .into_iter()
            .map(|l| (l, hex(pal.text), size))
            .collect();
        if !matches!(kind, ComponentKind::Pod | ComponentKind::Service) {
            let (words, color) = match &failure {
                Some((fc, (mark, words))) if *fc == c => (
                    format!("✖ {words} ({})", mark.label()),
                    "#aa2828".to_string(),
                ),
                _ => (
                    snap.states
                        .get(c.index())
                        .map_or(String::new(), |s| state_text(v, c, *s)),
                    hex(pal.dim_text),
                ),
            };
            lines.push((String::new(), String::new(), size * 0.4));
            lines.extend(
                wrap(&words, per_line)
                    .into_iter()
                    .map(|l| (l, color.clone(), size * 0.92)),
            );
        }
        let mut y = t.y - t.h / 2.0;
        for (text, color, s) in lines {
            y += s * 1.15;
            if !text.is_empty() {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{y}" font-size="{s}" fill="{color}" text-anchor="middle">{}</text>"#,
                    t.x,
                    esc(&text)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_the_width_given() {
        assert_eq!(
            wrap("pod checkout-mesh sidecar", 12),
            ["pod", "checkout-mesh", "sidecar"]
        );
        assert_eq!(wrap("a b c", 3), ["a b", "c"]);
    }
}
