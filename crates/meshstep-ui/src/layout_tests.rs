//! The layout's tests: boxes inside the view and each other, text areas
//! inside their boxes, columns in order, at the sizes learners use.

use super::*;

fn lesson(id: &str) -> Lesson {
    let p = format!("{}/../../scenarios/{id}.ron", env!("CARGO_MANIFEST_DIR"));
    Lesson::from_path(std::path::Path::new(&p)).unwrap()
}

#[test]
fn every_component_that_acts_has_a_box_and_pods_do_not_overlap() {
    for id in meshstep_sim::bundled::ids() {
        let l = lesson(id);
        let lay = layout(&l, 740.0, 620.0);
        let t = &l.topology;
        // An ingress gateway no call goes through is not drawn.
        let workloads = || t.pods.iter().filter(|p| p.kind == PodKind::Workload);
        for p in workloads() {
            for c in [Some(p.pod), Some(p.app), p.sidecar, p.library]
                .into_iter()
                .flatten()
            {
                let r = lay
                    .boxes
                    .get(&c)
                    .unwrap_or_else(|| panic!("{id}: {} has no box", t.component(c).id));
                assert!(
                    r.left() >= 0.0
                        && r.right() <= lay.width
                        && r.top() >= 0.0
                        && r.bottom() <= lay.height,
                    "{id}: {r:?}"
                );
            }
        }
        let pods: Vec<Rect> = workloads().map(|p| lay.boxes[&p.pod]).collect();
        for (i, a) in pods.iter().enumerate() {
            for b in &pods[i + 1..] {
                assert!(!a.overlaps(b), "{id}: pods overlap");
            }
        }
        // the app's containers sit inside their pod, side by side
        for p in workloads() {
            let pod = lay.boxes[&p.pod];
            let app = lay.boxes[&p.app];
            assert!(app.left() >= pod.left() && app.right() <= pod.right());
            if let Some(s) = p.sidecar {
                assert!(
                    !app.overlaps(&lay.boxes[&s]),
                    "{id}: app and sidecar overlap"
                );
            }
        }
    }
}

#[test]
fn every_box_stays_inside_the_view_at_every_size_learners_use() {
    // 595 wide is the flow view of a 1024×768 window with the side panel.
    for (w, h) in [
        (560.0, 420.0),
        (595.0, 660.0),
        (740.0, 620.0),
        (1100.0, 960.0),
    ] {
        for id in meshstep_sim::bundled::ids() {
            let lay = layout(&lesson(id), w, h);
            for r in lay.boxes.values() {
                assert!(
                    r.left() >= 0.0 && r.right() <= lay.width,
                    "{id} at {w}x{h}: box {r:?} leaves the view"
                );
                assert!(r.top() >= 0.0 && r.bottom() <= lay.height, "{id}: {r:?}");
            }
        }
    }
}

#[test]
fn labels_have_room_of_their_own_at_small_and_large_sizes() {
    for (w, h) in [(560.0, 420.0), (740.0, 620.0), (1100.0, 960.0)] {
        for id in meshstep_sim::bundled::ids() {
            let l = lesson(id);
            let lay = layout(&l, w, h);
            // Every box has a text area inside it.
            for (c, r) in &lay.boxes {
                let t = lay
                    .text
                    .get(c)
                    .unwrap_or_else(|| panic!("{id}: no text area"));
                assert!(
                    t.left() >= r.left() - 0.5 && t.right() <= r.right() + 0.5,
                    "{id} {w}x{h}: text leaves its box"
                );
            }
            // No text area overlaps another box's text area, except a box's own
            // and those of boxes nested inside it (a pod's title vs its containers is checked by y).
            let items: Vec<_> = lay.text.iter().collect();
            for (i, (a, ra)) in items.iter().enumerate() {
                for (b, rb) in &items[i + 1..] {
                    assert!(
                        !ra.overlaps(rb),
                        "{id} {w}x{h}: labels of {} and {} overlap",
                        l.topology.component(**a).id,
                        l.topology.component(**b).id
                    );
                }
            }
        }
    }
}

