// tests/node/memo_session.test.mjs: the session explain-bench shares between runs on one coarse
// segmentation gives what the model gives, and runs the model only on inputs it has not seen.
// Needs the model (test.sh builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../tools/cli/core.mjs';
import { runTensor } from '../../tools/cli/inference.mjs';
import { memoSession } from '../../tools/cli/memo_session.mjs';
import { openModel } from '../../tools/cli/model.mjs';
import { skipWithoutModelAndPhotos as skip } from './cli_harness.mjs';

test('a memo session answers as the model does and runs each input once', { skip }, async () => {
  const core = await loadCore();
  const {
    card: { info: card },
    session,
  } = await openModel(core);
  try {
    const size = card.width * card.height * 3;
    const image = (shade) => new Float32Array(size).fill(shade);
    const batch = (...shades) => {
      const x = new Float32Array(size * shades.length);
      shades.forEach((s, i) => x.set(image(s), i * size));
      return x;
    };
    const memo = memoSession(session, card);
    const first = await runTensor(memo, card, batch(-50, 0, -50), 3); // one input twice
    assert.equal(memo.misses, 2);
    const direct = await runTensor(session, card, batch(-50, 0, -50), 3);
    assert.deepEqual(Array.from(first), Array.from(direct));
    const second = await runTensor(memo, card, batch(0, 60), 2); // one seen, one new
    assert.equal(memo.misses, 3);
    const per = first.length / 3;
    assert.deepEqual(Array.from(second.subarray(0, per)), Array.from(first.subarray(per, 2 * per)));
    assert.notDeepEqual(Array.from(second.subarray(per)), Array.from(first.subarray(0, per)));
  } finally {
    await session.release();
  }
});
