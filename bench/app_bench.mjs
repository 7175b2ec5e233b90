// bench/app_bench.mjs: the real app (the built site) in headless Chromium, driven as a
// user drives it: photos dropped on the page, the live regions (#status, #explain-status) read
// as they change, the explanation exported as JSON by its button on the canvas.
//
//   const app = await AppBench.open({site, budget: 8});   // ready: model loaded, WASM backend
//                                                         // (estimator: another than the app's default)
//   app.info                                              // {backend, threads}
//   await app.latency(file)    // {drop_to_prediction_ms, drop_to_first_heatmap_ms, ...}
//   await app.explain(file, {budget: 512, segments: 50})  // the app's JSON export
//   await app.memory()         // peak resident memory of the browser's processes
//   await app.screenshot(file) // the page as PNG
//   await app.close();
//
// Each drop waits until the previous explanation has finished, so the model is idle when the
// photo lands (a warm page, as after the user's previous photo).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { launchChromium, processPeaks, processes, serve } from '../tools/chromium.mjs';

const MINUTE = 60_000;

// Timestamps every change of the live regions' state, photo, progress and settled share
// (performance.now(), when the change happens: MutationObserver callbacks run right after it).
function installMarks() {
  globalThis.benchMarks = [];
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      const d = r.target.dataset;
      if (r.target.id === 'status' || r.target.id === 'explain-status') {
        globalThis.benchMarks.push({
          t,
          id: r.target.id,
          state: d.state,
          photo: d.photo,
          evaluations: Number(d.evaluations ?? 0),
          settled: Number(d.settled ?? 0),
          first: d.firstEstimate === 'true',
        });
      }
    }
  }).observe(document, {
    subtree: true,
    attributes: true,
    attributeFilter: ['data-state', 'data-photo', 'data-evaluations', 'data-settled'],
  });
}

const IDLE = ['idle', 'done', 'cancelled', 'error'];

// From the marks of one drop (of photo `name` at t0): the prediction, the first heatmap and the
// end, in ms after the drop, and the settled share at 1 s, 5 s and the end.
function timeline(marks, name, t0) {
  const result = marks.find((m) => m.id === 'status' && m.photo === name && m.state === 'result');
  const explain = marks.filter((m) => m.id === 'explain-status' && result && m.t >= result.t);
  const first = explain.find((m) => m.evaluations > 0);
  const done = explain.find((m) => m.state === 'done');
  const settledAt = (ms) => explain.filter((m) => m.t - t0 <= ms).at(-1)?.settled ?? 0;
  return {
    prediction_ms: result ? result.t - t0 : null,
    first_heatmap_ms: first ? first.t - t0 : null,
    first_heatmap_is_estimate: first ? first.first : null,
    done_ms: done ? done.t - t0 : null,
    settled_1s: settledAt(1000),
    settled_5s: settledAt(5000),
    settled_done: done ? done.settled : (explain.at(-1)?.settled ?? 0),
  };
}

export class AppBench {
  #server;
  #browser;
  #page;
  #dropped = 0;
  info;

  constructor(server, browser, page, info) {
    this.#server = server;
    this.#browser = browser;
    this.#page = page;
    this.info = info;
  }

