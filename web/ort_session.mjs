// web/ort_session.mjs: the model in ONNX Runtime Web, served from this site (ort/), never a CDN.
//
//   const backend = await chooseBackend();                          // {name, ort, threads, why}
//   const bytes = await fetchModel(url, (loaded, total) => ...);   // progress in bytes
//   const session = await OrtSession.create(bytes, backend);
//   const { scores, ms } = await session.run(request);            // request: see run()
//
// Backend: WebGPU when navigator.gpu gives a hardware adapter (never a software one: SwiftShader
// runs ResNet50 about 95x slower than WASM); otherwise WASM with SIMD, and threads when the page
// is cross-origin isolated. Each backend loads only its own ONNX Runtime build: ort.webgpu
// (asyncify, 27 MB of wasm) or ort.wasm (14 MB), so a browser without WebGPU never downloads the
// bigger one. Threads: one per core up to 4 (ONNX Runtime's own default, half the cores, leaves
// a 2-core machine with one).

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
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    fallback: adapter.isFallbackAdapter || info.isFallbackAdapter,
  });
  return isSoftware && !allowSoftware ? 'WebGPU offers only a software adapter' : null;
}

// Whether an adapter ({vendor, architecture, device, description, fallback}) draws in software.
export function softwareAdapter({ vendor, architecture, device, description, fallback }) {
  return Boolean(fallback) || /swiftshader|llvmpipe|software/i.test(`${vendor} ${architecture} ${device} ${description}`);
}

export function wasmThreads() {
  return globalThis.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}

// {name: 'webgpu' | 'wasm', ort (the module), threads, why (why not WebGPU, or '')}.
// `prefer` is for tests and comparisons: 'wasm' (?backend=wasm) forces WASM; 'webgpu'
// (?backend=webgpu) takes WebGPU on any adapter, a software one too, where the browser has one.
export async function chooseBackend(prefer = '') {
  const refusal = prefer === 'wasm' ? 'WASM asked for' : await webgpuRefusal({ allowSoftware: prefer === 'webgpu' });
  const ort = await import(refusal ? './ort/ort.wasm.min.mjs' : './ort/ort.webgpu.min.mjs');
  ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;
  ort.env.wasm.numThreads = wasmThreads();
  // WASM inference runs in ONNX Runtime's proxy worker: a ResNet50 call takes hundreds of
  // milliseconds, which on the main thread would freeze the canvas.
  ort.env.wasm.proxy = Boolean(refusal);
  return { name: refusal ? 'wasm' : 'webgpu', ort, threads: wasmThreads(), why: refusal ?? '' };
}

// Downloads `url` into memory, reporting (loaded, total) bytes; total is 0 when the server
// does not say. Throws an Error that names the file and what to do.
export async function fetchModel(url, onProgress) {
  const name = new URL(url, location.href).pathname.split('/').pop();
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`Could not download the model ${name}: ${e.message}.`);
  }
  if (response.status === 404) {
    throw new Error(`Model not found: ${name} is not on this site (HTTP 404). ` +
      'Build it with ./tools/santa-lens model build, then reload.');
  }
  if (!response.ok) throw new Error(`Could not download the model ${name}: HTTP ${response.status}.`);
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

export class OrtSession {
  #session;
  #backend;
  #queue = Promise.resolve();  // ONNX Runtime Web runs one inference per session at a time

  constructor(session, backend) {
    this.#session = session;
    this.#backend = backend;
  }

  static async create(modelBytes, backend) {
    try {
      const session = await backend.ort.InferenceSession.create(modelBytes, { executionProviders: [backend.name] });
      return new OrtSession(session, backend);
    } catch (e) {
      throw new Error(`ONNX Runtime could not load the model: ${e.message ?? e}`);
    }
  }

  get backend() {
    return this.#backend.name;
  }

  get threads() {
    return this.#backend.name === 'wasm' ? this.#backend.threads : 0;
  }

  // request: {input: Float32Array, inputName, dims: [n, c, h, w] or [n, h, w, c], outputName}.
  // Resolves to {scores: Float32Array, ms}; rejects with an Error naming what did not fit.
  run(request) {
    const result = this.#queue.then(() => this.#run(request));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #run({ input, inputName, dims, outputName }) {
    const s = this.#session;
    if (!s.inputNames.includes(inputName))
      throw new Error(`the model has no input “${inputName}” (it has ${s.inputNames.join(', ')}).`);
    if (!s.outputNames.includes(outputName))
      throw new Error(`the model has no output “${outputName}” (it has ${s.outputNames.join(', ')}).`);
    const feeds = { [inputName]: new this.#backend.ort.Tensor('float32', input, dims) };
    const t0 = performance.now();
    const out = await s.run(feeds, [outputName]);
    const ms = performance.now() - t0;
    const tensor = out[outputName];
    const scores = Float32Array.from(tensor.data);
    tensor.dispose?.();
    return { scores, ms };
  }
}
