// tools/cli/bench.mjs: `bench`: the speed figures in one run, each the median of repeated runs
// after warm-up, with the CPU model and the date: ResNet50 per image in onnxruntime-node and in
// ONNX Runtime Web (headless Chromium) for every model variant, the app's explanation loop
// against bare session.run, drop-to-prediction and drop-to-heatmap latency, evaluations and
// seconds to a converged explanation, SLIC and masking, the page's peak memory, WebGPU.
// The browser side lives in bench/; SLIC and masking are bench/'s own benchmarks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadCore, repoRoot, unwrap, wasmBuild } from './core.mjs';
import { dataPath } from './data_root.mjs';
import { assets, readCard } from './model.mjs';
import { createSession, inputDims } from './inference.mjs';
import { cpuModel } from './train.mjs';
import { listLabelledPhotos, readPhoto } from './photos.mjs';
import { numberOption } from './options.mjs';
import { browserMissing } from '../chromium.mjs';
import { OrtBrowser } from '../../bench/ort_browser.mjs';
import { AppBench } from '../../bench/app_bench.mjs';
import { rounder } from './figures.mjs';

export const BENCH_HELP = `  santa-lens bench [--json] [--quick] [--models A.onnx,B.onnx] [--photos N] [--runs N]
                   [--only SECTION,...] [--site DIR]
      Speed figures with the CPU model and the date, each the median of --runs timed runs
      (default 5, 10 in onnxruntime-node) after a warm-up run. Sections:
        onnxruntime_node  ResNet50 ms per image, 1 and 2 threads, batch 8
        browser_wasm      ONNX Runtime Web's WASM EP in headless Chromium (cross-origin
                          isolated), 1 thread and all, batch 1, 8 and 16
          (both for every assets/*.onnx, or the --models list)
        app_loop          the app's explanation loop per evaluation against bare session.run
                          (the app's batch and threads, in ONNX Runtime's proxy worker),
                          measured after each explanation: the overhead
        latency           drop to prediction shown and to first heatmap, on a warm page
        explanations      evaluations and seconds to a converged explanation (budget 512, 50
                          superpixels) of --photos N photos of $SANTA_LENS_DATA/santa/test
                          (default 10, half of each class; 1-2 min each)
        core              SLIC and masking (bench/masking_bench, slic_bench; the app's set-up)
        memory            the app page's peak resident memory
        webgpu            the WebGPU EP against WASM where Chromium offers an adapter
      --only runs some sections; --site serves another build of the site (default build/site);
      --quick: small settings for tests (a minute or two on two cores).`;

const SECTIONS = ['onnxruntime_node', 'browser_wasm', 'app_loop', 'latency', 'explanations', 'core', 'memory', 'webgpu'];
const FULL = {
  warmup: 1,
  runs: 5,
  nodeRuns: 10,
  batches: [1, 8, 16],
  photos: 10,
  budget: 512,
  segments: 50,
  drops: 5,
  webgpuTiming: true,
  slicBench: true,
};
const QUICK = {
  warmup: 1,
  runs: 1,
  nodeRuns: 2,
  batches: [1, 8],
  photos: 1,
  budget: 16,
  segments: 50,
  drops: 1,
  webgpuTiming: false,
  slicBench: false,
};
const NODE_THREADS = [1, 2];
const NODE_BATCH = 8;
const PHOTO_DIR = dataPath('santa/test');

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

const round = rounder(1);
const relative = (file) => {
  const r = path.relative(repoRoot, path.resolve(file));
  return r.startsWith('..') ? path.resolve(file) : r;
};

// [{name, file, mb}]: the --models list, or every .onnx in the assets folder.
function modelVariants(list) {
  const dir = path.dirname(assets.card);
  const files = list
    ? list
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.onnx'))
        .sort()
        .map((f) => path.join(dir, f));
  if (files.length === 0)
    throw new Error(`no models: no .onnx in ${dir} (run \`./tools/santa-lens model build\`) and no --models`);
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`${f}: no such model file`);
  return files.map((file) => ({ name: relative(file), file: path.resolve(file), mb: round(fs.statSync(file).size / 2 ** 20) }));
}

