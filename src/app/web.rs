//! The browser build's ties to the page: progress in localStorage, share
//! links in the URL hash (`#v=1&lesson=mesh-vs-library&step=4&faults=mtls-off`,
//! the format of `meshstep_sim::share`)
//! kept up to date and restored on load, the page title, lesson or progress
//! files handed over by the page's file picker and drop zone, a flag the
//! page and its tests read once the first frame is drawn, and the logger that
//! puts warnings and errors on the browser console.

use std::sync::Mutex;

use bevy::prelude::*;
use meshstep_sim::learning::progress::{Progress, read};
use meshstep_sim::share::ShareLink;
use meshstep_ui::store::{Loaded, ProgressStore};
use wasm_bindgen::prelude::*;

use super::session::Session;

const KEY: &str = "meshstep.progress";

/// Files the page passed in (name, text, the address a link fetched it
/// from), waiting for the app to pick them up.
static OPENED: Mutex<Vec<(String, String, Option<String>)>> = Mutex::new(Vec::new());

/// Called by the page with a file the learner picked or dropped.
#[wasm_bindgen]
pub fn meshstep_open_file(name: String, text: String) {
    if let Ok(mut q) = OPENED.lock() {
        q.push((name, text, None));
    }
}

/// Called by the page with the lesson a link's `src=` names, fetched.
#[wasm_bindgen]
pub fn meshstep_open_url(url: String, name: String, text: String) {
    if let Ok(mut q) = OPENED.lock() {
        q.push((name, text, Some(url)));
    }
}

/// Called by the page when a link's `src=` could not be fetched: the page
/// says why, and the app stops waiting for it.
#[wasm_bindgen]
pub fn meshstep_url_failed() {
    if let Ok(mut a) = AWAITED.lock() {
        *a = None;
    }
}

/// Packs and lessons-in-links the page read, waiting for the app.
enum Arrived {
    Pack {
        src: String,
        name: String,
        text: String,
        fetched: Vec<meshstep_ui::packs::Fetched>,
    },
    Inline {
        lz: String,
        text: String,
    },
}

static ARRIVED: Mutex<Vec<Arrived>> = Mutex::new(Vec::new());

/// The lesson files a pack's index names, as addresses for the page to
/// fetch (JSON); `null` when the text is a lesson, not a pack.
#[wasm_bindgen]
pub fn meshstep_pack_files(url: String, text: String) -> String {
    use meshstep_sim::pack::{Pack, is_pack};
    if !is_pack(&text) {
        return "null".into();
    }
    let files = Pack::from_source(&text)
        .map(|p| p.files(&url))
        .unwrap_or_default();
    serde_json::to_string(&files).unwrap_or_else(|_| "[]".into())
}

/// Called by the page with a pack's index and its lessons, fetched:
/// `fetched` is JSON `[[address, text or null, why not or null], …]`.
#[wasm_bindgen]
pub fn meshstep_open_pack(src: String, name: String, text: String, fetched: String) {
    let rows: Vec<(String, Option<String>, Option<String>)> =
        serde_json::from_str(&fetched).unwrap_or_default();
    let fetched = (rows.into_iter())
        .map(|(at, text, why)| meshstep_ui::packs::Fetched {
            at,
            text: text.ok_or(why.unwrap_or_else(|| "it could not be fetched".into())),
        })
        .collect();
    if let Ok(mut q) = ARRIVED.lock() {
        q.push(Arrived::Pack {
            src,
            name,
            text,
            fetched,
        });
    }
}

/// Called by the page with the lesson a link carries (`lz=`), unpacked.
#[wasm_bindgen]
pub fn meshstep_open_inline(lz: String, text: String) {
    if let Ok(mut q) = ARRIVED.lock() {
        q.push(Arrived::Inline { lz, text });
    }
}

/// A link whose lesson (`src=`) the page is fetching: applied when it comes;
/// meanwhile the hash is left as it is, so a reload still has the address.
static AWAITED: Mutex<Option<ShareLink>> = Mutex::new(None);

