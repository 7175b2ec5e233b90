// bench/bench_folder.mjs: the folder that ort_bench.mjs runs in, whether Chromium serves it
// (ort_browser.mjs) or Node imports it (webgpu_node.mjs): links to ONNX Runtime Web's files
// (ort/), the benchmark page and its module, the models (models/0.onnx, 1.onnx, ...: numbered,
// since two variants may share a file name in different folders), and the input images
// (input.f32: whole model inputs, float32, cycled into batches).
//
//   const { folder, models } = makeBenchFolder({ ortDir, models: [{name, file}], images });
//   ... models: [{name, url: 'models/0.onnx'}] ...
//   rmSync(folder, { recursive: true, force: true });
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function makeBenchFolder({ ortDir, models, images }) {
  const folder = mkdtempSync(join(tmpdir(), 'santa-lens-ort-bench-'));
  try {
    symlinkSync(resolve(ortDir), join(folder, 'ort'));
    symlinkSync(join(here, 'ort_bench.html'), join(folder, 'index.html'));
    // A copy, not a link: Node resolves a linked module to its real path, and ort/ lies here.
    copyFileSync(join(here, 'ort_bench.mjs'), join(folder, 'ort_bench.mjs'));
    mkdirSync(join(folder, 'models'));
    const served = models.map((m, i) => {
      symlinkSync(resolve(m.file), join(folder, 'models', `${i}.onnx`));
      return { name: m.name, url: `models/${i}.onnx` };
    });
    writeFileSync(join(folder, 'input.f32'), Buffer.from(images.buffer, images.byteOffset, images.byteLength));
    return { folder, models: served };
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    throw e;
  }
}
