// Loads meshstep's WebAssembly with a progress bar, after checking for WebGL2,
// and hands files the learner opens or drops on the page to the app.
import init, * as meshstep from './meshstep.js';

const $ = (id) => document.getElementById(id);

function hasWebGL2() {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

async function fetchWithProgress(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (total) $('bar').value = loaded / total;
    $('status').textContent = `Loading… ${(loaded / 1048576).toFixed(1)} MiB${total ? ` of ${(total / 1048576).toFixed(1)} MiB` : ''}`;
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.length; }
  return bytes;
}

async function openFiles(files) {
  for (const f of files) meshstep.meshstep_open_file(f.name, await f.text());
  $('meshstep-canvas').focus();
}

async function main() {
  if (!hasWebGL2()) {
    $('loading').hidden = true;
    $('no-webgl').hidden = false;
    return;
  }
  const bytes = await fetchWithProgress('meshstep_bg.wasm');
  $('status').textContent = 'Starting…';
  window.meshstep = meshstep;
  try {
    await init({ module_or_path: bytes });
  } catch (e) {
    // winit's web event loop returns control by throwing; the app keeps running.
    if (!String(e).includes('Using exceptions for control flow')) throw e;
  }
  $('meshstep-canvas').focus();
}

$('open').addEventListener('click', () => $('picker').click());
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
