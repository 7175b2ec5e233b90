// tests/e2e/csp.test.mjs: the page under tools/serve.mjs's Content-Security-Policy: a photo is
// classified and explained, first from the network, then again from the service worker's cache
// (which keeps the headers), and the test fails on any CSP violation (the page's
// securitypolicyviolation events, the browser's "Refused to ..." console reports, from the page
// and its workers) and on any request that leaves the page's own origin.
//
//   node --test tests/e2e/csp.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { classifySanta, launchChromium, santaMissing, startServer, waitForModel } from './page_harness.mjs';

describe('Content-Security-Policy', { skip: santaMissing() }, () => {
  let server, url, browser, context, page;
  const violations = []; // what the page and its workers reported
  const foreign = []; // requests to another origin

  before(async () => {
    ({ server, url } = await startServer());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const origin = new URL(url).origin;
    // Pages, their workers and the service worker: blob: URLs carry their creator's origin.
    const check = (request) => {
      const u = request.url();
      const from = u.startsWith('blob:') ? new URL(u.slice(5)).origin : new URL(u).origin;
      if (from !== origin) foreign.push(u.slice(0, 120));
    };
    context.on('request', check);
    context.on('serviceworker', (worker) => worker.on('console', (m) => report(`service worker: ${m.text()}`)));
    const report = (text) => {
      if (/Content.Security.Policy|Refused to/i.test(text)) violations.push(text);
    };
    page = await context.newPage();
    page.on('console', (m) => report(m.text()));
    page.on('worker', (w) => w.on('console', (m) => report(`worker: ${m.text()}`)));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(
          `Content-Security-Policy violation: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
        ),
      );
    });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  // The policy on the page itself: a page without one would pass every other check here.
  const checkPolicy = (response) => {
    const csp = response.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, csp);
    assert.match(csp, /default-src 'none'/, csp);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|\*/, csp);
    assert.equal(response.headers()['cross-origin-embedder-policy'], 'require-corp');
  };

  for (const [name, from] of [
    ['csp-network.jpg', 'the network'],
    ['csp-cache.jpg', "the service worker's cache"],
  ]) {
    test(`a photo is classified and explained from ${from} with no violation and no request elsewhere`, async () => {
      const response = name === 'csp-network.jpg' ? await page.goto(`${url}?budget=8`) : await page.reload();
      checkPolicy(response);
      if (name === 'csp-cache.jpg') assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null));
      const ready = await waitForModel(page);
      assert.deepEqual(violations, []);
      assert.equal(ready.state, 'ready', ready.text);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await classifySanta(page, name);
      assert.deepEqual(violations, []);
      assert.deepEqual(foreign, []);
    });
  }
});