#[test]
fn a_gateway_that_carries_calls_is_drawn_beside_its_outside_client() {
    let lesson_from = |caller: &str| {
        let src = format!(
            r#"Scenario(
            version: 1, id: "edge", title: "Edge",
            topology: (
                control_plane: Some((id: "istiod")),
                gateways: [(id: "ingress")],
                pods: [(id: "web", app: "web", proxy: Sidecar), (id: "shop", app: "shop", proxy: Sidecar)],
                services: [(name: "shop", selector: "shop")],
            ),
            stimuli: [(at_us: 0, do: Call(from: "{caller}", to: "shop"))],
            steps: [(on: (component: "shop/app", action: HandleRequest), action: "serve", result: "200")],
        )"#
        );
        Lesson::from_source("edge.ron", &src).unwrap()
    };
    let l = lesson_from("ingress");
    let t = &l.topology;
    let pod = |id: &str| &t.pods[t.pod_id(id).unwrap().index()];
    let lay = layout(&l, 740.0, 620.0);
    let (client, proxy) = (
        lay.boxes[&pod("ingress").app],
        lay.boxes[&pod("ingress").pod],
    );
    let shop = lay.boxes[&pod("shop").pod];
    assert!(client.right() <= proxy.left() && proxy.right() <= shop.left());
    // Without a call through it, it stays off the canvas.
    let quiet = lesson_from("web");
    let lay = layout(&quiet, 740.0, 620.0);
    let t = &quiet.topology;
    let gw = t.pod_id("ingress").unwrap();
    assert!(!lay.boxes.contains_key(&t.pods[gw.index()].pod));
}

#[test]
fn ambient_draws_a_ztunnel_under_each_node_and_the_waypoint_between() {
    let src = r#"Scenario(
        version: 1, id: "ambient", title: "Ambient",
        topology: (
            control_plane: Some((id: "istiod")),
            nodes: ["node-1", "node-2"],
            waypoints: [(id: "waypoint")],
            pods: [
                (id: "web", app: "web", proxy: Ambient, node: Some("node-1")),
                (id: "api", app: "api", proxy: Ambient, node: Some("node-2")),
            ],
            services: [(name: "api", selector: "api")],
        ),
        stimuli: [(at_us: 0, do: Call(from: "web", to: "api"))],
        steps: [(on: (component: "api/app", action: HandleRequest), action: "serve", result: "200")],
    )"#;
    let l = Lesson::from_source("ambient.rs", src).unwrap();
    let t = &l.topology;
    for (w, h) in [(560.0, 420.0), (740.0, 620.0), (1280.0, 720.0)] {
        let lay = layout(&l, w, h);
        let b = |id: &str| lay.boxes[&t.find(id).unwrap()];
        let (web, api, wp) = (b("web"), b("api"), b("waypoint"));
        let (z1, z2) = (b("ztunnel/node-1"), b("ztunnel/node-2"));
        assert!(
            web.right() < wp.left() && wp.right() < api.left(),
            "{w}x{h}"
        );
        assert!(z1.top() >= web.bottom() && (z1.x - web.x).abs() < 1.0);
        assert!(z2.top() >= api.bottom() && (z2.x - api.x).abs() < 1.0);
        // Clear of the legend along the bottom margin.
        assert!(z1.bottom() <= lay.height - 44.0 && z2.bottom() <= lay.height - 44.0);
        let all: Vec<Rect> = [web, api, wp, z1, z2].into();
        for (i, a) in all.iter().enumerate() {
            for c in &all[i + 1..] {
                assert!(!a.overlaps(c), "{w}x{h}: {a:?} {c:?}");
            }
        }
    }
}

#[test]
fn servers_sit_right_of_their_clients() {
    let l = lesson("mesh-vs-library");
    let lay = layout(&l, 740.0, 620.0);
    let x = |id: &str| lay.boxes[&l.topology.find(id).unwrap()].x;
    assert!(x("payments-0") > x("checkout-lib"));
    assert!(x("payments-0") > x("checkout-mesh"));
    assert!(!lay.links.is_empty());
    let e = lay
        .edge_towards(
            l.topology.find("payments-0").unwrap(),
            0.0,
            lay.boxes[&l.topology.find("payments-0").unwrap()].y,
        )
        .unwrap();
    assert!((e.0 - lay.boxes[&l.topology.find("payments-0").unwrap()].left()).abs() < 0.01);
}
