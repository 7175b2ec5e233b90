// bench/ort_bench.mjs: the benchmark page's module (ort_bench.html): bare session.run of
// ONNX Runtime Web (no app) on the main thread, or in its proxy worker (proxy: true: ONNX
// Runtime Web's own way off the main thread; the app has a worker of its own, web/ort_worker.mjs),
// for bench/ort_browser.mjs.
//
//   await ortBench.measure({ep: 'wasm', threads: 2, proxy: false, models: [{name, url}], batches: [1, 8],
//                           warmup: 1, runs: 5, imageDims: [3, 224, 224]})
//     -> {ep, threads, proxy, crossOriginIsolated, hardwareConcurrency, adapter, results: [{model,
//         batch, create_ms, runs_ms, ms_per_image (median run / batch), outputs (last run)}]}
//   await ortBench.adapter()   // the WebGPU adapter: {vendor, architecture, ..., fallback, features} or {error}
//
// ONNX Runtime Web fixes its thread count and build when it first starts, so a page measures
// one (ep, threads, proxy); the driver loads the page afresh for the next. Inputs: input.f32
// beside the page, whole images of imageDims float32, cycled to fill a batch.

let runtime = null; // {ort, ep, threads, proxy, adapter}

// The WebGPU adapter, or why there is none. The app refuses software adapters
// (web/ort_session.mjs); a benchmark or a check may use one.
async function requestAdapter() {
  if (!navigator.gpu) return { error: 'this browser has no WebGPU (navigator.gpu)' };
  try {
    const adapter = await navigator.gpu.requestAdapter();
    return adapter ? { adapter } : { error: 'WebGPU offers no adapter' };
  } catch (e) {
    return { error: `WebGPU failed: ${e.message ?? e}` };
  }
}

function adapterInfo(adapter) {
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    fallback: Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter),
    features: [...adapter.features].sort(),
  };
}

async function start(ep, threads, proxy) {
  if (runtime) {
    if (runtime.ep !== ep || runtime.threads !== threads || runtime.proxy !== proxy) {
      throw new Error(
        `this page already runs ${runtime.ep} with ${runtime.threads} threads (proxy ${runtime.proxy}): load it again for ${ep} with ${threads} (proxy ${proxy})`,
      );
    }
    return runtime;
  }
  let adapter = null;
  if (ep === 'webgpu') {
    const found = await requestAdapter();
    if (found.error) throw new Error(found.error);
    adapter = found.adapter;
  }
  const ort = await import(ep === 'webgpu' ? './ort/ort.webgpu.min.mjs' : './ort/ort.wasm.min.mjs');
  ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = proxy;
  if (adapter) ort.env.webgpu.adapter = adapter;
  runtime = { ort, ep, threads, proxy, adapter: adapter && adapterInfo(adapter) };
  return runtime;
}

async function inputImages(imageSize) {
  const response = await fetch('input.f32');
  if (!response.ok) throw new Error(`input.f32: HTTP ${response.status}`);
  const images = new Float32Array(await response.arrayBuffer());
  if (images.length === 0 || images.length % imageSize !== 0) {
    throw new Error(`input.f32 holds ${images.length} floats, not whole images of ${imageSize}`);
  }
  return images;
}

function batchOf(images, imageSize, batch) {
  const data = new Float32Array(batch * imageSize);
  const count = images.length / imageSize;
  for (let i = 0; i < batch; ++i)
    data.set(images.subarray((i % count) * imageSize, ((i % count) + 1) * imageSize), i * imageSize);
  return data;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

async function measureModel(ort, ep, model, { batches, warmup, runs, imageDims, images, inputName, outputName }) {
  const response = await fetch(model.url);
  if (!response.ok) throw new Error(`${model.url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all' });
  const createMs = performance.now() - t0;
  const imageSize = imageDims.reduce((a, b) => a * b, 1);
  const results = [];
  try {
    for (const batch of batches) {
      const runsMs = [];
      let outputs = null;
      for (let r = 0; r < warmup + runs; ++r) {
        // A fresh input each run: the proxy worker takes (detaches) the buffer it is sent.
        const feeds = { [inputName]: new ort.Tensor('float32', batchOf(images, imageSize, batch), [batch, ...imageDims]) };
        const t = performance.now();
        const out = await session.run(feeds, [outputName]);
        const ms = performance.now() - t;
        if (r >= warmup) runsMs.push(ms);
        outputs = Array.from(out[outputName].data);
        out[outputName].dispose?.();
      }
      results.push({
        model: model.name,
        batch,
        create_ms: createMs,
        runs_ms: runsMs,
        ms_per_image: median(runsMs) / batch,
        outputs,
      });
    }
  } finally {
    await session.release();
  }
  return results;
}

async function measure({
  ep = 'wasm',
  threads = 1,
  proxy = false,
  models,
  batches,
  warmup = 1,
  runs = 5,
  imageDims = [3, 224, 224],
  inputName = 'input',
  outputName = 'p_santa',
}) {
  const { ort, adapter } = await start(ep, threads, proxy);
  const images = await inputImages(imageDims.reduce((a, b) => a * b, 1));
  const results = [];
  for (const model of models) {
    results.push(...(await measureModel(ort, ep, model, { batches, warmup, runs, imageDims, images, inputName, outputName })));
  }
  return { ep, threads, proxy, crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, adapter, results };
}

async function adapter() {
  const found = await requestAdapter();
  return found.error ? { error: found.error } : adapterInfo(found.adapter);
}

globalThis.ortBench = { measure, adapter };