// The photo behind the backends' agreement figures (WebGPU against WASM, the same graph): a Santa
// the shipped model is unsure of (P(santa) 0.56 in 8 bits, 0.58 in float), where a numeric
// difference between two backends shows most; a confident photo sits at 0 or 1, where it would
// not. (Not for comparing graphs of different weights: there it is the photo that moves most.)
export const UNSURE_PHOTO = dataPath('santa/test/santa/00000093.jpg');

// `n` photos of the test set, half of each class (the first by name, as bench/masking_bench).
export function benchPhotos(labels, n) {
  const all = listLabelledPhotos(PHOTO_DIR, labels);
  const byLabel = labels.map((_, l) => all.filter((p) => p.label === l).map((p) => p.file));
  const out = [];
  for (let i = 0; out.length < n && i < all.length; ++i) {
    for (const files of byLabel) if (out.length < n && i < files.length) out.push(files[i]);
  }
  return out;
}

// The model's inputs for the speed runs: a photo, and the mean image (all zeros after the
// card's normalisation: the explainer's empty coalition), whose output is not saturated, so
// WebGPU's and WASM's outputs can be told apart. Speed does not depend on the pixels.
export function inputImages(core, card, file) {
  const read = readPhoto(file);
  const { tensor } = unwrap(read.error ? read : core.imageTensor(read.bytes, card.text), file);
  const out = new Float32Array(2 * tensor.length);
  out.set(tensor);
  return out;
}

function tile(images, imageSize, batch) {
  const count = images.length / imageSize;
  const out = new Float32Array(batch * imageSize);
  for (let i = 0; i < batch; ++i) out.set(images.subarray((i % count) * imageSize, ((i % count) + 1) * imageSize), i * imageSize);
  return out;
}

async function onnxruntimeNode(ctx) {
  const { card, variants, images, settings, log } = ctx;
  const imageSize = images.length / 2;
  const rows = [];
  for (const v of variants) {
    for (const threads of NODE_THREADS) {
      const session = await createSession(v.file, card.info, v.name, { intraOpNumThreads: threads, interOpNumThreads: 1 });
      const input = new ort.Tensor('float32', tile(images, imageSize, NODE_BATCH), inputDims(card.info, NODE_BATCH));
      const ms = [];
      for (let r = 0; r < settings.warmup + settings.nodeRuns; ++r) {
        const t = performance.now();
        await session.run({ [card.info.inputName]: input });
        if (r >= settings.warmup) ms.push(performance.now() - t);
      }
      await session.release();
      rows.push({ model: v.name, threads, batch: NODE_BATCH, ms_per_image: round(median(ms) / NODE_BATCH, 2), runs: ms.length });
      log(`onnxruntime-node ${v.name}, ${threads} thread(s), batch ${NODE_BATCH}: ${rows.at(-1).ms_per_image} ms/image`);
    }
  }
  return { rows };
}

// The app's JSON exports of the explanation runs and the latency runs, in one warm page.
// want.bare: bare session.run at the app's batch and threads (a function of {threads, batch}
// to ms per image), measured after each explanation, so that each explanation is compared with
// the machine's speed around it (the runs after it and after the one before): on this shared
// machine the speed drifts by 10-20% within minutes, more than the overhead measured.
async function appRuns(ctx, want) {
  const { site, photos, settings, log } = ctx;
  const app = await AppBench.open({ site, budget: 8 });
  try {
    const out = { info: app.info, chromium: await app.version(), latency: [], explanations: [], failed: [] };
    log(`app ready: ${app.info.backend}, ${app.info.threads} thread(s)`);
    if (want.latency) {
      await app.latency(photos[photos.length - 1]); // warm-up: the first photo pays for first-use work
      for (let i = 0; i < settings.drops; ++i) {
        out.latency.push(await app.latency(photos[i % photos.length]));
        const l = out.latency.at(-1);
        log(
          `latency ${l.photo}: prediction ${round(l.drop_to_prediction_ms)} ms, first heatmap ${round(l.drop_to_first_heatmap_ms)} ms after the drop`,
        );
      }
    }
    if (want.explanations) {
      const bare = async (batch) => {
        const ms = await want.bare({ threads: app.info.threads, batch });
        log(`bare session.run, batch ${batch}, ${app.info.threads} thread(s): ${round(ms)} ms/image`);
        return ms;
      };
      let before = null;
      for (const file of photos) {
        let r;
        try {
          r = await app.explain(file, { budget: settings.budget, segments: settings.segments });
        } catch (e) {
          out.failed.push({ file: relative(file), error: e.message.split('\n')[0] });
          log(`${path.basename(file)}: error: ${out.failed.at(-1).error}`);
          continue;
        }
        log(
          `explained ${path.basename(file)}: ${r.evaluations} evaluations, ${r.converged ? 'converged' : 'not converged'}, ${r.seconds.total} s`,
        );
        // Outside the photo's try: a bare run that fails is the benchmark page's failure, not the photo's.
        const after = want.bare ? await bare(r.batch_size) : null;
        out.explanations.push({ ...r, file: relative(file), bare_ms_per_image: [before, after].filter((x) => x !== null) });
        before = after;
      }
    }
    out.memory = await app.memory();
    return out;
  } finally {
    await app.close();
  }
}

