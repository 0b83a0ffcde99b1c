//! Drawing the mirrored entities: boxes for components (outlined when they
//! act), filled shapes for packets (a different shape per kind), lines for
//! links. The world camera's viewport is the area the panels leave free. The
//! words on top are egui's (`meshstep_ui::flow_labels`), placed by the same
//! layout, so bevy carries no text stack of its own.

use bevy::camera::{ScalingMode, Viewport};
use bevy::prelude::*;
use meshstep_sim::ComponentKind;
use meshstep_ui::packets::PacketKind;
use meshstep_ui::theme::{component_fill, packet_color, palette};

use super::flow_model::{FlowItem, FlowNode, FlowPacket, FlowScene, NodeStatus};
use super::session::{Session, SessionSet};

/// The camera that draws the flow view (the egui camera is separate).
#[derive(Component)]
pub struct FlowCamera;

/// The part of the window (physical pixels) left for the flow view.
#[derive(Resource, Default, Clone, Copy, PartialEq)]
pub struct FlowViewport {
    pub min: UVec2,
    pub size: UVec2,
}

/// The border sprite behind a node's box.
#[derive(Component)]
struct Outline;

#[derive(Resource)]
struct PacketMeshes {
    shapes: Vec<(PacketKind, Handle<Mesh>)>,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FlowViewport>()
        .add_systems(Startup, (setup_cameras, setup_meshes))
        .add_systems(
            Update,
            (
                fit_camera,
                zoom_camera,
                spawn_links,
                decorate_nodes,
                decorate_packets,
                move_packets,
                update_outlines,
                apply_viewport,
                clear_color,
            )
                .chain()
                .after(SessionSet::Mirror),
        );
}

/// Layout coordinates (y down, origin top-left of the view) to world coordinates
/// (y up, origin at the view's centre).
pub fn to_world(scene: &FlowScene, x: f32, y: f32) -> Vec2 {
    Vec2::new(x - scene.layout.width / 2.0, scene.layout.height / 2.0 - y)
}

fn color(c: egui::Color32) -> Color {
    Color::srgba_u8(c.r(), c.g(), c.b(), c.a())
}

fn setup_cameras(mut commands: Commands) {
    // No MSAA: flat 2D shapes do not need it, and it is costly on software renderers.
    commands.spawn((
        FlowCamera,
        Camera2d,
        Msaa::Off,
        Projection::Orthographic(OrthographicProjection::default_2d()),
    ));
    // egui gets its own camera so the flow camera's viewport does not clip the panels.
    commands.spawn((
        bevy_egui::PrimaryEguiContext,
        Camera2d,
        Msaa::Off,
        bevy::camera::visibility::RenderLayers::none(),
        Camera {
            order: 1,
            clear_color: ClearColorConfig::None,
            ..default()
        },
    ));
}

fn setup_meshes(mut commands: Commands, mut meshes: ResMut<Assets<Mesh>>) {
    let shapes = vec![
        (PacketKind::Request, meshes.add(Circle::new(9.0))),
        (PacketKind::Response, meshes.add(Rectangle::new(16.0, 16.0))),
        (
            PacketKind::Config,
            meshes.add(Triangle2d::new(
                Vec2::new(0.0, 11.0),
                Vec2::new(-10.0, -8.0),
                Vec2::new(10.0, -8.0),
            )),
        ),
        // Four corners, the first at the top: a diamond, unlike the circle at this size.
        (PacketKind::Lookup, meshes.add(RegularPolygon::new(12.0, 4))),
    ];
    commands.insert_resource(PacketMeshes { shapes });
}

fn z_of(kind: ComponentKind) -> f32 {
    match kind {
        ComponentKind::Pod => 0.0,
        ComponentKind::Library => 2.0,
        _ => 1.0,
    }
}

/// The layout is in pixels for the view's size: one world unit per pixel, or
/// scaled down when the view is smaller than the layout's minimum.
fn fit_camera(scene: Res<FlowScene>, mut projection: Single<&mut Projection, With<FlowCamera>>) {
    if !scene.is_changed() || scene.layout.width == 0.0 {
        return;
    }
    if let Projection::Orthographic(o) = &mut **projection {
        o.scaling_mode = ScalingMode::AutoMin {
            min_width: scene.layout.width,
            min_height: scene.layout.height,
        };
    }
}

/// Links are thin quads behind the boxes, from box edge to box edge.
fn spawn_links(
    mut commands: Commands,
    session: Res<Session>,
    scene: Res<FlowScene>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    if !scene.is_changed() {
        return;
    }
    let pal = palette(session.dark);
    let material = materials.add(ColorMaterial::from_color(color(pal.link)));
    for l in &scene.layout.links {
        let (Some(a), Some(b)) = (scene.layout.center(l.from), scene.layout.center(l.to)) else {
            continue;
        };
        let (Some(ea), Some(eb)) = (
            scene.layout.edge_towards(l.from, b.0, b.1),
            scene.layout.edge_towards(l.to, a.0, a.1),
        ) else {
            continue;
        };
        let (pa, pb) = (to_world(&scene, ea.0, ea.1), to_world(&scene, eb.0, eb.1));
        let len = pa.distance(pb);
        if len < 1.0 {
            continue;
        }
        let mid = (pa + pb) / 2.0;
        let angle = (pb - pa).to_angle();
        commands.spawn((
            FlowItem,
            Mesh2d(meshes.add(Rectangle::new(len, 2.0))),
            MeshMaterial2d(material.clone()),
            Transform::from_translation(mid.extend(-1.0))
                .with_rotation(Quat::from_rotation_z(angle)),
        ));
    }
}