/// Waits for the link's lesson instead of applying the link now.
pub fn await_src(link: &ShareLink) {
    if let Ok(mut a) = AWAITED.lock() {
        // `lesson` stays: with a pack's index in `src`, it picks the lesson.
        *a = Some(link.clone());
    }
}

fn awaiting_src() -> bool {
    AWAITED.lock().is_ok_and(|a| a.is_some())
}

/// What the view shows, for the page's tests: the step and the steps the
/// run's faults changed, as JSON. Kept by `follow_hash`.
static SHOWN: Mutex<String> = Mutex::new(String::new());

#[wasm_bindgen]
pub fn meshstep_shown() -> String {
    SHOWN.lock().map(|s| s.clone()).unwrap_or_default()
}

/// The trace digest of the run a share link describes (a bundled lesson),
/// for comparing with a native run of the same link.
#[wasm_bindgen]
pub fn meshstep_trace_digest(link: String) -> String {
    let (link, problems) = ShareLink::parse(&link);
    if let Some(p) = problems.first() {
        return format!("bad link: {p}");
    }
    let id = link.lesson.unwrap_or_default();
    let Some(Ok(l)) = meshstep_sim::bundled::lesson(&id) else {
        return format!("no lesson {id}");
    };
    let seed = link.seed.unwrap_or(l.scenario.seed);
    let changes = match meshstep_sim::lesson::lab::changes_for(
        &meshstep_sim::lesson::lab::catalogue(&l),
        &link.settings,
    ) {
        Ok(c) => c,
        Err(e) => return e,
    };
    match l.run_changed(seed, &link.faults, &changes, link.from) {
        Ok(r) => format!("{:016x}", r.trace.digest()),
        Err(e) => meshstep_sim::topology::TopologyError::join(&e),
    }
}

/// Warnings and errors (bevy's and wgpu's, through `tracing`'s `log` bridge)
/// on the browser console. bevy's own log setup is native only: its filter
/// and subscriber cost more of the .wasm than everything it would show here.
struct ConsoleLog;

impl log::Log for ConsoleLog {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::Level::Warn
    }

    fn log(&self, r: &log::Record) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let text = JsValue::from(format!("{} {}: {}", r.level(), r.target(), r.args()));
        if r.level() == log::Level::Error {
            web_sys::console::error_1(&text);
        } else {
            web_sys::console::warn_1(&text);
        }
    }

    fn flush(&self) {}
}