function latencySection(runs) {
  const m = (key) => round(median(runs.map((r) => r[key])));
  return {
    drops: runs.length,
    drop_to_prediction_ms: m('drop_to_prediction_ms'),
    prediction_to_first_heatmap_ms: m('prediction_to_first_heatmap_ms'),
    drop_to_first_heatmap_ms: m('drop_to_first_heatmap_ms'),
    first_batch_evaluations: runs[0]?.first_batch_evaluations ?? null,
    runs: runs.map((r) => ({
      photo: r.photo,
      drop_to_prediction_ms: round(r.drop_to_prediction_ms),
      drop_to_first_heatmap_ms: round(r.drop_to_first_heatmap_ms),
    })),
  };
}

function explanationsSection(runs, failed, settings) {
  const t = (key) => median(runs.map((r) => r.timeline[key]).filter((x) => x !== null));
  const share = rounder(3);
  return {
    photos: runs.length,
    failed,
    budget: settings.budget,
    segments_asked: settings.segments,
    estimator: runs[0]?.estimator ?? null,
    converged: runs.filter((r) => r.converged).length,
    evaluations_median: median(runs.map((r) => r.evaluations)),
    seconds_median: round(median(runs.map((r) => r.seconds.total)), 2),
    // Seen from the drop, as a user sees it: the settled share of the photo over time.
    prediction_ms_median: round(t('prediction_ms')),
    first_heatmap_ms_median: round(t('first_heatmap_ms')),
    first_heatmap_with_prediction: runs.filter((r) => r.timeline.first_heatmap_is_estimate).length,
    settled_1s_median: share(t('settled_1s')),
    settled_5s_median: share(t('settled_5s')),
    settled_done_median: share(t('settled_done')),
    seconds_to_done_median: round(t('done_ms') / 1000, 2),
    per_photo: runs.map((r) => ({
      file: r.file,
      segments: r.segments,
      evaluations: r.evaluations,
      converged: r.converged,
      convergence: r.convergence === null ? null : round(r.convergence, 4),
      seconds: r.seconds.total,
      prediction_ms: round(r.timeline.prediction_ms),
      first_heatmap_ms: round(r.timeline.first_heatmap_ms),
      settled_1s: share(r.timeline.settled_1s),
      settled_5s: share(r.timeline.settled_5s),
      settled_done: share(r.timeline.settled_done),
      seconds_to_done: round(r.timeline.done_ms / 1000, 2),
    })),
  };
}

// The loop's wall time per evaluation (masking, transfer to the model's worker, the model, the
// solver, frames between batches) against bare session.run per image at the same batch and
// threads, in ONNX Runtime's proxy worker (ONNX Runtime Web on its own, off the main thread),
// measured after each explanation: per photo, the mean of the measures after it and after the
// one before. The fractions are medians over the photos.
function appLoopSection(runs, app) {
  const perPhoto = runs.map((r) => {
    const bare = r.bare_ms_per_image.reduce((a, b) => a + b) / r.bare_ms_per_image.length;
    const loop = (1000 * r.seconds.explain) / r.evaluations;
    const model = (1000 * r.seconds.model) / r.evaluations;
    return {
      file: r.file,
      loop,
      model,
      bare,
      overhead: loop / bare - 1,
      model_part: model / bare - 1,
      gaps: (loop - model) / bare,
    };
  });
  const m = (key, digits = 1) => round(median(perPhoto.map((p) => p[key])), digits);
  return {
    model: app.model,
    backend: app.info.backend,
    threads: app.info.threads,
    batch: runs[0].batch_size,
    photos: runs.length,
    loop_ms_per_evaluation: m('loop'),
    app_session_run_ms_per_evaluation: m('model'),
    bare_session_run_ms_per_image: m('bare'),
    overhead_fraction: m('overhead', 3),
    of_which_transfer_and_worker_fraction: m('model_part', 3),
    of_which_main_thread_and_frames_fraction: m('gaps', 3),
    per_photo: perPhoto.map((p) => ({
      file: p.file,
      loop_ms_per_evaluation: round(p.loop),
      bare_ms_per_image: round(p.bare),
      overhead_fraction: round(p.overhead, 3),
    })),
  };
}