/// Gives a new node its box and labels.
fn decorate_nodes(
    mut commands: Commands,
    session: Res<Session>,
    scene: Res<FlowScene>,
    nodes: Query<(Entity, &FlowNode), Added<FlowNode>>,
) {
    let dark = session.dark;
    let pal = palette(dark);
    for (e, n) in &nodes {
        let r = n.rect;
        let pos = to_world(&scene, r.x, r.y);
        let fill = if n.kind == ComponentKind::Pod {
            pal.pod_fill
        } else {
            component_fill(n.kind, dark)
        };
        commands.entity(e).insert((
            Sprite {
                color: color(fill),
                custom_size: Some(Vec2::new(r.w, r.h)),
                ..default()
            },
            Transform::from_xyz(pos.x, pos.y, z_of(n.kind)),
            Visibility::default(),
        ));
        commands.entity(e).with_children(|p| {
            p.spawn((
                Outline,
                Sprite {
                    color: color(pal.pod_stroke),
                    custom_size: Some(Vec2::new(r.w + 2.0, r.h + 2.0)),
                    ..default()
                },
                Transform::from_xyz(0.0, 0.0, -0.01),
            ));
        });
    }
}

fn decorate_packets(
    mut commands: Commands,
    session: Res<Session>,
    meshes: Res<PacketMeshes>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    packets: Query<(Entity, &FlowPacket), Added<FlowPacket>>,
) {
    for (e, p) in &packets {
        let Some((_, mesh)) = meshes.shapes.iter().find(|(k, _)| *k == p.kind) else {
            continue;
        };
        let c = color(packet_color(p.kind, session.dark));
        commands.entity(e).insert((
            Mesh2d(mesh.clone()),
            MeshMaterial2d(materials.add(ColorMaterial::from_color(c))),
            Transform::from_xyz(0.0, 0.0, 5.0),
            Visibility::default(),
        ));
    }
}

fn move_packets(scene: Res<FlowScene>, mut packets: Query<(&FlowPacket, &mut Transform)>) {
    for (p, mut t) in &mut packets {
        let Some((x, y)) = scene.layout.packet_at(p.from, p.to, p.progress, p.kind) else {
            continue;
        };
        // Later packets on top, so overlapping ones stay in a stable order.
        t.translation = to_world(&scene, x, y).extend(5.0 + p.span as f32 * 1e-4);
    }
}

/// Outlines are a slightly larger sprite behind each box: thin in the stroke
/// colour, thick in the highlight colour while the component acts.
fn update_outlines(
    session: Res<Session>,
    nodes: Query<(&FlowNode, &NodeStatus, &Children), Changed<NodeStatus>>,
    mut outlines: Query<&mut Sprite, With<Outline>>,
) {
    let pal = palette(session.dark);
    for (n, s, children) in &nodes {
        for c in children.iter() {
            if let Ok(mut sprite) = outlines.get_mut(c) {
                let (grow, col) = if s.acting {
                    (10.0, pal.highlight)
                } else {
                    (2.0, pal.pod_stroke)
                };
                sprite.color = color(col);
                sprite.custom_size = Some(Vec2::new(n.rect.w + grow, n.rect.h + grow));
            }
        }
    }
}

/// The learner's zoom and pan (`meshstep_ui::flow_zoom`), which the egui
/// labels follow through the same numbers.
fn zoom_camera(
    session: Res<Session>,
    scene: Res<FlowScene>,
    camera: Single<(&mut Projection, &mut Transform), With<FlowCamera>>,
) {
    let Some(v) = &session.viewer else { return };
    let (mut projection, mut transform) = camera.into_inner();
    let scale = 1.0 / v.zoom.level;
    // Read first: writing through `Mut` marks the camera changed every frame.
    let now = match &*projection {
        Projection::Orthographic(o) => o.scale,
        _ => scale,
    };
    if now != scale
        && let Projection::Orthographic(o) = &mut *projection
    {
        o.scale = scale;
    }
    // Layout y runs down, world y up.
    let (hx, hy) = (scene.layout.width / 2.0, scene.layout.height / 2.0);
    let at = Vec3::new(
        v.zoom.pan.0 * hx,
        -v.zoom.pan.1 * hy,
        transform.translation.z,
    );
    if transform.translation != at {
        transform.translation = at;
    }
}

fn apply_viewport(vp: Res<FlowViewport>, mut camera: Single<&mut Camera, With<FlowCamera>>) {
    // (the logical size for the layout is set with the viewport, in the panels system)
    if !vp.is_changed() || vp.size.x == 0 || vp.size.y == 0 {
        return;
    }
    camera.viewport = Some(Viewport {
        physical_position: vp.min,
        physical_size: vp.size,
        ..default()
    });
}

fn clear_color(session: Res<Session>, mut clear: ResMut<ClearColor>) {
    let c = color(palette(session.dark).background);
    if clear.0 != c {
        clear.0 = c;
    }
}
