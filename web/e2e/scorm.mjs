// The SCORM package in a stand-in learning platform: `meshstep export
// --format scorm` packages the build in web/dist; the package is unzipped
// under it and opened in an iframe of a page that puts a stub SCORM 1.2
// runtime API on the parent window, recording every call. Checks that the
// package starts the session, reports score, status, progress and location,
// reports again after a quiz answer, resumes from the suspend data the
// platform hands back, and ends the session when the page goes away.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The platform: the stub API (initial data from the page's hash) and the
// package's page in a frame, as platforms launch SCOs.
const LMS_PAGE = `<!doctype html><meta charset="utf-8"><title>stub LMS</title>
<script>
  const given = JSON.parse(decodeURIComponent(location.hash.slice(1) || '%7B%7D'));
  window.cmi = Object.assign({ 'cmi.core.lesson_status': 'not attempted', 'cmi.suspend_data': '' }, given);
  window.calls = [];
  const call = (name, fn) => (...args) => { window.calls.push([name, ...args]); return fn(...args); };
  window.API = {
    LMSInitialize: call('LMSInitialize', () => 'true'),
    LMSFinish: call('LMSFinish', () => 'true'),
    LMSGetValue: call('LMSGetValue', (k) => window.cmi[k] ?? ''),
    LMSSetValue: call('LMSSetValue', (k, v) => { window.cmi[k] = String(v); return 'true'; }),
    LMSCommit: call('LMSCommit', () => 'true'),
    LMSGetLastError: () => '0',
    LMSGetErrorString: () => 'No error',
    LMSGetDiagnostic: () => '',
  };
</script>
<body style="margin:0"><iframe id="sco" src="scorm-pkg/index.html" style="border:0;width:1280px;height:720px"></iframe></body>`;

export async function scormChecks({ browser, base, dist, nativeBin, check, assert, shots, pageErrors }) {
  const pkgDir = path.join(dist, 'scorm-pkg');
  const zip = path.join(dist, 'mesh-vs-library-scorm.zip');
  rmSync(pkgDir, { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  execFileSync(nativeBin, ['export', 'mesh-vs-library', '--format', 'scorm', '--web-dist', dist, '--out', zip]);
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, pkgDir]);
  rmSync(zip);
  writeFileSync(path.join(dist, 'lms.html'), LMS_PAGE);

  async function launch(given = {}) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => pageErrors.push(`lms: ${e.message}`));
    await page.goto(`${base}lms.html#${encodeURIComponent(JSON.stringify(given))}`);
    const frame = page.frames().find((f) => f.url().includes('scorm-pkg/'));
    assert(frame, 'the package opens in the frame');
    await frame.waitForFunction(() => window.meshstepReady === true, null, { timeout: 120000 });
    // The packaged lesson arrives, then the app reports.
    await page.waitForFunction(() => (window.cmi['cmi.suspend_data'] || '').startsWith('[1,"mesh-vs-library"'), null, { timeout: 20000 });
    return { page, frame, cmi: () => page.evaluate(() => window.cmi), calls: () => page.evaluate(() => window.calls) };
  }

  let saved = null;
  let scoreAfter = null;
  await check('SCORM: the package starts a session and reports score, status and progress', async () => {
    const { page, frame, cmi, calls } = await launch();
    try {
      const c = await cmi();
      const names = (await calls()).map((x) => x[0]);
      assert(names[0] === 'LMSInitialize', `first call ${names[0]}`);
      assert(c['cmi.core.lesson_status'] === 'incomplete', `status ${c['cmi.core.lesson_status']}`);
      assert(c['cmi.core.score.raw'] === '0' && c['cmi.core.score.min'] === '0' && c['cmi.core.score.max'] === '100',
        `score ${c['cmi.core.score.raw']} (${c['cmi.core.score.min']}-${c['cmi.core.score.max']})`);
      assert(c['cmi.core.exit'] === 'suspend', `exit ${c['cmi.core.exit']}`);
      assert(names.includes('LMSCommit'), 'committed');
      assert(await frame.title().then((t) => t.includes('Service mesh vs library')), 'the packaged lesson is on screen');

      // Quiz question 1 answered right from the keyboard (B), as a learner would.
      await frame.locator('#meshstep-canvas').focus();
      for (const want of ['tracker', 'sequence', 'quiz']) {
        await page.keyboard.press(']');
        await frame.waitForFunction((w) => (localStorage.getItem('meshstep.progress') || '').includes(`"tab":"${w}"`), want, { timeout: 10000 });
      }
      for (const key of ['2', 'Enter']) {
        await page.keyboard.press(key);
        await page.waitForTimeout(500);
      }
      await page.waitForFunction(() => Number(window.cmi['cmi.core.score.raw']) > 0, null, { timeout: 10000 });
      const after = await cmi();
      scoreAfter = after['cmi.core.score.raw'];
      saved = after['cmi.suspend_data'];
      const data = JSON.parse(saved);
      assert(data[3].some((q) => q[0] === 0 && q[2] === true), `quiz 1 right in the suspend data: ${saved}`);
      assert(saved.length <= 4096, `suspend data ${saved.length} characters`);
      assert(after['cmi.core.lesson_status'] === 'incomplete', 'not finished yet');
      assert(/^step \d+$/.test(after['cmi.core.lesson_location']), `location ${after['cmi.core.lesson_location']}`);
      await page.screenshot({ path: path.join(shots, 'scorm-in-stub-lms.png') });

      // Leaving the page ends the session, with the time spent.
      await frame.evaluate(() => window.dispatchEvent(new Event('pagehide')));
      const end = await calls();
      assert(end.some((x) => x[0] === 'LMSFinish'), 'LMSFinish called');
      const time = end.find((x) => x[0] === 'LMSSetValue' && x[1] === 'cmi.core.session_time');
      assert(time && /^\d{4}:\d{2}:\d{2}\.\d{2}$/.test(time[2]), `session time ${time && time[2]}`);
    } finally {
      await page.close();
    }
  });

  await check('SCORM: a new session resumes from the suspend data the platform kept', async () => {
    assert(saved, 'the first session saved progress');
    // A fresh browser (another device): only the platform has the progress.
    const { page, cmi } = await launch({ 'cmi.core.lesson_status': 'incomplete', 'cmi.suspend_data': saved });
    try {
      const c = await cmi();
      assert(c['cmi.core.score.raw'] === scoreAfter, `score ${c['cmi.core.score.raw']}, was ${scoreAfter}`);
      assert(c['cmi.suspend_data'] === saved, 'the same progress');
    } finally {
      await page.close();
    }
  });
}
