// tests/e2e/update.test.mjs: updates and integrity under the service worker (web/sw.js): two
// builds of the site, A and B (copies of build/site, each stamped with its letter in index.html
// and main.mjs, with their own precache.json and sw.js from tools/site_manifest.mjs), served one
// after the other from the same address. The page caches A; the server moves to B and the
// worker installs B beside A; an open page, and a page opened then, still run A with no file of
// B; a reload takes B; offline, B still runs. Then the cached model is damaged on purpose: the
// page refuses it (its SHA-256 is not the card's) and fetches it again, or, offline, says so
// and works again once online.
//
//   node --test tests/e2e/update.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { classifySanta, launchChromium, root, santaMissing, site, siteCard, startServer, waitForModel } from './page_harness.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const DATA_CACHE = 'santa-lens-data'; // web/sw.js: where the worker keeps large files (the model)

// A copy of the site marked `letter` (links kept: the models stay links to assets/), with its
// own file list and worker; {dir, files: Map path -> sha256, version}.
function makeBuild(dir, letter) {
  cpSync(site, dir, { recursive: true, verbatimSymlinks: true });
  const index = join(dir, 'index.html');
  writeFileSync(
    index,
    readFileSync(index, 'utf8').replace('<meta charset="utf-8">', `$&\n  <meta name="build" content="${letter}">`),
  );
  writeFileSync(
    join(dir, 'main.mjs'),
    `${readFileSync(join(dir, 'main.mjs'), 'utf8')}\ndocument.documentElement.dataset.build = '${letter}';\n`,
  );
  execFileSync(process.execPath, [join(root, 'tools/site_manifest.mjs'), dir, join(root, 'web/sw.js')]);
  const manifest = JSON.parse(readFileSync(join(dir, 'precache.json'), 'utf8'));
  return { dir, version: manifest.version, files: new Map(manifest.files.map((f) => [f.path, f.sha256])) };
}

// The build a page runs: its index.html's mark and its main.mjs's, which must agree.
async function buildOf(page) {
  await page.waitForFunction(() => document.documentElement.dataset.build, null, { timeout: 60_000 });
  return page.evaluate(() => {
    const index = document.querySelector('meta[name=build]')?.content;
    const script = document.documentElement.dataset.build;
    return index === script ? index : `index.html ${index}, main.mjs ${script}`;
  });
}

// What a page shows and what its service worker registration holds, for a failure's message.
const pageState = (page) =>
  page
    .evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const status = document.getElementById('status');
      return {
        url: location.href,
        build: document.documentElement.dataset.build,
        status: [status?.dataset.state, status?.textContent],
        boot: document.getElementById('boot')?.textContent,
        workers: ['installing', 'waiting', 'active'].map((w) => `${w}: ${registration?.[w]?.state ?? '-'}`),
        controlled: Boolean(navigator.serviceWorker.controller),
      };
    })
    .catch((e) => `unreadable (${e.message})`);