  static async open({ site, budget = 8, estimator = null }) {
    const server = await serve(site);
    let browser = null;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(installMarks);
      await page.goto(`${server.url}?backend=wasm&budget=${budget}${estimator ? `&estimator=${estimator}` : ''}`);
      await page.waitForFunction(
        () => ['ready', 'model-error', 'fatal'].includes(document.getElementById('status').dataset.state),
        null,
        { timeout: 5 * MINUTE },
      );
      const s = await page.evaluate(() => ({
        ...document.getElementById('status').dataset,
        text: document.getElementById('status').textContent,
      }));
      if (s.state !== 'ready') throw new Error(`the app did not start: ${s.text}`);
      return new AppBench(server, browser, page, { backend: s.backend, threads: Number(s.threads) });
    } catch (e) {
      await browser?.close();
      server.stop();
      throw e;
    }
  }

  // Drops `file` under a fresh name; resolves to {name, t0} (t0: performance.now() at the drop).
  async #drop(file) {
    const page = this.#page;
    await page.waitForFunction((idle) => idle.includes(document.getElementById('explain-status').dataset.state), IDLE, {
      timeout: 30 * MINUTE,
    });
    const name = `bench-${++this.#dropped}-${basename(file)}`;
    // Making the File in the page first: decoding the bytes sent is the benchmark's work, not the app's.
    await page.evaluate(
      ({ name, base64 }) => {
        globalThis.stagedFile = new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'image/jpeg' });
      },
      { name, base64: readFileSync(file).toString('base64') },
    );
    const t0 = await page.evaluate(() => {
      globalThis.benchMarks.length = 0;
      const transfer = new DataTransfer();
      transfer.items.add(globalThis.stagedFile);
      const target = document.getElementById('canvas');
      const t = performance.now();
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
      return t;
    });
    return { name, t0 };
  }

  // Drop to prediction shown (#status says the result for this photo) and to the first heatmap
  // (#explain-status counts the first batch of evaluations), in milliseconds.
  async latency(file) {
    const { name, t0 } = await this.#drop(file);
    const marks = await this.#page
      .waitForFunction(
        (name) => {
          const m = globalThis.benchMarks;
          const result = m.find((x) => x.id === 'status' && x.photo === name && ['result', 'error'].includes(x.state));
          const heatmap =
            result && m.find((x) => x.id === 'explain-status' && x.t >= result.t && (x.evaluations > 0 || x.state === 'error'));
          return (result?.state === 'error' || heatmap) && { result, heatmap };
        },
        name,
        { timeout: 10 * MINUTE },
      )
      .then((h) => h.jsonValue());
    if (marks.result.state === 'error' || marks.heatmap?.state === 'error') {
      throw new Error(
        `${basename(file)}: the app reported an error: ${await this.#page.evaluate(() => document.getElementById('status').textContent)}`,
      );
    }
    return {
      photo: basename(file),
      drop_to_prediction_ms: marks.result.t - t0,
      prediction_to_first_heatmap_ms: marks.heatmap.t - marks.result.t,
      drop_to_first_heatmap_ms: marks.heatmap.t - t0,
      first_batch_evaluations: marks.heatmap.evaluations,
    };
  }

  // Explains `file` with these settings until the explainer stops (converged or budget spent);
  // resolves to the app's JSON export (evaluations, converged, seconds: {total, explain, model},
  // ...) and `timeline`: after the drop, when the prediction and the first heatmap showed and
  // the explanation was done (ms), and the share of the photo whose sign was settled 1 s and
  // 5 s after the drop and at the end.
  async explain(file, { budget, segments }) {
    const page = this.#page;
    // New settings restart the explanation on screen: cancel that one at once, the drop follows.
    await page.evaluate(
      (s) => {
        globalThis.santaLens.set(s);
        globalThis.santaLens.cancel();
      },
      { budget, segments },
    );
    const { name, t0 } = await this.#drop(file);
    const end = await page
      .waitForFunction(
        (name) => {
          const m = globalThis.benchMarks;
          const result = m.find((x) => x.id === 'status' && x.photo === name && ['result', 'error'].includes(x.state));
          if (result?.state === 'error') return result;
          return result && m.find((x) => x.id === 'explain-status' && x.t >= result.t && ['done', 'error'].includes(x.state));
        },
        name,
        { timeout: 30 * MINUTE },
      )
      .then((h) => h.jsonValue());
    if (end.state !== 'done') {
      const text = await page.evaluate(
        () => `${document.getElementById('status').textContent} ${document.getElementById('explain-status').textContent}`,
      );
      throw new Error(`${basename(file)}: the explanation failed: ${text}`);
    }
    const rect = JSON.parse(await page.evaluate(() => document.getElementById('canvas').dataset.layout ?? '{}'))['export:json'];
    if (!rect) throw new Error('the app shows no JSON export button');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.mouse.click(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2),
    ]);
    const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
    await download.delete();
    return { ...json, timeline: timeline(await page.evaluate(() => globalThis.benchMarks), name, t0) };
  }

  // Peak resident memory (MB) of the browser's processes so far, and the page's JS heap now.
  async memory() {
    const peaks = processPeaks(await processes(this.#browser));
    const cdp = await this.#page.context().newCDPSession(this.#page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    await cdp.detach();
    const metric = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) / 2 ** 20;
    return { ...peaks, js_heap_used: metric('JSHeapUsedSize'), js_heap_total: metric('JSHeapTotalSize') };
  }

  // The page as the user sees it, as PNG, written to `file`.
  async screenshot(file) {
    await this.#page.screenshot({ path: file });
  }

  version() {
    return this.#browser.version();
  }

  async close() {
    await this.#browser.close().catch(() => {});
    this.#server.stop();
  }
}
