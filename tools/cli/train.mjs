// tools/cli/train.mjs: `model train`: features via ONNX Runtime, the head trained by the core
// (C++), the head weights and the card written to assets/, then the model rebuilt. With a lever
// (levers.mjs) the training folders come with the photos made from them, and the scenes test's
// originals are left out.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, unwrap } from './core.mjs';
import { dataName } from './data_root.mjs';
import { assets, buildModel, readCard, writeJsonAtomic } from './model.mjs';
import { FEATURE_DIM, extractFeatures } from './features.mjs';
import { listLabelledPhotos } from './photos.mjs';
import { metricsBySource } from './evaluate.mjs';
import { crossValidateLevers, leverExtras, leverPhotos } from './levers.mjs';

// What the head trains on: the photos of `roots`, or with `lever` the training folders, less the
// scenes test's originals, plus the photos the lever makes from them.
function trainingSet(core, roots, lever, labels, log) {
  if (!lever) return { roots, items: roots.flatMap((root) => listLabelledPhotos(root, labels)), record: null, photos: null };
  const photos = leverPhotos(core, { log });
  const extras = leverExtras(lever, photos);
  const made = (kind) => {
    const ofKind = new Set(photos[kind]);
    return extras.filter((item) => ofKind.has(item)).length;
  };
  return {
    roots: photos.roots,
    photos,
    items: [...photos.real, ...extras],
    record: {
      name: lever,
      pasted_people: made('pasted'),
      relit_photos: made('relit'),
      left_out: photos.testOriginalsLeftOut.map((file) => dataName(file)),
      why_left_out: 'the originals of the scenes test (santa-lens scenes): its people and backgrounds never train',
    },
  };
}

export async function train(core, dataRoots, config, { lever = null, log = () => {}, crossValidate = 0, build = true } = {}) {
  const started = performance.now();
  const card = readCard(core);
  const { roots, items, record, photos } = trainingSet(core, dataRoots, lever, card.info.labels, log);
  const { features, kept, errors, computed, cached } = await extractFeatures(core, card, items, { log });
  for (const e of errors) log(`skipped ${e.file}: ${e.error}`);
  const labels = Int32Array.from(kept, (item) => item.label);
  const featureSeconds = (performance.now() - started) / 1000;

  let cv = null;
  if (crossValidate > 1 && lever) {
    // A made photo shares its originals with others: folds by group, as `model levers` does.
    const [result] = (await crossValidateLevers(core, { folds: crossValidate, config, levers: [lever], photos, log })).levers;
    cv = { k: crossValidate, grouped: true, ...result };
  } else if (crossValidate > 1) {
    // Stratified by class, shuffled: every fold mixes all sources of each class.
    const { folds, pooled, meanAccuracy, stdAccuracy, p } = unwrap(
      core.crossValidateHead(features, labels, FEATURE_DIM, config, crossValidate, config.seed),
      'cross-validation',
    );
    // Per-photo p and fold assignments stay out of the card: it is read by people.
    const sources = metricsBySource(
      core,
      kept.map((item, i) => ({ ...item, p: p[i] })),
      card.info.labels,
    );
    cv = {
      k: crossValidate,
      pooled,
      mean_accuracy: meanAccuracy,
      std_accuracy: stdAccuracy,
      folds: folds.map((f) => f.accuracy),
      sources,
    };
    for (const s of sources) log(`  ${s.source}: ${(100 * s.accuracy).toFixed(2)}% of ${s.n}`);
    log(
      `${crossValidate}-fold cross-validation: accuracy ${meanAccuracy.toFixed(4)} +- ${stdAccuracy.toFixed(4)} (pooled ${pooled.accuracy.toFixed(4)})`,
    );
  }

  const headStarted = performance.now();
  const trained = unwrap(core.trainHead(features, labels, FEATURE_DIM, config), 'training the head');
  const headSeconds = (performance.now() - headStarted) / 1000;
  fs.writeFileSync(assets.head, trained.head);
  log(
    `trained the head on ${kept.length} photos in ${headSeconds.toFixed(2)} s; loss per epoch ${Array.from(trained.loss, (l) => l.toFixed(4)).join(' ')}`,
  );

  const json = readCard(core).json;
  json.training = {
    data: roots.map((root) => {
      const mine = kept.filter((item) => item.root === root);
      const count = (l) => mine.filter((item) => item.label === l).length;
      return { root: dataName(root), [card.info.labels[0]]: count(0), [card.info.labels[1]]: count(1) };
    }),
    lever: record,
    skipped: errors.map((e) => ({ file: path.relative(repoRoot, path.resolve(e.file)), error: e.error })),
    head: {
      ...config,
      layers:
        config.hidden > 0
          ? `Dense ${config.hidden} relu, dropout ${config.dropout}, Dense 1 sigmoid`
          : 'Dense 1 sigmoid (logistic regression)',
    },
    loss_per_epoch: Array.from(trained.loss, (l) => Number(l.toFixed(5))),
    cross_validation: cv,
    seconds: {
      features: Number(featureSeconds.toFixed(2)),
      features_computed: computed,
      features_cached: cached,
      head: Number(headSeconds.toFixed(2)),
      total: Number(((performance.now() - started) / 1000).toFixed(2)),
      original_project_total: 165,
    },
    machine: cpuModel(),
  };
  writeJsonAtomic(assets.card, json);
  if (build) await buildModel(core, { log });
  return json.training;
}

export function cpuModel() {
  const line = fs
    .readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('model name'));
  return line ? line.split(':')[1].trim() : 'unknown CPU';
}
