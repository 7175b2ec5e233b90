// tools/cli/memo_session.mjs: an onnxruntime-node session that remembers its outputs by input,
// so that runs asking for the same masked photos again pay for the model once: explain-bench
// explains each photo a second time with the same settings to check that the values come out
// the same, and that second run asks for exactly the first one's inputs. Keyed by a hash of
// each input's bytes (an input is 0.6 MB; SHA-1 takes well under a millisecond, the model about
// 8); every output name asked for is remembered.
//
//   const memo = memoSession(session, card);   // card: the card as the core reads it
//   await runTensor(memo, card, tensor, rows); // as with the session itself
//   memo.misses                                // inputs the model ran on
import crypto from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { inputDims } from './inference.mjs';

export function memoSession(session, cardInfo) {
  const known = new Map(); // hash -> {output name: that input's values}
  const memo = {
    misses: 0,
    // As session.run; `fetches` (output names) defaults to the card's output.
    async run(feeds, fetches = [cardInfo.outputName]) {
      const { data, dims } = feeds[cardInfo.inputName];
      const rows = dims[0];
      const size = data.length / rows;
      const keys = [];
      for (let r = 0; r < rows; ++r) {
        const bytes = new Uint8Array(data.buffer, data.byteOffset + r * size * 4, size * 4);
        keys.push(crypto.createHash('sha1').update(bytes).digest('base64'));
      }
      const has = (k) => known.has(k) && fetches.every((name) => known.get(k)[name]);
      const firstRow = new Map(); // each input not known with every output asked: its first row here
      keys.forEach((k, r) => {
        if (!has(k) && !firstRow.has(k)) firstRow.set(k, r);
      });
      const missing = [...firstRow];
      if (missing.length > 0) {
        const inputs = new Float32Array(size * missing.length);
        missing.forEach(([, r], j) => inputs.set(data.subarray(r * size, (r + 1) * size), j * size));
        const out = await session.run(
          { [cardInfo.inputName]: new ort.Tensor('float32', inputs, inputDims(cardInfo, missing.length)) },
          fetches,
        );
        for (const name of fetches) {
          const per = out[name].data.length / missing.length;
          missing.forEach(([k], j) => {
            if (!known.has(k)) known.set(k, {});
            known.get(k)[name] = out[name].data.slice(j * per, (j + 1) * per);
          });
        }
        memo.misses += missing.length;
      }
      const result = {};
      for (const name of fetches) {
        const per = known.get(keys[0])[name].length;
        const values = new Float32Array(rows * per);
        keys.forEach((k, r) => values.set(known.get(k)[name], r * per));
        result[name] = { data: values };
      }
      return result;
    },
  };
  return memo;
}
