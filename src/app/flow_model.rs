//! Entities that mirror the simulation for drawing: one per drawn component
//! (with its current state and whether it is acting) and one per packet in
//! flight. Only reads the session; no rendering, so it runs headless. Their
//! words are painted by the egui layer (`meshstep_ui::flow_labels`).

use std::collections::HashMap;

use bevy::prelude::*;
use meshstep_sim::{ComponentId, ComponentKind, State};
use meshstep_ui::layout::{Layout, Rect, flow_layout, snap_view_size};
use meshstep_ui::packets::{PacketKind, in_flight};

use super::session::{Session, SessionSet};

/// A drawn component.
#[derive(Component, Debug, Clone)]
pub struct FlowNode {
    pub component: ComponentId,
    pub kind: ComponentKind,
    /// Box in layout coordinates (pixels, y down, origin top-left of the view).
    pub rect: Rect,
}

/// What the node shows now.
#[derive(Component, Debug, Clone, PartialEq, Default)]
pub struct NodeStatus {
    /// Its state in the snapshot shown.
    pub state: Option<State>,
    /// It performs the event shown: it lights up.
    pub acting: bool,
}

impl NodeStatus {
    /// The state as the flow view words it ("" before the lesson is simulated).
    pub fn label(&self) -> &'static str {
        self.state.map_or("", State::label)
    }
}

/// A message in flight.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct FlowPacket {
    /// Index of its span; stable while it flies.
    pub span: usize,
    pub kind: PacketKind,
    pub from: ComponentId,
    pub to: ComponentId,
    pub progress: f32,
}

/// Everything spawned for the current scene, despawned when it changes.
#[derive(Component)]
pub struct FlowItem;

/// What the scene was built for: lesson, faults, theme and view size.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SceneKey {
    pub lesson: Option<usize>,
    pub faults: Vec<String>,
    pub dark: bool,
    pub size: (u32, u32),
}

/// The flow view's size in logical pixels (the panels set it; headless keeps the default).
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct ViewSize {
    pub width: f32,
    pub height: f32,
}

impl Default for ViewSize {
    fn default() -> Self {
        Self {
            width: 740.0,
            height: 620.0,
        }
    }
}

#[derive(Resource, Default)]
pub struct FlowScene {
    pub key: Option<SceneKey>,
    pub layout: Layout,
}

/// Frames still to draw after the scene was (re)built. The app is
/// reactive (it draws only on input while paused), and a new scene takes a
/// few updates to appear: the entities spawned, then decorated, and egui's
/// font atlas uploaded for new text sizes. Without these frames the first
/// window showed labels without boxes until the mouse moved.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settling(pub u8);

/// How many frames a new scene is given to appear.
pub const SETTLE_FRAMES: u8 = 4;

impl Default for Settling {
    fn default() -> Self {
        Settling(SETTLE_FRAMES)
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FlowScene>()
        .init_resource::<ViewSize>()
        .init_resource::<Settling>()
        .add_systems(
            Update,
            (rebuild_scene, sync_nodes, sync_packets, settle)
                .chain()
                .in_set(SessionSet::Mirror),
        );
}

fn settle(mut left: ResMut<Settling>, mut redraw: MessageWriter<bevy::window::RequestRedraw>) {
    if left.0 > 0 {
        left.0 -= 1;
        redraw.write(bevy::window::RequestRedraw);
    }
}

fn key_of(session: &Session, size: ViewSize) -> SceneKey {
    SceneKey {
        size: snap_view_size(size.width, size.height),
        lesson: session.viewer.as_ref().map(|_| session.selected),
        faults: session
            .viewer
            .as_ref()
            .map(|v| v.faults().iter().map(|f| f.to_string()).collect())
            .unwrap_or_default(),
        dark: session.dark,
    }
}

fn rebuild_scene(
    mut commands: Commands,
    session: Res<Session>,
    size: Res<ViewSize>,
    mut scene: ResMut<FlowScene>,
    mut settling: ResMut<Settling>,
    items: Query<Entity, With<FlowItem>>,
) {
    let key = key_of(&session, *size);
    if scene.key.as_ref() == Some(&key) {
        return;
    }
    settling.0 = SETTLE_FRAMES;
    for e in &items {
        commands.entity(e).despawn();
    }
    let (w, h) = (key.size.0 as f32, key.size.1 as f32);
    scene.layout = session
        .viewer
        .as_ref()
        .map(|v| flow_layout(v, w, h))
        .unwrap_or_default();
    if let Some(v) = &session.viewer {
        let topo = &v.lesson.topology;
        let mut nodes: Vec<_> = scene.layout.boxes.iter().collect();
        nodes.sort_by_key(|(c, _)| c.0);
        for (&c, &rect) in nodes {
            let comp = topo.component(c);
            commands.spawn((
                FlowItem,
                FlowNode {
                    component: c,
                    kind: comp.kind,
                    rect,
                },
                NodeStatus::default(),
            ));
        }
    }
    scene.key = Some(key);
}

fn sync_nodes(session: Res<Session>, mut nodes: Query<(&FlowNode, &mut NodeStatus)>) {
    let Some(v) = &session.viewer else { return };
    let snap = v.snapshot();
    let acting = v.acting();
    for (node, mut status) in &mut nodes {
        let next = NodeStatus {
            state: snap.states.get(node.component.index()).copied(),
            acting: acting == Some(node.component),
        };
        if *status != next {
            *status = next;
        }
    }
}

fn sync_packets(
    mut commands: Commands,
    session: Res<Session>,
    mut packets: Query<(Entity, &mut FlowPacket)>,
) {
    let Some(v) = &session.viewer else {
        for (e, _) in &packets {
            commands.entity(e).despawn();
        }
        return;
    };
    let now: HashMap<usize, _> = in_flight(&v.packets, v.shown_row(), v.view_us())
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut seen = Vec::new();
    for (e, mut p) in &mut packets {
        match now.get(&p.span) {
            Some(f) => {
                if p.progress != f.progress {
                    p.progress = f.progress;
                }
                seen.push(p.span);
            }
            None => commands.entity(e).despawn(),
        }
    }
    for (id, f) in now {
        if !seen.contains(&id) {
            commands.spawn((
                FlowItem,
                FlowPacket {
                    span: id,
                    kind: f.kind,
                    from: f.from,
                    to: f.to,
                    progress: f.progress,
                },
            ));
        }
    }
}