/// Installs the console logger (once; a second call changes nothing).
pub fn init_console_log() {
    static LOGGER: ConsoleLog = ConsoleLog;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Progress in the page's localStorage; a damaged or newer value is kept
/// under another key before anything is written.
pub struct WebStore;

impl ProgressStore for WebStore {
    fn load(&mut self) -> Loaded {
        let Some(s) = storage() else {
            return Loaded {
                progress: Progress::default(),
                message: Some(
                    "This browser does not allow saving progress (no localStorage).".into(),
                ),
            };
        };
        let Some(text) = s.get_item(KEY).ok().flatten() else {
            return Loaded {
                progress: Progress::default(),
                message: None,
            };
        };
        let r = read(&text);
        let Some(problem) = r.problem else {
            return Loaded {
                progress: r.progress,
                message: None,
            };
        };
        let aside = (1..)
            .map(|n| format!("{KEY}.kept-{n}"))
            .find(|k| s.get_item(k).ok().flatten().is_none())
            .unwrap_or_default();
        let _ = s.set_item(&aside, &text);
        Loaded {
            progress: r.progress,
            message: Some(format!(
                "Saved progress had a problem: {}. It was kept in localStorage as '{aside}'.",
                problem.describe()
            )),
        }
    }

    fn save(&mut self, progress: &Progress) -> Result<(), String> {
        storage()
            .ok_or("no localStorage")?
            .set_item(KEY, &progress.to_text())
            .map_err(|_| "localStorage refused the write (full?)".to_string())
    }

    fn location(&self) -> String {
        format!("this browser's localStorage ('{KEY}')")
    }
}

/// Whether the browser asks for reduced motion (`prefers-reduced-motion`).
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Reads the page's hash as a share link (the one format, from the core).
pub fn parse_hash(hash: &str) -> ShareLink {
    ShareLink::parse(hash).0
}

fn current_hash(session: &Session) -> Option<(String, String)> {
    let v = session.viewer.as_ref()?;
    let id = &v.lesson.scenario.id;
    let step = v.current_step().unwrap_or(0);
    // A lesson fetched by a link is named by its address, not by an id this
    // page's menu would not know; one of a pack's by the pack's address and
    // its id; one carried in the link by itself.
    let entry = session.library.entries.get(session.selected);
    let in_pack = (session.pack.as_ref())
        .filter(|p| entry.is_some_and(|e| p.lessons.contains(&e.name)) || session.pack_open);
    let (src, lz) = match in_pack {
        Some(p) => (Some(p.src.clone()), None),
        None => (
            entry.and_then(|e| e.url.clone()),
            entry.and_then(|e| e.lz.clone()),
        ),
    };
    let named = (src.is_none() && lz.is_none()) || (in_pack.is_some() && !session.pack_open);
    let link = ShareLink {
        lesson: named.then(|| id.clone()),
        src,
        lz,
        step: Some(step),
        seed: (v.seed != v.lesson.scenario.seed).then_some(v.seed),
        faults: v.faults().to_vec(),
        // A lesson's own what-if with settings has no lab id: it is left out.
        settings: meshstep_sim::lesson::lab::setting_ids(&v.lab, v.changes()).unwrap_or_default(),
        from: v.fault_onset(),
        page: session.explore.page.map(|p| p.key().to_string()),
        experiment: session.explore.experiment().map(str::to_string),
        practice: (!session.learn.more.questions.is_empty()).then_some(session.learn.more.seed),
        extra: Vec::new(),
    };
    let hash = format!("#{}", link.to_fragment());
    let title = match session.explore.title() {
        Some(page) => format!("meshstep — {} — {page}", v.lesson.scenario.title),
        None => format!(
            "meshstep — {} — step {step} of {}",
            v.lesson.scenario.title,
            v.step_count()
        ),
    };
    Some((hash, title))
}

/// Applies a share link to the session (at start, and when the hash changes by hand).
pub fn apply_link(session: &mut Session, link: &ShareLink) {
    for p in session.0.open_link(link) {
        web_sys::console::warn_1(&JsValue::from(format!("share link: {p}")));
    }
}

#[derive(Resource, Default)]
struct PageState {
    hash: String,
    /// What the live region says now.
    narrated: String,
    frames: u32,
    ready: bool,
}

pub(super) fn plugin(app: &mut App) {
    // The page hands files over without a DOM event winit would see, so the
    // app looks for them four times a second; otherwise it stays idle.
    app.insert_resource(bevy::winit::WinitSettings {
        focused_mode: bevy::winit::UpdateMode::reactive(std::time::Duration::from_millis(250)),
        unfocused_mode: bevy::winit::UpdateMode::reactive_low_power(
            std::time::Duration::from_secs(1),
        ),
    })
    .init_resource::<PageState>()
    .add_systems(Update, (take_files, follow_hash, narrate, mark_ready))
    .add_systems(Update, super::lms::sync.after(take_files))
    .add_plugins(super::page_io::plugin);
}

fn take_files(mut session: ResMut<Session>) {
    let files: Vec<(String, String, Option<String>)> = OPENED
        .lock()
        .map(|mut q| q.drain(..).collect())
        .unwrap_or_default();
    for (name, text, url) in files {
        if name.ends_with(".json") {
            session.learn.import_text(&text);
        } else if let Some(url) = url {
            session.open_source(&name, &text);
            let i = session.selected;
            if let Some(e) = session.library.entries.get_mut(i) {
                e.url = Some(url);
            }
            // The rest of the link (step, faults, practice set) applies to it.
            let link = AWAITED.lock().ok().and_then(|mut a| a.take());
            if let Some(link) = link {
                apply_link(&mut session, &link);
            }
        } else {
            session.open_source(&name, &text);
        }
    }
    let arrived: Vec<Arrived> = ARRIVED
        .lock()
        .map(|mut q| q.drain(..).collect())
        .unwrap_or_default();
    for a in arrived {
        match a {
            Arrived::Pack {
                src,
                name,
                text,
                fetched,
            } => {
                let origin = meshstep_ui::packs::Origin::Url(src);
                session.open_pack(&name, &text, origin, &fetched);
            }
            Arrived::Inline { lz, text } => {
                session.open_source("lesson in the link", &text);
                let i = session.selected;
                if let Some(e) = session.library.entries.get_mut(i) {
                    e.lz = Some(lz);
                }
            }
        }
        let link = AWAITED.lock().ok().and_then(|mut a| a.take());
        if let Some(link) = link {
            apply_link(&mut session, &link);
        }
    }
}

/// Keeps the URL hash and the title in step with the view; a hash edited by
/// hand (or a pasted share link) moves the view.
fn follow_hash(mut session: ResMut<Session>, mut page: ResMut<PageState>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if awaiting_src() {
        return;
    }
    let location = window.location().hash().unwrap_or_default();
    if !page.hash.is_empty() && location != page.hash {
        apply_link(&mut session, &parse_hash(&location));
    }
    let Some((hash, title)) = current_hash(&session).or_else(|| {
        // A file with errors: no lesson to link to, but the title says what is shown.
        let e = session.library.entries.get(session.selected)?;
        Some((
            page.hash.clone(),
            format!("meshstep — {} has errors", e.name),
        ))
    }) else {
        return;
    };
    if let Some(doc) = window.document()
        && doc.title() != title
    {
        doc.set_title(&title);
    }
    if let (Some(v), Ok(mut shown)) = (session.viewer.as_ref(), SHOWN.lock()) {
        // The editor's state too: whether what was typed is a valid lesson.
        let editor = match session.editor.as_ref().map(|e| e.status) {
            None => "null",
            Some(meshstep_ui::editor::Status::Waiting) => "\"waiting\"",
            Some(meshstep_ui::editor::Status::Valid) => "\"valid\"",
            Some(meshstep_ui::editor::Status::Broken) => "\"broken\"",
        };
        // And the lesson pack, if one is open, and whether its menu shows.
        let pack = (session.pack.as_ref()).map_or("null".to_string(), |p| format!("{:?}", p.title));
        let now = format!(
            "{{\"step\":{},\"affected\":{:?},\"title\":{:?},\"editor\":{editor},\"pack\":{pack},\"menu\":{}}}",
            v.current_step().unwrap_or(0),
            v.run.affected_steps(),
            v.lesson.scenario.title,
            session.pack_open,
        );
        if *shown != now {
            *shown = now;
        }
    }
    if hash != page.hash {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
        }
        page.hash = hash;
    }
}

