// tests/e2e/soak.test.mjs: memory and order over many photos in headless Chromium.
//
// Soak: 100 test photos (santa/test and people-extra/test) are classified and explained one
// after the other, each to a small budget (the first estimate from the prediction, then one
// batch of masked photos: every step of an explanation runs, few times). After photos 10 and 100
// the test forces a garbage collection (CDP HeapProfiler.collectGarbage) and reads the page's JS
// heap (CDP Runtime.getHeapUsage), the app's wasm memory and the decode worker's
// (santaLens.stats()); any of them growing by more than 5% from photo 10 to photo 100 fails.
// Every label must be the photo's own: the page decodes with the CLI's decoder, and the CLI labels
// every one of these photos right. Wasm memory never shrinks: it is the most the app (or the
// decoder) ever held, and a larger photo raises it for good. So the first
// 10 photos are the 10 largest (in pixels), the next 89 are spread over all the others, and
// photo 100 is photo 10 again: between the readings memory may only grow by what photos leave
// behind.
//
// Quick succession: 20 photos dropped 30 ms apart. The last one wins (its label on screen, its
// explanation finished), the live regions never name two photos at once nor go back to an older
// photo, and afterwards the model's worker is idle (no run queued or running) and no worker was
// added.
//
//   node --test tests/e2e/soak.test.mjs
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataPath } from '../../tools/cli/data_root.mjs';
import {
  dropFile,
  dropStagedFile,
  explainStatus,
  launchChromium,
  siteMissing,
  stageFile,
  startServer,
  status,
  waitForExplanation,
  waitForModel,
  waitForResult,
} from './page_harness.mjs';

const folders = ['santa/test', 'people-extra/test'].map(dataPath);
const GROWTH = 0.05; // the most any memory may grow from photo 10 to photo 100
const MEMORIES = { jsHeap: 'JS heap', wasm: "the app's wasm memory", decoder: "the decode worker's wasm memory" };

// [{file, label}] of the test photos, by folder, class and name; the label is the class folder.
function testPhotos() {
  const all = [];
  for (const folder of folders.filter(existsSync)) {
    for (const label of readdirSync(folder).sort()) {
      for (const name of readdirSync(join(folder, label)).sort()) {
        if (/\.(jpe?g|png|webp|gif|bmp)$/i.test(name)) all.push({ file: join(folder, label, name), label });
      }
    }
  }
  return all;
}

