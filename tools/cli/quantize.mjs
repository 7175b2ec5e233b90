// tools/cli/quantize.mjs: the 8-bit model (core/model/onnx_quantize.h). The core converts ResNet50 and
// the head twice: once with every value the 8-bit graph quantizes as an extra output (the
// calibration graph), which onnxruntime-node runs on training photos to find each value's range,
// then as the QDQ graph with those ranges. This file only moves tensors and ranges.
import * as ort from 'onnxruntime-node';
import { unwrap } from './core.mjs';
import { cardTrainingPhotos, everyKth } from './photos.mjs';
import { runPhotos } from './inference.mjs';

export const CALIBRATION_PHOTOS = 64;

// Every k-th photo of each class of the training roots, `count` in all: the same set each time.
export function calibrationPhotos(card, count = CALIBRATION_PHOTOS) {
  const all = cardTrainingPhotos(card);
  if (all.length === 0) throw new Error('the model card names no training data to calibrate on');
  const perClass = Math.ceil(count / card.info.labels.length);
  return card.info.labels.flatMap((_, label) =>
    everyKth(
      all.filter((p) => p.label === label),
      perClass,
    ),
  );
}

// [{name, min, max}] of each probe over `photos`.
async function calibrate(core, card, probeOnnx, probes, photos, log) {
  const session = await ort.InferenceSession.create(probeOnnx, { graphOptimizationLevel: 'basic' });
  const lo = new Map(probes.map((n) => [n, Infinity]));
  const hi = new Map(probes.map((n) => [n, -Infinity]));
  await runPhotos({
    core,
    session,
    cardJson: card.text,
    cardInfo: card.info,
    items: photos,
    fetches: probes,
    onError: (p, error) => log(`${p.file}: skipped for calibration: ${error}`),
    onBatch: (_, out) => {
      for (const name of probes) {
        let a = lo.get(name),
          b = hi.get(name);
        for (const v of out[name].data) {
          if (v < a) a = v;
          if (v > b) b = v;
        }
        lo.set(name, a);
        hi.set(name, b);
      }
    },
  });
  await session.release();
  return probes.map((name) => ({ name, min: lo.get(name), max: hi.get(name) }));
}

// The 8-bit model's bytes: `convert(extra)` is the float conversion with extra core options.
export async function quantizeModel(core, card, convert, photos, { log = () => {} } = {}) {
  const probe = convert({ probes: true });
  log(`calibrating ${probe.probes.length} values on ${photos.length} training photos`);
  const ranges = await calibrate(core, card, probe.onnx, probe.probes, photos, log);
  return unwrap(convert({ ranges }), 'quantizing').onnx;
}
