// tests/e2e/page_harness.mjs: what the browser tests share: the site they serve, tools/serve.mjs
// on a free port, Debian's Chromium (tools/chromium.mjs), photos dropped onto the page as
// files, and the page's ARIA live regions read and waited for (#status: the prediction,
// #explain-status: the explanation).
//
//   const { server, url } = await startServer();            // or startServer(otherFolder)
//   await dropFile(page, 'santa.jpg', bytes, 'image/jpeg');
//   const s = await waitForResult(page, 'santa.jpg');      // {state, text, photo, label, ...}
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPath } from '../../tools/cli/data_root.mjs';
import { CHROMIUM } from '../../tools/chromium.mjs';

export { CHROMIUM, launchChromium } from '../../tools/chromium.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const site = resolve(process.env.SANTA_LENS_SITE ?? join(root, 'build/site'));
export const shots = join(root, 'build/e2e');
// A test photo of Santa that the model labels santa.
export const santaPhoto = join(dataPath('santa/test'), 'santa/00000005.jpg');

// The site's model card (JSON).
export const siteCard = () => JSON.parse(readFileSync(join(site, 'models/santa_resnet50.json'), 'utf8'));

// Why the site cannot be tested (a sentence), or false: no site, no model, no Chromium.
export function siteMissing() {
  if (!existsSync(join(site, 'index.html'))) return `no site in ${site}: run tools/build.sh`;
  const model = siteCard().model;
  if (!existsSync(join(site, 'models', model))) return `no model: run ./tools/santa-lens model build (assets/${model})`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}: run tools/setup.sh`;
  return false;
}

// Starts tools/serve.mjs on a free port, serving `folder`; resolves to {server, url}.
export function startServer(folder = site) {
  return new Promise((resolveStart, reject) => {
    const server = spawn(process.execPath, [join(root, 'tools/serve.mjs'), '0', folder], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
// In two steps: making the File in the page (decoding the bytes sent to it is the test's own
// work, tens of milliseconds for a photo), then the drop.
export async function stageFile(page, name, bytes, type, { queue = false } = {}) {
  await page.evaluate(
    ({ name, base64, type, queue }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      globalThis.stagedFile = new File([data], name, { type });
      if (queue) (globalThis.stagedFiles ??= []).push(globalThis.stagedFile);
    },
    { name, base64: Buffer.from(bytes).toString('base64'), type, queue },
  );
}

// Drops the file staged last; `queued`: instead, every file staged with {queue: true}, in turn,
// `gapMs` apart (a user dropping photo after photo).
export async function dropStagedFile(page, { queued = false, gapMs = 0 } = {}) {
  await page.evaluate(
    async ({ queued, gapMs }) => {
      const files = queued ? globalThis.stagedFiles.splice(0) : [globalThis.stagedFile];
      for (const file of files) {
        const transfer = new DataTransfer();
        transfer.items.add(file);
        const target = document.getElementById('canvas');
        for (const kind of ['dragenter', 'dragover', 'drop'])
          target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
    },
    { queued, gapMs },
  );
}

export async function dropFile(page, name, bytes, type) {
  await stageFile(page, name, bytes, type);
  await dropStagedFile(page);
}

// The live region: {state, text, photo, label, probability}.
export const status = (page) =>
  page.evaluate(() => {
    const s = document.getElementById('status');
    return { ...s.dataset, text: s.textContent };
  });

// Waits until the live region shows a result for photo `name`.
export async function waitForResult(page, name, timeout = 120_000) {
  await page.waitForFunction(
    (name) => {
      const s = document.getElementById('status').dataset;
      return s.state === 'result' && s.photo === name;
    },
    name,
    { timeout },
  );
  return status(page);
}

// The explanation's live region: {state, text, evaluations, budget, show, ...}.
export const explainStatus = (page) =>
  page.evaluate(() => {
    const s = document.getElementById('explain-status');
    return { ...s.dataset, text: s.textContent };
  });

// Waits until the explanation of the photo on screen is done (the budget spent or converged).
export async function waitForExplanation(page) {
  await page.waitForFunction(() => ['done', 'error'].includes(document.getElementById('explain-status').dataset.state), null, {
    timeout: 300_000,
  });
  const s = await explainStatus(page);
  assert.equal(s.state, 'done', s.text);
  return s;
}

// Where the canvas draws what: {name: [x, y, w, h]} in CSS pixels (wasm/ui.h: Target).
export const layout = async (page) =>
  JSON.parse(await page.evaluate(() => document.getElementById('canvas').dataset.layout ?? '{}'));

// Clicks (or taps) the middle of a published target.
export async function press(page, name, { touch = false } = {}) {
  const rect = (await layout(page))[name];
  assert.ok(rect, `no ${name} on the canvas`);
  const [x, y, w, h] = rect;
  if (touch) await page.touchscreen.tap(x + w / 2, y + h / 2);
  else await page.mouse.click(x + w / 2, y + h / 2);
}

// Waits until the live region shows an error other than `previousText`.
export async function waitForError(page, previousText) {
  await page.waitForFunction(
    (previous) => {
      const s = document.getElementById('status');
      return s.dataset.state === 'error' && s.textContent !== previous;
    },
    previousText,
    { timeout: 30_000 },
  );
  return status(page);
}

// Waits until the page has its model or says why not (ready, model-error, fatal); the live region.
export async function waitForModel(page, timeout = 180_000) {
  await page.waitForFunction(
    () => ['ready', 'model-error', 'fatal'].includes(document.getElementById('status').dataset.state),
    null,
    { timeout },
  );
  return status(page);
}

// Runs fn(page) on `url` in a browser context of its own, without a service worker (it would
// add headers and cache what the test changes), the responses for `glob` changed by
// rewrite(response) -> route.fulfill options.
export async function withRewrittenPage(browser, url, glob, rewrite, fn) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
  try {
    await context.route(glob, async (route) => route.fulfill(await rewrite(await route.fetch())));
    const page = await context.newPage();
    await page.goto(url);
    return await fn(page);
  } finally {
    await context.close();
  }
}

// Drops santaPhoto as `name`; resolves once it is labelled santa and its explanation is done.
export async function classifySanta(page, name) {
  await dropFile(page, name, readFileSync(santaPhoto), 'image/jpeg');
  const s = await waitForResult(page, name);
  assert.equal(s.label, 'santa', s.text);
  return waitForExplanation(page);
}

// Why a test that drops santaPhoto cannot run, or false.
export const santaMissing = () => siteMissing() || (!existsSync(santaPhoto) && `no test photo ${santaPhoto}`);

// The pixels of PNG bytes as the page's own decoder reads them: {width, height, data (RGBA)}.
// From the bytes, not a data: URL: the page's Content-Security-Policy allows fetches to its own
// origin only.
export function decodePng(page, png) {
  return page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]));
    const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    g.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, data: [...g.getImageData(0, 0, bitmap.width, bitmap.height).data] };
  }, Buffer.from(png).toString('base64'));
}