const photos = testPhotos();
const whySkip = () => siteMissing() || (photos.length < 20 && `fewer than 20 test photos in ${folders.join(', ')}`);
const typeOf = (file) =>
  ({ png: 'image/png', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp' })[file.split('.').pop()] ?? 'image/jpeg';
// Photo i of a run of n, spread over all the test photos (both classes, both folders), cycling.
const pick = (i, n) => photos[Math.floor((i * photos.length) / Math.min(n, photos.length)) % photos.length];

// Width x height from a JPEG's frame header (SOF), or 0 (another format, or none found).
function jpegPixels(bytes) {
  for (let i = 2; i + 9 < bytes.length && bytes[i] === 0xff; i += 2 + bytes.readUInt16BE(i + 2)) {
    const marker = bytes[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return bytes.readUInt16BE(i + 5) * bytes.readUInt16BE(i + 7);
  }
  return 0;
}

// The soak's 100: the 10 largest, 89 others spread over the rest, the 10th again.
function soakPhotos() {
  const bySize = photos.map((p) => ({ ...p, pixels: jpegPixels(readFileSync(p.file)) })).sort((x, y) => y.pixels - x.pixels);
  const rest = bySize.slice(10);
  return [
    ...bySize.slice(0, 10),
    ...Array.from({ length: 89 }, (_, i) => rest[Math.floor((i * rest.length) / 89) % rest.length]),
    bySize[9],
  ];
}

describe('many photos', { skip: whySkip() }, () => {
  let server, url, browser, page, cdp;
  const pageErrors = [];

  before(async () => {
    [browser, { server, url }] = await Promise.all([launchChromium(), startServer()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${url}?budget=8`);
    const ready = await waitForModel(page);
    assert.equal(ready.state, 'ready', ready.text);
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  // MEMORIES' keys, in bytes, after a full garbage collection.
  async function memory() {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const { wasmMemoryBytes, decoderMemoryBytes } = await page.evaluate(() => santaLens.stats());
    return { jsHeap: usedSize, wasm: wasmMemoryBytes, decoder: decoderMemoryBytes };
  }

  test('100 photos explained in a row: JS heap and wasm memory grow by at most 5% from photo 10 to 100', async (t) => {
    const sequence = soakPhotos();
    const n = sequence.length;
    const readings = {};
    const started = performance.now();
    t.diagnostic(
      `largest photo ${(sequence[0].pixels / 1e6).toFixed(1)} MP, photos 10 and ${n} ${(sequence[9].pixels / 1e6).toFixed(1)} MP`,
    );
    for (let i = 1; i <= n; ++i) {
      const { file, label } = sequence[i - 1];
      const name = `soak-${i}-${file.split('/').pop()}`;
      await dropFile(page, name, readFileSync(file), typeOf(file));
      const s = await waitForResult(page, name);
      // A result of another photo, or pixels decoded otherwise than the CLI's, would show here.
      assert.equal(s.label, label, `${file}: ${s.text}`);
      const e = await waitForExplanation(page);
      assert.equal(e.photo, name);
      if (i === 10 || i === n) readings[i] = await memory();
    }
    const seconds = (performance.now() - started) / 1000;
    const mb = (bytes) => (bytes / 2 ** 20).toFixed(2);
    const [first, last] = [readings[10], readings[n]];
    for (const [key, what] of Object.entries(MEMORIES)) {
      const growth = last[key] / first[key] - 1;
      t.diagnostic(
        `${what}: ${mb(first[key])} MB after photo 10, ${mb(last[key])} MB after photo ${n} (${(100 * growth).toFixed(2)}%)`,
      );
    }
    t.diagnostic(`${n} photos in ${seconds.toFixed(0)} s (${((1000 * seconds) / n).toFixed(0)} ms a photo)`);
    const over = Object.keys(MEMORIES).filter((key) => last[key] > first[key] * (1 + GROWTH));
    assert.deepEqual(
      over.map((key) => `${key}: ${first[key]} -> ${last[key]} bytes`),
      [],
    );
  });

  test('20 photos dropped in quick succession: the last one wins, never a mix, no worker left running', async (t) => {
    const n = 20;
    const drops = Array.from({ length: n }, (_, i) => ({ ...pick(i * 7 + 3, photos.length), name: `quick-${i + 1}.jpg` }));
    // The page's standing workers (the model's, the decoder's) are all there once it has shown
    // a photo, whichever tests ran before this one.
    await dropFile(page, 'quick-0.jpg', readFileSync(drops[0].file), typeOf(drops[0].file));
    await waitForResult(page, 'quick-0.jpg');
    await waitForExplanation(page);
    const workersBefore = page.workers().length;
    // The files are made in the page first, so that the drops themselves come 30 ms apart.
    for (const d of drops) await stageFile(page, d.name, readFileSync(d.file), typeOf(d.file), { queue: true });
    // What the live regions said, every time either changed (one snapshot per change, taken
    // after the change's task: what a screen reader or a test would read).
    await page.evaluate(() => {
      globalThis.snapshots = [];
      const take = () => {
        const s = document.getElementById('status');
        const e = document.getElementById('explain-status');
        globalThis.snapshots.push({ status: { ...s.dataset, text: s.textContent }, explain: { ...e.dataset } });
      };
      globalThis.snapshotObserver = new MutationObserver(take);
      for (const id of ['status', 'explain-status'])
        globalThis.snapshotObserver.observe(document.getElementById(id), {
          attributes: true,
          childList: true,
          characterData: true,
          subtree: true,
        });
    });
    const started = performance.now();
    await dropStagedFile(page, { queued: true, gapMs: 30 });
    const last = drops[n - 1];
    const s = await waitForResult(page, last.name);
    const resultMs = performance.now() - started;
    assert.equal(s.label, last.label, s.text);
    const e = await waitForExplanation(page);
    assert.equal(e.photo, last.name);
    t.diagnostic(
      `last photo labelled ${resultMs.toFixed(0)} ms after the first drop; explained after ${e.evaluations} evaluations`,
    );

    const snapshots = await page.evaluate(() => {
      globalThis.snapshotObserver.disconnect();
      return globalThis.snapshots;
    });
    const order = new Map(drops.map((d, i) => [d.name, i]));
    let newest = -1;
    for (const { status: st, explain: ex } of snapshots) {
      if (ex.state !== 'idle') assert.equal(ex.photo, st.photo, `the explanation of ${ex.photo} beside ${st.photo}`);
      const i = order.get(st.photo) ?? -1;
      assert.ok(i >= newest, `${st.photo} shown after ${drops[newest]?.name}`);
      newest = i;
      if (st.state === 'result' && order.has(st.photo)) assert.equal(st.label, drops[i].label, `${st.photo}: ${st.text}`);
    }
    t.diagnostic(
      `${snapshots.length} states of the live regions, photos shown: ${new Set(snapshots.map((x) => x.status.photo)).size}`,
    );

    // Nothing left for the model: no run queued or running, a moment later too, and the same workers.
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => santaLens.stats().modelRuns), 0);
    assert.equal(page.workers().length, workersBefore);
    assert.equal((await explainStatus(page)).state, 'done');
    assert.equal((await status(page)).photo, last.name);
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
