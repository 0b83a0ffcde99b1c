//! Where each component is drawn, computed from the topology graph: pods that
//! services select (servers) go right, pods that only call (clients) go left,
//! the control plane and kubectl across the top. Coordinates are logical
//! units on a fixed canvas, y pointing down; the renderer scales the canvas
//! to its viewport, so a new scenario's topology is drawn without code changes.

use std::collections::HashMap;

use meshstep_sim::scenario::schema::{ProxyMode, StimulusAction};
use meshstep_sim::topology::{LinkKind, Node, PodKind};
use meshstep_sim::{ComponentId, ComponentKind, Lesson, Topology};

use crate::packets::PacketKind;

/// Pod box size in pixels (shrunk when the view is small).
pub const POD_W: f32 = 250.0;
pub const POD_H: f32 = 138.0;
const TOP_Y: f32 = 44.0;
/// Below this the view stops shrinking and the camera scales down instead.
pub const MIN_VIEW: (f32, f32) = (560.0, 420.0);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Centre.
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }
    pub fn left(&self) -> f32 {
        self.x - self.w / 2.0
    }
    pub fn right(&self) -> f32 {
        self.x + self.w / 2.0
    }
    pub fn top(&self) -> f32 {
        self.y - self.h / 2.0
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h / 2.0
    }
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.left() < o.right()
            && o.left() < self.right()
            && self.top() < o.bottom()
            && o.top() < self.bottom()
    }
}

/// What a drawn line stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A link of the topology (app to sidecar, sidecar to control plane,
    /// service to the pods it selects).
    Topology(LinkKind),
    /// A path messages of the run take between two components in different
    /// boxes: a sidecar's connection straight to the pod it chose (Envoy
    /// picks the endpoint itself, so the call does not pass through the
    /// Service's address), a library's call, kubectl's API calls.
    Traffic,
}

/// A line drawn between two components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkLine {
    pub from: ComponentId,
    pub to: ComponentId,
    pub kind: LineKind,
}

#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Size of the view laid out, in pixels.
    pub width: f32,
    pub height: f32,
    /// How much larger than the base size boxes and text are drawn (1 up to 1.5 on big views).
    pub scale: f32,
    /// Box of every drawn component (pods, containers, control plane, services, kubectl).
    pub boxes: HashMap<ComponentId, Rect>,
    /// Where each box's own labels go (inside the box, clear of any box drawn on it).
    pub text: HashMap<ComponentId, Rect>,
    pub links: Vec<LinkLine>,
}

impl Layout {
    pub fn center(&self, c: ComponentId) -> Option<(f32, f32)> {
        self.boxes.get(&c).map(|r| (r.x, r.y))
    }

    /// Where a packet of `kind` is drawn, `progress` of the way from `from`'s
    /// box edge to `to`'s (so it never sits on a label). Requests and lookups
    /// fly on one side of the link and responses and config on the other, so
    /// a request and its response passing each other stay apart.
    pub fn packet_at(
        &self,
        from: ComponentId,
        to: ComponentId,
        progress: f32,
        kind: PacketKind,
    ) -> Option<(f32, f32)> {
        let (ca, cb) = (self.center(from)?, self.center(to)?);
        let a = self.edge_towards(from, cb.0, cb.1)?;
        let b = self.edge_towards(to, ca.0, ca.1)?;
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        // The left-hand normal as seen on screen (y points down here).
        let (nx, ny) = if len > 0.0 {
            (dy / len, -dx / len)
        } else {
            (0.0, 0.0)
        };
        let lane = match kind {
            PacketKind::Request | PacketKind::Lookup => 8.0,
            PacketKind::Response | PacketKind::Config => -8.0,
        };
        Some((
            a.0 + dx * progress + nx * lane,
            a.1 + dy * progress + ny * lane,
        ))
    }

    /// The point where the segment from `c`'s centre towards `(tx, ty)` leaves its box.
    pub fn edge_towards(&self, c: ComponentId, tx: f32, ty: f32) -> Option<(f32, f32)> {
        let r = self.boxes.get(&c)?;
        let (dx, dy) = (tx - r.x, ty - r.y);
        if dx == 0.0 && dy == 0.0 {
            return Some((r.x, r.y));
        }
        let sx = if dx == 0.0 {
            f32::INFINITY
        } else {
            (r.w / 2.0) / dx.abs()
        };
        let sy = if dy == 0.0 {
            f32::INFINITY
        } else {
            (r.h / 2.0) / dy.abs()
        };
        let s = sx.min(sy).min(1.0);
        Some((r.x + dx * s, r.y + dy * s))
    }
}

