// web/ort_worker.mjs: ONNX Runtime Web in a worker of the page's own, started by
// web/ort_session.mjs, on WASM or WebGPU. On WASM a ResNet50 call takes hundreds of milliseconds,
// which on the main thread would freeze the canvas; on WebGPU, ONNX Runtime's own JavaScript
// (encoding a hundred or so kernels a call) runs here instead of between the page's frames.
//
// Why not ONNX Runtime's proxy worker (env.wasm.proxy): it takes every input's buffer away
// (transfers it), so the page had to allocate a new one per call, 9.6 MB for a batch of 16;
// allocating that much took the main thread 30-45 ms a batch in headless Chromium on 2 cores,
// time the model waited for. Here the page hands its inputs over in SharedArrayBuffers (where
// the page is cross-origin isolated) that it fills again for the next call, and ONNX Runtime
// copies them into its own memory as it does any input.
//
// Messages in:  {type: 'create', bytes: Uint8Array, ep: 'wasm' | 'webgpu', threads}
//               {type: 'run', id, input: Float32Array, dims, inputName, outputName, featuresName}
// Messages out: {type: 'created', inputNames, outputNames} | {type: 'failed', message}
//               {type: 'result', id, scores: Float32Array, features: Float32Array | null}
//               | {type: 'failed', id, message}
// featuresName: a second output to fetch (the spatial features the amortized explainer reads,
// with the prediction only), or '' for none.

const ORT_DIR = new URL('./ort/', import.meta.url).href; // the site's copy of ONNX Runtime Web
let session = null;
let ort = null;

// Each backend its own build: ort.webgpu (asyncify) is twice the download of ort.wasm.
async function create({ bytes, ep, threads }) {
  ort = await import(`${ORT_DIR}${ep === 'webgpu' ? 'ort.webgpu.min.mjs' : 'ort.wasm.min.mjs'}`);
  ort.env.wasm.wasmPaths = ORT_DIR;
  ort.env.wasm.numThreads = threads;
  session = await ort.InferenceSession.create(bytes, { executionProviders: [ep] });
  return { type: 'created', inputNames: session.inputNames, outputNames: session.outputNames };
}

async function run({ id, input, dims, inputName, outputName, featuresName }) {
  const names = featuresName ? [outputName, featuresName] : [outputName];
  const out = await session.run({ [inputName]: new ort.Tensor('float32', input, dims) }, names);
  const scores = Float32Array.from(out[outputName].data);
  const features = featuresName ? Float32Array.from(out[featuresName].data) : null;
  for (const name of names) out[name].dispose?.();
  return { type: 'result', id, scores, features };
}

self.onmessage = async ({ data }) => {
  try {
    const reply = data.type === 'create' ? await create(data) : await run(data);
    self.postMessage(reply, reply.scores ? [reply.scores.buffer, ...(reply.features ? [reply.features.buffer] : [])] : []);
  } catch (e) {
    self.postMessage({ type: 'failed', id: data.id, message: String(e?.message ?? e) });
  }
};
