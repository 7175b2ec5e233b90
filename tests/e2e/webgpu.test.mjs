// tests/e2e/webgpu.test.mjs: ONNX Runtime Web's WebGPU EP computes what its WASM EP computes: the
// float model (assets/santa_resnet50.onnx) and the one the app runs on WebGPU (the card's
// "model_webgpu": the weights in 8 bits, float activations), in headless Chromium with WebGPU turned on
// (--enable-unsafe-webgpu), on the same two inputs (a Santa the model is unsure of and the mean
// image, both inside (0, 1), where a wrong result shows), to 1e-3. The app never runs on a software
// adapter (web/ort_session.mjs); this test does, on purpose: here the adapter is SwiftShader, on
// the CPU, 10-30 s an image. The benchmark page (bench/ort_bench.mjs) builds the session
// with ['webgpu'] itself. (The 8-bit QDQ model can round differently on the two EPs: 0.0902 on
// WebGPU against 0.0746 on WASM for a person photo and the previous head, measured; `santa-lens
// bench` reports the difference per model; this test holds the float models to 1e-3.)
//
// Skips, saying why, without the model, the site (its ort/ files), Chromium, the core (for the
// model's input tensor), the photo, or a WebGPU adapter.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { coreModule } from '../../tools/cli/core.mjs';
import { UNSURE_PHOTO } from '../../tools/cli/bench.mjs';
import { browserMissing } from '../../tools/chromium.mjs';
import { OrtBrowser } from '../../bench/ort_browser.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const site = resolve(process.env.SANTA_LENS_SITE ?? join(root, 'build/site'));
const cardFile = join(root, 'assets/santa_resnet50.json');
const model = join(root, 'assets/santa_resnet50.onnx');
// P(santa) 0.58 in the float model: near 0.5, where a small error shows most.
const photo = UNSURE_PHOTO;

// The card's WebGPU model, as core/model/model_card.h reads it: model_webgpu, else model.
const webgpuModel = () => {
  const card = JSON.parse(readFileSync(cardFile, 'utf8'));
  return join(dirname(cardFile), card.model_webgpu ?? card.model);
};

function whySkip() {
  if (!existsSync(cardFile) || !existsSync(model) || !existsSync(webgpuModel()))
    return 'no model: run ./tools/santa-lens model build';
  if (!existsSync(coreModule)) return `the core is not built (${coreModule}): run tools/build.sh`;
  if (!existsSync(photo)) return `no test photo ${photo}`;
  return browserMissing(site) ?? false;
}

test("the WebGPU EP gives the WASM EP's outputs to 1e-3", { skip: whySkip(), timeout: 900_000 }, async (t) => {
  const { loadCore, unwrap } = await import('../../tools/cli/core.mjs');
  const { readCard } = await import('../../tools/cli/model.mjs');
  const core = await loadCore();
  const card = readCard(core, cardFile);
  const { tensor } = unwrap(core.imageTensor(new Uint8Array(readFileSync(photo)), card.text), photo);
  const images = new Float32Array(2 * tensor.length);
  images.set(tensor); // then zeros: the mean colour everywhere, the explainer's empty coalition
  const imageDims = [3, card.info.height, card.info.width];

  const models = [
    { name: 'fp32', file: model },
    { name: "the app's on WebGPU", file: webgpuModel() },
  ];
  const bench = await OrtBrowser.open({ site, models, images, webgpu: true });
  try {
    const adapter = await bench.adapter();
    if (adapter.error) {
      t.skip(`no WebGPU here: ${adapter.error}`);
      return;
    }
    const run = (ep) =>
      bench
        .measure({ ep, threads: 1, batches: [2], warmup: 0, runs: 1, imageDims })
        .then((r) => new Map(r.results.map((x) => [x.model, x.outputs])));
    const wasmRuns = await run('wasm');
    const gpuRuns = await run('webgpu');
    const where = `${adapter.vendor} ${adapter.architecture}${adapter.fallback ? ' (fallback adapter)' : ''}`;
    for (const { name } of models) {
      const [wasm, gpu] = [wasmRuns.get(name), gpuRuns.get(name)];
      assert.equal(wasm.length, 2, name);
      assert.equal(gpu.length, 2, name);
      for (const p of wasm)
        assert.ok(p > 0.01 && p < 0.99, `${name}: WASM gives ${p}: an input that cannot tell right from wrong`);
      assert.ok(Math.abs(wasm[0] - wasm[1]) > 0.05, `${name}: the two inputs give ${wasm}: too alike to tell them apart`);
      for (let i = 0; i < 2; ++i) {
        assert.ok(Math.abs(gpu[i] - wasm[i]) <= 1e-3, `${name}, input ${i}: WebGPU (${where}) ${gpu[i]}, WASM ${wasm[i]}`);
      }
    }
  } finally {
    await bench.close();
  }
});
