// web/sw.js: the service worker. Makes the site work offline after one visit and makes it
// cross-origin isolated (threads for ONNX Runtime) on static hosts that cannot send headers.
//
//   install   fetches the small files of precache.json (tools/site_manifest.mjs writes it and
//             stamps VERSION below, so every build installs a fresh worker), checks each against
//             its SHA-256, and caches them as this build's, all or none: a server caught
//             mid-update (files of two builds) fails the install, and the build running stays.
//             The first worker takes the page at once; a later one waits (see `message`).
//   fetch     this build's cache first, then the network; what comes from the network is cached
//             too once its SHA-256 is checked, so the model (95 MB) and ONNX Runtime's wasm are
//             cached by the page's own download, never fetched twice. A large file this build
//             has not cached, asked for after the server moved to another build, is refused
//             (503) rather than mixed in. Every response gets the COOP/COEP headers.
//   activate  drops the caches of older builds; large files stay while their checksum holds
//   message   {type: 'pages'}: how many pages this worker controls (answered on the port);
//             {type: 'take-over'} to a waiting worker: activate now (web/main.mjs sends it when
//             the only page open reloads, so no open page ever runs files of two builds)
//
// A classic script, not a module: module service workers are newer than some browsers we serve.
const VERSION = '@SITE_VERSION@';
const APP_CACHE = `santa-lens-app-${VERSION}`;
const DATA_CACHE = 'santa-lens-data'; // large files, keyed by URL, stamped with their sha256
const LARGE = 2 * 1024 * 1024; // bytes: larger files are cached when first used
const HASH_HEADER = 'X-Santa-Lens-Sha256';
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

let manifestPromise = null;

const sha256 = async (buffer) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buffer)), (b) => b.toString(16).padStart(2, '0')).join('');

// {version, files: [{path, bytes, sha256}], text} of this build, from the app cache or the network.
function manifest() {
  manifestPromise ??= caches
    .open(APP_CACHE)
    .then((cache) => cache.match('precache.json'))
    .then((hit) => hit ?? fetch('precache.json', { cache: 'no-cache' }))
    .then((r) => r.text())
    .then((text) => {
      const m = JSON.parse(text);
      return { ...m, text, byUrl: new Map(m.files.map((f) => [new URL(f.path, self.registration.scope).href, f])) };
    })
    .catch((e) => {
      manifestPromise = null;
      throw e;
    });
  return manifestPromise;
}

// The response for `file` ({path, sha256}) from the network, its body checked; throws naming the file.
async function fetchChecked(file) {
  const response = await fetch(file.path, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${file.path}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  if ((await sha256(body)) !== file.sha256) throw new Error(`${file.path} is not this build's (SHA-256 differs)`);
  return new Response(body, { status: 200, statusText: response.statusText, headers: response.headers });
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const m = await manifest();
      if (m.version !== VERSION) throw new Error(`precache.json is build ${m.version}, this worker ${VERSION}`);
      const small = m.files.filter((f) => f.bytes <= LARGE);
      const index = small.find((f) => f.path === 'index.html');
      const responses = await Promise.all(small.map(fetchChecked));
      const cache = await caches.open(APP_CACHE);
      try {
        await Promise.all(responses.map((r, i) => cache.put(small[i].path, r)));
        if (index) await cache.put('./', await cache.match('index.html'));
        await cache.put('precache.json', new Response(m.text, { headers: { 'Content-Type': 'application/json' } }));
      } catch (e) {
        await caches.delete(APP_CACHE); // nothing half cached
        throw e;
      }
      if (!self.registration.active) await self.skipWaiting(); // the first build: nothing to mix with
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('santa-lens-app-') && name !== APP_CACHE) await caches.delete(name);
      }
      const m = await manifest();
      const data = await caches.open(DATA_CACHE);
      for (const request of await data.keys()) {
        const hit = await data.match(request);
        if (m.byUrl.get(request.url)?.sha256 !== hit?.headers.get(HASH_HEADER)) await data.delete(request);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const { type } = event.data ?? {};
  if (type === 'take-over') self.skipWaiting(); // a no-op for the active worker
  if (type === 'pages')
    event.waitUntil(self.clients.matchAll({ type: 'window' }).then((all) => event.ports[0]?.postMessage(all.length)));
});

// The same response with the isolation headers added.
function isolated(response) {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// This build's copy of `request`: from its own app cache, or a large file from the data cache
// when its stamp is this build's checksum. null when there is none.
async function cached(request, entry) {
  const hit = await (await caches.open(APP_CACHE)).match(request, { ignoreSearch: request.mode === 'navigate' });
  if (hit || !entry) return hit ?? null;
  const data = await caches.open(DATA_CACHE);
  if (request.cache === 'reload') {
    await data.delete(entry.url); // the page found it damaged (web/ort_session.mjs): fetched anew
    return null;
  }
  const large = await data.match(entry.url);
  return large?.headers.get(HASH_HEADER) === entry.sha256 ? large : null;
}

// Caches a copy of the network's `response` for manifest `entry` once its bytes match the checksum.
async function keep(entry, response) {
  const body = await response.arrayBuffer();
  if ((await sha256(body)) !== entry.sha256) return; // another build's, or damaged on the way
  const headers = new Headers(response.headers);
  headers.set(HASH_HEADER, entry.sha256);
  const cache = await caches.open(entry.bytes > LARGE ? DATA_CACHE : APP_CACHE);
  await cache.put(entry.url, new Response(body, { status: 200, headers }));
}

async function respond(event) {
  const { request } = event;
  const key = request.url.split('?')[0];
  const m = await manifest().catch(() => null);
  const file = m?.byUrl.get(key);
  const entry = file && { ...file, url: key };
  const hit = await cached(request, entry);
  if (hit) return isolated(hit);
  // A file of this build not cached yet: only while the server still serves this build.
  if (entry) {
    const now = await fetch('precache.json', { cache: 'no-cache' })
      .then((r) => r.json())
      .then((site) => site.version)
      .catch(() => VERSION); // offline: the fetch below fails on its own
    if (now !== VERSION) {
      return new Response(`santa-lens was updated while this page was open: reload the page.\n`, {
        status: 503,
        statusText: 'santa-lens was updated: reload the page',
        headers: { 'Content-Type': 'text/plain; charset=utf-8', ...ISOLATION },
      });
    }
  }
  const response = await fetch(request);
  if (entry && response.ok && response.status === 200) {
    event.waitUntil(keep(entry, response.clone()).catch(() => {})); // e.g. storage full: still works online
  }
  return isolated(response);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(event));
});
