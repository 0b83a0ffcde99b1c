//! The bevy app without a window or GPU: stepping a lesson forward and back
//! moves the mirrored entities (component states, who is acting) and the
//! packets in flight exactly as the simulation says.

use bevy::prelude::*;
use meshstep::app::flow_model::{FlowNode, FlowPacket, NodeStatus};
use meshstep::app::session::Session;
use meshstep::app::{headless_app, initial_shell};
use meshstep_ui::packets::PacketKind;
use meshstep_ui::panels::UiAction;

fn app(lesson: &str) -> App {
    let mut a = headless_app(initial_shell(Some(lesson), false));
    a.update();
    a
}

fn act(app: &mut App, action: UiAction) {
    app.world_mut().resource_mut::<Session>().apply(action);
    app.update();
}

fn id(app: &App, name: &str) -> meshstep_sim::ComponentId {
    app.world()
        .resource::<Session>()
        .viewer
        .as_ref()
        .unwrap()
        .lesson
        .topology
        .find(name)
        .unwrap()
}

fn status(app: &mut App, name: &str) -> NodeStatus {
    let c = id(app, name);
    let mut q = app.world_mut().query::<(&FlowNode, &NodeStatus)>();
    q.iter(app.world())
        .find(|(n, _)| n.component == c)
        .map(|(_, s)| s.clone())
        .expect("node mirrored")
}

fn packets(app: &mut App) -> Vec<FlowPacket> {
    let mut q = app.world_mut().query::<&FlowPacket>();
    let mut v: Vec<FlowPacket> = q.iter(app.world()).cloned().collect();
    v.sort_by_key(|p| p.span);
    v
}

fn settle(app: &mut App) {
    // Finish any animation without waiting for wall-clock time.
    for _ in 0..100 {
        let moving = app
            .world_mut()
            .resource_mut::<Session>()
            .viewer
            .as_mut()
            .is_some_and(|v| {
                v.tick(0.25);
                v.animating()
            });
        app.update();
        if !moving {
            break;
        }
    }
}

#[test]
fn every_drawn_component_is_mirrored_with_the_simulated_state() {
    let mut a = app("mesh-vs-library");
    let n = a.world_mut().query::<&FlowNode>().iter(a.world()).count();
    let v = a.world().resource::<Session>().viewer.as_ref().unwrap();
    // every pod, container, service, the control plane and kubectl
    let t = &v.lesson.topology;
    let expected = t
        .pods
        .iter()
        .map(|p| 2 + usize::from(p.sidecar.is_some()) + usize::from(p.library.is_some()))
        .sum::<usize>()
        + t.services.len()
        + 2;
    assert_eq!(n, expected);
    assert_eq!(status(&mut a, "checkout-lib/library").label(), "Inactive");
    act(&mut a, UiAction::JumpToStep(1));
    assert_eq!(
        status(&mut a, "checkout-lib/library").label(),
        "Processing request"
    );
    assert_eq!(
        status(&mut a, "checkout-lib/app").label(),
        "Request sent via library proxy"
    );
    assert!(status(&mut a, "checkout-lib/app").acting);
    assert!(!status(&mut a, "checkout-mesh/sidecar").acting);
}

#[test]
fn stepping_forward_and_back_moves_states_and_packets_exactly() {
    let mut a = app("mesh-vs-library");
    act(&mut a, UiAction::JumpToStep(4));
    let at4 = (status(&mut a, "checkout-mesh/sidecar"), packets(&mut a));
    assert_eq!(at4.0.label(), "Applying policies");
    assert!(at4.0.acting);
    act(&mut a, UiAction::StepForward);
    settle(&mut a);
    // step 5: the sidecar forwards; "the payments pod receives the request":
    // the request is drawn at the payments pod, the states stay step 5's
    assert_eq!(
        status(&mut a, "checkout-mesh/sidecar").label(),
        "Forwarding request"
    );
    let (from, to) = (
        id(&a, "checkout-mesh/sidecar"),
        id(&a, "payments-0/sidecar"),
    );
    let p = packets(&mut a);
    let req = p
        .iter()
        .find(|p| p.kind == PacketKind::Request && p.from == from && p.to == to)
        .expect("request drawn");
    assert_eq!(req.progress, 1.0, "arrived, as the step says");
    assert_eq!(status(&mut a, "payments-0/app").label(), "Idle");
    act(&mut a, UiAction::StepBack);
    assert_eq!(
        (status(&mut a, "checkout-mesh/sidecar"), packets(&mut a)),
        at4,
        "back shows exactly the earlier state"
    );
}

