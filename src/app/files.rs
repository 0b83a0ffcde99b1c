//! Files dropped on the window: lessons (`.ron`) open in the app, with their
//! diagnostics when they have errors; exported progress (`.json`) is imported.

use bevy::prelude::*;
use bevy::window::FileDragAndDrop;

use super::session::Session;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, open_dropped);
}

fn open_dropped(mut drops: MessageReader<FileDragAndDrop>, mut session: ResMut<Session>) {
    for d in drops.read() {
        if let FileDragAndDrop::DroppedFile { path_buf, .. } = d {
            if path_buf.extension().is_some_and(|e| e == "json") {
                match std::fs::read_to_string(path_buf) {
                    Ok(text) => session.learn.import_text(&text),
                    Err(e) => {
                        session.learn.message =
                            Some(format!("Cannot read {}: {e}", path_buf.display()))
                    }
                }
                continue;
            }
            let i = session.library.add_path(path_buf);
            session.select(i);
        }
    }
}
