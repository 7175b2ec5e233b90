// web/main.mjs: boots the page: starts the app on the canvas, loads the model, and hands it
// photos from drag-and-drop, paste and the file picker. The app (C++) decides what to show and
// says it in words through announce() and explainStatus(), which fill the ARIA live regions
// #status (prediction, errors) and #explain-status (the explanation), and offers its exports
// through download().
//
// Model: models/santa_resnet50.json by default, another card with ?card=models/other.json;
// ?backend=wasm or ?backend=webgpu overrides the choice of backend (web/ort_session.mjs).
// Explanation settings from the URL, e.g. ?budget=128&segments=80&background=blur&show=all&estimator=owen
// (the same names as the app's controls; see santaLens.set below).
//
// For tests and the console: globalThis.santaLens = {set({show: 'person', opacity: 0.5, ...}),
// cancel(), resume(), stats()}; stats() only reads: {wasmMemoryBytes (the app's),
// decoderMemoryBytes (the decode worker's), modelRuns (queued or running in the model's worker)}. Where the canvas draws its controls is in
// canvas.dataset.layout (JSON: name -> [x, y, w, h] in CSS pixels).
//
// Updates: the service worker (sw.js) installs a new build beside the one running and waits;
// open pages keep their build. A page that loads while a new build waits and is the site's only
// page takes it at once (one more reload); with other pages open it runs the old build too.
import { startApp } from './santa_app.mjs';
import { PhotoDecoder } from './decode_photo.mjs';
import { OrtSession, chooseBackend, fetchVerifiedModel, modelFileName } from './ort_session.mjs';

const canvas = document.getElementById('canvas');
const statusRegion = document.getElementById('status');
const explainRegion = document.getElementById('explain-status');
const boot = document.getElementById('boot');
const fileInput = document.getElementById('file');
const params = new URLSearchParams(location.search);
const cardUrl = new URL(params.get('card') ?? 'models/santa_resnet50.json', location.href);

let app = null;
let session = null;
let drops = 0; // photos handed to classify(): a photo decoded after a later one came is not shown
const decoder = new PhotoDecoder(); // the core's decoder, in a worker

// The live region: text for people, data-* for tests (state, the photo on screen, its label).
function announce({ kind, text, photo, label, probability }) {
  statusRegion.dataset.state = kind;
  statusRegion.dataset.photo = photo;
  statusRegion.dataset.label = label;
  statusRegion.dataset.probability = probability >= 0 ? probability.toFixed(4) : '';
  statusRegion.textContent = text;
}

// The explanation's live region: the text changes only at milestones (the app decides), so a
// screen reader is not flooded; data-* (progress, view, settings) change after every batch.
function explainStatus({ kind, text, data }) {
  explainRegion.dataset.state = kind;
  for (const [key, value] of Object.entries(data)) explainRegion.dataset[key] = value ?? '';
  if (explainRegion.textContent !== text) explainRegion.textContent = text;
}

function layout(json) {
  canvas.dataset.layout = json;
}