/// The layout of what the viewer shows: the lesson's boxes and topology
/// links, plus a line for every pair of components a message of the run
/// travels between, so every packet flies along a drawn line.
pub fn flow_layout(viewer: &crate::viewer::Viewer, width: f32, height: f32) -> Layout {
    let mut l = layout(&viewer.lesson, width, height);
    add_traffic(&mut l, &viewer.packets);
    l
}

/// Adds a [`LineKind::Traffic`] line for each pair of drawn components that
/// packets travel between and that no line joins yet.
pub fn add_traffic(l: &mut Layout, packets: &[crate::packets::PacketSpan]) {
    for p in packets {
        let joined = |a: ComponentId, b: ComponentId| {
            l.links
                .iter()
                .any(|x| (x.from, x.to) == (a, b) || (x.from, x.to) == (b, a))
        };
        if p.from == p.to
            || joined(p.from, p.to)
            || !l.boxes.contains_key(&p.from)
            || !l.boxes.contains_key(&p.to)
        {
            continue;
        }
        l.links.push(LinkLine {
            from: p.from,
            to: p.to,
            kind: LineKind::Traffic,
        });
    }
}

/// The view size a layout is computed for: rounded to 8 pixels so a
/// drag-resize does not lay out again on every pixel. The flow view's shapes
/// and its labels both lay out at this size, so they agree.
pub fn snap_view_size(width: f32, height: f32) -> (u32, u32) {
    let snap = |v: f32| (v.max(0.0) / 8.0).round() as u32 * 8;
    (snap(width), snap(height))
}

/// What a component's box is titled in the flow view.
pub fn node_label(topo: &Topology, c: ComponentId) -> String {
    let comp = topo.component(c);
    match comp.kind {
        ComponentKind::Pod => format!("pod {}", comp.label),
        ComponentKind::Service => format!("service {}", comp.id.trim_start_matches("svc/")),
        _ => comp.label.clone(),
    }
}

