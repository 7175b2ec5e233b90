// tests/node/float_variants.test.mjs: bench/float_variants.py, which makes the float graphs
// of a GPU speed run from the 8-bit model sent to the GPU machine, makes graphs that compute what
// the float model computes: on the benchmark's two inputs (a photo and the mean image), its fp32
// graph from each 8-bit model answers as assets/santa_resnet50.onnx does (to 0.02: the weights
// are the 8-bit ones), and its fp16 graph as its fp32 graph. Needs Debian's python3 with onnx
// (tools/setup.sh installs python3-onnx) and the built models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCore, repoRoot } from '../../tools/cli/core.mjs';
import { dataPath } from '../../tools/cli/data_root.mjs';
import { createSession, runTensor } from '../../tools/cli/inference.mjs';
import { assets, readCard } from '../../tools/cli/model.mjs';
import { benchPhotos, inputImages } from '../../tools/cli/bench.mjs';

const PYTHON = '/usr/bin/python3';
const script = path.join(repoRoot, 'bench/float_variants.py');

function whySkip() {
  try {
    execFileSync(PYTHON, ['-c', 'import onnx, numpy'], { stdio: 'ignore' });
  } catch {
    return `no onnx for ${PYTHON} (tools/setup.sh installs python3-onnx)`;
  }
  if (![assets.fp32, assets.int8, assets.w8].every((f) => fs.existsSync(f)))
    return 'no models: run ./tools/santa-lens model build';
  if (!fs.existsSync(dataPath('santa/test'))) return 'no test photos';
  return false;
}

// The model's outputs for the two inputs.
async function outputs(file, images, info) {
  const session = await createSession(file, info, file);
  try {
    return Array.from(await runTensor(session, info, images, 2));
  } finally {
    await session.release();
  }
}

test(
  'float_variants.py makes fp32 and fp16 graphs that answer as the float model',
  { skip: whySkip(), timeout: 300_000 },
  async () => {
    const core = await loadCore();
    const card = readCard(core);
    // The first Santa of the bench photos: far from the mean image, which the model reads as a
    // person (a person photo and the mean image can both sit near 0).
    const images = inputImages(core, card, benchPhotos(card.info.labels, 2)[1]);
    const reference = await outputs(assets.fp32, images, card.info);
    assert.ok(Math.abs(reference[0] - reference[1]) > 0.05, `inputs too alike to tell graphs apart: ${reference}`);
    for (const model of [assets.int8, assets.w8]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'santa-lens-float-variants-'));
      try {
        execFileSync(PYTHON, [script, model, dir], { stdio: ['ignore', 'inherit', 'inherit'] });
        const fp32 = await outputs(path.join(dir, 'fp32.onnx'), images, card.info);
        const fp16 = await outputs(path.join(dir, 'fp16.onnx'), images, card.info);
        const name = path.basename(model);
        for (let i = 0; i < 2; ++i) {
          assert.ok(
            Math.abs(fp32[i] - reference[i]) < 0.02,
            `${name}, input ${i}: fp32 graph ${fp32[i]}, float model ${reference[i]}`,
          );
          assert.ok(Math.abs(fp16[i] - fp32[i]) < 0.02, `${name}, input ${i}: fp16 graph ${fp16[i]}, fp32 graph ${fp32[i]}`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  },
);
