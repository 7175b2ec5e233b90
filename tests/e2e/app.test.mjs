// tests/e2e/app.test.mjs: the browser app end to end: tools/serve.mjs serves build/site,
// Debian's Chromium (headless, via playwright-core; never a downloaded browser) opens it, photos
// are dropped onto the page as files, and the ARIA live regions (#status: the prediction,
// #explain-status: the explanation) must say what the canvas shows; the canvas itself is read
// from screenshots (red and blue heatmap pixels over a grey photo), its controls are clicked (or
// tapped) where the app publishes them (canvas.dataset.layout), and its exports are downloaded.
// Screenshots and exports go to build/e2e/.
//
//   node --test tests/e2e/                          (test.sh runs it after building)
//   SANTA_LENS_SITE=other/site node --test tests/e2e/
//
// Skips, saying why, when the model (the one the card names, linked into the site from assets/), the
// site, Chromium or the test photos are missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { coreModule, loadCore, unwrap } from '../../tools/cli/core.mjs';
import { UNSURE_PHOTO } from '../../tools/cli/bench.mjs';
import { predict } from '../../tools/cli/evaluate.mjs';
import { cutout, personScene } from '../../tools/cli/scenes.mjs';
import { dataPath } from '../../tools/cli/data_root.mjs';
import {
  decodePng,
  dropFile,
  dropStagedFile,
  explainStatus,
  launchChromium,
  layout,
  press,
  root,
  shots,
  siteCard,
  siteMissing,
  stageFile,
  startServer,
  status,
  waitForError,
  waitForExplanation,
  waitForModel,
  waitForResult,
  withRewrittenPage,
} from './page_harness.mjs';
import { figureMismatch } from '../figure_check.mjs';
import { blankPng, gifFrames, webpOf, webpSkip } from '../photo_files.mjs';

const photos = dataPath('santa/test');
const santaPhoto = join(photos, 'santa/00000005.jpg');
const personPhoto = join(photos, 'person/person_009.jpg');
// Explanations in these tests stop after this many model evaluations (the app's default is 512,
// minutes of ResNet50 on a test machine's CPU); every property checked holds at any budget.
const budget = 48;

function whySkip() {
  if (!existsSync(santaPhoto) || !existsSync(personPhoto)) return siteMissing() || `no test photos in ${photos}`;
  return siteMissing();
}

// Counts the pixels of a screenshot of [x, y, w, h] (inset by 6 px, past the rounded corners)
// by colour: red (r > b > g: shap's red (255, 13, 87) over grey), blue (b > g > r: its blue
// (30, 136, 229)), each from an alpha of 5% on, the same for both so that they compare; grey
// (the photo's grey underlay, borders, fainter colour); other (anything the heatmap cannot
// produce: the photo's own colours).
async function pixelClasses(page, [x, y, w, h]) {
  const png = await page.screenshot({ clip: { x: x + 6, y: y + 6, width: w - 12, height: h - 12 } });
  const { data } = await decodePng(page, png);
  const counts = { grey: 0, red: 0, blue: 0, other: 0 };
  for (let i = 0; i < data.length; i += 4) {
    const [r, gr, b] = [data[i], data[i + 1], data[i + 2]];
    if (r >= b && b >= gr - 4 && (r - gr) / 242 > 0.05) counts.red++;
    else if (b >= gr && gr >= r - 4 && (b - r) / 199 > 0.05) counts.blue++;
    else if (Math.max(r, gr, b) - Math.min(r, gr, b) <= 12) counts.grey++;
    else counts.other++;
  }
  const n = data.length / 4;
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n]));
}

