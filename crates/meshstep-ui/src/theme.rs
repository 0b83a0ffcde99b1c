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
}

pub fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            background: Color32::from_rgb(24, 27, 33),
            text: Color32::from_rgb(230, 233, 238),
            dim_text: Color32::from_rgb(150, 156, 166),
            pod_fill: Color32::from_rgb(36, 41, 50),
            pod_stroke: Color32::from_rgb(96, 106, 122),
            link: Color32::from_rgb(84, 92, 106),
            highlight: Color32::from_rgb(255, 214, 92),
            current_row: Color32::from_rgb(58, 72, 44),
            changed_cell: Color32::from_rgb(88, 70, 24),
            future_text: Color32::from_rgb(120, 126, 136),
            right: Color32::from_rgb(90, 190, 100),
        }
    } else {
        Palette {
            background: Color32::from_rgb(246, 247, 249),
            text: Color32::from_rgb(24, 27, 33),
            dim_text: Color32::from_rgb(88, 94, 104),
            pod_fill: Color32::from_rgb(255, 255, 255),
            pod_stroke: Color32::from_rgb(150, 158, 170),
            link: Color32::from_rgb(170, 176, 186),
            highlight: Color32::from_rgb(214, 150, 0),
            current_row: Color32::from_rgb(214, 236, 196),
            changed_cell: Color32::from_rgb(255, 226, 150),
            future_text: Color32::from_rgb(150, 154, 162),
            right: Color32::from_rgb(20, 130, 40),
        }
    }
}

/// Fill of a component box by kind.
pub fn component_fill(kind: ComponentKind, dark: bool) -> Color32 {
    let (d, l) = match kind {
        ComponentKind::App => ((46, 78, 120), (205, 225, 250)),
        ComponentKind::Sidecar => ((40, 100, 92), (196, 238, 228)),
        ComponentKind::Library => ((92, 70, 128), (228, 214, 250)),
        ComponentKind::ControlPlane => ((120, 62, 92), (250, 214, 232)),
        ComponentKind::Kubectl => ((70, 74, 82), (226, 228, 232)),
        ComponentKind::Service => ((84, 84, 52), (240, 240, 204)),
        ComponentKind::Gateway | ComponentKind::Waypoint | ComponentKind::Ztunnel => {
            ((40, 100, 92), (196, 238, 228))
        }
        ComponentKind::External | ComponentKind::Client => ((70, 74, 82), (226, 228, 232)),
        ComponentKind::Pod | ComponentKind::End => ((36, 41, 50), (255, 255, 255)),
    };
    let (r, g, b) = if dark { d } else { l };
    Color32::from_rgb(r, g, b)
}

/// Colour of a packet kind (its shape differs too, so colour is not the only cue).
pub fn packet_color(kind: PacketKind, dark: bool) -> Color32 {
    let (d, l) = match kind {
        PacketKind::Request => ((86, 170, 255), (20, 100, 210)),
        PacketKind::Response => ((110, 220, 120), (20, 140, 40)),
        PacketKind::Config => ((206, 130, 255), (130, 50, 190)),
        PacketKind::Lookup => ((90, 220, 220), (0, 140, 140)),
    };
    let (r, g, b) = if dark { d } else { l };
    Color32::from_rgb(r, g, b)
}

/// The shape each packet kind is drawn with, named for the legend.
pub fn packet_shape(kind: PacketKind) -> &'static str {
    match kind {
        PacketKind::Request => "circle",
        PacketKind::Response => "square",
        PacketKind::Config => "triangle",
        PacketKind::Lookup => "hexagon",
    }
}
