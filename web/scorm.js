// SCORM 1.2 glue for a lesson packaged by `meshstep export --format scorm`.
// Loaded before loader.js in the package's index.html only. It finds the
// learning platform's runtime API (an object named `API` on a parent or
// opener window, SCORM 1.2 RTE section 3.3.6.1), starts the session, hands
// the saved progress (cmi.suspend_data) and the mastery score to the app,
// passes on what the app reports (score, status, progress, location) and
// ends the session when the page goes away. Without a platform the lesson
// still runs, with progress kept in this browser only.
(function () {
  'use strict';

  // The ADL search: up the parents (at most 7 levels, as ADL's own script),
  // then the window that opened this one.
  function findAPI(win) {
    for (let n = 0; win && n <= 7; n++) {
      try {
        if (win.API) return win.API;
      } catch { return null; } // another origin: not ours to use
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  const api = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  const started = Date.now();
  const state = {
    lesson: 'lesson.ron', // the packaged lesson, beside this page
    suspend: '',
    mastery: null,
    problem: null,
    report: () => {},
  };
  window.meshstepScorm = state;

  if (!api) {
    state.problem = 'No learning platform was found (no SCORM 1.2 API on a parent window): ' +
      'your progress is kept in this browser only. (Click to close.)';
    return;
  }
  if (String(api.LMSInitialize('')) !== 'true') {
    state.problem = `The learning platform did not start this lesson (SCORM error ${api.LMSGetLastError()}): ` +
      'your progress is kept in this browser only. (Click to close.)';
    return;
  }
  state.suspend = String(api.LMSGetValue('cmi.suspend_data') || '');
  const mastery = parseInt(api.LMSGetValue('cmi.student_data.mastery_score'), 10);
  state.mastery = Number.isFinite(mastery) ? mastery : null;
  if (api.LMSGetValue('cmi.core.lesson_status') === 'not attempted') {
    api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
  }
  api.LMSSetValue('cmi.core.score.min', '0');
  api.LMSSetValue('cmi.core.score.max', '100');

  let finished = false;
  // Called by the app whenever what it reports changes.
  state.report = (score, status, suspend, location) => {
    if (finished) return;
    api.LMSSetValue('cmi.core.score.raw', String(score));
    api.LMSSetValue('cmi.core.lesson_status', status);
    api.LMSSetValue('cmi.suspend_data', suspend);
    api.LMSSetValue('cmi.core.lesson_location', location);
    // "suspend" asks the platform to resume this attempt next time.
    api.LMSSetValue('cmi.core.exit', status === 'incomplete' ? 'suspend' : '');
    api.LMSCommit('');
  };

  // CMITimespan: HHHH:MM:SS.SS.
  function timespan(ms) {
    const s = ms / 1000;
    const pad = (n, w) => String(Math.floor(n)).padStart(w, '0');
    return `${pad(s / 3600, 4)}:${pad((s % 3600) / 60, 2)}:${(s % 60).toFixed(2).padStart(5, '0')}`;
  }

  function finish() {
    if (finished) return;
    api.LMSSetValue('cmi.core.session_time', timespan(Date.now() - started));
    api.LMSCommit('');
    api.LMSFinish('');
    finished = true;
  }
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);
})();
