// tools/cli/model.mjs: the default model's files and how they are made.
//   assets/santa_resnet50.json  model card (committed): input, output, labels, provenance, figures
//   assets/santa_head.bin       trained head weights (committed, made by `model train`)
//   assets/santa_resnet50.onnx       backbone + head, float (git-ignored, made by `model build`)
//   assets/santa_resnet50_int8.onnx  the same, 8-bit (quantize.mjs); the card's "model" names
//                                    the one the app and the CLI use
//   assets/santa_resnet50_w8.onnx    the same with only its weights in 8 bits; the card's
//                                    "model_webgpu": the app's on WebGPU (no integer kernels there)
// The converter (TF.js layers -> ONNX, batch norm folded) is the core's C++; this file only moves
// bytes between npm, the core, onnxruntime-node and the assets folder.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { repoRoot, unwrap } from './core.mjs';
import { dataName, dataPath } from './data_root.mjs';
import { RESNET_PACKAGE, readTfjsModel, resnetPackageDir, sha256 } from './resnet_package.mjs';
import { readPhoto } from './photos.mjs';
import { createSession } from './inference.mjs';
import { calibrationPhotos, quantizeModel } from './quantize.mjs';

// $SANTA_LENS_ASSETS points the CLI at another assets folder (tests use it for broken models).
const assetsDir = path.resolve(process.env.SANTA_LENS_ASSETS ?? path.join(repoRoot, 'assets'));
export const assets = {
  card: path.join(assetsDir, 'santa_resnet50.json'),
  head: path.join(assetsDir, 'santa_head.bin'),
  fp32: path.join(assetsDir, 'santa_resnet50.onnx'),
  int8: path.join(assetsDir, 'santa_resnet50_int8.onnx'),
  w8: path.join(assetsDir, 'santa_resnet50_w8.onnx'),
};

// The model file the card names (the one the app and the CLI run).
export const cardModelFile = (card) => path.join(path.dirname(assets.card), card.info.model);

// Keras' pooled-feature layer of ResNet50: where the backbone ends and the head begins.
export const FEATURE_LAYER = 'avg_pool';
// The spatial features every variant also outputs, for the amortized explainer (the card's
// "features"): the output of ResNet50's stage 4 (Keras' conv4_block6_out), 1024 x 14 x 14 per
// image, fetched with the prediction only; the explanation's batches ask for the score alone.
export const SPATIAL_FEATURES = { name: 'activation_39', shape: [1024, 14, 14] };
export const CHECK_IMAGE = dataPath('check/old_english_sheepdog.png');
const CHECK_CLASS = 229; // ImageNet's Old_English_sheepdog

// {json, text, info}: the card as an object, as text (for the core) and as the core reads it.
export function readCard(core, file = assets.card) {
  if (!fs.existsSync(file)) throw new Error(`model card not found: ${file}`);
  const text = fs.readFileSync(file, 'utf8');
  const info = unwrap(core.parseModelCard(text), file);
  return { json: JSON.parse(text), text, info };
}

// The card and an onnxruntime-node session on the model it names (beside the card), or on
// `model` (a file: another variant of the same model).
export async function openModel(core, model = null) {
  const card = readCard(core);
  const file = model ?? cardModelFile(card);
  if (!fs.existsSync(file)) throw new Error(`model not found: ${file} (run \`./tools/santa-lens model build\`)`);
  return { card, file, session: await createSession(file, card.info, file) };
}

// What createExplainer needs for the amortized estimator from the card: the network's bytes
// (beside the card) and its measured error; {} when the card names none. Throws when the card
// names a file that is missing.
export function amortizedOptions(card) {
  if (!card.info.explainer) return {};
  const file = path.join(path.dirname(assets.card), card.info.explainer);
  if (!fs.existsSync(file))
    throw new Error(`the card's explainer ${file} is missing: run \`santa-lens model train --explainer\``);
  return {
    explainerNet: new Uint8Array(fs.readFileSync(file)),
    ...(card.info.priorError > 0 ? { priorError: card.info.priorError } : {}),
  };
}

