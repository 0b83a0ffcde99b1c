//! The flow view's words, painted by egui over bevy's shapes: each fits in
//! its own box at the sizes learners use, the state shown is the simulated
//! one (lit while the component acts), packets in flight are named, and the
//! shell paints them only while the flow view is what is on screen.

use egui_kittest::Harness;
use meshstep_ui::failure_marks::{FailureMark, failure_of};
use meshstep_ui::flow_labels::{FlowLabel, LabelRole, ViewTransform, flow_labels, place_labels};
use meshstep_ui::layout::{Layout, layout, node_label, snap_view_size};
use meshstep_ui::packets::in_flight;
use meshstep_ui::theme::palette;
use meshstep_ui::{LessonLibrary, Shell, Viewer};

fn viewer(i: usize) -> Viewer {
    match &LessonLibrary::bundled().entries[i].entry {
        meshstep_ui::library::Entry::Ready(l) => Viewer::new((**l).clone()).unwrap(),
        _ => panic!("bundled lessons are valid"),
    }
}

fn layout_for(v: &Viewer, view: egui::Rect) -> Layout {
    let (w, h) = snap_view_size(view.width(), view.height());
    layout(&v.lesson, w as f32, h as f32)
}

/// Lays every label out with egui's real fonts and returns where its ink goes.
fn placed(labels: Vec<FlowLabel>) -> Vec<(FlowLabel, egui::Rect)> {
    let mut h = Harness::new_ui_state(
        |ui, (labels, out): &mut (Vec<FlowLabel>, Vec<(FlowLabel, egui::Rect)>)| {
            *out = place_labels(ui.painter(), labels.clone())
                .into_iter()
                .map(|p| (p.label.clone(), p.rect()))
                .collect();
        },
        (labels, Vec::new()),
    );
    h.run();
    std::mem::take(&mut h.state_mut().1)
}

/// The flow view of a 1280×720 window with the side panel open, of a
/// 1920×1080 one, and the smallest view before the camera scales down.
const VIEWS: [(f32, f32, f32, f32); 3] = [
    (0.0, 36.0, 740.0, 620.0),
    (0.0, 36.0, 1100.0, 980.0),
    (10.0, 50.0, 560.0, 420.0),
];

#[test]
fn every_title_and_state_fits_inside_its_own_box_without_overlapping() {
    for lesson in 0..3 {
        let mut v = viewer(lesson);
        for (x, y, w, h) in VIEWS {
            let view = egui::Rect::from_min_size(egui::pos2(x, y), egui::vec2(w, h));
            let l = layout_for(&v, view);
            let to = ViewTransform::fit(view, &l);
            // The longest state texts appear at different steps: check each.
            v.home();
            for _ in 0..=v.step_count() {
                let labels = placed(flow_labels(&v, &l, view, true));
                assert!(!labels.is_empty());
                for (label, ink) in &labels {
                    let Some(c) = label.component else { continue };
                    let bx = to.rect(l.boxes[&c]).expand(1.0);
                    assert!(
                        bx.contains_rect(*ink),
                        "lesson {lesson}, view {w}x{h}, step {:?}: {:?} ({ink:?}) leaves its box {bx:?}",
                        v.current_step(),
                        label.text
                    );
                }
                // Titles and states never cover each other, in one box or
                // across boxes (a container's box sits on its pod's).
                let words: Vec<_> = labels
                    .iter()
                    .filter(|(l, _)| l.component.is_some())
                    .collect();
                for (i, (a, ra)) in words.iter().enumerate() {
                    for (b, rb) in &words[i + 1..] {
                        assert!(
                            !ra.shrink(0.5).intersects(rb.shrink(0.5)),
                            "lesson {lesson}, view {w}x{h}: {:?} overlaps {:?}",
                            a.text,
                            b.text
                        );
                    }
                }
                v.step_forward();
                while v.animating() {
                    v.tick(0.25);
                }
            }
        }
    }
}

fn lesson_viewer(id: &str) -> Viewer {
    let lib = LessonLibrary::bundled();
    viewer(lib.index_of(id).unwrap())
}

