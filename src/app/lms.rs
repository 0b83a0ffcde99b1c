//! The page inside a learning platform (a SCORM 1.2 package made by
//! `meshstep export --format scorm`): web/scorm.js starts the session and
//! hands over the saved progress; this puts it in place when the packaged
//! lesson arrives and reports the score, status and progress back whenever
//! they change (`meshstep_sim::learning::lms` decides what they are).

use std::sync::Mutex;

use bevy::prelude::*;
use meshstep_sim::learning::lms::{report, resume};
use meshstep_sim::learning::progress::LessonProgress;
use meshstep_ui::library::Entry;
use wasm_bindgen::prelude::*;

use super::session::Session;

struct Lms {
    /// The packaged lesson's address (the page fetches it like a `src=` link).
    src: String,
    mastery: Option<u32>,
    /// The saved progress, until the lesson it belongs to has arrived.
    resumed: Option<(String, LessonProgress)>,
    applied: bool,
    /// What was last reported, so the platform hears each change once.
    sent: Option<(u32, &'static str, String, String)>,
}

static LMS: Mutex<Option<Lms>> = Mutex::new(None);

/// Called by the page in a SCORM package, before the lesson is fetched.
#[wasm_bindgen]
pub fn meshstep_lms_start(src: String, suspend: String, mastery: Option<u32>) {
    let resumed = match suspend.trim() {
        "" => None,
        data => match resume(data) {
            Ok(r) => Some(r),
            Err(e) => {
                web_sys::console::warn_1(&JsValue::from(format!("learning platform: {e}")));
                None
            }
        },
    };
    if let Ok(mut lms) = LMS.lock() {
        *lms = Some(Lms {
            src,
            mastery: mastery.map(|m| m.min(100)),
            resumed,
            applied: false,
            sent: None,
        });
    }
}

#[wasm_bindgen]
extern "C" {
    /// web/scorm.js's `meshstepScorm.report(score, status, suspend, location)`.
    #[wasm_bindgen(js_namespace = meshstepScorm, js_name = report)]
    fn scorm_report(score: u32, status: &str, suspend: &str, location: &str);
}

/// Puts the saved progress in place once the packaged lesson is open, then
/// reports to the platform whenever the report changes.
pub fn sync(mut session: ResMut<Session>) {
    let Ok(mut guard) = LMS.lock() else {
        return;
    };
    let Some(lms) = guard.as_mut() else {
        return;
    };
    if lms.applied && !session.is_changed() {
        return;
    }
    let shell = &session.0;
    let Some(i) = (shell.library.entries.iter()).position(|e| e.url.as_deref() == Some(&lms.src))
    else {
        return;
    };
    let Entry::Ready(lesson) = &shell.library.entries[i].entry else {
        return;
    };
    let id = lesson.scenario.id.clone();
    if !lms.applied {
        // The platform's record is this learner's, wherever they worked
        // before; what this browser kept for the lesson gives way to it.
        let p = match lms.resumed.take() {
            Some((saved, p)) if saved == id => p,
            _ => LessonProgress::default(),
        };
        session.learn.replace_lesson_progress(&id, p);
        session.select(i); // reopens at the step the learner left
        lms.applied = true;
    }
    let Entry::Ready(lesson) = &session.library.entries[i].entry else {
        return;
    };
    let r = report(
        &lesson.scenario,
        session.learn.progress.lessons.get(&id),
        lms.mastery,
    );
    let now = (r.score_raw, r.status.cmi(), r.suspend_data, r.location);
    if lms.sent.as_ref() != Some(&now) {
        scorm_report(now.0, now.1, &now.2, &now.3);
        lms.sent = Some(now);
    }
}
