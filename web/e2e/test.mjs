// End-to-end test of the browser build (web/dist): serve it on localhost,
// load it in headless Chromium (Debian's, WebGL2 through SwiftShader), wait
// for the first frame, step with the keyboard and check that the URL hash and
// the title follow, open a share link and check the step it restores, open a
// lesson file through the page's picker and another by dropping it, check
// progress lands in localStorage, compare trace digests with the native
// build, and check the message a browser without WebGL2 gets. Prints the
// first-frame time and saves screenshots to web/e2e/shots/.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { scormChecks } from './scorm.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const dist = path.join(repo, 'web/dist');
const shots = path.join(here, 'shots');
mkdirSync(shots, { recursive: true });
const nativeBin = process.env.MESHSTEP_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(process.env.HOME, '.cache/meshstep-target'), 'debug/meshstep');

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const port = 18000 + Math.floor(Math.random() * 1000);
// Lessons the page fetches by link (#src=…), served from the same origin.
mkdirSync(path.join(dist, 'lessons'), { recursive: true });
copyFileSync(path.join(repo, 'docs/examples/worked-example.ron'), path.join(dist, 'lessons/worked-example.ron'));
copyFileSync(path.join(repo, 'tests/fixtures/broken/27-several-errors.ron'), path.join(dist, 'lessons/broken.ron'));
// A lesson pack beside them: one that opens, one with errors, one built in, one missing.
writeFileSync(path.join(dist, 'lessons/pack.ron'), `// a pack for the e2e test
Pack(
    title: "E2E pack",
    summary: Some("Four lessons, two of which do not open."),
    lessons: ["worked-example.ron", "broken.ron", "canary", "missing.ron"],
)
`);
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(base)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

// Every uncaught error in any page: the run fails on them, not just logs them.
const pageErrors = [];

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => {
    console.log(`  page error: ${e.message}`);
    pageErrors.push(e.message);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.meshstepReady === true, null, { timeout: 120000 });
  return page;
}