export function writeJsonAtomic(file, value) {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

function writeFileAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

// The same card, with another output of the graph as its output (the backbone's features).
export function cardWithOutput(card, outputName) {
  const json = { ...card.json, output: { ...card.json.output, name: outputName } };
  return { json, text: JSON.stringify(json), info: { ...card.info, outputName } };
}

// ResNet50 converted to ONNX by the core: cut after `cutAfter` (empty: the ImageNet classifier),
// with `head` (dense layers) appended, the graph output named `outputName`; `extra`: the core's
// 8-bit options (probes, ranges: see quantize.mjs). The core's result: {onnx, description, ...}.
export function convertResnetWith(core, { cutAfter = '', head = [], outputName, log = () => {}, extra = {} }) {
  const modelDir = resnetPackageDir({ log });
  const { modelJson, weights } = readTfjsModel(modelDir);
  const result = core.convertTfjsToOnnx(modelJson, weights, { cutAfter, head, inputName: 'input', outputName, ...extra });
  return unwrap(result, `converting ${RESNET_PACKAGE.name}@${RESNET_PACKAGE.version}`);
}

export const convertResnet = (core, options) => convertResnetWith(core, options).onnx;

// The trained head as dense layers for the converter.
export function readHeadLayers(core) {
  if (!fs.existsSync(assets.head)) {
    throw new Error(`${path.relative(repoRoot, assets.head)} is missing: train one with \`santa-lens model train --data DIR\``);
  }
  return unwrap(core.headLayers(new Uint8Array(fs.readFileSync(assets.head))), assets.head).layers;
}

// The conversion check: the full ImageNet model on the check photo must say class 229 at 0.9973.
export async function checkConversion(core, card, log) {
  if (!fs.existsSync(CHECK_IMAGE)) return { skipped: `no check image at ${CHECK_IMAGE}` };
  const onnx = convertResnet(core, { outputName: 'probabilities' });
  const imagenet = cardWithOutput(card, 'probabilities');
  const session = await createSession(onnx, imagenet.info, '(ImageNet ResNet50)');
  const { tensor } = unwrap(core.imageTensor(readPhoto(CHECK_IMAGE).bytes, imagenet.text), CHECK_IMAGE);
  const input = new ort.Tensor('float32', tensor, [1, 3, card.info.height, card.info.width]);
  const p = (await session.run({ input }))[imagenet.info.outputName].data;
  let best = 0;
  for (let i = 1; i < p.length; ++i) if (p[i] > p[best]) best = i;
  const result = {
    image: path.basename(CHECK_IMAGE),
    class: best,
    probability: Number(p[best].toFixed(5)),
    expected: { class: CHECK_CLASS, probability: 0.9973 },
  };
  log(`conversion check: class ${best}, p = ${p[best].toFixed(4)} (expected ${CHECK_CLASS}, 0.9973)`);
  if (best !== CHECK_CLASS || Math.abs(p[best] - 0.9973) > 1e-3) {
    throw new Error(
      `conversion check failed: the converted ImageNet model gives class ${best} at ${p[best].toFixed(4)} on ${result.image}, expected class ${CHECK_CLASS} at 0.9973`,
    );
  }
  await session.release();
  return result;
}

// Loading it proves ONNX Runtime accepts it before it is written; returns its provenance (what
// the file is, not how long it took: the card is committed, and a rebuild must leave it as it was).
async function writeModel(onnx, card, file, log, started) {
  await (await createSession(onnx, card.info, '(just converted)')).release();
  writeFileAtomic(file, onnx);
  const seconds = (performance.now() - started) / 1000;
  log(`wrote ${path.relative(repoRoot, file)} (${(onnx.length / 2 ** 20).toFixed(1)} MB) in ${seconds.toFixed(1)} s`);
  return { file: path.basename(file), bytes: onnx.length, sha256: sha256(onnx) };
}

// `model build`: writes the three variants (float, 8-bit, weights in 8 bits) and the card's provenance.
export async function buildModel(core, { log = () => {}, check = true } = {}) {
  const card = readCard(core);
  const head = readHeadLayers(core);
  const convert = (extra = {}) =>
    convertResnetWith(core, {
      cutAfter: FEATURE_LAYER,
      head,
      outputName: card.info.outputName,
      log,
      extra: extra.probes ? extra : { ...extra, extraOutputs: [SPATIAL_FEATURES.name] },
    });
  let started = performance.now();
  const fp32 = await writeModel(convert().onnx, card, assets.fp32, log, started);
  started = performance.now();
  const photos = calibrationPhotos(card);
  const int8 = await writeModel(await quantizeModel(core, card, convert, photos, { log }), card, assets.int8, log, started);
  int8.calibration = {
    photos: photos.length,
    from: [...new Set(photos.map((p) => dataName(p.root)))],
    rule: 'every k-th photo of each class, by name; ranges are min/max over them',
  };
  started = performance.now();
  const w8 = await writeModel(
    unwrap(convert({ weightsOnly: true }), 'quantizing the weights').onnx,
    card,
    assets.w8,
    log,
    started,
  );

  const json = readCard(core).json;
  json.features = { ...SPATIAL_FEATURES, layer: 'conv4_block6_out (ResNet50 stage 4 output)' };
  const chosen = [fp32, int8].find((v) => v.file === json.model);
  if (!chosen) throw new Error(`the card's model ${json.model} is neither ${fp32.file} nor ${int8.file}`);
  if (json.model_webgpu && ![fp32, int8, w8].some((v) => v.file === json.model_webgpu))
    throw new Error(`the card's model_webgpu ${json.model_webgpu} is none of the variants just built`);
  json.provenance = {
    backbone: `Keras ResNet50 v1, ImageNet weights, npm ${RESNET_PACKAGE.name}@${RESNET_PACKAGE.version} (${RESNET_PACKAGE.license}), cut after ${FEATURE_LAYER}`,
    backbone_sha256: RESNET_PACKAGE.sha256,
    head: path.basename(assets.head),
    head_sha256: sha256(fs.readFileSync(assets.head)),
    converter:
      'santa-lens core (TF.js layers -> ONNX opset 13, batch norm folded into convolutions; 8-bit: int8 per-channel weights, uint8 activations, QDQ; w8: the int8 weights alone)',
    onnx_bytes: chosen.bytes,
    onnx_sha256: chosen.sha256,
    variants: { fp32, int8, w8 },
  };
  if (check) json.conversion_check = await checkConversion(core, card, log);
  writeJsonAtomic(assets.card, json);
}
