#!/usr/bin/env node
// tools/serve.mjs: serves the static site (build/site) on 127.0.0.1, with the headers that make
// the page cross-origin isolated (so ONNX Runtime Web may use threads) and its
// Content-Security-Policy (docs/hosting.md: what a static host must send). No dependencies.
//
//   node tools/serve.mjs [port] [folder]      defaults: 8080, build/site
//
// GET and HEAD only; whole files, streamed (no ranges), 304 for If-Modified-Since; paths are resolved inside the folder
// (no ../ escapes). Links the build put in the folder are followed (the model is a link to
// assets/). Prints "serving http://127.0.0.1:PORT/" once listening; port 0 picks a free one.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[3] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'site'));
const port = Number(process.argv[2] ?? 8080);

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

// Everything the page loads is its own: scripts only from files (no inline script, no eval), wasm
// compiled where a script needs it (the page: the app; the model's worker and ONNX Runtime's
// threads: ONNX Runtime), fetches and workers to this origin alone, no plugins, frames or forms.
const policy = (wasm) =>
  [
    "default-src 'none'",
    `script-src 'self'${wasm ? " 'wasm-unsafe-eval'" : ''}`,
    "worker-src 'self'",
    "connect-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
// The service worker compiles no wasm: it gets the policy without 'wasm-unsafe-eval'.
const csp = (file) => ({ 'Content-Security-Policy': policy(file.split(sep).pop() !== 'sw.js') });

function send(res, status, text) {
  res.writeHead(status, {
    ...isolation,
    ...csp(''),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

// The file for a URL path, or null when the path would leave `root`.
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return null;
  return path.endsWith('/') ? join(file, 'index.html') : file;
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed\n');
  }
  let file = fileFor(req.url ?? '/');
  if (!file) return send(res, 403, 'forbidden\n');
  let info = await stat(file, { bigint: true }).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file, { bigint: true }).catch(() => null);
  }
  if (!info?.isFile()) return send(res, 404, 'not found\n');

  // Revalidation (Cache-Control: no-cache) costs a 304, not the 95 MB model again. The ETag (size
  // and mtime to the nanosecond) decides where the browser sends one: Last-Modified has whole
  // seconds, and two builds within a second would look the same (the service worker would never
  // see the second).
  const etag = `"${info.size.toString(16)}-${info.mtimeNs.toString(16)}"`;
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  const match = req.headers['if-none-match'];
  if (match ? match === etag : since >= Math.floor(Number(info.mtimeMs) / 1000) * 1000) {
    res.writeHead(304, { ...isolation, ...csp(file), ETag: etag, 'Last-Modified': info.mtime.toUTCString() });
    return res.end();
  }
  res.writeHead(200, {
    ...isolation,
    ...csp(file),
    'Content-Type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'Cache-Control': 'no-cache',
    ETag: etag,
    'Last-Modified': info.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') return res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`serving http://127.0.0.1:${server.address().port}/ from ${root}`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
