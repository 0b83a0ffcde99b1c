// Loads meshstep's WebAssembly with a progress bar, after checking for WebGL2,
// and hands files the learner opens or drops on the page to the app.
import init, * as meshstep from './meshstep.js';

const $ = (id) => document.getElementById(id);

// The editor's "Link": the lesson packed into a link on this page's address
// (raw DEFLATE, URL-safe base64), handed back to the app to show and copy.
window.meshstepPackLesson = async (text, step) => {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const lz = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const url = `${location.origin}${location.pathname}#v=1&lz=${lz}${step != null ? `&step=${step}` : ''}`;
  window.meshstep.meshstep_link_made(url);
};

// Ctrl+V: the app prevents the key's default (so the browser's own paste
// never happens); read the clipboard here and hand the text to the app.
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'v' && navigator.clipboard?.readText) {
    navigator.clipboard.readText().then((t) => { if (t) window.meshstep?.meshstep_paste(t); }).catch(() => {});
  }
}, true);

// The editor's "Download": the app hands over the lesson's text and name.
window.meshstepDownload = (name, text) => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
};

// A link can name a lesson anywhere on the web (`#src=https://…/lesson.ron`):
// read before the app starts, which rewrites the hash as the view changes.
// Decoded as the app writes it (percent-encoding only: a `+` stays a `+`).
// A link's value for `key`, decoded as the app writes it (percent-encoding
// only: a `+` stays a `+`).
function linkValue(key) {
  const part = location.hash.slice(1).split('&').find((p) => p.startsWith(`${key}=`));
  if (!part) return null;
  const v = part.slice(key.length + 1);
  try { return decodeURIComponent(v); } catch { return v; }
}
// In a SCORM package (web/scorm.js ran first), the packaged lesson instead.
const scorm = window.meshstepScorm;
const linkSrc = scorm ? scorm.lesson : linkValue('src');
// A lesson carried in the link itself: raw DEFLATE in URL-safe base64.
const linkLz = scorm ? null : linkValue('lz');

function linkProblem(message) {
  const p = $('link-problem');
  p.textContent = message;
  p.hidden = false;
}

// Fetches the lesson a link names and hands it to the app, which opens it
// (with its diagnostics if it is broken) and then applies the rest of the link.
async function openFromLink(src) {
  let url;
  try {
    url = new URL(src, location.href);
  } catch {
    meshstep.meshstep_url_failed();
    linkProblem(`The link's lesson address "${src}" is not an address.`);
    return;
  }
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
    const text = await response.text();
    const name = decodeURIComponent(url.pathname.split('/').pop() || 'lesson.ron');
    // A pack's index: fetch its lessons too, then open its menu.
    const files = JSON.parse(meshstep.meshstep_pack_files(url.href, text));
    if (files) {
      const rows = await Promise.all(files.map(async (at) => {
        try {
          const r = await fetch(at);
          if (!r.ok) return [at, null, `the server answered HTTP ${r.status}`];
          return [at, await r.text(), null];
        } catch (e) {
          return [at, null, `it could not be fetched (${e.message}; another site must allow this page to read it)`];
        }
      }));
      meshstep.meshstep_open_pack(url.href, name, text, JSON.stringify(rows));
      return;
    }
    meshstep.meshstep_open_url(src, name, text);
  } catch (e) {
    meshstep.meshstep_url_failed();
    linkProblem(`The lesson at ${url} could not be loaded: ${e.message}. Check the address. ` +
      'A server on another site must let this page read the file (CORS); raw GitHub and gist links do. ' +
      'Showing the default lesson instead. (Click to close.)');
  }
}

// Unpacks the lesson a link carries and hands it to the app.
async function openFromLz(lz) {
  try {
    const b64 = lz.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(lz.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    meshstep.meshstep_open_inline(lz, await new Response(stream).text());
  } catch (e) {
    meshstep.meshstep_url_failed();
    linkProblem(`The lesson inside this link is damaged (${e.message}): copy the whole link again. ` +
      'Showing the default lesson instead. (Click to close.)');
  }
}

function hasWebGL2() {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

// Downloads the module with a progress bar and compiles it while it streams
// in, so compiling costs little beyond the download.
async function downloadAndCompile(url, signal) {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const [forProgress, forCompiler] = response.body.tee();
  const compiled = WebAssembly.compileStreaming(
    new Response(forCompiler, { headers: { 'Content-Type': 'application/wasm' } }));
  const reader = forProgress.getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    if (total) $('bar').value = loaded / total;
    $('status').textContent = `Loading… ${(loaded / 1048576).toFixed(1)} MiB${total ? ` of ${(total / 1048576).toFixed(1)} MiB` : ''}`;
  }
  performance.mark('meshstep-downloaded');
  $('status').textContent = 'Compiling…';
  return compiled;
}

async function openFiles(files) {
  for (const f of files) meshstep.meshstep_open_file(f.name, await f.text());
  $('meshstep-canvas').focus();
}

async function main() {
  // The download starts at once: the WebGL2 check below waits for the GPU
  // process, which on a cold start takes as long as the download.
  const abort = new AbortController();
  const module = downloadAndCompile('meshstep_bg.wasm', abort.signal);
  if (!hasWebGL2()) {
    abort.abort();
    module.catch(() => {});
    $('loading').hidden = true;
    $('open').hidden = true;
    $('no-webgl').hidden = false;
    return;
  }
  const compiled = await module;
  $('status').textContent = 'Starting…';
  window.meshstep = meshstep;
  try {
    await init({ module_or_path: compiled });
  } catch (e) {
    // winit's web event loop returns control by throwing; the app keeps running.
    if (!String(e).includes('Using exceptions for control flow')) throw e;
  }
  // The app is set up and its event loop runs; frames follow.
  performance.mark('meshstep-started');
  $('meshstep-canvas').focus();
  if (scorm) {
    // Before the lesson arrives, so its saved progress is there to open with.
    meshstep.meshstep_lms_start(scorm.lesson, scorm.suspend, scorm.mastery ?? undefined);
    if (scorm.problem) linkProblem(scorm.problem);
  }
  if (linkSrc) await openFromLink(linkSrc);
  else if (linkLz) await openFromLz(linkLz);
}

$('open').addEventListener('click', () => $('picker').click());
$('link-problem').addEventListener('click', () => { $('link-problem').hidden = true; });
$('picker').addEventListener('change', (e) => openFiles(e.target.files));
document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  openFiles(e.dataTransfer.files);
});

main().catch((e) => {
  $('status').textContent = `meshstep could not start: ${e}`;
  console.error(e);
});