// An export from the app: bytes -> a Blob -> a link the browser downloads.
function download(name, type, bytes) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Settings by name (the app's apply_setting): throws an Error naming what a setting accepts.
function applySettings(settings) {
  for (const [key, value] of Object.entries(settings)) app.set(key, typeof value === 'boolean' ? Number(value) : value);
}

function settingsFromUrl() {
  const names = ['estimator', 'budget', 'segments', 'background', 'show', 'opacity', 'borders'];
  for (const name of names.filter((n) => params.has(n))) {
    try {
      app.set(name, params.get(name));
    } catch (e) {
      console.warn(`santa-lens: ?${name}=${params.get(name)} ignored: ${e.message}`);
    }
  }
}

function fatal(message) {
  boot.textContent = message;
  boot.classList.add('failed');
  boot.classList.remove('gone');
  announce({ kind: 'fatal', text: message, photo: '', label: '', probability: -1 });
}

// request.input is a view of the app's memory: session.run copies it before returning.
function runModel(request) {
  session.run(request).then(
    ({ scores, features, ms }) => app.scores(request.id, scores, ms, features),
    (e) => app.runFailed(request.id, e.message),
  );
}

// `promise`, or undefined after `ms`, whichever comes first.
const atMost = (ms, promise) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

// A new build installed and waiting (sw.js), and this page the only one of the site open: the
// new build takes over, and the page loads again under it. Resolves to true when it reloads.
// Two pages open: both stay on the old build until both are closed, so none ever mixes files.
// The page asks only once its own loads (preloads, icon) are done: Chromium activates a worker
// only when the old one has no fetch in flight, and may park the activation if one comes in.
// The reload waits until the new worker is activated: a navigation sent while it is still
// activating would be answered by the old worker, whose files the new one is deleting. If
// Chromium still holds the activation for 10 s, this page goes on with the old build; should
// the new one activate later, before a photo was dropped, the page loads again under it (it
// loses nothing), so it never runs on with files of two builds.
async function takeWaitingBuild() {
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => null);
  const active = navigator.serviceWorker?.controller;
  if (!registration?.waiting || !active) return false;
  if (document.readyState !== 'complete') await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  const pages = await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = ({ data }) => resolve(data);
    active.postMessage({ type: 'pages' }, [channel.port2]);
    setTimeout(() => resolve(-1), 2000); // an old worker that does not answer: stay on it
  });
  if (pages !== 1 || !registration.waiting) return false;
  const next = registration.waiting;
  const activated = new Promise((resolve) => {
    const check = () => next.state === 'activated' && resolve(true);
    next.addEventListener('statechange', check);
    check();
  });
  // One reload for both cases: the page has not started within the 10 s, so no photo was dropped.
  activated.then(() => {
    if (drops === 0) location.reload();
    else console.warn('santa-lens: a new version took over this page; reload the page to run it');
  });
  next.postMessage({ type: 'take-over' });
  return Boolean(await atMost(10_000, activated));
}

// The service worker (sw.js) caches the site for offline use and adds the cross-origin-isolation
// headers where the host does not. On a first visit the model download must already pass
// through it (that is how the model gets cached), so this waits, briefly, until it controls
// the page. Without service workers (a private window, file://) everything works online; and a
// worker that never activates (its install failed: then `ready` never settles) or a
// registration that never answers delays the model by 10 s at most.
async function startServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await atMost(
      10_000,
      navigator.serviceWorker.register('sw.js').then(() => navigator.serviceWorker.ready),
    );
    if (!navigator.serviceWorker.controller) {
      await atMost(
        3000,
        new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })),
      );
    }
  } catch (e) {
    console.warn(`santa-lens: no offline support: ${e.message ?? e}`);
    return;
  }
  // A static host without COOP/COEP: the worker now adds them; one reload makes the page
  // isolated (threads). Once per session, so a browser that refuses isolation never loops.
  if (!globalThis.crossOriginIsolated && navigator.serviceWorker.controller && !sessionStorage.getItem('santa-lens-isolating')) {
    sessionStorage.setItem('santa-lens-isolating', '1');
    location.reload();
    await new Promise(() => {}); // the page is going away
  }
}

async function loadModel() {
  const t0 = performance.now();
  try {
    const card = await fetch(cardUrl);
    if (!card.ok) {
      throw new Error(
        `Model card not found: ${cardUrl.pathname} (HTTP ${card.status}). ` + 'Rebuild the site with tools/build.sh.',
      );
    }
    const cardText = await card.text();
    app.setModelCard(cardText);
    settingsFromUrl(); // after the card: `show` may name one of its labels
    await loadExplainer(JSON.parse(cardText).explainer?.file);
    // The backend first: the card may name another file for WebGPU.
    const backend = await chooseBackend(params.get('backend') ?? '');
    const modelUrl = new URL(app.modelFile(backend.name), cardUrl);
    const bytes = await fetchVerifiedModel(modelUrl, await expectedSha256(cardText, modelUrl), {
      onProgress: (loaded, total) => app.modelProgress(loaded, total),
      onDamaged: (note) => {
        console.warn(`santa-lens: ${note}`);
        statusRegion.dataset.modelNote = note;
      },
    });
    app.modelStarting();
    session = await OrtSession.create(bytes, backend, modelFileName(modelUrl));
    Object.assign(statusRegion.dataset, { backend: session.backend, threads: session.threads, backendNote: backend.why });
    app.modelReady(session.backend, session.threads, performance.now() - t0);
  } catch (e) {
    app.modelFailed(e.message);
  }
}

