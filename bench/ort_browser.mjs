// bench/ort_browser.mjs: bare ONNX Runtime Web in headless Chromium, cross-origin isolated:
// tools/serve.mjs serves the benchmark folder (bench_folder.mjs: the site's ort/ files, the
// models, the benchmark page ort_bench.html and the input images).
//
//   const bench = await OrtBrowser.open({site, models: [{name, file}], images, webgpu: false});
//   const r = await bench.measure({ep: 'wasm', threads: 2, proxy: false, batches: [1, 8], warmup: 1, runs: 5,
//                                  imageDims: [3, 224, 224], names: ['fp32']});
//   const info = await bench.adapter();    // the WebGPU adapter (webgpu: true), or {error}
//   await bench.close();
//
// Each measure() loads the page afresh (ONNX Runtime Web fixes its threads when it starts); it
// resolves to what ort_bench.mjs reports, model names as given here.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeBenchFolder } from './bench_folder.mjs';
import { launchChromium, serve } from '../tools/chromium.mjs';

export class OrtBrowser {
  #folder;
  #server;
  #browser;
  #models;

  constructor(folder, server, browser, models) {
    this.#folder = folder;
    this.#server = server;
    this.#browser = browser;
    this.#models = models;
  }

  // `images`: a Float32Array of whole model inputs (e.g. 3x224x224 each), cycled into batches.
  static async open({ site, models, images, webgpu = false }) {
    const { folder, models: served } = makeBenchFolder({ ortDir: resolve(site, 'ort'), models, images });
    let server = null;
    try {
      server = await serve(folder);
      const browser = await launchChromium({ webgpu });
      return new OrtBrowser(folder, server, browser, served);
    } catch (e) {
      server?.stop();
      rmSync(folder, { recursive: true, force: true });
      throw e;
    }
  }

  // `names`: the models to run (default all).
  async measure({ ep = 'wasm', threads = 1, proxy = false, batches, warmup, runs, imageDims, names = null }) {
    const models = names ? this.#models.filter((m) => names.includes(m.name)) : this.#models;
    return this.#onFreshPage((o) => globalThis.ortBench.measure(o), {
      ep,
      threads,
      proxy,
      models,
      batches,
      warmup,
      runs,
      imageDims,
    });
  }

  // The WebGPU adapter's info ({vendor, architecture, device, description, fallback}) or {error}.
  adapter() {
    return this.#onFreshPage(() => globalThis.ortBench.adapter());
  }

  version() {
    return this.#browser.version();
  }

  async #onFreshPage(fn, arg) {
    const page = await this.#browser.newPage();
    try {
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(this.#server.url);
      await page
        .waitForFunction(() => globalThis.ortBench, null, { timeout: 60_000 })
        .catch((e) => {
          throw new Error(`the benchmark page did not start: ${errors[0] ?? e.message}`);
        });
      return await page.evaluate(fn, arg);
    } finally {
      await page.close();
    }
  }

  async close() {
    await this.#browser.close().catch(() => {});
    this.#server.stop();
    rmSync(this.#folder, { recursive: true, force: true });
  }
}
