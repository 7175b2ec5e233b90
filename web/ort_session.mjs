// web/ort_session.mjs: the model in ONNX Runtime Web, served from this site (ort/), never a CDN.
//
//   const bytes = await fetchModel(url, (loaded, total) => ...);   // progress in bytes
//   const session = await OrtSession.create(bytes);
//   const { scores, ms } = await session.run(request);            // request: see run()
//
// Backend: WASM with SIMD; threads when the page is cross-origin isolated (tools/serve.mjs sends
// the COOP/COEP headers), ONNX Runtime's default of min(cores / 2, 4). WebGPU comes later.
import * as ort from './ort/ort.wasm.min.mjs';

ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;

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
  #queue = Promise.resolve();  // ONNX Runtime Web runs one inference per session at a time

  constructor(session) {
    this.#session = session;
  }

  static async create(modelBytes) {
    try {
      return new OrtSession(await ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'] }));
    } catch (e) {
      throw new Error(`ONNX Runtime could not load the model: ${e.message ?? e}`);
    }
  }

  get backend() {
    return 'wasm';
  }

  get threads() {
    return ort.env.wasm.numThreads || 1;
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
    const feeds = { [inputName]: new ort.Tensor('float32', input, dims) };
    const t0 = performance.now();
    const out = await s.run(feeds, [outputName]);
    const ms = performance.now() - t0;
    const tensor = out[outputName];
    const scores = Float32Array.from(tensor.data);
    tensor.dispose?.();
    return { scores, ms };
  }
}