function browserRows(result) {
  return result.results.map((r) => ({
    model: r.model,
    threads: result.threads,
    batch: r.batch,
    ms_per_image: round(r.ms_per_image),
    session_create_ms: round(r.create_ms),
    runs: r.runs_ms.length,
  }));
}

// Runs bench/<name>.js (the wasm core under node) or the native build's executable; its JSON.
function benchProgram(name, args, native) {
  if (native) {
    const exe = path.join(repoRoot, 'build/native/bench', name);
    return fs.existsSync(exe) ? JSON.parse(execFileSync(exe, args, { encoding: 'utf8', maxBuffer: 2 ** 26 })) : null;
  }
  const js = path.join(wasmBuild, 'bench', `${name}.js`);
  if (!fs.existsSync(js)) throw new Error(`${relative(js)} is missing: run tools/build.sh`);
  return JSON.parse(
    execFileSync(process.execPath, ['--no-experimental-fetch', js, ...args], { encoding: 'utf8', maxBuffer: 2 ** 26 }),
  );
}

function coreSection({ photos, settings, log }, explanations) {
  const masking = (b) =>
    b && {
      implementation: b.implementation,
      photos: b.photos,
      segments_median: b.segments_median,
      slic_ms_per_photo_at_512: round(b.setup_ms_per_photo.slic_at_512, 2),
      masking_setup_ms_per_photo: round(b.setup_ms_per_photo.masking_footprints, 2),
      masking_ms_per_input: round(b.ms_per_masked_input, 3),
    };
  const out = { masking_bench_wasm: masking(benchProgram('masking_bench', photos)) };
  const native = masking(benchProgram('masking_bench', photos, true));
  if (native) out.masking_bench_native = native;
  log(
    `masking_bench: SLIC ${out.masking_bench_wasm.slic_ms_per_photo_at_512} ms, masking ${out.masking_bench_wasm.masking_ms_per_input} ms per input (wasm)`,
  );
  if (settings.slicBench) {
    const s = benchProgram('slic_bench', []);
    out.slic_bench_wasm = {
      implementation: s.implementation,
      photos: s.photos,
      megapixels: round(s.mean_megapixels, 3),
      rows: s.results.map((r) => ({
        n_segments: r.n_segments,
        compactness: r.compactness,
        ms_per_megapixel: round(r.ms_per_megapixel),
      })),
    };
  }
  if (explanations.length) {
    // The app's own set-up per photo in the browser: SLIC at display size and the masking footprints.
    out.app_setup_ms_per_photo = round(median(explanations.map((r) => 1000 * (r.seconds.total - r.seconds.explain))));
  }
  return out;
}

// The app's model file (the site's default card names it), matched to a variant by its target.
function appModel(site, variants) {
  const cardFile = path.join(site, 'models/santa_resnet50.json');
  const file = path.join(site, 'models', JSON.parse(fs.readFileSync(cardFile, 'utf8')).model);
  const real = fs.realpathSync(file);
  return (
    variants.find((v) => fs.realpathSync(v.file) === real) ?? {
      name: relative(real),
      file: real,
      mb: round(fs.statSync(real).size / 2 ** 20),
    }
  );
}