try {
  const page = await open(base);
  const firstFrame = await page.evaluate(() => window.meshstepReadyAt);
  const marks = await page.evaluate(() => Object.fromEntries(
    performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
  const ms = (t) => `${Math.round(t)} ms`;
  console.log(`first frame: ${(firstFrame / 1000).toFixed(2)} s after navigation (budget 2 s): ` +
    `downloaded at ${ms(marks['meshstep-downloaded'])}, compiled and set up at ${ms(marks['meshstep-started'])}`);
  await page.screenshot({ path: path.join(shots, 'start.png') });

  await check('the default lesson opens at step 0 with a share link', async () => {
    await page.waitForFunction(() => location.hash.startsWith('#v=1&lesson=mesh-vs-library&step=0'), null, { timeout: 10000 });
    assert((await page.title()).includes('Service mesh vs library-based approach'), await page.title());
  });

  await check('the step key moves the lesson; hash and title follow', async () => {
    await page.click('#meshstep-canvas', { position: { x: 300, y: 400 } });
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.includes('step=1'), null, { timeout: 10000 });
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.includes('step=2'), null, { timeout: 10000 });
    const title = await page.title();
    assert(title.includes('step 2 of 9'), title);
    // Screen readers hear the step, and why, from the live region.
    const live = await page.textContent('#live');
    assert(live.startsWith('Step 2 of 9. Library Proxy (checkout-lib)') && live.includes('Why:'), live);
    await page.waitForTimeout(1500); // let the packet animation finish
    await page.screenshot({ path: path.join(shots, 'step-2.png') });
  });

  await check('a quiz answered from the keyboard is read out', async () => {
    // ] three times: Steps → Tracker → Sequence → Quiz (browsers keep Ctrl+digit for themselves).
    // At a person's pace: the page draws only on input, and presses a few
    // milliseconds apart can reach the app as one.
    // Each press waits for the app to show its effect, as a person looks
    // before pressing again: under SwiftShader a frame here takes 150-500 ms,
    // and two presses of one key within a frame can reach the app as one.
    const tabNow = () => page.evaluate(() => (localStorage.getItem('meshstep.progress') || '').match(/"tab":"(\w+)"/)?.[1]);
    for (const want of ['tracker', 'sequence', 'quiz']) {
      await page.keyboard.press(']');
      await page.waitForFunction((w) => (localStorage.getItem('meshstep.progress') || '').includes(`"tab":"${w}"`), want, { timeout: 10000 })
        .catch(async () => { throw new Error(`after ], the tab is ${await tabNow()}, not ${want}`); });
    }
    for (const key of ['2', 'Enter']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(500);
    }
    await page.waitForFunction(() => document.getElementById('live').textContent.includes('Quiz question 1:'), null, { timeout: 10000 });
    const live = await page.textContent('#live');
    assert(live.includes('Quiz question 1: right, Step 4.'), live);
  });

  await check('progress is saved in localStorage', async () => {
    const stored = await page.evaluate(() => localStorage.getItem('meshstep.progress'));
    // Step 2 by the keys, then step 4, which the quiz's answer showed; and the answer.
    assert(stored && stored.includes('"furthest_step":4') && stored.includes('"first_correct":true'), String(stored).slice(0, 300));
  });

  await check('a share link restores its lesson and step', async () => {
    const p = await open(`${base}#lesson=mesh-overview&step=4`);
    const title = await p.title();
    assert(title.includes('Service mesh concept overview') && title.includes('step 4 of 7'), title);
    await p.screenshot({ path: path.join(shots, 'share-link.png') });
    await p.close();
  });

  await check('a share link with faults re-runs the simulation with them', async () => {
    const link = '#lesson=mesh-vs-library&step=7&faults=config-push-halted';
    const p = await open(`${base}${link}`);
    assert((await p.evaluate(() => location.hash)).includes('faults=config-push-halted'), 'faults kept in the link');
    await p.waitForFunction(() => document.title.includes('step 7 of 9'), null, { timeout: 10000 });
    // The steps the page marks as changed are the native run's.
    const shown = JSON.parse(await p.evaluate(() => window.meshstep.meshstep_shown()));
    const table = JSON.parse(execFileSync(nativeBin, ['table', 'mesh-vs-library', '--format', 'json', '--link', link], { cwd: repo, encoding: 'utf8' }));
    const native = table.table.rows.filter((r) => r.status !== 'AsWritten').map((r) => r.step);
    assert(shown.step === 7, JSON.stringify(shown));
    assert(native.length > 0, 'the fault changes some step');
    assert(JSON.stringify(shown.affected) === JSON.stringify(native), `page ${JSON.stringify(shown.affected)}, native ${JSON.stringify(native)}`);
    await p.screenshot({ path: path.join(shots, 'faults.png') });
    await p.close();
  });

  await check('a share link with a fork point keeps it and gives the forked run', async () => {
    const link = '#v=1&lesson=mesh-vs-library&step=8&faults=control-plane-down&from=step:5';
    const p = await open(`${base}${link}`);
    await p.waitForFunction(() => document.title.includes('step 8 of 9'), null, { timeout: 10000 });
    assert((await p.evaluate(() => location.hash)) === link, await p.evaluate(() => location.hash));
    const web = await p.evaluate((l) => window.meshstep.meshstep_trace_digest(l), link);
    const native = JSON.parse(execFileSync(nativeBin, ['run', 'mesh-vs-library', '--format', 'json', '--link', link], { cwd: repo, encoding: 'utf8' })).digest;
    assert(web === native, `forked trace digest: browser ${web}, native ${native}`);
    await p.close();
  });

  await check('a fork link with a lab setting opens the forked run, as native', async () => {
    const link = '#v=1&lesson=mesh-vs-library&step=8&settings=retries-off%3Apayments&from=step:3';
    const p = await open(`${base}${link}`);
    await p.waitForFunction(() => document.title.includes('step 8 of 9'), null, { timeout: 10000 });
    const hash = await p.evaluate(() => location.hash);
    assert(hash.includes('settings=retries-off:payments') && hash.includes('from=step:3'), hash);
    const web = await p.evaluate((l) => window.meshstep.meshstep_trace_digest(l), link);
    const native = JSON.parse(execFileSync(nativeBin, ['run', 'mesh-vs-library', '--format', 'json', '--link', link], { cwd: repo, encoding: 'utf8' })).digest;
    assert(web === native, `forked trace digest: browser ${web}, native ${native}`);
    await p.close();
  });

  // Frames counted with requestAnimationFrame until `until()` holds or `ms` pass.
  const frameGaps = (p, ms, untilDone) => p.evaluate(([ms, untilDone]) => new Promise((resolve) => {
    const start = performance.now();
    let last = start;
    const gaps = [];
    const tick = (t) => {
      gaps.push(t - last);
      last = t;
      const done = untilDone && document.title.includes('done');
      if (done || t - start > ms) {
        gaps.sort((x, y) => x - y);
        resolve({ seconds: (t - start) / 1000, sinceNavigation: t / 1000, frames: gaps.length, median: gaps[gaps.length >> 1],
          longest: gaps[gaps.length - 1], title: document.title });
      } else {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  }), [ms, untilDone]);

  await check('the scale lab computes 10,000 pods x 1,000,000 calls while the page keeps drawing', async () => {
    // The same run's yardstick: what a frame costs here with nothing computing (a lesson playing).
    const playing = await open(`${base}#v=1&lesson=mesh-vs-library`);
    await playing.click('#meshstep-canvas', { position: { x: 300, y: 400 } });
    await playing.keyboard.press('Space');
    const play = await frameGaps(playing, 3000, false);
    await playing.close();
    const p = await open(`${base}#v=1&lesson=mesh-vs-library&page=scale-lab&experiment=push-propagation`);
    const lab = await frameGaps(p, 60000, true);
    const ms = (x) => `${Math.round(x)} ms`;
    console.log(`  scale lab in the browser: done ${lab.sinceNavigation.toFixed(2)} s after navigation, ${lab.seconds.toFixed(2)} s and ${lab.frames} frames after the first frame, gap between frames mean ${ms(lab.seconds * 1000 / lab.frames)}, median ${ms(lab.median)}, longest ${ms(lab.longest)}; ` +
      `playing a lesson in the same run: median ${ms(play.median)}, longest ${ms(play.longest)}`);
    assert(lab.title.includes('10000 pods, done'), lab.title);
    assert(lab.seconds < 10, `took ${lab.seconds} s (budget 10 s)`);
    // The lab's own share of a frame is its budget (50 ms in the browser): frames may come that much
    // later on average (few frames: a median of four is noise), not 100 ms later.
    const mean = lab.seconds * 1000 / lab.frames;
    assert(mean <= play.median + 100, `mean gap ${ms(mean)} against a median ${ms(play.median)} when nothing computes`);
    assert((await p.evaluate(() => location.hash)).includes('page=scale-lab&experiment=push-propagation'), 'the link keeps the page');
    await p.screenshot({ path: path.join(shots, 'scale-lab.png') });
    await p.close();
  });

  await check('a link opens a lesson from its address, at its step, and says why when it cannot', async () => {
    const p = await open(`${base}#src=lessons/worked-example.ron&step=2`);
    await p.waitForFunction(() => document.title.includes('Strict mTLS refuses') && document.title.includes('step 2 of 6'), null, { timeout: 15000 });
    const hash = await p.evaluate(() => location.hash);
    assert(hash.includes('src=lessons%2Fworked-example.ron') && hash.includes('step=2') && !hash.includes('lesson='), hash);
    await p.screenshot({ path: path.join(shots, 'link-src.png') });
    await p.close();
    const broken = await open(`${base}#src=lessons/broken.ron`);
    await broken.waitForFunction(() => document.title.includes('broken.ron has errors'), null, { timeout: 15000 });
    await broken.close();
    const missing = await open(`${base}#src=lessons/missing.ron&step=3`);
    await missing.waitForSelector('#link-problem:not([hidden])', { timeout: 15000 });
    const said = await missing.textContent('#link-problem');
    assert(said.includes('could not be loaded') && said.includes('HTTP 404'), said);
    await missing.screenshot({ path: path.join(shots, 'link-missing.png') });
    await missing.close();
  });

  await check('a lesson file opened through the page is shown', async () => {
    const text = readFileSync(path.join(repo, 'docs/examples/worked-example.ron'));
    await page.setInputFiles('#picker', { name: 'worked-example.ron', mimeType: 'text/plain', buffer: text });
    await page.waitForFunction(() => document.title.includes('step 0 of 6'), null, { timeout: 10000 });
    const broken = readFileSync(path.join(repo, 'tests/fixtures/broken/27-several-errors.ron'));
    await page.setInputFiles('#picker', { name: 'broken.ron', mimeType: 'text/plain', buffer: broken });
    await page.waitForFunction(() => document.title.includes('broken.ron has errors'), null, { timeout: 10000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'broken-file.png') });
  });

  await check('a lesson file dropped on the page is shown', async () => {
    const text = readFileSync(path.join(repo, 'scenarios/mesh-overview.ron'), 'utf8');
    const dataTransfer = await page.evaluateHandle((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'dropped-overview.ron', { type: 'text/plain' }));
      return dt;
    }, text);
    await page.dispatchEvent('body', 'drop', { dataTransfer });
    await page.waitForFunction(() => document.title.includes('Service mesh concept overview') && document.title.includes('step 0 of 7'), null, { timeout: 10000 });
  });

  await check('the browser computes the same traces as the native build', async () => {
    for (const [lesson, link] of [
      ['mesh-vs-library', 'v=1&lesson=mesh-vs-library&seed=7'],
      ['why-mesh-matters', 'v=1&lesson=why-mesh-matters&seed=11&faults=lossy=0.3'],
      ['mesh-overview', 'v=1&lesson=mesh-overview&seed=3&faults=control-plane-down,mtls-off&from=us:3400000'],
    ]) {
      const web = await page.evaluate((l) => window.meshstep.meshstep_trace_digest(l), link);
      const args = ['run', lesson, '--format', 'json', '--link', link];
      const native = JSON.parse(execFileSync(nativeBin, args, { cwd: repo, encoding: 'utf8' })).digest;
      assert(web === native, `${lesson}: browser ${web} vs native ${native}`);
    }
  });

  await check('without WebGL2 the page says so instead of loading', async () => {
    const plain = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-3d-apis'] });
    try {
      const p = await plain.newPage({ viewport: { width: 1280, height: 720 } });
      const errors = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(base);
      await p.waitForFunction(() => !document.getElementById('no-webgl').hidden, null, { timeout: 10000 });
      assert(await p.evaluate(() => document.getElementById('loading').hidden), 'the progress bar is gone');
      assert(await p.evaluate(() => document.getElementById('open').hidden), 'no file button for an app that cannot start');
      assert((await p.textContent('#no-webgl')).includes('WebGL2'), 'the message names WebGL2');
      assert(errors.length === 0, `no page errors: ${errors}`);
      await p.screenshot({ path: path.join(shots, 'no-webgl2.png') });
    } finally {
      await plain.close();
    }
  });
  await check('a tablet in portrait (768×1024) gets the lesson, the panel under a full-width flow view', async () => {
    const p = await browser.newPage({ viewport: { width: 768, height: 1024 } });
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await p.goto(`${base}#lesson=mesh-vs-library&step=5`);
    await p.waitForFunction(() => window.meshstepReady === true, null, { timeout: 120000 });
    await p.waitForFunction(() => document.title.includes('step 5 of 9'), null, { timeout: 10000 });
    await p.waitForTimeout(500);
    await p.screenshot({ path: path.join(shots, 'tablet-768x1024.png') });
    await p.close();
  });

  await check('a link to a lesson pack opens its menu, and one naming a lesson in it opens that one', async () => {
    const p = await open(`${base}#src=lessons/pack.ron`);
    try {
      const shown = async () => JSON.parse(await p.evaluate(() => window.meshstep.meshstep_shown()));
      // Nothing is shown until the pack has arrived: wait for the first report.
      await p.waitForFunction(() => (window.meshstep.meshstep_shown() || '{}').includes('"pack":"E2E pack"'), null, { timeout: 15000 });
      const s = await shown();
      assert(s.menu === true, `the menu shows: ${JSON.stringify(s)}`);
      assert(p.url().includes('src=') && p.url().includes('pack.ron'), `the address keeps the pack: ${p.url()}`);
      await p.waitForTimeout(800);
      await p.screenshot({ path: path.join(shots, 'pack-menu.png') });
    } finally {
      await p.close();
    }
    const q = await open(`${base}#src=lessons/pack.ron&lesson=strict-mtls-refusal&step=2`);
    try {
      await q.waitForFunction(() => { const s = JSON.parse(window.meshstep.meshstep_shown() || '{}'); return s.pack && !s.menu && s.step === 2; }, null, { timeout: 15000 });
      const s = JSON.parse(await q.evaluate(() => window.meshstep.meshstep_shown()));
      assert(s.title.startsWith('Strict mTLS'), s.title);
      assert(q.url().includes('lesson=strict-mtls-refusal'), q.url());
    } finally {
      await q.close();
    }
  });

  await check('a link carrying the lesson itself (lz=, made by meshstep link or by the page) opens it at its step', async () => {
    const link = execFileSync(nativeBin, ['link', path.join(repo, 'docs/examples/worked-example.ron'), '--step', '2'], { encoding: 'utf8' }).trim();
    assert(link.startsWith('#v=1&lz='), link.slice(0, 40));
    const p = await open(`${base}${link}`);
    try {
      await p.waitForFunction(() => JSON.parse(window.meshstep.meshstep_shown() || '{}').step === 2, null, { timeout: 15000 });
      const s = JSON.parse(await p.evaluate(() => window.meshstep.meshstep_shown()));
      assert(s.title.startsWith('Strict mTLS'), s.title);
      assert(p.url().includes('lz='), 'the address still carries the lesson');
      // The editor's "Link" in the page: packed by the browser, opened by the page.
      const text = readFileSync(path.join(repo, 'docs/examples/worked-example.ron'), 'utf8');
      const made = await p.evaluate(async (t) => {
        const real = window.meshstep;
        let url = null;
        window.meshstep = { ...real, meshstep_link_made: (u) => { url = u; } };
        try { await window.meshstepPackLesson(t, 3); } finally { window.meshstep = real; }
        return url;
      }, text).catch(async (e) => { throw new Error(`packing in the page: ${e.message}`); });
      assert(made && made.includes('#v=1&lz=') && made.endsWith('&step=3'), String(made).slice(0, 80));
      const again = await open(made);
      try {
        await again.waitForFunction(() => JSON.parse(window.meshstep.meshstep_shown() || '{}').step === 3, null, { timeout: 15000 });
        assert(JSON.parse(await again.evaluate(() => window.meshstep.meshstep_shown())).title.startsWith('Strict mTLS'), 'the lesson');
      } finally {
        await again.close();
      }
    } finally {
      await p.close();
    }
    const bad = await open(`${base}#lz=AAAA`);
    try {
      await bad.waitForFunction(() => !document.getElementById('link-problem').hidden, null, { timeout: 15000 });
      assert((await bad.textContent('#link-problem')).includes('damaged'), 'explained');
    } finally {
      await bad.close();
    }
  });

  await check('the editor: Ctrl+E opens it, typing is checked, fixing it keeps the step, Ctrl+S downloads, Ctrl+V pastes', async () => {
    const p = await open(`${base}#lesson=mesh-overview&step=2`);
    try {
      const shown = async () => JSON.parse(await p.evaluate(() => window.meshstep.meshstep_shown()));
      const waitEditor = (want) => p.waitForFunction((w) => JSON.parse(window.meshstep.meshstep_shown()).editor === w, want, { timeout: 15000 })
        .catch(async () => { throw new Error(`editor is ${(await shown()).editor}, not ${want}`); });
      // Ctrl held over a few frames, as a person holds it: under SwiftShader
      // a frame takes 100-500 ms, and a chord inside one frame can reach the
      // app with Ctrl already released.
      const chord = async (key) => {
        await p.keyboard.down('Control');
        await p.waitForTimeout(400);
        await p.keyboard.press(key);
        await p.waitForTimeout(400);
        await p.keyboard.up('Control');
      };
      await chord('e');
      await waitEditor('valid');
      // Into the text (the editor takes the left half), then to its start.
      await p.mouse.click(320, 360);
      await p.waitForTimeout(300);
      await chord('Home');
      await p.keyboard.type('x');
      await waitEditor('broken');
      await p.waitForTimeout(500);
      await p.screenshot({ path: path.join(shots, 'editor-broken.png') });
      assert((await shown()).step === 2, 'the last good version runs at its step');
      await p.keyboard.press('Backspace');
      await waitEditor('valid');
      assert((await shown()).step === 2, 'still at step 2');
      const [download] = await Promise.all([p.waitForEvent('download', { timeout: 10000 }), chord('s')]);
      assert(download.suggestedFilename() === 'mesh-overview.ron', download.suggestedFilename());
      const text = readFileSync(await download.path(), 'utf8');
      assert(text === readFileSync(path.join(repo, 'scenarios/mesh-overview.ron'), 'utf8'), 'the download is the text');
      // Ctrl+V pastes (the page reads the clipboard: winit keeps the
      // browser's own paste from happening). A pasted stub is not a lesson.
      await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await p.evaluate(() => navigator.clipboard.writeText('Scenario(version: 1, id: "pasted")'));
      await chord('a');
      await chord('v');
      await waitEditor('broken');
    } finally {
      await p.close();
    }
  });

  await scormChecks({ browser, base, dist, nativeBin, check, assert, shots, pageErrors });

  await check('the first frame is drawn within 2 s of navigation (median of three loads)', async () => {
    // The first load of a run also pays Chromium's own cold start (GPU
    // process, shader caches), so the budget holds for the median of three:
    // the first and two more, each alone (a page left open keeps drawing
    // and would slow the next one down).
    await page.close();
    const loads = [firstFrame];
    for (let i = 0; i < 2; i++) {
      const p = await open(base);
      loads.push(await p.evaluate(() => window.meshstepReadyAt));
      await p.close();
    }
    const sorted = [...loads].sort((a, b) => a - b);
    console.log(`  first frame over three loads: ${loads.map(ms).join(', ')}; median ${ms(sorted[1])}`);
    assert(sorted[1] <= 2000, `median first frame ${ms(sorted[1])} (loads ${loads.map(ms).join(', ')})`);
  });

  await check('no page raised an uncaught error', async () => {
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });
} finally {
  await browser.close();
  server.kill();
}
console.log(`web e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
