// bench/webgpu_node.mjs: ONNX Runtime Web's WebGPU EP on a machine with a GPU but no
// browser. Node hosts the benchmark page's own module (ort_bench.mjs, as Chromium runs it for
// `santa-lens bench`) with Dawn, the WebGPU implementation inside Chromium, as navigator.gpu
// (npm package webgpu). What differs from Chromium: no GPU process in between. The same models
// run once on the WASM EP, on the machine's CPU, for the outputs to agree with.
//
//   node bench/webgpu_node.mjs --webgpu DIR --ort DIR --inputs FILE NAME=MODEL.onnx...
//        [--batches 1,8,16] [--warmup 2] [--runs 10] [--allow-software] [--json]
//
// --webgpu: the unpacked webgpu package (index.js, dist/); --ort: ONNX Runtime Web's files as the
// site serves them (build/site/ort); --inputs: whole model inputs, float32 (3x224x224 each).
// A software adapter (SwiftShader, llvmpipe) is refused, as the app refuses it, unless
// --allow-software (to try this script on a machine without a GPU).
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { makeBenchFolder } from './bench_folder.mjs';
import { softwareAdapter } from '../web/ort_session.mjs';
import { rounder } from '../tools/cli/figures.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    webgpu: { type: 'string' },
    ort: { type: 'string' },
    inputs: { type: 'string' },
    batches: { type: 'string', default: '1,8,16' },
    warmup: { type: 'string', default: '2' },
    runs: { type: 'string', default: '10' },
    'allow-software': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
if (!opt.webgpu || !opt.ort || !opt.inputs || positionals.length === 0) {
  console.error(
    'usage: webgpu_node.mjs --webgpu DIR --ort DIR --inputs FILE NAME=MODEL.onnx... [--batches 1,8,16] [--runs N] [--json]',
  );
  process.exit(2);
}
const log = (line) => (opt.json ? console.error(line) : console.log(line));
const models = positionals.map((p) => {
  const [name, file] = p.includes('=') ? p.split('=') : [p, p];
  return { name, file: resolve(file) };
});
const batches = opt.batches.split(',').map(Number);
const settings = { warmup: Number(opt.warmup), runs: Number(opt.runs), imageDims: [3, 224, 224] };
const raw = readFileSync(opt.inputs);
const images = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);

// The browser the page module expects: navigator.gpu from Dawn, fetch of the folder's files.
const { create, globals } = await import(pathToFileURL(join(resolve(opt.webgpu), 'index.js')).href);
Object.assign(globalThis, globals);
// Dawn's bindings refuse views of a SharedArrayBuffer (ONNX Runtime's threaded memory); Chromium
// takes them. Hand Dawn a copy.
const writeBuffer = globals.GPUQueue.prototype.writeBuffer;
globals.GPUQueue.prototype.writeBuffer = function (buffer, offset, data, dataOffset = 0, size = undefined) {
  if (!(data.buffer instanceof SharedArrayBuffer)) return writeBuffer.call(this, buffer, offset, data, dataOffset, size);
  const unit = data.BYTES_PER_ELEMENT ?? 1;
  const bytes = new Uint8Array(
    data.buffer,
    data.byteOffset + dataOffset * unit,
    size === undefined ? data.byteLength - dataOffset * unit : size * unit,
  );
  return writeBuffer.call(this, buffer, offset, bytes.slice(), 0, bytes.length);
};
Object.defineProperty(globalThis, 'navigator', {
  value: { gpu: create([]), hardwareConcurrency: os.cpus().length, userAgent: `Node ${process.version}` },
  configurable: true,
});
globalThis.crossOriginIsolated = true; // Node shares memory between threads without the headers
const { folder, models: served } = makeBenchFolder({ ortDir: opt.ort, models, images });
const nodeFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const u = new URL(url, pathToFileURL(folder + '/'));
  return u.protocol === 'file:' ? new Response(readFileSync(u)) : nodeFetch(url, init);
};

// One module instance per EP: ONNX Runtime Web fixes its build and threads when it starts.
async function page(tag) {
  await import(`${pathToFileURL(join(folder, 'ort_bench.mjs')).href}?${tag}`);
  return globalThis.ortBench;
}

const maxDiff = (a, b) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
const round = rounder(2);

try {
  const gpuPage = await page('webgpu');
  const adapter = await gpuPage.adapter();
  if (adapter.error) throw new Error(adapter.error);
  log(`adapter: ${adapter.vendor} ${adapter.architecture} ${adapter.device} (${adapter.description})`);
  if (softwareAdapter(adapter) && !opt['allow-software'])
    throw new Error('WebGPU offers only a software adapter (--allow-software to time it anyway)');
  log(`features: ${adapter.features.join(' ')}`);
  // Model by model, so that one the adapter cannot run (fp16 without shader-f16) is reported
  // and the others still are. The reference: the WASM EP, one thread (Node cannot start ONNX
  // Runtime's worker threads from the blob: URLs it makes for them), on the two input images.
  const cpuPage = await page('wasm');
  const rows = [];
  for (const model of served) {
    try {
      const gpu = await gpuPage.measure({ ep: 'webgpu', threads: 1, models: [model], batches, ...settings });
      const cpu = await cpuPage.measure({
        ep: 'wasm',
        threads: 1,
        models: [model],
        batches: [2],
        warmup: 0,
        runs: 1,
        imageDims: settings.imageDims,
      });
      const ref = cpu.results[0].outputs;
      for (const r of gpu.results) {
        const row = {
          model: r.model,
          batch: r.batch,
          ms_per_image: round(r.ms_per_image),
          create_ms: Math.round(r.create_ms),
          runs_ms: r.runs_ms.map((x) => round(x, 1)),
          outputs: r.outputs.slice(0, 2),
          outputs_wasm: ref,
          max_abs_diff_vs_wasm: Number(maxDiff(r.outputs.slice(0, ref.length), ref).toPrecision(2)),
        };
        log(
          `webgpu ${row.model} batch ${row.batch}: ${row.ms_per_image} ms/image (session ${row.create_ms} ms), outputs within ${row.max_abs_diff_vs_wasm} of WASM's`,
        );
        rows.push(row);
      }
    } catch (e) {
      rows.push({ model: model.name, error: String(e.message ?? e).split('\n')[0] });
      log(`webgpu ${model.name}: ${rows.at(-1).error}`);
    }
  }
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    host: 'Node + Dawn (npm webgpu), not a browser',
    adapter,
    settings: { ...settings, batches },
    webgpu: rows,
  };
  if (opt.json) console.log(JSON.stringify(report, null, 2));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
// Dawn's device keeps the event loop alive.
process.exit(0);
