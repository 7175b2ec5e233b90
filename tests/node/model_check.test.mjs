// tests/node/model_check.test.mjs: the converted ImageNet ResNet50 agrees with Keras on the
// check photo (class 229, Old English sheepdog, at 0.9973 +- 1e-3), and the shipped Santa
// model is what its card says it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadCore } from '../../tools/cli/core.mjs';
import { CHECK_IMAGE, assets, checkConversion, readCard } from '../../tools/cli/model.mjs';
import { sha256 } from '../../tools/cli/resnet_package.mjs';

test('the converted ImageNet model says Old English sheepdog at 0.9973', { skip: !fs.existsSync(CHECK_IMAGE) && `no ${CHECK_IMAGE}` }, async () => {
  const core = await loadCore();
  const result = await checkConversion(core, readCard(core), () => {});
  assert.equal(result.class, 229);
  assert.ok(Math.abs(result.probability - 0.9973) <= 1e-3, `p = ${result.probability}`);
});

test('the shipped model matches the provenance in its card', { skip: !fs.existsSync(assets.model) && 'no model built' }, async () => {
  const card = readCard(await loadCore()).json;
  const model = fs.readFileSync(assets.model);
  assert.equal(model.length, card.provenance.onnx_bytes);
  assert.equal(sha256(model), card.provenance.onnx_sha256);
  assert.equal(sha256(fs.readFileSync(assets.head)), card.provenance.head_sha256);
});
