// tests/e2e/app.test.mjs: the browser app end to end: tools/serve.mjs serves build/site,
// Debian's Chromium (headless, via playwright-core; never a downloaded browser) opens it, photos
// are dropped onto the page as files, and the ARIA live region (#status) must say what the
// canvas shows. Screenshots go to build/e2e/.
//
//   node --test tests/e2e/                          (test.sh runs it after building)
//   SANTA_LENS_SITE=other/site node --test tests/e2e/
//
// Skips, saying why, when the model (assets/santa_resnet50.onnx, linked into the site), the
// site, Chromium or the test photos are missing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const site = resolve(process.env.SANTA_LENS_SITE ?? join(root, 'build/site'));
const photos = resolve(root, '../shared/data/santa/test');
const shots = join(root, 'build/e2e');
const chromiumPath = '/usr/bin/chromium';
const santaPhoto = join(photos, 'santa/00000005.jpg');
const personPhoto = join(photos, 'person/person_009.jpg');

function whySkip() {
  if (!existsSync(join(site, 'index.html'))) return `no site in ${site}: run tools/build.sh`;
  if (!existsSync(join(site, 'models/santa_resnet50.onnx')))
    return 'no model: run ./tools/santa-lens model build (assets/santa_resnet50.onnx)';
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath}: run tools/setup.sh`;
  if (!existsSync(santaPhoto) || !existsSync(personPhoto)) return `no test photos in ${photos}`;
  return false;
}

// Starts tools/serve.mjs on a free port; resolves to {server, url}.
function startServer() {
  return new Promise((resolveStart, reject) => {
    const server = spawn(process.execPath, [join(root, 'tools/serve.mjs'), '0', site], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolveStart({ server, url: m[1] });
    });
    server.on('exit', (code) => reject(new Error(`tools/serve.mjs exited (${code}): ${out}`)));
  });
}

// Drops a file onto the page as a user would: dragenter, dragover, drop with a DataTransfer.
async function dropFile(page, name, bytes, type) {
  await page.evaluate(({ name, base64, type }) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], name, { type }));
    const target = document.getElementById('canvas');
    for (const kind of ['dragenter', 'dragover', 'drop'])
      target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, { name, base64: Buffer.from(bytes).toString('base64'), type });
}

// The live region: {state, text, photo, label, probability}.
const status = (page) => page.evaluate(() => {
  const s = document.getElementById('status');
  return { ...s.dataset, text: s.textContent };
});

// Waits until the live region shows a result for photo `name`.
async function waitForResult(page, name) {
  await page.waitForFunction((name) => {
    const s = document.getElementById('status').dataset;
    return s.state === 'result' && s.photo === name;
  }, name, { timeout: 120_000 });
  return status(page);
}

// Waits until the live region shows an error other than `previousText`.
async function waitForError(page, previousText) {
  await page.waitForFunction((previous) => {
    const s = document.getElementById('status');
    return s.dataset.state === 'error' && s.textContent !== previous;
  }, previousText, { timeout: 30_000 });
  return status(page);
}

describe('browser app', { skip: whySkip() }, () => {
  let server, url, browser, page;
  const pageErrors = [];

  before(async () => {
    ({ server, url } = await startServer());
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Main-thread tasks over 50 ms (the browser's "long tasks"), from the first script on.
    await page.addInitScript(() => {
      globalThis.longTasks = [];
      new PerformanceObserver((list) => globalThis.longTasks.push(...list.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url);
    mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  test('loads the model and says it is ready', async () => {
    await page.waitForFunction(() => ['ready', 'model-error'].includes(document.getElementById('status').dataset.state),
      null, { timeout: 180_000 });
    const s = await status(page);
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
      ['broken.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600, 0x5a)]), 'image/jpeg',
        /not an image|damaged/],
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

  test('runs on WASM with a thread per core (no WebGPU adapter here)', async () => {
    const s = await status(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(s.backend, 'wasm');
    assert.equal(Number(s.threads), Math.min(4, cores));
    assert.match(s.backendNote, /WebGPU/);
  });

  test('works offline after one visit (service worker)', async () => {
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'no service worker controls the page');
    const context = page.context();
    await context.setOffline(true);
    try {
      await page.reload();
      await page.waitForFunction(() => ['ready', 'model-error', 'fatal'].includes(document.getElementById('status').dataset.state),
        null, { timeout: 180_000 });
      assert.equal((await status(page)).state, 'ready', (await status(page)).text);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the cached page lost its COOP/COEP headers');
      await dropFile(page, 'offline.jpg', readFileSync(santaPhoto), 'image/jpeg');
      const s = await waitForResult(page, 'offline.jpg');
      assert.equal(s.label, 'santa', s.text);
      await page.screenshot({ path: join(shots, 'offline.png') });
    } finally {
      await context.setOffline(false);
    }
  });

  test('the page never freezes: no main-thread task over 100 ms after the model is ready', async () => {
    await page.evaluate(() => { globalThis.longTasks = []; });
    await dropFile(page, 'again.jpg', readFileSync(personPhoto), 'image/jpeg');
    await waitForResult(page, 'again.jpg');
    await page.waitForTimeout(300);
    const tasks = await page.evaluate(() => globalThis.longTasks);
    assert.ok(tasks.every((ms) => ms <= 100), `long tasks: ${tasks.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