/// Lays the lesson out in a view of `width` x `height` pixels.
pub fn layout(lesson: &Lesson, width: f32, height: f32) -> Layout {
    let (width, height) = (width.max(MIN_VIEW.0), height.max(MIN_VIEW.1));
    // Big views get bigger boxes and text, not just more empty space.
    let k = (height / 640.0).min(width / 760.0).clamp(1.0, 1.5);
    let topo = &lesson.topology;
    let mut boxes = HashMap::new();
    let mut text = HashMap::new();
    // Servers are the pods a service selects (edges in the graph); clients are
    // pods that a stimulus makes call out.
    let mut is_server = vec![false; topo.pods.len()];
    for e in topo.graph.edge_indices() {
        if topo.graph[e].kind != LinkKind::Selects {
            continue;
        }
        if let Some((a, b)) = topo.graph.edge_endpoints(e) {
            for n in [a, b] {
                if let Node::Component(c) = topo.graph[n]
                    && let Some(p) = topo.component(c).pod
                    && topo.pod(p).pod == c
                {
                    is_server[p.index()] = true;
                }
            }
        }
    }
    let mut is_client = vec![false; topo.pods.len()];
    for s in &lesson.scenario.stimuli {
        let from = match &s.action {
            StimulusAction::Call { from, .. } => Some(from),
            StimulusAction::KubectlExecCurl { pod, .. } => Some(pod),
            _ => None,
        };
        if let Some(i) = from.and_then(|f| topo.pod_id(f)) {
            is_client[i.index()] = true;
        }
    }
    let mut columns: [Vec<usize>; 3] = Default::default();
    for i in 0..topo.pods.len() {
        // A gateway is drawn once a lesson sends traffic through it.
        if topo.pods[i].kind == PodKind::Gateway && !is_client[i] {
            continue;
        }
        let col = match (is_client[i], is_server[i]) {
            // A waypoint stands between its callers and its Services.
            _ if topo.pods[i].kind == PodKind::Waypoint => 1,
            (true, false) => 0,
            (false, true) => 2,
            _ if is_server[i] => 1,
            _ => 0,
        };
        columns[col].push(i);
    }
    // Columns across the view; two when nothing sits in the middle.
    let fr: [f32; 3] = if columns[1].is_empty() {
        [0.2, 0.5, 0.78]
    } else {
        [0.17, 0.5, 0.83]
    };
    let xs = fr.map(|f| f * width);
    let gap = width * 0.04;
    let col_w = if columns[1].is_empty() {
        width * 0.5 - gap
    } else {
        width / 3.0 - gap
    };
    let pw = (POD_W * k).min(col_w);
    // The outer columns keep their pods inside the view: at 1024×768 (a
    // 595 px view) 20% of the width was less than half a pod, and the
    // left pods were cut off at the window's edge.
    let margin = 10.0 * k;
    let mut xs = xs;
    xs[0] = xs[0].max(pw / 2.0 + margin);
    xs[2] = xs[2].min(width - pw / 2.0 - margin);
    let top = TOP_Y * k + 96.0 * k;
    // Ambient's ztunnels get a strip along the bottom, under their nodes' pods.
    let strip = if topo.ztunnels.iter().any(Option::is_some) {
        56.0 * k
    } else {
        0.0
    };
    // A column of many pods gets the height it needs; the camera then
    // scales the whole canvas down rather than letting boxes overlap.
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0) as f32;
    let height = height.max(top + 44.0 + strip + tallest * 120.0);
    for (col, pods) in columns.iter().enumerate() {
        let n = pods.len().max(1) as f32;
        let room = (height - top - 44.0 - strip) / n;
        let ph = (POD_H * k).min(room - 40.0).max(80.0);
        for (slot, &p) in pods.iter().enumerate() {
            let pod = &topo.pods[p];
            let cy = top + 30.0 + room * slot as f32 + ph / 2.0;
            let x = xs[col];
            if pod.kind == PodKind::Waypoint {
                // A proxy on its own: one box, no app inside.
                let h = ph * 0.7;
                boxes.insert(pod.pod, Rect::new(x, cy, pw * 0.8, h));
                text.insert(pod.pod, Rect::new(x, cy, pw * 0.8 - 8.0, h - 6.0));
                continue;
            }
            if pod.kind == PodKind::Gateway {
                // Outside clients on the left, the gateway proxy on the right,
                // each a box of its own: the client is not in the pod.
                let cw = (pw - 12.0) / 2.0;
                let (cx_, gx) = (x - cw / 2.0 - 6.0, x + cw / 2.0 + 6.0);
                boxes.insert(pod.app, Rect::new(cx_, cy, cw, ph * 0.7));
                text.insert(pod.app, Rect::new(cx_, cy, cw - 8.0, ph * 0.7 - 6.0));
                boxes.insert(pod.pod, Rect::new(gx, cy, cw, ph));
                text.insert(pod.pod, Rect::new(gx, cy, cw - 8.0, ph - 6.0));
                continue;
            }
            boxes.insert(pod.pod, Rect::new(x, cy, pw, ph));
            text.insert(
                pod.pod,
                Rect::new(x, cy - ph / 2.0 + 11.0 * k, pw - 12.0, 20.0 * k),
            );
            // Containers fill the pod below its title.
            let inner_top = cy - ph / 2.0 + 26.0 * k;
            let inner_h = ph - 34.0 * k;
            let cy_inner = inner_top + inner_h / 2.0;
            match (pod.proxy, pod.sidecar) {
                (ProxyMode::Sidecar, Some(s)) => {
                    let cw = (pw - 24.0) / 2.0;
                    let (ax, sx) = (x - cw / 2.0 - 4.0, x + cw / 2.0 + 4.0);
                    boxes.insert(pod.app, Rect::new(ax, cy_inner, cw, inner_h));
                    text.insert(pod.app, Rect::new(ax, cy_inner, cw - 8.0, inner_h - 6.0));
                    boxes.insert(s, Rect::new(sx, cy_inner, cw, inner_h));
                    text.insert(s, Rect::new(sx, cy_inner, cw - 8.0, inner_h - 6.0));
                }
                _ => {
                    let aw = pw - 16.0;
                    boxes.insert(pod.app, Rect::new(x, cy_inner, aw, inner_h));
                    match pod.library {
                        // The library lives inside the app box, on its right; the app's words on the left.
                        Some(l) => {
                            let lw = aw * 0.48;
                            let lx = x + aw / 2.0 - lw / 2.0 - 5.0;
                            boxes.insert(l, Rect::new(lx, cy_inner, lw, inner_h - 12.0));
                            text.insert(l, Rect::new(lx, cy_inner, lw - 8.0, inner_h - 18.0));
                            let tw = aw - lw - 16.0;
                            text.insert(
                                pod.app,
                                Rect::new(
                                    x - aw / 2.0 + 6.0 + tw / 2.0,
                                    cy_inner,
                                    tw,
                                    inner_h - 6.0,
                                ),
                            );
                        }
                        None => {
                            text.insert(pod.app, Rect::new(x, cy_inner, aw - 8.0, inner_h - 6.0));
                        }
                    }
                }
            }
        }
    }
    // The strip sits above the bottom margin, where the legend is drawn.
    let strip_y = height - 44.0 - strip / 2.0;
    ztunnels(topo, &mut boxes, &mut text, strip_y, strip - 14.0 * k);
    if let Some(cp) = topo.control_plane_id {
        let r = Rect::new(
            width / 2.0,
            TOP_Y * k,
            (250.0 * k).min(width * 0.34),
            62.0 * k,
        );
        boxes.insert(cp, r);
        text.insert(cp, Rect::new(r.x, r.y, r.w - 10.0, r.h - 8.0));
    }
    let kb = Rect::new(16.0 + 65.0 * k, TOP_Y * k, 130.0 * k, 52.0 * k);
    boxes.insert(topo.kubectl, kb);
    text.insert(topo.kubectl, Rect::new(kb.x, kb.y, kb.w - 10.0, kb.h - 8.0));
    // A service sits just above the first pod it selects.
    for s in &topo.services {
        let Some(first) = s
            .endpoints
            .iter()
            .filter_map(|&e| boxes.get(&topo.pod(e).pod))
            .next()
            .copied()
        else {
            continue;
        };
        let r = Rect::new(
            first.x,
            first.top() - 17.0 * k,
            first.w.min(190.0 * k),
            24.0 * k,
        );
        boxes.insert(s.component, r);
        text.insert(s.component, Rect::new(r.x, r.y, r.w - 8.0, r.h - 4.0));
    }
    let mut links = Vec::new();
    for e in topo.graph.edge_indices() {
        let kind = topo.graph[e].kind;
        if !matches!(
            kind,
            LinkKind::Loopback | LinkKind::ControlStream | LinkKind::Selects
        ) {
            continue;
        }
        if let Some((a, b)) = topo.graph.edge_endpoints(e)
            && let (Node::Component(from), Node::Component(to)) = (topo.graph[a], topo.graph[b])
        {
            links.push(LinkLine {
                from,
                to,
                kind: LineKind::Topology(kind),
            });
        }
    }
    Layout {
        width,
        height,
        scale: k,
        boxes,
        text,
        links,
    }
}