/// The state labels at step `n`: (box title, text, lit).
fn states_at(v: &mut Viewer, n: u32) -> Vec<(String, String, bool)> {
    let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
    let l = layout_for(v, view);
    v.jump_to_step(n);
    let pal = palette(true);
    flow_labels(v, &l, view, true)
        .into_iter()
        .filter(|l| l.role == LabelRole::State)
        .map(|x| {
            let title = node_label(&v.lesson.topology, x.component.unwrap());
            (title, x.text, x.color == pal.highlight)
        })
        .collect()
}

fn state_of(states: &[(String, String, bool)], title: &str) -> (String, bool) {
    let (_, text, lit) = states
        .iter()
        .find(|(t, _, _)| t == title)
        .unwrap_or_else(|| panic!("no box {title:?} in {states:?}"));
    (text.clone(), *lit)
}

#[test]
fn states_are_the_simulated_ones_and_only_the_acting_component_is_lit() {
    let mut v = lesson_viewer("mesh-vs-library");
    let s4 = states_at(&mut v, 4);
    assert_eq!(
        state_of(&s4, "Sidecar Proxy (checkout-mesh)"),
        ("Applying policies".into(), true)
    );
    assert_eq!(
        state_of(&s4, "Application (checkout-mesh)"),
        ("Waiting for response".into(), false)
    );
    assert_eq!(
        state_of(&s4, "Application (checkout-lib)"),
        ("Response received".into(), false)
    );
    assert_eq!(s4.iter().filter(|(_, _, lit)| *lit).count(), 1);
    let s2 = states_at(&mut v, 2);
    assert_eq!(
        state_of(&s2, "Library Proxy (checkout-lib)"),
        ("Awaiting response".into(), true)
    );
    assert_eq!(
        state_of(&s2, "Sidecar Proxy (checkout-mesh)"),
        ("Inactive".into(), false)
    );
}

#[test]
fn the_component_acting_never_reads_idle() {
    // kubectl applying the manifest and the control plane pushing config
    // once both read "Idle" while the table said they acted.
    let mut v = lesson_viewer("why-mesh-matters");
    assert_eq!(
        state_of(&states_at(&mut v, 1), "kubectl"),
        ("Applies the mesh manifest".into(), true)
    );
    let mut v = lesson_viewer("mesh-vs-library");
    assert_eq!(
        state_of(&states_at(&mut v, 7), "Control Plane"),
        ("Pushes config and policies".into(), true)
    );
    for i in 0..LessonLibrary::bundled().entries.len() {
        let mut v = viewer(i);
        for n in 1..=v.step_count() {
            for (title, text, lit) in states_at(&mut v, n) {
                if lit {
                    assert!(
                        !["Idle", "Inactive", "Running"].contains(&text.as_str()),
                        "lesson {i} step {n}: {title} acts but reads {text}"
                    );
                }
            }
        }
    }
}

#[test]
fn packets_in_flight_are_named_just_above_their_shape() {
    let mut v = viewer(0);
    let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
    let l = layout_for(&v, view);
    let to = ViewTransform::fit(view, &l);
    let mut seen = 0;
    for _ in 0..v.step_count() {
        v.step_forward();
        // Halfway through the animation packets are between their ends.
        v.tick(0.4);
        let flying = meshstep_ui::packets::in_flight(&v.packets, v.shown_row(), v.view_us());
        let labels: Vec<_> = flow_labels(&v, &l, view, true)
            .into_iter()
            .filter(|l| l.role == LabelRole::Packet)
            .collect();
        assert_eq!(labels.len(), flying.len());
        for (p, label) in flying.iter().zip(&labels) {
            assert_eq!(label.text, p.kind.label());
            let (x, y) = l.packet_at(p.from, p.to, p.progress, p.kind).unwrap();
            let at = to.point(x, y);
            assert!((label.anchor.x - at.x).abs() < 0.01);
            assert!(
                label.anchor.y < at.y && at.y - label.anchor.y < 20.0,
                "just above"
            );
            seen += 1;
        }
        while v.animating() {
            v.tick(0.25);
        }
    }
    assert!(seen > 0, "the lesson sends packets");
}

