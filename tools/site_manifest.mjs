#!/usr/bin/env node
// tools/site_manifest.mjs: writes the service worker's list of the site's files and stamps the
// worker with this build's version (web/sw.js reads both). Run by wasm/app/CMakeLists.txt after the
// site is assembled.
//
//   node tools/site_manifest.mjs SITE_DIR SW_TEMPLATE
//     SITE_DIR/precache.json  {version, files: [{path, bytes, sha256}]}, paths relative to the site
//     SITE_DIR/sw.js          SW_TEMPLATE with @SITE_VERSION@ replaced by the version
//
// Links are followed (the model is a link to assets/); a dangling link (the model not built yet)
// is left out, so the site still works online.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const [site, template] = process.argv.slice(2);
if (!site || !template) {
  console.error('usage: site_manifest.mjs SITE_DIR SW_TEMPLATE');
  process.exit(2);
}
const own = new Set(['precache.json', 'sw.js']);

function* walk(dir, prefix = '') {
  for (const name of fs.readdirSync(dir).sort()) {
    const rel = prefix + name;
    const full = path.join(dir, name);
    const info = fs.statSync(full, { throwIfNoEntry: false }); // follows links; undefined if dangling
    if (!info) console.error(`site_manifest: ${rel} is a dangling link, left out (offline use needs it)`);
    else if (info.isDirectory()) yield* walk(full, `${rel}/`);
    else if (!own.has(rel)) yield { rel, full, bytes: info.size };
  }
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const files = [...walk(site)].map(({ rel, full, bytes }) => ({ path: rel, bytes, sha256: sha256(full) }));
const version = crypto.createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
fs.writeFileSync(path.join(site, 'precache.json'), `${JSON.stringify({ version, files }, null, 1)}\n`);
fs.writeFileSync(path.join(site, 'sw.js'), fs.readFileSync(template, 'utf8').replaceAll('@SITE_VERSION@', version));
console.log(`site_manifest: ${files.length} files, version ${version}`);
