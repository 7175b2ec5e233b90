// web/sw.js: the service worker. Makes the site work offline after one visit and makes it
// cross-origin isolated (threads for ONNX Runtime) on static hosts that cannot send headers.
//
//   install   caches the small files of precache.json (tools/site_manifest.mjs writes it and
//             stamps VERSION below, so every build installs a fresh worker)
//   fetch     cache first, then the network; what comes from the network is cached too, so the
//             model (95 MB) and ONNX Runtime's wasm are cached by the page's own download,
//             never fetched twice. Every response gets the COOP/COEP headers.
//   activate  drops the caches of older builds; large files stay while their checksum holds
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

// {version, files: [{path, bytes, sha256}]} of this build, from the app cache or the network.
function manifest() {
  manifestPromise ??= caches
    .open(APP_CACHE)
    .then((cache) => cache.match('precache.json'))
    .then((hit) => hit ?? fetch('precache.json', { cache: 'no-cache' }))
    .then((r) => r.json())
    .then((m) => ({ ...m, byUrl: new Map(m.files.map((f) => [new URL(f.path, self.registration.scope).href, f])) }))
    .catch((e) => {
      manifestPromise = null;
      throw e;
    });
  return manifestPromise;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const m = await manifest();
      const cache = await caches.open(APP_CACHE);
      await cache.addAll(['./', 'precache.json', ...m.files.filter((f) => f.bytes <= LARGE).map((f) => f.path)]);
      await self.skipWaiting();
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

// The same response with the isolation headers added.
function isolated(response) {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request) {
  const hit = await caches.match(request, { ignoreSearch: request.mode === 'navigate' });
  if (hit) return isolated(hit);
  const response = await fetch(request);
  if (response.ok && response.status === 200) {
    const key = request.url.split('?')[0];
    const m = await manifest().catch(() => null);
    const entry = m?.byUrl.get(key);
    if (entry) {
      const stamped = new Headers(response.headers);
      stamped.set(HASH_HEADER, entry.sha256);
      const copy = new Response(response.clone().body, { status: 200, headers: stamped });
      const cache = await caches.open(entry.bytes > LARGE ? DATA_CACHE : APP_CACHE);
      cache.put(key, copy).catch(() => {}); // e.g. storage full: still works online
    }
  }
  return isolated(response);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(request));
});