// Calls fn(bare), `bare` measuring bare session.run of the app's model ({threads, batch} -> ms
// per image, in ONNX Runtime's proxy worker) in a Chromium of its own, or null when not wanted.
async function withBareRuns(ctx, wanted, fn) {
  if (!wanted) return fn(null);
  const { site, app, images, imageDims, settings } = ctx;
  const bench = await OrtBrowser.open({ site, models: [app], images });
  try {
    return await fn(
      async ({ threads, batch }) =>
        (
          await bench.measure({
            warmup: settings.warmup,
            runs: settings.runs,
            imageDims,
            threads,
            proxy: true,
            batches: [batch],
          })
        ).results[0].ms_per_image,
    );
  } finally {
    await bench.close();
  }
}

// browser_wasm, webgpu: one Chromium, a fresh page per setting.
async function ortBrowserRuns(ctx, want) {
  const { site, variants, images, imageDims, settings, log } = ctx;
  const bench = await OrtBrowser.open({ site, models: variants, images, webgpu: want.webgpu });
  const out = { rows: [] };
  const names = variants.map((v) => v.name);
  const common = { warmup: settings.warmup, runs: settings.runs, imageDims };
  try {
    out.chromium = await bench.version();
    if (want.browser_wasm) {
      const one = await bench.measure({ ...common, threads: 1, batches: settings.batches, names });
      out.crossOriginIsolated = one.crossOriginIsolated;
      out.hardwareConcurrency = one.hardwareConcurrency;
      const results = [one];
      if (one.hardwareConcurrency > 1)
        results.push(await bench.measure({ ...common, threads: one.hardwareConcurrency, batches: settings.batches, names }));
      for (const r of results) out.rows.push(...browserRows(r));
      for (const r of out.rows) log(`wasm ${r.model}, ${r.threads} thread(s), batch ${r.batch}: ${r.ms_per_image} ms/image`);
    }
    if (want.webgpu) out.webgpu = await webgpuRuns(bench, { ...ctx, common });
    return out;
  } finally {
    await bench.close();
  }
}

// The WebGPU EP on every variant, batch 2 (both input images), against WASM on the same inputs.
async function webgpuRuns(bench, { variants, settings, log, common }) {
  const adapter = await bench.adapter();
  if (adapter.error) return { adapter: null, skipped: adapter.error };
  const out = { adapter, software: adapter.fallback || /swiftshader|llvmpipe|software/i.test(Object.values(adapter).join(' ')) };
  out.app_uses_it = !out.software; // web/ort_session.mjs refuses software adapters
  if (!settings.webgpuTiming)
    return { ...out, skipped: 'timing left out in --quick (on SwiftShader ResNet50 takes 10-60 s an image)' };
  out.rows = [];
  for (const v of variants) {
    const run = async (ep, warmup) =>
      (await bench.measure({ ...common, ep, threads: 1, batches: [2], warmup, runs: 1, names: [v.name] })).results[0];
    const r = await run('webgpu', common.warmup);
    const wasm = (await run('wasm', 0)).outputs;
    const diff = Math.max(...r.outputs.map((x, i) => Math.abs(x - wasm[i])));
    out.rows.push({
      model: v.name,
      batch: 2,
      ms_per_image: round(r.ms_per_image),
      session_create_ms: round(r.create_ms),
      runs: r.runs_ms.length,
      outputs_webgpu: r.outputs.map((x) => Number(x.toPrecision(6))),
      outputs_wasm: wasm.map((x) => Number(x.toPrecision(6))),
      max_abs_diff_vs_wasm: Number(diff.toPrecision(2)),
    });
    log(
      `webgpu (${adapter.architecture || adapter.vendor}) ${v.name}: ${round(r.ms_per_image)} ms/image, outputs within ${diff.toExponential(1)} of WASM`,
    );
  }
  return out;
}

// Runs `fn` for a section; a failure is reported in the section and the bench goes on.
async function guarded(name, log, fn) {
  try {
    return await fn();
  } catch (e) {
    log(`${name}: error: ${e.message}`);
    return { error: e.message.split('\n')[0] };
  }
}

