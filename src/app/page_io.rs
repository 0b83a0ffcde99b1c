//! What the page and the app hand each other for the editor: files to
//! download (the editor's saves, the handout), links the page packs a
//! lesson into (it knows its own address and has the browser's
//! CompressionStream), and text pasted with Ctrl+V (winit prevents the
//! browser's own paste, so the page reads the clipboard itself).

use std::sync::Mutex;

use bevy::prelude::*;
use wasm_bindgen::prelude::*;

use super::session::Session;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (take_download, take_share))
        .add_systems(
            PreUpdate,
            take_paste.in_set(bevy_egui::EguiInputSet::ReadBevyMessages),
        );
}

#[wasm_bindgen]
extern "C" {
    /// The page's `meshstepDownload(name, text)` (web/loader.js): offers
    /// the text as a file download.
    #[wasm_bindgen(js_name = meshstepDownload)]
    fn meshstep_download(name: &str, text: &str);
}

#[wasm_bindgen]
extern "C" {
    /// The page's `meshstepPackLesson(text, step)` (web/loader.js): packs
    /// the lesson into a link on this page's address with the browser's
    /// CompressionStream, then calls `meshstep_link_made`.
    #[wasm_bindgen(js_name = meshstepPackLesson)]
    fn meshstep_pack_lesson(text: &str, step: Option<u32>);
}

/// Text the page read from the clipboard on Ctrl+V. winit keeps the
/// browser's own paste from happening (it prevents the key's default), so
/// the page reads the clipboard itself and hands the text over.
static PASTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Called by the page with the clipboard's text after Ctrl+V.
#[wasm_bindgen]
pub fn meshstep_paste(text: String) {
    if let Ok(mut q) = PASTED.lock() {
        q.push(text);
    }
}

/// Pastes into the widget that has the keyboard (the editor's text).
fn take_paste(
    mut input: MessageWriter<bevy_egui::input::EguiInputEvent>,
    contexts: Query<Entity, With<bevy_egui::PrimaryEguiContext>>,
) {
    let texts: Vec<String> = PASTED
        .lock()
        .map(|mut q| q.drain(..).collect())
        .unwrap_or_default();
    let Ok(context) = contexts.single() else {
        return;
    };
    for text in texts {
        input.write(bevy_egui::input::EguiInputEvent {
            context,
            event: bevy_egui::egui::Event::Paste(text),
        });
    }
}

/// The link the page made for the editor's "Link".
static LINK_MADE: Mutex<Option<String>> = Mutex::new(None);

/// Called by the page with the link it packed the lesson into.
#[wasm_bindgen]
pub fn meshstep_link_made(url: String) {
    if let Ok(mut l) = LINK_MADE.lock() {
        *l = Some(url);
    }
}

/// The editor asked for a link: the page makes it (it knows its address),
/// and the app shows it when it comes back.
fn take_share(mut session: ResMut<Session>) {
    if session.share_lesson.is_some()
        && let Some((text, step)) = session.share_lesson.take()
    {
        meshstep_pack_lesson(&text, step);
    }
    let made = LINK_MADE.lock().ok().and_then(|mut l| l.take());
    if let Some(url) = made {
        session.link_text = Some(url);
    }
}

/// The editor saved: the browser has no file to write, so the page offers
/// the lesson as a download.
fn take_download(mut session: ResMut<Session>) {
    if session.download.is_none() {
        return; // not touched: a change would wake the app every frame
    }
    if let Some(d) = session.download.take() {
        meshstep_download(&d.file_name, &d.text);
    }
}