/// Each node's ztunnel, at `y`, under the first pod of its node that is
/// drawn; ztunnels that fall under the same pod share its width.
fn ztunnels(
    topo: &Topology,
    boxes: &mut HashMap<ComponentId, Rect>,
    text: &mut HashMap<ComponentId, Rect>,
    y: f32,
    h: f32,
) {
    let mut under: Vec<(Rect, Vec<ComponentId>)> = Vec::new();
    for (node, z) in topo.ztunnels.iter().enumerate() {
        let Some(z) = *z else { continue };
        let Some(pod) = topo
            .pods
            .iter()
            .filter(|p| p.node.index() == node && p.kind == PodKind::Workload)
            .find_map(|p| boxes.get(&p.pod).copied())
        else {
            continue;
        };
        match under.iter_mut().find(|(r, _)| (r.x - pod.x).abs() < 1.0) {
            Some((_, list)) => list.push(z),
            None => under.push((pod, vec![z])),
        }
    }
    for (pod, list) in under {
        let w = pod.w / list.len() as f32;
        for (i, z) in list.into_iter().enumerate() {
            let x = pod.left() + w * (i as f32 + 0.5);
            boxes.insert(z, Rect::new(x, y, w - 8.0, h));
            text.insert(z, Rect::new(x, y, w - 16.0, h - 6.0));
        }
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