describe('updates and integrity (service worker)', { skip: santaMissing() }, () => {
  let tmp, a, b, server, url, browser, context, p1;
  // What each page was served, per document it loaded (its workers' files included): a list of
  // promises of [path, sha256 of the body] (read at once: a body is gone once the page moves on).
  const documents = new Map();
  // [path, sha256 of the response's body], or null when the browser no longer has the body (the
  // page moved on before it was read); a body that never comes fails the test instead of hanging it.
  const bodyHash = (response, path) => {
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${path}: no body after 60 s`)), 60_000);
    });
    const body = response.body().then(
      (bytes) => [path, sha256(bytes)],
      () => null,
    );
    return Promise.race([body, late]).finally(() => clearTimeout(timer));
  };
  const record = (page) => {
    documents.set(page, []);
    page.on('response', (r) => {
      const docs = documents.get(page);
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) docs.push([]);
      const path = new URL(r.url()).pathname.slice(1) || 'index.html';
      // The models are checked by their own SHA-256 in the page; their bodies (tens of MB, read
      // through the worker) are not read here. A body that never comes fails the test, not hangs it.
      const read = r.status() === 200 && !path.startsWith('models/') && !path.endsWith('.onnx');
      docs.at(-1)?.push(read ? bodyHash(r, path) : null);
    });
  };
  const name = (build) => (build === a ? 'A' : 'B');
  // Every document `page` loaded ran the files of one build alone (files the same in both count for
  // either), and the last one ran `build`'s (either, when `build` is null).
  async function assertServedFrom(page, build) {
    const docs = await Promise.all(documents.get(page).map((d) => Promise.all(d)));
    docs.forEach((files, i) => {
      files = files.filter(Boolean);
      const [, index] = files.find(([path]) => path === 'index.html') ?? [];
      const own = [a, b].find((x) => x.files.get('index.html') === index);
      assert.ok(own, `document ${i + 1}: an index.html of neither build`);
      const mixed = files.filter(([path, hash]) => own.files.has(path) && own.files.get(path) !== hash);
      assert.deepEqual(mixed, [], `document ${i + 1} (build ${name(own)}): files of the other build`);
      if (build && i === docs.length - 1) assert.equal(name(own), name(build), 'the last document');
    });
  }
  const modelPath = () => `models/${siteCard().model}`;
  // The worker caches the model once the page's download is checked, in the background.
  const modelCached = () =>
    p1.waitForFunction(
      async ([cache, path]) => Boolean(await (await caches.open(cache)).match(new URL(path, location.href).href)),
      [DATA_CACHE, modelPath()],
      { timeout: 60_000, polling: 500 },
    );

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'santa-lens-update-'));
    a = makeBuild(join(tmp, 'A'), 'A');
    b = makeBuild(join(tmp, 'B'), 'B');
    symlinkSync(a.dir, join(tmp, 'current'));
    ({ server, url } = await startServer(join(tmp, 'current')));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    p1 = await context.newPage();
    record(p1);
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('build A runs and is cached, the model too', async () => {
    await p1.goto(`${url}?budget=8`);
    assert.equal(await buildOf(p1), 'A');
    const ready = await waitForModel(p1);
    assert.equal(ready.state, 'ready', ready.text);
    await classifySanta(p1, 'a.jpg');
    await modelCached();
    await assertServedFrom(p1, a);
  });

  test('the server moves to B: B installs and waits; the open page and a new one run A, with no file of B', async () => {
    symlinkSync(b.dir, join(tmp, 'next'));
    renameSync(join(tmp, 'next'), join(tmp, 'current'));
    const waiting = await p1.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update();
      const worker = registration.installing ?? registration.waiting;
      if (worker && worker.state !== 'installed')
        await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state !== 'installing' && resolve()));
      return registration.waiting?.state ?? 'none';
    });
    assert.equal(waiting, 'installed', 'build B did not install beside A');
    await classifySanta(p1, 'a-still.jpg');
    assert.equal(await buildOf(p1), 'A');

    const p2 = await context.newPage();
    record(p2);
    try {
      await p2.goto(`${url}?budget=8`);
      assert.equal(await buildOf(p2), 'A', 'a page opened beside an open page of A runs A');
      const ready = await waitForModel(p2);
      assert.equal(ready.state, 'ready', ready.text);
      await classifySanta(p2, 'a-second-page.jpg');
      await assertServedFrom(p2, a);
    } finally {
      await p2.close();
    }
    await assertServedFrom(p1, a);
  });

  test('a reload of the only page open runs B', async (t) => {
    // The worker counts the pages it controls; a page just closed may still count for a moment.
    await p1.waitForFunction(
      () =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = ({ data }) => resolve(data === 1);
          navigator.serviceWorker.controller?.postMessage({ type: 'pages' }, [channel.port2]);
          setTimeout(() => resolve(false), 1000); // no answer: ask again
        }),
      null,
      { timeout: 30_000, polling: 250 },
    );
    await p1.reload();
    // The page waits for B to activate, and reloads under it. Chromium may hold the activation;
    // then, after its wait, the page runs A whole (and loads again under B, should B activate
    // before a photo is dropped), and B takes the next visit once the page is closed.
    const build = await p1
      .waitForFunction(
        () => document.documentElement.dataset.build === 'B' || document.getElementById('status')?.dataset.state === 'ready',
        null,
        { timeout: 60_000 },
      )
      .catch(async (e) => assert.fail(`${e.message}\nthe page: ${JSON.stringify(await pageState(p1))}`))
      .then(() => buildOf(p1));
    if (build === 'A') {
      t.diagnostic('the browser held B: the page ran A whole; closed, and opened again');
      await assertServedFrom(p1, null);
      await p1.close();
      p1 = await context.newPage();
      record(p1);
      await p1.goto(`${url}?budget=8`);
    }
    await p1.waitForFunction(() => document.documentElement.dataset.build === 'B', null, { timeout: 60_000 });
    assert.equal(await buildOf(p1), 'B');
    const ready = await waitForModel(p1);
    assert.equal(ready.state, 'ready', ready.text);
    await classifySanta(p1, 'b.jpg');
    const caches = await p1.evaluate(() => caches.keys());
    assert.deepEqual(
      caches.filter((c) => c.startsWith('santa-lens-app-')),
      [`santa-lens-app-${b.version}`],
    );
    await assertServedFrom(p1, b);
  });

  test('offline, B runs', async () => {
    await context.setOffline(true);
    try {
      await p1.reload();
      assert.equal(await buildOf(p1), 'B');
      const ready = await waitForModel(p1);
      assert.equal(ready.state, 'ready', ready.text);
      await classifySanta(p1, 'b-offline.jpg');
      await assertServedFrom(p1, b);
    } finally {
      await context.setOffline(false);
    }
  });

  // A disk or the browser damages the cached model: one byte flipped, the worker's stamp intact.
  const damageCachedModel = () =>
    p1.evaluate(
      async ([name, path]) => {
        const cache = await caches.open(name);
        const key = new URL(path, location.href).href;
        const hit = await cache.match(key);
        const bytes = new Uint8Array(await hit.arrayBuffer());
        bytes[bytes.length >> 1] ^= 0xff;
        await cache.put(key, new Response(bytes, { headers: hit.headers }));
      },
      [DATA_CACHE, modelPath()],
    );
  const cachedModelSha = () =>
    p1.evaluate(
      async ([name, path]) => {
        const hit = await (await caches.open(name)).match(new URL(path, location.href).href);
        if (!hit) return 'none';
        const digest = await crypto.subtle.digest('SHA-256', await hit.arrayBuffer());
        return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
      },
      [DATA_CACHE, modelPath()],
    );

  test('a damaged cached model is refused, with a note, and fetched again', async () => {
    const good = b.files.get(modelPath());
    await damageCachedModel();
    assert.notEqual(await cachedModelSha(), good);
    await p1.reload();
    const ready = await waitForModel(p1);
    assert.equal(ready.state, 'ready', ready.text);
    assert.match(
      ready.modelNote ?? '',
      /copy of the model .* that was read was damaged \(SHA-256 .*\) and was refused; downloading it again/,
    );
    await classifySanta(p1, 'b-refetched.jpg');
    await modelCached();
    assert.equal(await cachedModelSha(), good, 'the cache holds the good copy again');
  });

  test('offline, a damaged cached model: a clear error; online again, it is fetched and runs', async () => {
    await damageCachedModel();
    await context.setOffline(true);
    try {
      await p1.reload();
      const s = await waitForModel(p1);
      assert.equal(s.state, 'model-error', s.text);
      assert.match(s.text, new RegExp(`copy of the model ${siteCard().model} is damaged.*refused.*Reload the page when online`));
    } finally {
      await context.setOffline(false);
    }
    await p1.reload();
    const ready = await waitForModel(p1);
    assert.equal(ready.state, 'ready', ready.text);
    await classifySanta(p1, 'b-online-again.jpg');
  });
});