export async function bench(core, options, { log: print = () => {} } = {}) {
  const started = performance.now();
  const log = (message) => print(`bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s: ${message}`);
  const settings = { ...(options.quick ? QUICK : FULL) };
  if (options.runs !== undefined) settings.runs = settings.nodeRuns = options.runs;
  if (options.photos !== undefined) settings.photos = options.photos;
  const only = options.only ?? SECTIONS;
  const want = Object.fromEntries(SECTIONS.map((s) => [s, only.includes(s)]));
  const card = readCard(core);
  const variants = modelVariants(options.models);
  const photos = benchPhotos(card.info.labels, settings.photos);
  const images = inputImages(core, card, UNSURE_PHOTO);
  const site = path.resolve(options.site ?? process.env.SANTA_LENS_SITE ?? path.join(repoRoot, 'build/site'));
  const ctx = { card, variants, photos, images, imageDims: inputDims(card.info, 1).slice(1), settings, site, log };
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, { skipped: 'not asked for (--only)' }]));

  if (want.onnxruntime_node) sections.onnxruntime_node = await guarded('onnxruntime_node', log, () => onnxruntimeNode(ctx));

  const browserSections = ['browser_wasm', 'app_loop', 'latency', 'explanations', 'memory', 'webgpu'].filter((s) => want[s]);
  const missing = browserMissing(site);
  if (missing) for (const s of browserSections) sections[s] = { skipped: missing };
  let app = null;
  let chromium = null;
  if (!missing && (want.app_loop || want.latency || want.explanations || want.memory || want.core)) {
    ctx.app = appModel(site, variants);
    app = await guarded('app', log, () =>
      withBareRuns(ctx, want.app_loop, (bare) =>
        appRuns(ctx, { latency: want.latency, explanations: want.explanations || want.app_loop, bare }),
      ),
    );
    if (app.error) {
      for (const s of ['app_loop', 'latency', 'explanations', 'memory']) if (want[s]) sections[s] = app;
    } else {
      chromium = app.chromium;
      if (want.latency) sections.latency = latencySection(app.latency);
      if (want.explanations) sections.explanations = explanationsSection(app.explanations, app.failed, settings);
      if (want.memory) {
        sections.memory = {
          what:
            "peak resident set (Linux VmHWM) of Chromium's processes after the latency and explanation runs: the renderer " +
            "hosting the app page (main thread, ONNX Runtime's worker and threads, wasm memories, decoded photos), the GPU " +
            "process (WebGL on SwiftShader), the browser; the page's main-thread JS heap now (CDP Performance.getMetrics)",
          renderer_peak_mb: round(app.memory.renderer),
          gpu_process_peak_mb: round(app.memory.gpu),
          browser_process_peak_mb: round(app.memory.browser),
          js_heap_used_mb: round(app.memory.js_heap_used),
          js_heap_total_mb: round(app.memory.js_heap_total),
        };
      }
    }
  }
  if (want.app_loop && app && !app.error) {
    sections.app_loop = app.explanations.length
      ? appLoopSection(app.explanations, { ...app, model: ctx.app.name })
      : { error: 'no explanation finished' };
  }
  if (!missing && (want.browser_wasm || want.webgpu)) {
    const runs = await guarded('browser', log, () => ortBrowserRuns(ctx, want));
    if (runs.error) {
      for (const s of ['browser_wasm', 'webgpu']) if (want[s]) sections[s] = runs;
    } else {
      chromium ??= runs.chromium;
      if (want.browser_wasm)
        sections.browser_wasm = {
          cross_origin_isolated: runs.crossOriginIsolated,
          hardware_concurrency: runs.hardwareConcurrency,
          rows: runs.rows,
        };
      if (want.webgpu) sections.webgpu = runs.webgpu;
    }
  }
  if (want.core) sections.core = await guarded('core', log, () => coreSection(ctx, app?.explanations ?? []));

  return {
    machine: {
      cpu: cpuModel(),
      cores: os.cpus().length,
      node: process.version,
      chromium,
      onnxruntime: ort.env.versions?.common ?? null,
    },
    date: new Date().toISOString(),
    settings: {
      quick: Boolean(options.quick),
      warmup_runs: settings.warmup,
      timed_runs: settings.runs,
      timed_runs_onnxruntime_node: settings.nodeRuns,
      input: [relative(UNSURE_PHOTO), 'the mean image'],
      photos: photos.length,
      budget: settings.budget,
      segments: settings.segments,
      site: relative(site),
    },
    models: variants.map(({ name, mb }) => ({ name, mb })),
    seconds: round((performance.now() - started) / 1000),
    sections,
  };
}