describe('browser app', { skip: whySkip() }, () => {
  let server, url, browser, page;
  const pageErrors = [];
  const glErrors = []; // the browser's reports of failed WebGL calls ("WebGL: INVALID_VALUE: ...")

  before(async () => {
    ({ server, url } = await startServer());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (/^WebGL: [A-Z_]+:/.test(m.text())) glErrors.push(m.text());
    });
    // Main-thread tasks over 50 ms (the browser's "long tasks"), from the first script on.
    await page.addInitScript(() => {
      globalThis.longTasks = [];
      new PerformanceObserver((list) => globalThis.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    await page.goto(`${url}?budget=${budget}`);
    mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  test('loads the model and says it is ready', async () => {
    const s = await waitForModel(page);
    assert.equal(s.state, 'ready', s.text);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP headers missing');
  });

  test('labels a photo of Santa as santa', async () => {
    await dropFile(page, 'santa.jpg', readFileSync(santaPhoto), 'image/jpeg');
    const s = await waitForResult(page, 'santa.jpg');
    assert.equal(s.label, 'santa', s.text);
    assert.ok(Number(s.probability) > 0.5, s.text);
    assert.match(s.text, /^Santa — \d+\.\d%$/);
    await page.screenshot({ path: join(shots, 'santa.png') });
  });

  test('labels a photo of a person as person', async () => {
    await dropFile(page, 'person.jpg', readFileSync(personPhoto), 'image/jpeg');
    const s = await waitForResult(page, 'person.jpg');
    assert.equal(s.label, 'person', s.text);
    assert.match(s.text, /^Person — \d+\.\d%$/);
  });

  test('bad files give a message and keep the previous result', async () => {
    const good = await status(page);
    const bad = [
      ['notes.txt', Buffer.from('not a photo\n'), 'text/plain', /not an image/],
      ['empty.jpg', Buffer.alloc(0), 'image/jpeg', /empty \(0 bytes\)/],
      [
        'broken.jpg',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600, 0x5a)]),
        'image/jpeg',
        /not an image|damaged|corrupt JPEG/,
      ],
      ['frames.gif', gifFrames(10001), 'image/gif', /GIF with more than 10000 frames; the limit is 10000/],
    ];
    let previous = good.text;
    for (const [name, bytes, type, message] of bad) {
      await dropFile(page, name, bytes, type);
      const s = await waitForError(page, previous);
      assert.match(s.text, message);
      assert.ok(s.text.includes(name), s.text);
      assert.ok(s.text.includes(`Still showing the previous result: ${good.text}.`), s.text);
      assert.equal(s.photo, good.photo);
      assert.equal(s.label, good.label);
      previous = s.text;
    }
    await page.screenshot({ path: join(shots, 'app.png') });
  });

  // The same WebP file the CLI's test classifies (tests/node/cli.test.mjs): the page and the CLI
  // read the same formats, and give it the same class.
  test('labels a WebP photo of Santa as santa, as the CLI does', { skip: webpSkip }, async (t) => {
    const webp = webpOf(santaPhoto);
    await dropFile(page, 'santa.webp', readFileSync(webp), 'image/webp');
    const s = await waitForResult(page, 'santa.webp');
    assert.equal(s.label, 'santa', s.text);
    if (!existsSync(coreModule)) {
      t.skip('the CLI is not built (build/wasm): run tools/build.sh');
      return;
    }
    const cli = JSON.parse(execFileSync(join(root, 'tools/santa-lens'), ['classify', '--json', webp], { encoding: 'utf8' }))[0];
    assert.equal(s.label, cli.label, `page ${s.text}, CLI ${JSON.stringify(cli)}`);
  });

  // The core reads the size from the header before it decodes anything (the browser's own
  // decoder took the page about 24 s on 400 MP). Both photos are timed from the drop to what
  // the page says, the 1-pixel one once the model is free (an explanation still running would hold it).
  test('a 400 MP PNG is refused, naming its size, in under 1 s more than a 1-pixel photo takes', async (t) => {
    await page.waitForFunction(
      () => !['preparing', 'running'].includes(document.getElementById('explain-status').dataset.state),
      null,
      { timeout: 300_000 },
    );
    await stageFile(page, 'one-pixel.png', blankPng(1, 1), 'image/png');
    let start = performance.now();
    await dropStagedFile(page);
    await waitForResult(page, 'one-pixel.png');
    const onePixelMs = performance.now() - start;
    const good = await status(page);
    await stageFile(page, 'huge.png', blankPng(20000, 20000), 'image/png');
    start = performance.now();
    await dropStagedFile(page);
    const s = await waitForError(page, good.text);
    const hugeMs = performance.now() - start;
    t.diagnostic(`400 MP refused in ${hugeMs.toFixed(0)} ms, 1 pixel labelled in ${onePixelMs.toFixed(0)} ms`);
    assert.match(s.text, /“huge\.png”: image too large: 20000x20000 \(400 MP\); the limit is 64 MP/);
    assert.ok(s.text.includes(`Still showing the previous result: ${good.text}.`), s.text);
    assert.equal(s.photo, good.photo);
    assert.ok(hugeMs < onePixelMs + 1000, `400 MP: ${hugeMs.toFixed(0)} ms, 1 pixel: ${onePixelMs.toFixed(0)} ms`);
  });

  test('runs on WASM with a thread per core (no WebGPU adapter here)', async () => {
    const s = await status(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(s.backend, 'wasm');
    assert.equal(Number(s.threads), Math.min(4, cores));
    assert.match(s.backendNote, /WebGPU/);
  });

  // A plain static host (no COOP/COEP headers) and no service worker to add them: no
  // SharedArrayBuffer, so one WASM thread, and each input is moved to the model's worker
  // instead of shared with it (web/ort_session.mjs).
  test('without cross-origin isolation: one thread, and photos are still labelled and explained', async () => {
    const withoutIsolation = (response) => {
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      return { response, headers };
    };
    await withRewrittenPage(browser, `${url}?budget=16`, '**/*', withoutIsolation, async (plain) => {
      const ready = await waitForModel(plain);
      assert.equal(ready.state, 'ready', ready.text);
      assert.equal(await plain.evaluate(() => crossOriginIsolated), false);
      assert.equal(ready.threads, '1');
      await dropFile(plain, 'plain.jpg', readFileSync(santaPhoto), 'image/jpeg');
      const s = await waitForResult(plain, 'plain.jpg');
      assert.equal(s.label, 'santa', s.text);
      const e = await waitForExplanation(plain);
      assert.equal(Number(e.evaluations), 16, e.text);
    });
  });

  // A model file cut short (a broken download, a full disk while building): the page says
  // which file, why and what to do, and a photo dropped then is shown, unclassified, with a
  // message.
  test('a model file cut short: a clear error naming the file, and photos still open', async () => {
    const cutShort = async (response) => {
      const body = (await response.body()).subarray(0, 2 ** 20);
      return { response, body, headers: { ...response.headers(), 'content-length': String(body.length) } };
    };
    await withRewrittenPage(browser, `${url}?budget=16`, '**/*.onnx', cutShort, async (cut) => {
      const s = await waitForModel(cut);
      assert.equal(s.state, 'model-error', s.text);
      assert.ok(s.text.includes(`could not load ${siteCard().model} (1.0 MB)`), s.text);
      assert.match(s.text, /damaged, cut short.*santa-lens model build/);
      await dropFile(cut, 'after.jpg', readFileSync(santaPhoto), 'image/jpeg');
      const e = await waitForError(cut, s.text);
      assert.match(e.text, /model did not load/);
      await cut.screenshot({ path: join(shots, 'model-cut-short.png') });
    });
  });

  test('works offline after one visit (service worker)', async () => {
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'no service worker controls the page');
    const context = page.context();
    await context.setOffline(true);
    try {
      await page.reload();
      const ready = await waitForModel(page);
      assert.equal(ready.state, 'ready', ready.text);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the cached page lost its COOP/COEP headers');
      await dropFile(page, 'offline.jpg', readFileSync(santaPhoto), 'image/jpeg');
      const s = await waitForResult(page, 'offline.jpg');
      assert.equal(s.label, 'santa', s.text);
      await page.screenshot({ path: join(shots, 'offline.png') });
    } finally {
      await context.setOffline(false);
    }
  });

  // To 1e-3 for a float model. An 8-bit model's integer kernels round differently in each build
  // of ONNX Runtime: measured on person_009.jpg, P(santa) 0.0805 with the Q/DQ nodes run as
  // written, 0.0746 with the fused x86 kernels (the CLI), 0.0724 in the browser's WASM; so 0.01.
  test("the prediction equals the CLI's (santa-lens classify --json) to 1e-3 (float) or 0.01 (8-bit)", async (t) => {
    if (!existsSync(coreModule)) {
      t.skip('the CLI is not built (build/wasm): run tools/build.sh');
      return;
    }
    await dropFile(page, 'person.jpg', readFileSync(personPhoto), 'image/jpeg');
    const s = await waitForResult(page, 'person.jpg');
    const cli = JSON.parse(
      execFileSync(join(root, 'tools/santa-lens'), ['classify', '--json', personPhoto], { encoding: 'utf8' }),
    )[0];
    const pSanta = s.label === 'santa' ? Number(s.probability) : 1 - Number(s.probability);
    assert.equal(s.label, cli.label);
    const card = siteCard();
    const tolerance = card.model === card.provenance?.variants?.int8?.file ? 0.01 : 1e-3;
    assert.ok(Math.abs(pSanta - cli.p_santa) <= tolerance, `app ${pSanta}, CLI ${cli.p_santa}, tolerance ${tolerance}`);
  });

  test('explains the prediction: a heatmap over the grey photo, hatched where unsettled, refining to the end', async () => {
    await dropFile(page, 'santa.jpg', readFileSync(santaPhoto), 'image/jpeg');
    const s = await waitForResult(page, 'santa.jpg');
    // The prediction is there at once; the explanation follows it.
    assert.match((await explainStatus(page)).state, /preparing|running/);
    const e = await waitForExplanation(page);
    assert.equal(Number(e.evaluations), budget);
    assert.ok(Number(e.segments) >= 20, `only ${e.segments} superpixels`);
    assert.equal(e.show, s.label, 'the predicted class is shown first');
    assert.match(e.text, /^Explanation ready after \d+ evaluations\./);
    // Honest about what is not settled: at this small budget part of the photo is hatched, and
    // the live region says how much.
    const settled = Number(e.settled);
    assert.ok(settled >= 0 && settled < 1, `settled ${e.settled}`);
    assert.match(e.text, new RegExp(`settled on ${Math.floor(settled * 100)}% of the photo; hatched regions`));
    assert.ok(['probability', 'log-odds'].includes(e.output), `output ${e.output}`);
    await page.screenshot({ path: join(shots, 'explain-santa.png') });
    const santa = await pixelClasses(page, (await layout(page)).image);
    // The predicted class shows red. (Blue need not: at this budget Owen values have split only
    // the coarsest groups, and every one of them may push towards Santa.)
    assert.ok(santa.red > 0.02, `red ${santa.red}, blue ${santa.blue}`);
    assert.ok(santa.grey > 0.05, `grey ${santa.grey}`);
    assert.ok(santa.other < 0.03, `pixels that are neither grey nor the colour map: ${santa.other}`);

    // The other class, by clicking its button where the app drew it: the same values with the
    // opposite sign (a sigmoid model), so red and blue trade places. The colour map's two halves
    // differ in lightness, so the faintest hatched tints cross pixelClasses' thresholds at
    // slightly different values: a share may move by a few percent of itself.
    await press(page, 'show:person');
    await page.waitForFunction(() => document.getElementById('explain-status').dataset.show === 'person');
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(shots, 'explain-person.png') });
    const person = await pixelClasses(page, (await layout(page)).image);
    const swapped = (a, b) => Math.abs(a - b) < 0.02 + 0.05 * Math.max(a, b);
    assert.ok(
      swapped(person.red, santa.blue) && swapped(person.blue, santa.red),
      `santa ${JSON.stringify(santa)}, person ${JSON.stringify(person)}`,
    );

    // Side by side, with borders, through the page's hook: the photo and a panel per class.
    await page.evaluate(() => santaLens.set({ show: 'all', borders: true }));
    await page.waitForFunction(() => document.getElementById('explain-status').dataset.show === 'all');
    await page.waitForTimeout(200);
    const panels = await layout(page);
    for (const name of ['image:photo', 'image:person', 'image:santa']) assert.ok(panels[name], `no ${name}`);
    await page.screenshot({ path: join(shots, 'explain-side-by-side.png') });
    assert.ok((await pixelClasses(page, panels['image:photo'])).other > 0.2, 'the photo panel shows the photo in colour');
    await page.evaluate(() => santaLens.set({ show: 'santa', borders: false }));
  });

  test('exports the values as JSON (efficiency holds) and the figure as PNG', async () => {
    const [json] = await Promise.all([page.waitForEvent('download'), press(page, 'export:json')]);
    assert.equal(json.suggestedFilename(), 'santa-shap.json');
    await json.saveAs(join(shots, 'santa-shap.json'));
    const r = JSON.parse(readFileSync(join(shots, 'santa-shap.json'), 'utf8'));
    const e = await explainStatus(page);
    assert.deepEqual(r.labels, ['person', 'santa']);
    assert.equal(r.evaluations, Number(e.evaluations));
    assert.equal(r.budget, budget);
    assert.equal(r.file, 'santa.jpg');
    for (const key of [
      'model',
      'segments',
      'phi',
      'std',
      'output',
      'estimator',
      'f_x',
      'f_empty',
      'probabilities',
      'unsettled',
      'settled',
      'off_manifold',
      'exact',
      'convergence',
      'converged',
      'range',
      'tolerance',
      'seed',
      'background',
      'segmentation',
      'seconds',
      'superpixels',
      'figure',
    ])
      assert.ok(key in r, `no ${key} in the JSON`);
    assert.equal(r.output, e.output);
    assert.equal(r.estimator, e.estimator);
    for (let c = 0; c < 2; ++c) {
      assert.equal(r.phi[c].length, r.segments);
      const sum = r.phi[c].reduce((a, b) => a + b, 0);
      assert.ok(
        Math.abs(sum - (r.f_x[c] - r.f_empty[c])) < 1e-4,
        `class ${c}: sum ${sum}, f(x) - f(empty) ${r.f_x[c] - r.f_empty[c]}`,
      );
    }
    // f(x) is the prediction on screen: the explainer feeds the model the same tensor.
    const s = await status(page);
    const pSanta = s.label === 'santa' ? Number(s.probability) : 1 - Number(s.probability);
    assert.ok(Math.abs(r.probabilities[1] - pSanta) < 1e-3);
    const logit = (p) => Math.log(p / (1 - p));
    assert.ok(Math.abs(r.f_x[1] - (r.output === 'log-odds' ? logit(r.probabilities[1]) : r.probabilities[1])) < 1e-6);

    const [png] = await Promise.all([page.waitForEvent('download'), press(page, 'export:png')]);
    assert.equal(png.suggestedFilename(), 'santa-shap.png');
    await png.saveAs(join(shots, 'santa-shap.png'));
    const bytes = readFileSync(join(shots, 'santa-shap.png'));
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    assert.ok(width > 2 * height, `a figure of three panels side by side, not ${width} x ${height}`);

    // The JSON alone draws the same heatmaps as the PNG (santa-lens redraw), where its figure says.
    const { data: rgba } = await decodePng(page, bytes);
    const check = figureMismatch(r, rgba, 4, (await loadCore()).colormapTable());
    assert.deepEqual([check.width, check.height], [width, height]);
    assert.ok(check.share < 0.01, `${(100 * check.share).toFixed(2)}% of the class panels differ from the redrawn JSON`);
  });

  test('the first heatmap comes with the prediction, labelled a first estimate, then refines', async () => {
    await dropFile(page, 'first.jpg', readFileSync(personPhoto), 'image/jpeg');
    await waitForResult(page, 'first.jpg');
    // The prediction's own run (the photo and its fully masked copy) gives the first values: no
    // masked photo has been sent yet when they are drawn.
    await page.waitForFunction(() => Number(document.getElementById('explain-status').dataset.evaluations) > 0, null, {
      timeout: 60_000,
    });
    const first = await explainStatus(page);
    assert.equal(first.estimator, 'amortized');
    assert.equal(Number(first.evaluations), 2, first.text);
    assert.equal(first.firstEstimate, 'true');
    assert.match(first.text, /^First estimate from the prediction/);
    await page.screenshot({ path: join(shots, 'first-estimate.png') });
    const e = await waitForExplanation(page);
    assert.equal(Number(e.evaluations), budget);
    assert.equal(e.firstEstimate, 'false');
  });

  // A file of the site served with its first 4 bytes overwritten (withRewrittenPage).
  const damaged = async (response) => {
    const body = Buffer.from(await response.body());
    body.write('XXXX', 0);
    return { response, body };
  };

  // The explainer's file damaged: the app says there is no first estimate and why, and still
  // explains (from equal shares).
  test('a damaged explainer file: a note, and photos are still explained', async () => {
    await withRewrittenPage(browser, `${url}?budget=16`, '**/santa_explainer.bin', damaged, async (p) => {
      const s = await waitForModel(p);
      assert.equal(s.state, 'ready', s.text);
      await dropFile(p, 'note.jpg', readFileSync(santaPhoto), 'image/jpeg');
      await waitForResult(p, 'note.jpg');
      await p.waitForFunction(() => document.getElementById('explain-status').dataset.state === 'done', null, {
        timeout: 120_000,
      });
      const e = await explainStatus(p);
      assert.equal(Number(e.evaluations), 16);
      assert.match(
        e.explainerNote,
        /^No first estimate from the prediction \(explainer file: not a santa-lens amortized explainer.*\): explanations start from equal shares\.$/,
      );
      await p.screenshot({ path: join(shots, 'explainer-damaged.png') });
    });
  });

  // The decoder's wasm damaged: a photo gets a message that says so, and the page stays usable.
  test('a damaged photo decoder: a clear message, and the page keeps running', async () => {
    await withRewrittenPage(browser, `${url}?budget=16`, '**/santa_lens_decoder.wasm', damaged, async (p) => {
      const s = await waitForModel(p);
      assert.equal(s.state, 'ready', s.text);
      await dropFile(p, 'decoder.jpg', readFileSync(santaPhoto), 'image/jpeg');
      const e = await waitForError(p, s.text);
      assert.match(e.text, /“decoder\.jpg”: the photo decoder did not load \(.*\)/);
    });
  });

  test('Cancel stops the explanation, and a new photo starts its own', async () => {
    await page.evaluate(() => santaLens.set({ budget: 4000 })); // restarts it, long enough to cancel
    // The new run's own batches, not the finished run's count, which stays on screen until the
    // restart reaches the page.
    await page.waitForFunction(
      () => {
        const d = document.getElementById('explain-status').dataset;
        return d.state === 'running' && d.budget === '4000' && Number(d.evaluations) >= 8;
      },
      null,
      { timeout: 120_000 },
    );
    await press(page, 'cancel');
    await page.waitForFunction(() => document.getElementById('explain-status').dataset.state === 'cancelled');
    const stopped = Number((await explainStatus(page)).evaluations);
    await page.waitForTimeout(4000);
    const later = await explainStatus(page);
    assert.equal(later.state, 'cancelled');
    // The batch already running when Cancel came still counts; nothing after it.
    assert.ok(Number(later.evaluations) <= stopped + Number(later.batchSize), `${stopped} then ${later.evaluations}`);
    assert.match(later.text, /^Explanation cancelled after \d+ evaluations\.$/);

    // The settings start it again: the budget and superpixels through the hook, the background
    // by its button...
    await page.evaluate((b) => santaLens.set({ budget: b, segments: 30 }), budget);
    await page.waitForFunction(() => document.getElementById('explain-status').dataset.state !== 'cancelled');
    const other = (await explainStatus(page)).background === 'blur' ? 'mean' : 'blur';
    await press(page, `background:${other}`);
    await page.waitForFunction((b) => document.getElementById('explain-status').dataset.background === b, other);
    // ...and a new photo replaces it.
    await dropFile(page, 'person.jpg', readFileSync(personPhoto), 'image/jpeg');
    await waitForResult(page, 'person.jpg');
    const e = await waitForExplanation(page);
    assert.equal(e.show, 'santa', 'the class the user picked stays');
    assert.equal(Number(e.evaluations), budget);
    assert.ok(Number(e.segments) <= 40, `${e.segments} superpixels for 30 asked`);
    await page.screenshot({ path: join(shots, `explain-person-${other}.png`) });
  });

  test('the page never freezes: no main-thread task over 100 ms while classifying and explaining', async () => {
    await stageFile(page, 'again.jpg', readFileSync(personPhoto), 'image/jpeg');
    await page.evaluate(() => {
      globalThis.longTasks = [];
    });
    await dropStagedFile(page);
    await waitForResult(page, 'again.jpg');
    const e = await waitForExplanation(page);
    await page.waitForTimeout(300);
    const tasks = await page.evaluate(() => globalThis.longTasks);
    assert.ok(
      tasks.every((ms) => ms <= 100),
      `long tasks: ${tasks.map((ms) => ms.toFixed(0)).join(', ')} ms (the app's longest step: ${e.slowestStepMs} ms)`,
    );
  });

  test('on a phone: the layout stacks, taps work, the heatmap is drawn at the device pixel ratio', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const phone = await context.newPage();
      phone.on('pageerror', (e) => pageErrors.push(e.message));
      await phone.goto(`${url}?budget=${budget}`);
      await phone.waitForFunction(() => document.getElementById('status').dataset.state === 'ready', null, { timeout: 180_000 });
      await dropFile(phone, 'santa.jpg', readFileSync(santaPhoto), 'image/jpeg');
      await waitForResult(phone, 'santa.jpg');
      await waitForExplanation(phone);
      const l = await layout(phone);
      assert.ok(l.image[2] >= 300, `the photo takes the phone's width: ${l.image}`);
      assert.ok(l.choose[1] > l.image[1] + l.image[3], 'the card is below the photo');
      await press(phone, 'show:all', { touch: true });
      await phone.waitForFunction(() => document.getElementById('explain-status').dataset.show === 'all');
      await phone.waitForTimeout(200);
      const shot = await phone.screenshot({ path: join(shots, 'phone.png') });
      assert.equal(shot.readUInt32BE(16), 390 * 3, 'a screenshot at three device pixels per CSS pixel');
      assert.ok((await pixelClasses(phone, (await layout(phone))['image:santa'])).red > 0.02);
      // A finger dragged up over the card scrolls the page (Chromium's touch events, via CDP).
      const before = (await layout(phone)).choose[1];
      const cdp = await context.newCDPSession(phone);
      const touch = (type, y) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: 200, y }] });
      await touch('touchStart', 760);
      for (let y = 760; y >= 360; y -= 25) {
        await touch('touchMove', y);
        await phone.waitForTimeout(16); // a frame between moves, as a finger gives them
      }
      await touch('touchEnd');
      await phone.waitForFunction(
        (b) => JSON.parse(document.getElementById('canvas').dataset.layout).choose[1] < b - 200,
        before,
      );
      await phone.screenshot({ path: join(shots, 'phone-scrolled.png') });
    } finally {
      await context.close();
    }
  });

  // Issue 24's failure, as the scenes test makes it: a person (GRAZ 182, never trained on) pasted
  // into a red-lit scene, whom the head trained without the levers called Santa (0.84). The
  // screenshot shows the label and where the heatmap puts the reason.
  const scene = {
    person: { name: '182', photo: dataPath('segmentation/images/182.jpg'), mask: dataPath('segmentation/masks/182.png') },
    background: dataPath('people-extra/test/person/pix_man_model-1504323_1280.jpg'),
  };
  const sceneSkip = [scene.person.photo, scene.person.mask, scene.background].find((f) => !existsSync(f));
  test(
    'a person in red stage light (the scenes test): labelled, explained, screenshot',
    { skip: sceneSkip && `no ${sceneSkip}` },
    async () => {
      const made = unwrap(personScene(await loadCore(), cutout(scene.person), 0, readFileSync(scene.background), 'red'));
      await dropFile(page, 'scene-red-light.jpg', Buffer.from(made.jpeg), 'image/jpeg');
      const s = await waitForResult(page, 'scene-red-light.jpg');
      assert.ok(['person', 'santa'].includes(s.label), s.text);
      const e = await waitForExplanation(page);
      assert.equal(e.state, 'done', e.text);
      await page.screenshot({ path: join(shots, 'scene-red-light.png') });
    },
  );

  test('no uncaught errors in the page, and no failed WebGL calls', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(glErrors, []);
  });
});

