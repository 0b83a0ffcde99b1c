//! Lessons dropped on the window open in the app (with their diagnostics when
//! they have errors).

use bevy::prelude::*;
use bevy::window::FileDragAndDrop;

use super::session::Session;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, open_dropped);
}

fn open_dropped(mut drops: MessageReader<FileDragAndDrop>, mut session: ResMut<Session>) {
    for d in drops.read() {
        if let FileDragAndDrop::DroppedFile { path_buf, .. } = d {
            let i = session.library.add_path(path_buf);
            session.select(i);
        }
    }
}
