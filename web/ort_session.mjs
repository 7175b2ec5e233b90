// web/ort_session.mjs: the model in ONNX Runtime Web, served from this site (ort/), never a CDN.
//
//   const backend = await chooseBackend();                          // {name, threads, why}
//   const bytes = await fetchModel(url, (loaded, total) => ...);   // progress in bytes
//   const bytes = await fetchVerifiedModel(url, sha256, {onProgress, onDamaged});  // checked
//   const session = await OrtSession.create(bytes, backend, 'model.onnx');
//   const { scores, ms } = await session.run(request);            // request: see run()
//
// Backend: WebGPU when navigator.gpu gives a hardware adapter (never a software one: SwiftShader
// runs ResNet50 about 95x slower than WASM); otherwise WASM with SIMD, and threads when the page
// is cross-origin isolated. Either runs in web/ort_worker.mjs, off the main thread, and loads
// only its own ONNX Runtime build: ort.webgpu (asyncify, 27 MB of wasm) or ort.wasm (14 MB), so a
// browser without WebGPU never downloads the bigger one. Threads: one per core up to 4 (ONNX
// Runtime's own default, half the cores, leaves a 2-core machine with one).

// Why WebGPU is not used, or null when a hardware adapter is there (any adapter with allowSoftware).
async function webgpuRefusal({ allowSoftware = false } = {}) {
  if (!navigator.gpu) return 'this browser has no WebGPU';
  let adapter = null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return `WebGPU failed: ${e.message ?? e}`;
  }
  if (!adapter) return 'WebGPU offers no adapter';
  const info = adapter.info ?? {};
  const isSoftware = softwareAdapter({
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    fallback: adapter.isFallbackAdapter || info.isFallbackAdapter,
  });
  return isSoftware && !allowSoftware ? 'WebGPU offers only a software adapter' : null;
}

// Whether an adapter ({vendor, architecture, device, description, fallback}) draws in software.
export function softwareAdapter({ vendor, architecture, device, description, fallback }) {
  return Boolean(fallback) || /swiftshader|llvmpipe|software/i.test(`${vendor} ${architecture} ${device} ${description}`);
}

// Whether this page may share memory with its workers (ONNX Runtime's threads need it).
const sharedMemory = () => Boolean(globalThis.crossOriginIsolated) && typeof SharedArrayBuffer === 'function';

export function wasmThreads() {
  return sharedMemory() ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}

// {name: 'webgpu' | 'wasm', threads, why (why not WebGPU, or '')}. Nothing is loaded yet: the
// ONNX Runtime build the backend needs loads with the session (OrtSession.create).
// `prefer` is for tests and comparisons: 'wasm' (?backend=wasm) forces WASM; 'webgpu'
// (?backend=webgpu) takes WebGPU on any adapter, a software one too, where the browser has one.
export async function chooseBackend(prefer = '') {
  const refusal = prefer === 'wasm' ? 'WASM asked for' : await webgpuRefusal({ allowSoftware: prefer === 'webgpu' });
  return { name: refusal ? 'wasm' : 'webgpu', threads: wasmThreads(), why: refusal ?? '' };
}

// The file name in a model's URL, as messages name it.
export const modelFileName = (url) => new URL(url, location.href).pathname.split('/').pop();

// Downloads `url` into memory, reporting (loaded, total) bytes; total is 0 when the server
// does not say. `init`: fetch()'s options. Throws an Error that names the file and what to do.
export async function fetchModel(url, onProgress, init = {}) {
  const name = modelFileName(url);
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new Error(`Could not download the model ${name}: ${e.message}.`);
  }
  if (response.status === 404) {
    throw new Error(
      `Model not found: ${name} is not on this site (HTTP 404). ` + 'Build it with ./tools/santa-lens model build, then reload.',
    );
  }
  if (!response.ok) {
    const why = response.statusText ? ` (${response.statusText})` : '';
    throw new Error(`Could not download the model ${name}: HTTP ${response.status}${why}.`);
  }
  const total = Number(response.headers.get('Content-Length')) || 0;
  const chunks = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