/// Steps forward, ticking the animation; returns the kinds seen mid-flight.
fn animate_forward(a: &mut App) -> Vec<PacketKind> {
    act(a, UiAction::StepForward);
    let mut mid_flight = Vec::new();
    loop {
        let moving = {
            let mut s = a.world_mut().resource_mut::<Session>();
            let v = s.viewer.as_mut().unwrap();
            v.tick(0.02);
            v.animating()
        };
        a.update();
        mid_flight.extend(
            packets(a)
                .into_iter()
                .filter(|p| p.progress > 0.0 && p.progress < 1.0)
                .map(|p| p.kind),
        );
        if !moving {
            break;
        }
    }
    mid_flight
}

#[test]
fn packets_travel_between_steps_and_are_gone_when_delivered() {
    let mut a = app("mesh-vs-library");
    // Not stopping to predict step 7: this test is about the packets.
    a.world_mut()
        .resource_mut::<Session>()
        .viewer
        .as_mut()
        .unwrap()
        .gates
        .clear();
    act(&mut a, UiAction::JumpToStep(6));
    // Into step 7 (the control plane pushes): the config flies to both sidecars.
    let mid_flight = animate_forward(&mut a);
    assert!(mid_flight.contains(&PacketKind::Config), "{mid_flight:?}");
    let cp = id(&a, "istiod");
    let config: Vec<FlowPacket> = packets(&mut a)
        .into_iter()
        .filter(|p| p.kind == PacketKind::Config && p.from == cp)
        .collect();
    assert_eq!(config.len(), 2, "the push goes to both sidecars");
    assert!(
        config.iter().all(|p| p.progress == 1.0),
        "and has reached them"
    );
    // On the way to step 8 the response comes back.
    let mid_flight = animate_forward(&mut a);
    assert!(mid_flight.contains(&PacketKind::Response), "{mid_flight:?}");
    assert_eq!(
        status(&mut a, "checkout-mesh/app").label(),
        "Response received"
    );
    let to_app = id(&a, "checkout-mesh/app");
    assert!(
        packets(&mut a).iter().all(|p| p.to != to_app),
        "the response has arrived"
    );
}

#[test]
fn switching_lessons_rebuilds_the_scene() {
    let mut a = app("mesh-vs-library");
    act(&mut a, UiAction::SelectLesson(2));
    a.update();
    let nodes: Vec<_> = a
        .world_mut()
        .query::<&FlowNode>()
        .iter(a.world())
        .map(|n| n.component)
        .collect();
    let topo = &a
        .world()
        .resource::<Session>()
        .viewer
        .as_ref()
        .unwrap()
        .lesson
        .topology;
    let names: Vec<String> = nodes
        .into_iter()
        .map(|c| meshstep_ui::layout::node_label(topo, c))
        .collect();
    assert!(names.iter().any(|n| n == "Client Pod"), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("checkout")),
        "old lesson's nodes are gone: {names:?}"
    );
    assert!(packets(&mut a).is_empty());
}

#[test]
fn a_new_scene_asks_for_frames_until_drawn_then_goes_idle() {
    // The app is reactive: without these frames the first window showed
    // labels with no boxes or links until the mouse moved.
    use bevy::ecs::message::{MessageCursor, Messages};
    use bevy::window::RequestRedraw;
    let mut a = headless_app(initial_shell(Some("mesh-vs-library"), false));
    let mut cursor = MessageCursor::<RequestRedraw>::default();
    // How many redraws the last update asked for.
    let mut update = |a: &mut App| {
        a.update();
        let m = a.world().resource::<Messages<RequestRedraw>>();
        cursor.read(m).count()
    };
    let first: Vec<usize> = (0..3).map(|_| update(&mut a)).collect();
    assert!(
        first.iter().all(|&n| n > 0),
        "a new scene asks for frames: {first:?}"
    );
    let later: Vec<usize> = (0..10).map(|_| update(&mut a)).collect();
    assert_eq!(
        later[5..],
        [0; 5],
        "then nothing moves, so nothing is drawn: {later:?}"
    );
    // A change of window size builds the scene again, and asks again.
    a.world_mut()
        .resource_mut::<meshstep::app::flow_model::ViewSize>()
        .width = 600.0;
    assert!(update(&mut a) > 0);
}