// The SHA-256 the model file must have: the card's record of the file (provenance.variants), else
// the site's file list (precache.json, written with the site); '' when neither knows the file (a
// card of another site, ?card=): then it is not checked.
async function expectedSha256(cardText, modelUrl) {
  const name = modelFileName(modelUrl);
  const variants = Object.values(JSON.parse(cardText).provenance?.variants ?? {});
  const fromCard = variants.find((v) => v.file === name)?.sha256;
  if (fromCard) return fromCard;
  try {
    const site = await (await fetch('precache.json')).json();
    return site.files.find((f) => new URL(f.path, location.href).href === modelUrl.href)?.sha256 ?? '';
  } catch {
    return '';
  }
}

// The amortized explainer's network (a few hundred KB), which gives the first heatmap with the
// prediction. Without it the app still explains, starting from equal shares, and says so.
async function loadExplainer(file) {
  if (!file) return;
  try {
    const response = await fetch(new URL(file, cardUrl));
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    app.explainer(new Uint8Array(await response.arrayBuffer()));
  } catch (e) {
    app.explainerFailed(e.message);
  }
}

// Photos dropped in quick succession: the decoder skips those a later one replaced before their
// turn, and one that finishes decoding after a later photo came is not shown; only the latest
// reaches the app. Once it is there, the model's queued runs are all for older photos, whose
// answers the app would drop: they are not run.
async function classify(file) {
  if (!file) return;
  const drop = ++drops;
  try {
    const image = await decoder.decode(file, file.name);
    if (!image || drop !== drops) return;
    app.photo(image, file.name ?? '');
    session?.dropQueued();
  } catch (e) {
    if (drop === drops) app.photoFailed(e.message);
  }
}

// Events that SDL turns into input for the canvas, heard first (capture) to wake the app's loop.
const WAKING_EVENTS = [
  'pointerdown',
  'pointermove',
  'pointerup',
  'pointercancel',
  'pointerout',
  'wheel',
  'keydown',
  'keyup',
  'touchstart',
  'touchmove',
  'touchend',
  'touchcancel',
  'resize',
  'focus',
  'blur',
];

function wireInputs() {
  for (const type of WAKING_EVENTS) window.addEventListener(type, () => app.wake(), { capture: true, passive: true });
  document.addEventListener('visibilitychange', () => app.wake());

  // Drag and drop anywhere on the page. dragenter/dragleave come in pairs per element crossed,
  // so a counter tells when the file really left the window.
  let depth = 0;
  const carriesFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    if (depth++ === 0) app.drag(true);
  });
  window.addEventListener('dragover', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    if (depth > 0 && --depth === 0) app.drag(false);
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    app.drag(false);
    const file = e.dataTransfer?.files?.[0];
    if (file) classify(file);
    else app.photoFailed('That was not a file. Drop a photo file from your computer.');
  });

  // Paste: an image copied from another app, or a file copied in a file manager.
  document.addEventListener('paste', (e) => {
    const items = [...(e.clipboardData?.items ?? [])];
    const file = items.find((i) => i.kind === 'file')?.getAsFile();
    if (!file) return;
    e.preventDefault();
    classify(file);
  });

  document.getElementById('choose').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    classify(fileInput.files[0]);
    fileInput.value = ''; // choosing the same file again still fires 'change'
  });
}

async function main() {
  if (!document.createElement('canvas').getContext('webgl2')) {
    fatal('santa-lens needs WebGL2, which this browser does not offer (or has turned off).');
    return;
  }
  if (await takeWaitingBuild()) return;
  try {
    app = await startApp({
      canvas,
      fontUrl: 'fonts/Inter-Regular.otf',
      host: { announce, explainStatus, layout, download, runModel, pickFile: () => fileInput.click() },
    });
  } catch (e) {
    fatal(`santa-lens could not start: ${e.message ?? e}`);
    return;
  }
  boot.classList.add('gone');
  globalThis.santaLens = {
    set: applySettings,
    cancel: () => app.cancelExplanation(),
    resume: () => app.resumeExplanation(),
    stats: () => ({
      wasmMemoryBytes: app.memoryBytes(),
      decoderMemoryBytes: decoder.memoryBytes,
      modelRuns: session?.runs ?? 0,
    }),
  };
  wireInputs();
  await startServiceWorker();
  await loadModel();
}

main();
