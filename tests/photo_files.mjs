// tests/photo_files.mjs: photo files that the CLI tests (tests/node) and the browser tests
// (tests/e2e) share, made as the tests run, never committed:
//
//   const huge = blankPng(20000, 20000);     // a valid 400 MP PNG of about 50 kB
//   const gif = gifFrames(10001);            // a 1x1 GIF of 10001 frames, 230 kB
//   const webp = webpOf(santaJpeg);          // build/test-files/<name>.webp, or null (why: webpSkip)
//
// blankPng: one-bit grey, every pixel black, deflated; a decoder that believed it would fill
// width x height pixels. gifFrames: the frames of tests/core/test_files.h's gif_frames. webpOf: Debian's cwebp (package webp, installed by tools/setup.sh) at its
// default quality, the same bytes for every test that asks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build/test-files');

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function blankPng(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth; colour type 0 (grey), deflate, no filter, no interlacing
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0, pixels 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function gifFrames(n) {
  const frame = [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0];
  return Buffer.from([
    ...Buffer.from('GIF89a'),
    1,
    0,
    1,
    0,
    0x80,
    0,
    0,
    0,
    0,
    0,
    255,
    255,
    255,
    ...Array.from({ length: n }, () => frame).flat(),
    0x3b,
  ]);
}

function findCwebp() {
  try {
    execFileSync('cwebp', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Why webpOf cannot make files here, or false.
export const webpSkip = findCwebp() ? false : 'no cwebp: run tools/setup.sh (Debian package webp)';

export function webpOf(photo) {
  if (webpSkip) return null;
  const file = path.join(out, `${path.basename(photo, path.extname(photo))}.webp`);
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < fs.statSync(photo).mtimeMs) {
    fs.mkdirSync(out, { recursive: true });
    execFileSync('cwebp', ['-quiet', photo, '-o', `${file}.tmp`]);
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}