// fetchModel, with the bytes checked against `sha256` (hex; '' skips the check). The model comes
// from the service worker's cache after the first visit, and a disk or a browser can damage
// what it stores: a copy that does not match is reported through onDamaged(note) and fetched
// again from the site (cache: 'reload', which sw.js answers from the network, replacing its
// copy). Throws an Error naming the file when no good copy can be had: offline with a damaged
// copy, or a site whose file is not the card's.
export async function fetchVerifiedModel(url, sha256, { onProgress, onDamaged } = {}) {
  const name = modelFileName(url);
  const digest = async (bytes) => hex(await crypto.subtle.digest('SHA-256', bytes));
  const bytes = await fetchModel(url, onProgress);
  // crypto.subtle exists in secure contexts only (https, localhost): elsewhere nothing is cached
  // either (no service worker), and the download is taken as it came.
  if (!sha256 || !globalThis.crypto?.subtle) return bytes;
  const got = await digest(bytes);
  if (got === sha256) return bytes;
  onDamaged?.(
    `The copy of the model ${name} that was read was damaged (SHA-256 ${got.slice(0, 12)}…, the model card records ` +
      `${sha256.slice(0, 12)}…) and was refused; downloading it again.`,
  );
  let again;
  try {
    again = await fetchModel(url, onProgress, { cache: 'reload' });
  } catch (e) {
    throw new Error(
      `The copy of the model ${name} is damaged (its SHA-256 is not the one the model card records) and was refused; ` +
        `downloading it again failed: ${e.message} Reload the page when online.`,
    );
  }
  const second = await digest(again);
  if (second !== sha256) {
    const mb = (again.length / 2 ** 20).toFixed(1);
    throw new Error(
      `santa-lens could not load ${name} (${mb} MB): its SHA-256 (${second.slice(0, 12)}…) is not the one the model ` +
        `card records (${sha256.slice(0, 12)}…). The file may be damaged, cut short or not this card's model (a site ` +
        'half updated): build it again with ./tools/santa-lens model build, then reload.',
    );
  }
  return again;
}

// The model in web/ort_worker.mjs, one call at a time (OrtSession queues them).
class WorkerModel {
  #worker;
  #pending = null; // {resolve, reject} of the message awaited
  #stopped = null; // the Error that stopped the worker: every later call fails with it
  inputNames = [];
  outputNames = [];

  static async create(bytes, { name: ep, threads }) {
    const model = new WorkerModel();
    model.#worker = new Worker(new URL('./ort_worker.mjs', import.meta.url), { type: 'module' });
    model.#worker.onmessage = ({ data }) => model.#settle(data.type === 'failed' ? new Error(data.message) : null, data);
    model.#worker.onerror = (e) => {
      e.preventDefault();
      model.#stopped = new Error(`its worker stopped: ${e.message || 'it could not be loaded'}`);
      model.#settle(model.#stopped);
    };
    const created = await model.#send({ type: 'create', bytes, ep, threads }, [bytes.buffer]);
    model.inputNames = created.inputNames;
    model.outputNames = created.outputNames;
    return model;
  }

  // The input is shared with the worker when it is a SharedArrayBuffer's; otherwise it is moved.
  async run({ input, dims, inputName, outputName, featuresName }) {
    const moved = input.buffer instanceof ArrayBuffer ? [input.buffer] : [];
    const { scores, features } = await this.#send({ type: 'run', input, dims, inputName, outputName, featuresName }, moved);
    return { scores, features };
  }

  #send(message, transfer) {
    if (this.#stopped) return Promise.reject(this.#stopped);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(message, transfer);
    });
  }

  #settle(error, data) {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve(data);
  }
}

