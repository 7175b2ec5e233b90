// tools/cli/train_explainer.mjs: `model train --explainer`: the amortized explainer trained in
// C++ (core/explain/amortized_training.h through wasm/bindings/bind_amortized.cpp) on the games of the training
// photos (explainer_data.mjs: played once, cached), written to assets/ beside the model, with
// its data, settings and figures in the card's "explainer".
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, unwrap } from './core.mjs';
import { dataName, dataPath } from './data_root.mjs';
import { assets, openModel, readCard, writeJsonAtomic } from './model.mjs';
import { EXPLAINER_DATA, decodeRecord, explainerData } from './explainer_data.mjs';
import { cardTrainingPhotos, listLabelledPhotos } from './photos.mjs';
import { sha256 } from './resnet_package.mjs';
import { cpuModel } from './train.mjs';

export const EXPLAINER_FILE = 'santa_explainer.bin';
export const DEFAULT_EXPLAINER = {
  hidden: 32,
  epochs: 16,
  learningRate: 1e-3,
  weightDecay: 1e-3,
  inputDropout: 0.5,
  validationEvery: 10,
  seed: 1,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

// The training photos: `roots` when given, else the card's own training data less what the head
// left out; every `every`-th of them (by folder, class and name), the same ones each time.
function trainingItems(card, roots, every) {
  const { dirs, all } = roots?.length
    ? givenPhotos(card, roots)
    : { dirs: cardTrainingDirs(card), all: cardTrainingPhotos(card) };
  if (dirs.length === 0) throw new Error('no training photos: pass --data DIR or train the head first (the card names its data)');
  return { dirs, items: all.filter((_, i) => i % every === 0), of: all.length };
}

const cardTrainingDirs = (card) => (card.json.training?.data ?? []).map((d) => dataPath(d.root));

function givenPhotos(card, roots) {
  const dirs = roots.map((r) => path.resolve(r));
  return { dirs, all: dirs.flatMap((dir) => listLabelledPhotos(dir, card.info.labels)) };
}

export async function trainExplainer(
  core,
  roots,
  settings,
  { evaluations = EXPLAINER_DATA.evaluations, every = 1, log = () => {} } = {},
) {
  const started = performance.now();
  const model = await openModel(core);
  const { card } = model;
  const { dirs, items, of } = trainingItems(card, roots, every);
  log(`explainer: the games of ${items.length} training photos (${evaluations} evaluations each; cached ones are read back)`);
  const data = await explainerData(core, model, items, { evaluations, log });
  await model.session.release();
  for (const e of data.errors) log(`skipped ${e.file}: ${e.error}`);
  const playedSeconds = (performance.now() - started) / 1000;

  const sigmoid = card.info.outputsPerImage === 1;
  const [channels, grid] = card.json.features.shape;
  const trainer = core.createExplainerTrainer();
  try {
    const precision = [];
    for (const { file } of data.kept) {
      const r = decodeRecord(fs.readFileSync(file));
      const h = r.header;
      const classes = sigmoid ? [1] : h.phi.map((_, c) => c);
      unwrap(
        trainer.addPhoto(
          {
            features: r.features,
            scale: h.featureScale,
            segmentation: { width: h.width, height: h.height, count: h.players, labels: r.labels },
            target: classes.flatMap((c) => h.phi[c]),
            delta: classes.map((c) => h.fX[c] - h.fEmpty[c]),
          },
          grid,
        ),
        file,
      );
      precision.push(...classes.map((c) => h.precision[c]));
    }
    const trainStarted = performance.now();
    const fit = unwrap(
      trainer.train(channels, grid, sigmoid ? 1 : card.info.labels.length, settings, (e) => {
        log(`explainer: epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, held-out photos' error ${e.validation.toFixed(4)}`);
        return true;
      }),
      'training the explainer',
    );
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    const file = path.join(path.dirname(assets.card), EXPLAINER_FILE);
    fs.writeFileSync(file, fit.net);

    // The held-out error includes the targets' own noise (their precision, from their halves):
    // what is left once that is taken out is the explainer's own error, the prior's trust.
    const heldOut = fit.epochs[fit.bestEpoch - 1].validation;
    const noise = median(precision);
    const own = Math.sqrt(Math.max(0, heldOut ** 2 - noise ** 2));
    const json = readCard(core).json;
    json.explainer = {
      file: EXPLAINER_FILE,
      prior_error: Number(own.toFixed(4)),
      bytes: fit.net.length,
      sha256: sha256(fit.net),
      network: `stage-4 features of the photo and of the fully masked photo (${2 * channels} x ${grid} x ${grid}), standardised; 1x1 conv to ${settings.hidden}, ReLU, 3x3 conv, ReLU, 3x3 conv to ${sigmoid ? 1 : card.info.labels.length} value density; summed over each superpixel, shifted to add up to f(photo) - f(all masked)`,
      data: {
        roots: dirs.map(dataName),
        every,
        of,
        photos: data.kept.length,
        skipped: data.errors.length,
        game: data.game,
        evaluations_per_photo: evaluations,
        targets: 'Shapley regression of the paired samples (two halves, their mean); their median precision ' + noise.toFixed(3),
      },
      settings,
      figures: {
        best_epoch: fit.bestEpoch,
        training_photos: fit.trainingPhotos,
        held_out_photos: fit.validationPhotos,
        held_out_error: Number(heldOut.toFixed(4)),
        target_noise: Number(noise.toFixed(4)),
        own_error: Number(own.toFixed(4)),
        per_epoch: fit.epochs.map((e) => ({
          epoch: e.epoch,
          loss: Number(e.loss.toFixed(4)),
          held_out: Number(e.validation.toFixed(4)),
        })),
      },
      seconds: { games: Number(playedSeconds.toFixed(1)), games_played: data.played, training: Number(trainSeconds.toFixed(1)) },
      machine: cpuModel(),
    };
    writeJsonAtomic(assets.card, json);
    log(
      `explainer: wrote ${path.relative(repoRoot, file)} (${(fit.net.length / 1024).toFixed(0)} KB); best epoch ${fit.bestEpoch}, ` +
        `held-out error ${heldOut.toFixed(3)} against targets of precision ${noise.toFixed(3)}: its own about ${own.toFixed(3)}`,
    );
    return json.explainer;
  } finally {
    trainer.delete();
  }
}