/// Keeps the page's live region saying what is on screen, for screen
/// readers (the canvas itself is opaque to them).
fn narrate(session: Res<Session>, mut page: ResMut<PageState>) {
    let said = meshstep_ui::narrate::narration(&session);
    if said == page.narrated {
        return;
    }
    if let Some(live) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("live"))
    {
        live.set_text_content(Some(&said));
    }
    page.narrated = said;
}

/// Tells the page the app is drawing: the loader hides its progress bar and
/// tests start pressing keys.
fn mark_ready(mut page: ResMut<PageState>) {
    if page.ready {
        return;
    }
    page.frames += 1;
    if page.frames >= 2 {
        page.ready = true;
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::set(&w, &"meshstepReady".into(), &JsValue::TRUE);
            if let Some(perf) = w.performance() {
                // Milliseconds since navigation started: the first-frame figure.
                let _ = js_sys::Reflect::set(
                    &w,
                    &"meshstepReadyAt".into(),
                    &JsValue::from_f64(perf.now()),
                );
            }
            if let Some(el) = w.document().and_then(|d| d.get_element_by_id("loading")) {
                let _ = el.set_attribute("hidden", "");
            }
        }
    }
}

/// The share link the page was opened with.
pub fn initial_link() -> ShareLink {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| parse_hash(&h))
        .unwrap_or_default()
}