export class OrtSession {
  #model;
  #backend;
  #queue = Promise.resolve(); // one inference at a time
  #runs = 0; // queued or running
  #generation = 0; // runs queued before dropQueued() bumped it are not started
  // Input buffers the model is done with, kept to be filled again: allocating a batch's 9.6 MB
  // anew costs more than the copy (ort_worker.mjs). Shared with the worker where possible.
  #spare = [];

  constructor(model, backend) {
    this.#model = model;
    this.#backend = backend;
  }

  // Loads the ONNX Runtime build of `backend` (chooseBackend's) and the model `name` (for
  // messages), in a worker. Throws an Error that says what to do.
  static async create(modelBytes, backend, name = 'the model') {
    const mb = (modelBytes.length / 2 ** 20).toFixed(1);
    try {
      return new OrtSession(await WorkerModel.create(modelBytes, backend), backend);
    } catch (e) {
      // ONNX Runtime's "Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: why": the why.
      const why = String(e.message ?? e).replace(/^[^]*ERROR_MESSAGE: /, '');
      throw new Error(
        `ONNX Runtime could not load ${name} (${mb} MB): ${why.replace(/\.?$/, '.')} The file may be damaged, cut short ` +
          'or not a model for this app: build it again with ./tools/santa-lens model build, then reload.',
      );
    }
  }

  get backend() {
    return this.#backend.name;
  }

  get threads() {
    return this.#backend.name === 'wasm' ? this.#backend.threads : 0;
  }

  // request: {input: Float32Array, inputName, dims: [n, c, h, w] or [n, h, w, c], outputName,
  // featuresName ('' or absent: the scores only)}. `input` is copied before run() returns: the
  // caller may reuse it at once (the app hands a view of its own memory). Resolves to {scores:
  // Float32Array, features: Float32Array | null, ms}; rejects with an Error naming what did
  // not fit.
  run(request) {
    const input = this.#take(request.input.length);
    input.set(request.input);
    const generation = this.#generation;
    ++this.#runs;
    const result = this.#queue.then(() => this.#run({ ...request, input }, generation));
    this.#queue = result.catch(() => {});
    this.#queue.then(() => --this.#runs);
    return result;
  }

  // Runs queued or running, for tests (santaLens.stats()).
  get runs() {
    return this.#runs;
  }

  // The runs queued so far are not started (each rejects, saying so); the one running finishes.
  // For a new photo: what was queued was for photos the app no longer shows.
  dropQueued() {
    ++this.#generation;
  }

  // The smallest spare buffer that holds `length` floats (#spare is largest first), or a new one.
  #take(length) {
    const i = this.#spare.findLastIndex((b) => b.length >= length);
    if (i >= 0) return this.#spare.splice(i, 1)[0].subarray(0, length);
    const shared = sharedMemory();
    return new Float32Array(shared ? new SharedArrayBuffer(4 * length) : length);
  }

  // Keeps `input`'s buffer for the next call, unless it was moved to the worker; two at most
  // (a prediction may wait behind a batch of the explanation).
  #giveBack(input) {
    if (input.buffer.byteLength === 0) return;
    this.#spare.push(new Float32Array(input.buffer));
    this.#spare.sort((a, b) => b.length - a.length).splice(2);
  }

  async #run({ input, inputName, dims, outputName, featuresName = '' }, generation) {
    const m = this.#model;
    try {
      if (generation !== this.#generation) throw new Error('not run: a newer photo came first.');
      if (!m.inputNames.includes(inputName))
        throw new Error(`the model has no input “${inputName}” (it has ${m.inputNames.join(', ')}).`);
      for (const name of featuresName ? [outputName, featuresName] : [outputName]) {
        if (!m.outputNames.includes(name))
          throw new Error(`the model has no output “${name}” (it has ${m.outputNames.join(', ')}).`);
      }
      const t0 = performance.now();
      const { scores, features } = await m.run({ input, dims, inputName, outputName, featuresName });
      return { scores, features, ms: performance.now() - t0 };
    } finally {
      this.#giveBack(input);
    }
  }
}
