// tools/cli/inference.mjs: runs photos through an ONNX model with onnxruntime-node. The core
// decodes each photo and builds its input tensor as the model card says; ONNX Runtime runs the
// batch on its own threads while the core prepares the next one.
import * as ort from 'onnxruntime-node';
import { unwrap } from './core.mjs';
import { readPhoto } from './photos.mjs';

// `model`: a file path or the ONNX bytes. `what` names it in errors. `options`: more session
// options (e.g. intraOpNumThreads).
export async function createSession(model, cardInfo, what, options = {}) {
  let session;
  try {
    session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options });
  } catch (err) {
    throw new Error(`cannot load the model ${what}: ${String(err.message).split('\n')[0]}`);
  }
  if (!session.inputNames.includes(cardInfo.inputName)) {
    throw new Error(`the model ${what} has no input "${cardInfo.inputName}" (it has ${session.inputNames.join(', ')})`);
  }
  if (!session.outputNames.includes(cardInfo.outputName)) {
    throw new Error(`the model ${what} has no output "${cardInfo.outputName}" (it has ${session.outputNames.join(', ')})`);
  }
  return session;
}

// The input tensor's shape for `n` images, in the card's layout.
export function inputDims(cardInfo, n) {
  const { width: w, height: h, layout } = cardInfo;
  return layout === 'NCHW' ? [n, 3, h, w] : [n, h, w, 3];
}

// The model's raw outputs (rows x the card's outputs per image) for `rows` inputs already in the
// card's layout, one after another in `data` (a masked batch from the core, say).
export async function runTensor(session, cardInfo, data, rows) {
  const out = await session.run({ [cardInfo.inputName]: new ort.Tensor('float32', data, inputDims(cardInfo, rows)) });
  return out[cardInfo.outputName].data;
}

// runTensor's scores and, with `features` true, the card's spatial features output too
// ({scores, features}; features undefined when not asked for).
export async function runTensorWith(session, cardInfo, data, rows, features) {
  const names = features ? [cardInfo.outputName, cardInfo.featuresName] : [cardInfo.outputName];
  if (features && !cardInfo.featuresName) throw new Error('the model card names no spatial features ("features")');
  const out = await session.run({ [cardInfo.inputName]: new ort.Tensor('float32', data, inputDims(cardInfo, rows)) }, names);
  return { scores: out[cardInfo.outputName].data, features: features ? out[cardInfo.featuresName].data : undefined };
}

// Calls onOutput(item, Float32Array) for each photo the model ran on and onError(item, message)
// for each that could not be decoded, in the order of `items` ([{file, ...}]). With `fetches`
// (output names) and onBatch(items, outputs), each batch's whole outputs go to onBatch instead.
export async function runPhotos({
  core,
  session,
  cardJson,
  cardInfo,
  items,
  batchSize = 8,
  onOutput,
  onError,
  fetches,
  onBatch,
}) {
  const prepare = (chunk) => {
    const ok = [];
    const tensors = [];
    for (const item of chunk) {
      const read = readPhoto(item.file);
      const result = read.error ? read : core.imageTensor(read.bytes, cardJson);
      if (result.error) onError(item, result.error);
      else {
        ok.push(item);
        tensors.push(result.tensor);
      }
    }
    return { ok, tensors };
  };
  const run = async ({ ok, tensors }) => {
    if (ok.length === 0) return;
    const size = tensors[0].length;
    const data = new Float32Array(size * ok.length);
    tensors.forEach((t, i) => data.set(t, i * size));
    const input = new ort.Tensor('float32', data, inputDims(cardInfo, ok.length));
    if (onBatch) {
      onBatch(ok, await session.run({ [cardInfo.inputName]: input }, fetches));
      return;
    }
    const out = (await session.run({ [cardInfo.inputName]: input }))[cardInfo.outputName];
    const per = out.data.length / ok.length;
    ok.forEach((item, i) => onOutput(item, out.data.slice(i * per, (i + 1) * per)));
  };
  let pending = Promise.resolve();
  for (let i = 0; i < items.length; i += batchSize) {
    const prepared = prepare(items.slice(i, i + batchSize)); // overlaps the previous batch's run
    await pending;
    pending = run(prepared);
  }
  await pending;
}

export { unwrap };
