//! The lesson being shown, as a bevy resource, and its clock: animation and
//! playback advance with real time, and frames are requested only while
//! something moves.

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use meshstep_ui::Shell;

#[derive(Resource, Deref, DerefMut)]
pub struct Session(pub Shell);

/// Systems that change what is shown run before the mirrors read it.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionSet {
    Tick,
    Mirror,
}

pub(super) fn plugin(app: &mut App) {
    // Registered here too so the session also runs headless, without the window plugin.
    app.add_message::<RequestRedraw>()
        .configure_sets(Update, (SessionSet::Tick, SessionSet::Mirror).chain())
        .add_systems(Update, tick.in_set(SessionSet::Tick));
}

fn tick(time: Res<Time>, mut session: ResMut<Session>, mut redraw: MessageWriter<RequestRedraw>) {
    let dt = time.delta_secs().min(0.1);
    if session.needs_frames() {
        session.tick(dt);
        redraw.write(RequestRedraw);
    }
}
