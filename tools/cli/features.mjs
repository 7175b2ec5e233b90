// tools/cli/features.mjs: ResNet50's 2048 pooled features for labelled photos, via ONNX
// Runtime, cached under .cache/features/ by backbone and photo content (SHA-256), so that
// training again with other settings costs seconds.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './core.mjs';
import { sha256 } from './resnet_package.mjs';
import { FEATURE_LAYER, cardWithOutput, convertResnet } from './model.mjs';
import { createSession, runPhotos } from './inference.mjs';

export const FEATURE_DIM = 2048;

// items: [{file, label, root}]. Returns {features: Float32Array(n * 2048), kept: items with
// features, errors: [{file, error}], computed, cached}.
export async function extractFeatures(core, card, items, { log = () => {} } = {}) {
  const backbone = convertResnet(core, { cutAfter: FEATURE_LAYER, outputName: 'features', log });
  const cacheDir = path.join(repoRoot, '.cache', 'features', sha256(backbone).slice(0, 16));
  fs.mkdirSync(cacheDir, { recursive: true });

  const byFile = new Map();
  const todo = [];
  for (const item of items) {
    let key;
    try {
      key = sha256(fs.readFileSync(item.file));
    } catch {
      todo.push({ ...item, key: null });
      continue;
    }
    const cached = path.join(cacheDir, `${key}.f32`);
    if (fs.existsSync(cached)) byFile.set(item.file, new Float32Array(fs.readFileSync(cached).buffer.slice(0)));
    else todo.push({ ...item, key });
  }

  const errors = [];
  if (todo.length > 0) {
    log(`features for ${todo.length} photos (${items.length - todo.length} cached)`);
    const features = cardWithOutput(card, 'features');
    const session = await createSession(backbone, features.info, '(ResNet50 backbone)');
    let done = 0;
    await runPhotos({
      core,
      session,
      cardJson: features.text,
      cardInfo: features.info,
      items: todo,
      onOutput: (item, f) => {
        byFile.set(item.file, f);
        if (item.key) fs.writeFileSync(path.join(cacheDir, `${item.key}.f32`), f);
        if (++done % 100 === 0) log(`  ${done} / ${todo.length}`);
      },
      onError: (item, error) => errors.push({ file: item.file, error }),
    });
    await session.release();
  }

  const kept = items.filter((item) => byFile.has(item.file));
  const out = new Float32Array(kept.length * FEATURE_DIM);
  kept.forEach((item, i) => out.set(byFile.get(item.file), i * FEATURE_DIM));
  return { features: out, kept, errors, computed: todo.length - errors.length, cached: items.length - todo.length };
}
