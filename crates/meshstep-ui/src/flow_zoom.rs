//! Zoom and pan of the flow view: how far in, and which point of the layout
//! is at the view's centre. The egui labels (through
//! [`crate::flow_labels::ViewTransform`]) and the bevy camera both read it, so
//! boxes, packets and words move together. Text grows with the zoom: a view
//! of thirty components is read by zooming into the part that matters.

/// Closest the view goes in (the whole layout fits at 1).
pub const MAX_ZOOM: f32 = 4.0;
/// One zoom step by key or button.
pub const ZOOM_STEP: f32 = 1.25;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowZoom {
    /// 1: the whole layout fits the view; 2: twice as close.
    pub level: f32,
    /// The layout point at the view's centre, as an offset from the
    /// layout's own centre in halves of its size (-1: its left or top
    /// edge, 1: its right or bottom edge), so it holds when the window and
    /// with it the layout change size.
    pub pan: (f32, f32),
}

impl Default for FlowZoom {
    fn default() -> Self {
        FlowZoom {
            level: 1.0,
            pan: (0.0, 0.0),
        }
    }
}

impl FlowZoom {
    pub fn is_fit(&self) -> bool {
        *self == FlowZoom::default()
    }

    /// Zooms by `factor`, keeping the layout point `anchor` (an offset from
    /// the layout's centre as `pan` measures it; `None`: the view's centre)
    /// where it is on screen.
    pub fn zoom_by(&mut self, factor: f32, anchor: Option<(f32, f32)>) {
        let old = self.level;
        self.level = (self.level * factor).clamp(1.0, MAX_ZOOM);
        if let Some((ax, ay)) = anchor {
            // The anchor is (a - pan) * level screen units from the centre before and after.
            let k = old / self.level;
            self.pan = (ax - (ax - self.pan.0) * k, ay - (ay - self.pan.1) * k);
        }
        self.clamp();
    }

    /// Moves the view by `dx`, `dy` (in halves of the layout, as `pan`).
    pub fn pan_by(&mut self, dx: f32, dy: f32) {
        self.pan = (self.pan.0 + dx, self.pan.1 + dy);
        self.clamp();
    }

    /// Puts this layout point (as `pan` measures it) at the view's centre,
    /// as near as the layout's edges allow.
    pub fn center_on(&mut self, at: (f32, f32)) {
        self.pan = at;
        self.clamp();
    }

    /// Keeps the view over the layout: at zoom 1 centred, closer in never
    /// further out than the layout's edge.
    fn clamp(&mut self) {
        let room = 1.0 - 1.0 / self.level;
        self.pan = (self.pan.0.clamp(-room, room), self.pan.1.clamp(-room, room));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_in_place() {
        let mut z = FlowZoom::default();
        let anchor = (0.5, -0.25);
        // Screen offset of the anchor from the view centre, in fit-scale units.
        let screen = |z: &FlowZoom| {
            (
                (anchor.0 - z.pan.0) * z.level,
                (anchor.1 - z.pan.1) * z.level,
            )
        };
        let before = screen(&z);
        z.zoom_by(2.0, Some(anchor));
        let after = screen(&z);
        assert!((before.0 - after.0).abs() < 1e-3 && (before.1 - after.1).abs() < 1e-3);
        assert_eq!(z.level, 2.0);
    }

    #[test]
    fn the_view_stays_over_the_layout_and_within_the_zoom_range() {
        let mut z = FlowZoom::default();
        z.pan_by(0.5, 0.0);
        assert_eq!(z.pan, (0.0, 0.0), "at zoom 1 there is nothing to pan to");
        z.zoom_by(100.0, None);
        assert_eq!(z.level, MAX_ZOOM);
        z.pan_by(10.0, -10.0);
        assert_eq!(z.pan, (0.75, -0.75), "the layout's edge at the view's edge");
        z.zoom_by(0.01, None);
        assert!(z.is_fit(), "all the way out is the fitted view: {z:?}");
    }
}
