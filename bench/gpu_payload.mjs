// bench/gpu_payload.mjs: packs into one small folder what bench/gpu_run.sh needs on a
// machine with a GPU but neither a browser nor a network: this Node binary, Dawn (npm webgpu),
// the site's ONNX Runtime Web files, the model the app runs on WebGPU (the card's model_webgpu; the float
// variants are made there from it: float_variants.py), the benchmark's input images and the
// Vulkan loader (Debian's libvulkan1, with glvnd).
// Large files go compressed (xz).
//
//   node bench/gpu_payload.mjs [DIR]     (default .gpu; run after tools/build.sh and the model build)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadCore, repoRoot } from '../tools/cli/core.mjs';
import { assets, readCard } from '../tools/cli/model.mjs';
import { UNSURE_PHOTO, inputImages } from '../tools/cli/bench.mjs';

const WEBGPU_PACKAGE = 'webgpu@0.6.2';
const ORT_FILES = [
  'ort.webgpu.min.mjs',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort.wasm.min.mjs',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
];
const GL_PACKAGES = ['libvulkan1', 'libglvnd0', 'libglx0', 'libgl1', 'libegl1', 'libopengl0', 'libgles2'];

const out = path.resolve(process.argv[2] ?? path.join(repoRoot, '.gpu'));
const run = (cmd, args, cwd = out) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
const xz = (from, to) => run('sh', ['-c', 'xz -T2 -9 -c "$0" >"$1"', from, `${to}.xz`]);

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'ort'), { recursive: true });
fs.mkdirSync(path.join(out, 'debs'));

xz(process.execPath, path.join(out, 'node'));

const tarball = run('npm', ['pack', '--silent', WEBGPU_PACKAGE]).toString().trim().split('\n').pop();
run('tar', [
  'xzf',
  tarball,
  'package/index.js',
  'package/package.json',
  'package/LICENSE.md',
  'package/dist/linux-x64/dawn.node',
]);
fs.rmSync(path.join(out, tarball));
fs.renameSync(path.join(out, 'package'), path.join(out, 'webgpu'));
const dawn = path.join(out, 'webgpu/dist/linux-x64/dawn.node');
xz(dawn, dawn);
fs.rmSync(dawn);

const ortDir = path.join(repoRoot, 'build/site/ort');
for (const f of ORT_FILES) {
  const from = path.join(ortDir, f);
  if (f.endsWith('.wasm')) xz(from, path.join(out, 'ort', f));
  else fs.copyFileSync(from, path.join(out, 'ort', f));
}

const core = await loadCore();
const card = readCard(core);
const model = path.join(path.dirname(assets.card), card.info.modelWebgpu);
if (!fs.existsSync(model)) throw new Error(`${model}: no such model (run ./tools/santa-lens model build)`);
xz(model, path.join(out, 'model.onnx'));
const images = inputImages(core, card, UNSURE_PHOTO);
fs.writeFileSync(path.join(out, 'input.f32'), Buffer.from(images.buffer, images.byteOffset, images.byteLength));
xz(path.join(out, 'input.f32'), path.join(out, 'input.f32'));
fs.rmSync(path.join(out, 'input.f32'));

// The Vulkan loader, and the GL dispatch libraries NVIDIA's Vulkan driver links against.
run('apt-get', ['download', ...GL_PACKAGES], path.join(out, 'debs'));

const bytes = run('du', ['-sb', out]).toString().split('\t')[0];
console.log(`${path.relative(repoRoot, out) || out}: ${(bytes / 2 ** 20).toFixed(1)} MB`);