// The report for people: one line per figure.
function printReport(r) {
  const s = r.sections;
  const lines = [
    `santa-lens bench, ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.machine.cpu} (${r.machine.cores} cores), ${r.seconds} s${r.settings.quick ? ', --quick' : ''}`,
  ];
  const skip = (name) =>
    s[name].skipped || s[name].error ? [`${name}: ${s[name].error ? 'error: ' : ''}${s[name].skipped ?? s[name].error}`] : null;
  lines.push(
    ...(skip('onnxruntime_node') ??
      s.onnxruntime_node.rows.map(
        (x) => `onnxruntime-node  ${x.model}  ${x.threads} thread(s)  batch ${x.batch}: ${x.ms_per_image} ms/image`,
      )),
  );
  lines.push(
    ...(skip('browser_wasm') ??
      s.browser_wasm.rows.map(
        (x) => `Chromium WASM     ${x.model}  ${x.threads} thread(s)  batch ${x.batch}: ${x.ms_per_image} ms/image`,
      )),
  );
  const a = s.app_loop;
  lines.push(
    ...(skip('app_loop') ?? [
      `app loop: ${a.loop_ms_per_evaluation} ms per evaluation against ${a.bare_session_run_ms_per_image} ms bare session.run (batch ${a.batch}, ${a.threads} threads): overhead ${round(100 * a.overhead_fraction)}%`,
    ]),
  );
  const l = s.latency;
  lines.push(
    ...(skip('latency') ?? [
      `latency: prediction ${l.drop_to_prediction_ms} ms after the drop, first heatmap ${l.prediction_to_first_heatmap_ms} ms after the prediction (median of ${l.drops})`,
    ]),
  );
  const e = s.explanations;
  lines.push(
    ...(skip('explanations') ?? [
      `explanations: ${e.converged} of ${e.photos} converged within ${e.budget}; median ${e.evaluations_median} evaluations, ${e.seconds_median} s`,
      `  seen from the drop (medians): prediction ${e.prediction_ms_median} ms, first heatmap ${e.first_heatmap_ms_median} ms ` +
        `(${e.first_heatmap_with_prediction} of ${e.photos} from the prediction's run); sign settled on ${Math.round(100 * e.settled_1s_median)}% ` +
        `of the photo at 1 s, ${Math.round(100 * e.settled_5s_median)}% at 5 s, ${Math.round(100 * e.settled_done_median)}% when done at ${e.seconds_to_done_median} s`,
    ]),
  );
  const c = s.core;
  lines.push(
    ...(skip('core') ?? [
      `core: SLIC ${c.masking_bench_wasm.slic_ms_per_photo_at_512} ms per photo at 512 px, masking ${c.masking_bench_wasm.masking_ms_per_input} ms per input (wasm under node)${c.app_setup_ms_per_photo ? `; the app's set-up ${c.app_setup_ms_per_photo} ms per photo` : ''}`,
    ]),
  );
  const m = s.memory;
  lines.push(...(skip('memory') ?? [`memory: renderer peak ${m.renderer_peak_mb} MB, GPU process ${m.gpu_process_peak_mb} MB`]));
  const g = s.webgpu;
  const adapter = g.adapter && `${g.adapter.vendor} ${g.adapter.architecture}${g.software ? ' (software)' : ''}`;
  lines.push(
    ...(g.error || (g.skipped && !g.adapter)
      ? skip('webgpu')
      : g.rows
        ? g.rows.map(
            (x) =>
              `WebGPU ${adapter}  ${x.model}  batch ${x.batch}: ${x.ms_per_image} ms/image, P within ${x.max_abs_diff_vs_wasm} of WASM's`,
          )
        : [`webgpu: ${adapter}; ${g.skipped}`]),
  );
  console.log(lines.join('\n'));
}

export async function benchCommand(args, { log }) {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      quick: { type: 'boolean' },
      models: { type: 'string' },
      photos: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      site: { type: 'string' },
    },
  });
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only ?? [])
    if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
  const photos = numberOption(values.photos, 'photos');
  const runs = numberOption(values.runs, 'runs');
  if (photos !== undefined && !(Number.isInteger(photos) && photos >= 1)) throw new Error('--photos wants a whole number from 1');
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs wants a whole number from 1');
  const report = await bench(await loadCore(), { ...values, only, photos, runs }, { log });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  return Object.values(report.sections).some((s) => s.error) ? 2 : 0;
}
