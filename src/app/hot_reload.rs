//! Hot reload on the desktop: the folder of the lesson file on screen is
//! watched (editors often save by writing a new file and renaming it over
//! the old one, which a watch on the file itself would lose), and when the
//! file changes the session reloads it (`meshstep_ui::reload`): the same
//! step if it is valid, its diagnostics over the view and the last good
//! version running if it is not. The watcher's thread wakes the reactive
//! event loop, so a save shows even while the window sleeps unfocused.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use notify::{RecursiveMode, Watcher};

use super::session::{Session, SessionSet};

/// Changes closer together than this are one save (editors write in steps).
const SETTLE: Duration = Duration::from_millis(150);

#[derive(Resource)]
pub struct HotReload {
    watcher: Option<notify::RecommendedWatcher>,
    /// Paths the watcher saw change (a Mutex: a resource must be `Sync`).
    changes: Mutex<Receiver<PathBuf>>,
    /// The file watched, and the folder the watch is on.
    watching: Option<(PathBuf, PathBuf)>,
    /// A change seen and when: reloaded once the file has settled.
    pending: Option<Instant>,
    /// Why watching failed, said once.
    problem: Option<String>,
}

/// Added to the windowed app; tests add it to the headless one.
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start).add_systems(
        Update,
        (follow_lesson, reload).chain().in_set(SessionSet::Tick),
    );
}

fn start(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (tx, rx) = channel();
    let proxy = proxy.map(|p| (**p).clone());
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                let _ = tx.send(path);
            }
            if let Some(p) = &proxy {
                let _ = p.send_event(WinitUserEvent::WakeUp);
            }
        }
    });
    let (watcher, problem) = match watcher {
        Ok(w) => (Some(w), None),
        Err(e) => (None, Some(format!("Hot reload is off: {e}"))),
    };
    commands.insert_resource(HotReload {
        watcher,
        changes: Mutex::new(rx),
        watching: None,
        pending: None,
        problem,
    });
}

/// Watches the folder of the lesson on screen (nothing for a bundled one).
fn follow_lesson(mut hot: ResMut<HotReload>, mut session: ResMut<Session>) {
    if let Some(p) = hot.problem.take() {
        session.learn.message = Some(p);
    }
    let want = session.watched_path().map(Path::to_path_buf);
    if hot.watching.as_ref().map(|(f, _)| f) == want.as_ref() {
        return;
    }
    let hot = &mut *hot;
    let Some(watcher) = hot.watcher.as_mut() else {
        return;
    };
    if let Some((_, dir)) = hot.watching.take() {
        let _ = watcher.unwatch(&dir);
    }
    hot.pending = None;
    if let Some(file) = want {
        let dir = file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        match watcher.watch(&dir, RecursiveMode::NonRecursive) {
            Ok(()) => hot.watching = Some((file, dir)),
            Err(e) => {
                session.learn.message =
                    Some(format!("Hot reload cannot watch {}: {e}", dir.display()))
            }
        }
    }
}

/// Reloads the watched file once a change to it has settled.
fn reload(
    mut hot: ResMut<HotReload>,
    mut session: ResMut<Session>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let changed: Vec<PathBuf> = match hot.changes.lock() {
        Ok(rx) => rx.try_iter().collect(),
        Err(_) => return,
    };
    let Some((file, _)) = hot.watching.clone() else {
        return;
    };
    if changed.iter().any(|c| c.file_name() == file.file_name()) {
        hot.pending = Some(Instant::now());
    }
    let Some(seen) = hot.pending else { return };
    if seen.elapsed() < SETTLE {
        // Come back when it has settled, even if nothing else happens.
        redraw.write(bevy::window::RequestRedraw);
        return;
    }
    hot.pending = None;
    let key = file.display().to_string();
    // Unreadable mid-save (renamed away for a moment): the next change brings it back.
    if let Ok(text) = std::fs::read_to_string(&file) {
        session.reload(&key, &text);
    }
    redraw.write(bevy::window::RequestRedraw);
}