// The app on WebGPU: it fetches the card's WebGPU model (model_webgpu: the weights in 8 bits,
// float activations) instead of the WASM one, runs it there, and predicts what the CPU predicts
// with that model (onnxruntime-node, the CLI's runtime) to 1e-3, on a Santa the model is unsure of
// (P(santa) near 0.5), where a wrong result shows. The adapter here is SwiftShader, which the app
// refuses unless the URL asks for WebGPU (?backend=webgpu); a ResNet50 run takes 10-30 s on it,
// so this is one prediction, and the explanation that follows is left unfinished. (`santa-lens
// bench` compares every model on both EPs, WASM and WebGPU, where Chromium has an adapter.)
describe('browser app on WebGPU (SwiftShader, asked for)', { skip: whySkip() }, () => {
  let server, url, browser;

  before(async () => {
    ({ server, url } = await startServer());
    browser = await launchChromium({ webgpu: true });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  test(
    "fetches the card's WebGPU model and predicts on WebGPU what the CPU predicts, to 1e-3",
    { timeout: 600_000 },
    async (t) => {
      if (!existsSync(UNSURE_PHOTO)) {
        t.skip(`no test photo ${UNSURE_PHOTO}`);
        return;
      }
      const card = siteCard();
      const webgpuModel = card.model_webgpu ?? card.model;
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const models = new Set();
      page.on('request', (r) => {
        if (r.url().endsWith('.onnx')) models.add(r.url().split('/').pop());
      });
      await page.goto(`${url}?backend=webgpu&budget=${budget}`);
      const s = await waitForModel(page, 300_000);
      assert.equal(s.state, 'ready', s.text);
      if (s.backend !== 'webgpu') {
        t.skip(`no WebGPU adapter in this Chromium: ${s.backendNote}`);
        return;
      }
      assert.deepEqual([...models], [webgpuModel]);
      await dropFile(page, 'unsure.jpg', readFileSync(UNSURE_PHOTO), 'image/jpeg');
      const r = await waitForResult(page, 'unsure.jpg', 400_000); // 25-75 s measured, shaders compiled first
      assert.equal(r.label, 'santa', r.text);
      await page.screenshot({ path: join(shots, 'webgpu.png') });
      assert.deepEqual(errors, []);

      const item = { file: UNSURE_PHOTO };
      const { results } = await predict(await loadCore(), [item], join(root, 'assets', webgpuModel));
      const cpu = results.get(item).p;
      assert.ok(cpu > 0.05 && cpu < 0.95, `the CPU gives P(santa) ${cpu}: a photo that cannot tell right from wrong`);
      assert.ok(Math.abs(Number(r.probability) - cpu) <= 1e-3, `WebGPU ${r.probability}, CPU ${cpu}`);
    },
  );
});