#[test]
fn the_transform_fits_the_layout_like_the_flow_camera() {
    let v = viewer(0);
    let l = layout(&v.lesson, 740.0, 620.0);
    // The same size: one point per layout pixel, corners on corners.
    let view = egui::Rect::from_min_size(egui::pos2(20.0, 36.0), egui::vec2(740.0, 620.0));
    let to = ViewTransform::fit(view, &l);
    assert_eq!(to.scale, 1.0);
    assert_eq!(to.point(0.0, 0.0), view.min);
    assert_eq!(to.point(l.width, l.height), view.max);
    // Smaller than the layout's minimum: scaled down evenly and centred.
    let small = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(370.0, 620.0));
    let to = ViewTransform::fit(small, &l);
    assert_eq!(to.scale, 0.5);
    assert_eq!(to.point(l.width / 2.0, l.height / 2.0), small.center());
}

/// Every text the shell painted over the flow view's area this frame.
fn painted_text(h: &Harness<'_, (Shell, egui::Rect)>) -> Vec<String> {
    let central = h.state().1;
    h.output()
        .shapes
        .iter()
        .filter_map(|s| match &s.shape {
            egui::Shape::Text(t) if central.contains(t.pos) => Some(t.galley.text().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_shell_paints_the_labels_only_while_the_flow_view_shows() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, (shell, central): &mut (Shell, egui::Rect)| {
                *central = meshstep_ui::shell_ui(ui, shell);
            },
            (Shell::new(LessonLibrary::bundled(), 0), egui::Rect::NOTHING),
        );
    h.state_mut().0.viewer.as_mut().unwrap().jump_to_step(3);
    h.run();
    let v = h.state().0.viewer.as_ref().unwrap();
    let expected: Vec<String> = v
        .lesson
        .topology
        .components
        .iter()
        .filter(|c| c.kind == meshstep_sim::ComponentKind::Sidecar)
        .map(|c| c.label.clone())
        .collect();
    assert!(!expected.is_empty());
    let text = painted_text(&h);
    for e in &expected {
        assert!(text.contains(e), "{e:?} painted; got {text:?}");
    }
    // The reading page covers the flow view: no label shows through it.
    h.state_mut()
        .0
        .apply(meshstep_ui::panels::UiAction::OpenDeepDive);
    h.run();
    let text = painted_text(&h);
    assert!(
        !text.is_empty(),
        "the reading page is in the flow view's place"
    );
    for e in &expected {
        assert!(!text.contains(e), "{e:?} hidden under the deep dive");
    }
}

#[test]
fn a_failure_is_marked_in_words_where_it_happens() {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of("mesh-vs-library").unwrap();
    let mut v = viewer(i);
    v.set_faults(
        vec![meshstep_sim::Fault::Lossy {
            pod: None,
            probability: 1.0,
        }],
        None,
    )
    .unwrap();
    let drop = (0..v.run.trace.rows.len())
        .find(|&r| v.run.trace.rows[r].action == meshstep_sim::Action::DropMessage)
        .expect("a link that loses every message drops one");
    v.jump_to(Some(drop));
    let view = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(740.0, 640.0));
    let l = layout_for(&v, view);
    let labels = flow_labels(&v, &l, view, true);
    let fail: Vec<_> = labels
        .iter()
        .filter(|x| x.role == LabelRole::Failure)
        .collect();
    assert_eq!(fail.len(), 1, "{labels:?}");
    assert_eq!(fail[0].text, "message dropped");
    assert_eq!(
        fail[0].mark,
        Some(FailureMark::Dropped),
        "shown by shape too"
    );
    // In this run a message is lost, an attempt times out and the caller
    // gets an error: three shapes. A refusal is the fourth (zero-trust).
    let marks: std::collections::HashSet<FailureMark> = (v.run.trace.rows.iter())
        .filter_map(|r| failure_of(r).map(|(m, _)| m))
        .collect();
    for m in [
        FailureMark::Dropped,
        FailureMark::TimedOut,
        FailureMark::Error,
    ] {
        assert!(marks.contains(&m), "{m:?} in {marks:?}");
    }
    let zt = lesson_viewer("zero-trust");
    assert!(
        (zt.run.trace.rows.iter())
            .any(|r| failure_of(r) == Some((FailureMark::Refused, "plaintext refused".into())))
    );
    // Over the box of the component that dropped it.
    let at = meshstep_ui::flow_labels::ViewTransform::fit(view, &l)
        .rect(l.boxes[&v.run.trace.rows[drop].component]);
    assert!((fail[0].anchor.x - at.center().x).abs() < 1.0);
    // A step where nothing fails has no mark.
    v.jump_to(Some(0));
    assert!(
        !flow_labels(&v, &l, view, true)
            .iter()
            .any(|x| x.role == LabelRole::Failure)
    );
}

#[test]
fn a_component_that_is_not_there_is_marked_absent() {
    use meshstep_ui::flow_marks::absent_boxes;
    let mut v = lesson_viewer("mesh-vs-library");
    let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
    let l = layout_for(&v, view);
    v.jump_to_step(4);
    assert!(
        absent_boxes(&v, &l, view).is_empty(),
        "all there as written"
    );
    v.set_faults(
        vec![meshstep_sim::Fault::NoSidecar("checkout-mesh".into())],
        None,
    )
    .unwrap();
    v.jump_to_step(4);
    let absent: Vec<String> = absent_boxes(&v, &l, view)
        .into_iter()
        .map(|(c, _)| node_label(&v.lesson.topology, c))
        .collect();
    assert_eq!(absent, ["Sidecar Proxy (checkout-mesh)"]);
    v.set_faults(
        vec![meshstep_sim::Fault::NoLibrary("checkout-lib".into())],
        None,
    )
    .unwrap();
    v.jump_to_step(1);
    let absent: Vec<String> = absent_boxes(&v, &l, view)
        .into_iter()
        .map(|(c, _)| node_label(&v.lesson.topology, c))
        .collect();
    assert!(
        absent.iter().any(|a| a.contains("checkout-lib")),
        "{absent:?}"
    );
}

#[test]
fn every_hop_of_a_step_is_animated_in_turn() {
    // "why a mesh matters" step 3 folds the whole curl (app, both sidecars,
    // mTLS, the server and back) into one row: its hops take microseconds
    // inside a step of seconds, and a clock paced by time never drew them.
    let mut v = lesson_viewer("why-mesh-matters");
    v.jump_to_step(2);
    let before = v.cursor().unwrap();
    v.step_forward();
    assert_eq!(v.current_step(), Some(3));
    let after = v.cursor().unwrap();
    let pairs: std::collections::BTreeSet<(u32, u32)> = v
        .packets
        .iter()
        .filter(|p| p.start_row > before && p.end_row <= after)
        .map(|p| (p.from.0, p.to.0))
        .collect();
    assert!(pairs.len() >= 4, "step 3 has several hops: {pairs:?}");
    let mut seen = std::collections::BTreeSet::new();
    while v.animating() {
        v.tick(1.0 / 60.0);
        for p in meshstep_ui::packets::in_flight(&v.packets, v.shown_row(), v.view_us()) {
            if p.progress > 0.1 && p.progress < 0.9 {
                seen.insert((p.from.0, p.to.0));
            }
        }
    }
    assert_eq!(seen, pairs, "each hop is seen mid-flight");
}

#[test]
fn a_packet_name_never_covers_a_box_name_or_state() {
    for id in ["mesh-vs-library", "why-mesh-matters", "mesh-overview"] {
        let mut v = lesson_viewer(id);
        let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
        let l = layout_for(&v, view);
        let mut named = 0;
        for _ in 0..v.step_count() {
            v.step_forward();
            while v.animating() {
                v.tick(0.1);
                let placed = placed(flow_labels(&v, &l, view, true));
                let words: Vec<egui::Rect> = placed
                    .iter()
                    .filter(|(p, _)| matches!(p.role, LabelRole::Title | LabelRole::State))
                    .map(|(_, r)| *r)
                    .collect();
                for (p, r) in placed.iter().filter(|(p, _)| p.role == LabelRole::Packet) {
                    named += 1;
                    for w in &words {
                        assert!(!w.intersects(*r), "{id}: {:?} over a box's words", p.text);
                    }
                }
            }
        }
        assert!(named > 0, "{id}: some packets are still named");
    }
}

#[test]
fn zooming_in_enlarges_the_labels_and_moves_them_with_their_boxes() {
    let mut v = lesson_viewer("zero-trust");
    let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
    let l = layout_for(&v, view);
    let (hx, hy) = (l.width / 2.0, l.height / 2.0);
    // A container box near enough the middle to be centred at zoom 2.
    let (c, b) = (l.boxes.iter())
        .filter(|(c, _)| v.lesson.topology.component(**c).kind != meshstep_sim::ComponentKind::Pod)
        .map(|(c, b)| (*c, *b))
        .find(|(_, b)| ((b.x - hx) / hx).abs() < 0.45 && ((b.y - hy) / hy).abs() < 0.45)
        .expect("a box near the middle");
    let title = |v: &Viewer| {
        flow_labels(v, &l, view, true)
            .into_iter()
            .find(|x| x.role == LabelRole::Title && x.component == Some(c))
            .unwrap()
    };
    let before = title(&v);
    v.zoom.zoom_by(2.0, None);
    v.zoom.center_on(((b.x - hx) / hx, (b.y - hy) / hy));
    let after = title(&v);
    assert!(
        after.size > before.size * 1.5,
        "{} -> {}",
        before.size,
        after.size
    );
    assert!(
        (after.anchor.x - view.center().x).abs() < 2.0,
        "the box is at the view's centre: {:?} vs {:?}",
        after.anchor,
        view.center()
    );
    v.zoom = Default::default();
    assert_eq!(title(&v), before, "fitted again, as before");
}

#[test]
fn messages_still_in_flight_are_drawn_on_their_link_while_paused() {
    // canary: a config push is on its way to some sidecars while the step
    // shows another arriving. Paused at each step, what is on the wire at
    // that moment is drawn part way along its link.
    let mut seen = 0;
    for id in ["canary", "resilience", "zero-trust"] {
        let mut v = lesson_viewer(id);
        for n in 1..=v.step_count() {
            v.jump_to_step(n);
            assert!(!v.playing);
            let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
            let l = layout_for(&v, view);
            for p in in_flight(&v.packets, v.shown_row(), v.view_us()) {
                if p.progress > 0.0 && p.progress < 1.0 {
                    assert!(
                        l.packet_at(p.from, p.to, p.progress, p.kind).is_some(),
                        "{id} step {n}: a packet with no link to travel on"
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 0, "some step rests with a message on the wire");
}

#[test]
fn a_thirty_component_view_zoomed_in_twice_reads_at_full_size() {
    // zero-trust: 29 components. Fitted into a 1280×720 window's flow view
    // its smallest words shrink; zoomed ×2 (wheel, + or the button) every
    // title and state in view is back at a size that reads.
    let mut v = lesson_viewer("zero-trust");
    let view = egui::Rect::from_min_size(egui::pos2(0.0, 36.0), egui::vec2(740.0, 620.0));
    let l = layout_for(&v, view);
    assert!(l.boxes.len() >= 25, "{} boxes", l.boxes.len());
    v.jump_to_step(8);
    let min_in_view = |v: &Viewer| {
        placed(flow_labels(v, &l, view, true))
            .into_iter()
            .filter(|(x, r)| {
                matches!(x.role, LabelRole::Title | LabelRole::State) && view.contains_rect(*r)
            })
            .map(|(x, _)| x.size)
            .fold(f32::INFINITY, f32::min)
    };
    let fitted = min_in_view(&v);
    v.zoom.zoom_by(2.0, None);
    let zoomed = min_in_view(&v);
    eprintln!("zero-trust smallest words: fitted {fitted} pt, zoomed ×2 {zoomed} pt");
    assert!(
        zoomed >= 2.0 * fitted - 1.0,
        "fitted {fitted} pt, zoomed {zoomed} pt"
    );
    assert!(
        zoomed >= 12.0,
        "zoomed ×2 the smallest words are {zoomed} pt"
    );
}
