// tools/cli/audit.mjs: `santa-lens audit`: does a labelled photo collection cheat? Near-duplicates
// and train/test leaks, content-free shortcuts, likely mislabelled photos. The core (C++ as
// WebAssembly, wasm/bindings/bind_audit.cpp) does the measuring; ONNX Runtime gives ResNet50 features
// (features.mjs, cached); this file lists folders, moves data and assembles the report, which
// audit_report.mjs prints and draws.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from './core.mjs';
import { FEATURE_DIM, extractFeatures } from './features.mjs';
import { readCard } from './model.mjs';
import { numberOption } from './options.mjs';
import { classFolders, listLabelledPhotos, readPhoto } from './photos.mjs';
import { LEVERS, leverExtras, leverPhotos } from './levers.mjs';
import { printAudit, writeSheet } from './audit_report.mjs';
import { rounder } from './figures.mjs';

export const AUDIT_HELP = `  santa-lens audit DIR... [--train DIR] [--test DIR] [--json] [--sheet OUT.png] [--suspects N]
                   [--no-features]
  santa-lens audit --lever NAME [the options above]
      The same for the photos \`model train --lever NAME\` trains on (the training folders less the
      scenes test's originals, plus the photos the lever makes: model levers).
      Checks labelled photo folders (DIR/<class>/*, any class names; train and test roots together)
      for what makes a classifier cheat, and prints what it finds:
        near-duplicates  the same picture twice (resized, re-encoded, slightly cropped or
                         recoloured): perceptual hashes plus ResNet50 feature similarity. A pair
                         across a train root and a test root is a leak; a pair with two labels a
                         conflict. A root is a train root when the nearest folder in its path named
                         train or training comes before any named test, testing, val, valid or
                         validation (then it is a test root); --train and --test name roles outright.
        shortcuts        5-fold cross-validated accuracy of small trees on cues that say nothing
                         about the content (width, height, aspect, megapixels, exact size, format,
                         bytes per pixel, JPEG quality, EXIF; mean colour, contrast, saturation;
                         the background's colour: the same over the photo's outer frame),
                         beside chance (the largest class's share), per cue and per group.
        suspects         per class, the --suspects N (6) photos a 5-fold cross-validated linear
                         head on ResNet50 features gets most wrong, and the N farthest from their
                         class centre; --sheet draws them (and the near-duplicates) with names and
                         scores as a PNG contact sheet.
      Unreadable files are listed with their error; the rest is audited. --no-features skips
      ResNet50: hashes only, no suspects. Features are cached in .cache/features/.
      --json prints {classes, roots: [{root, role, photos, classes: {name: n}}], photos,
        unreadable: [{file, error}], features: {used, computed, cached, note},
        duplicates: {pairs: [{a, b, root_a, root_b, class_a, class_b, dhash, phash, cosine,
          where: "within root" | "across roots", leak, conflict}], within_root, across_roots,
          leaks, conflicts},
        shortcuts: {chance, majority, accuracy, carries, folds, groups: [{name, accuracy, carries}],
          cues: [{name, group, accuracy, importance, carries}], profile: {class: {photos, sizes:
          [[WxH, n]...], formats: {name: n}, jpeg_quality: [[q, n]...], exif}}} | null,
        suspects: {head: {accuracy, wrong}, classes: {class: {most_wrong: [photo], farthest:
          [photo]}}} | null, where photo = {file, root, p_own, outlier_z, own_similarity,
          other_similarity, other_class},
        sheet, seconds: {total, cues, features, duplicates, shortcuts, suspects, sheet}}
      (dhash/phash: bits that differ of 64; cosine: feature similarity, null without features;
      accuracy, chance, p_own: 0..1; carries: beats chance by 10 points and 3 standard errors).`;

// 'train', 'test' or null, from the nearest folder of the path with a telling name.
export function rootRole(root) {
  for (const part of path.resolve(root).split(path.sep).reverse()) {
    if (/^(train|training)$/i.test(part)) return 'train';
    if (/^(test|testing|val|valid|validation)$/i.test(part)) return 'test';
  }
  return null;
}

const round = rounder(4);

// Every photo's cues and hashes from the core; unreadable ones go to `unreadable`.
function readCues(core, items, unreadable, log) {
  const ok = [];
  items.forEach((item, i) => {
    const read = readPhoto(item.file);
    const cues = read.error ? read : core.auditPhoto(read.bytes);
    if (cues.error) unreadable.push({ file: item.file, error: cues.error });
    else ok.push({ ...item, cues });
    if ((i + 1) % 200 === 0) log(`audit: read ${i + 1} / ${items.length} photos`);
  });
  return ok;
}

// {features, photos (those with features), info}; features null when ResNet50 is unavailable.
async function photoFeatures(core, photos, unreadable, log) {
  try {
    const f = await extractFeatures(core, readCard(core), photos, { log });
    unreadable.push(...f.errors);
    return { features: f.features, photos: f.kept, info: { used: true, computed: f.computed, cached: f.cached } };
  } catch (err) {
    log(`audit: no ResNet50 features (${err.message}): near-duplicates by hashes only, no suspects`);
    return { features: null, photos, info: { used: false, note: err.message } };
  }
}

function duplicates(core, photos, features, classes) {
  const pairs = unwrap(
    core.findNearDuplicates(
      photos.map((p) => p.cues),
      features,
      FEATURE_DIM,
      {},
    ),
    'near-duplicates',
  ).map(({ a, b, dhash, phash, cosine }) => {
    const [p, q] = [photos[a], photos[b]];
    const roles = new Set([p.role, q.role]);
    return {
      a: p.file,
      b: q.file,
      root_a: p.root,
      root_b: q.root,
      class_a: classes[p.label],
      class_b: classes[q.label],
      dhash,
      phash,
      cosine: round(cosine),
      where: p.root === q.root ? 'within root' : 'across roots',
      leak: roles.has('train') && roles.has('test'),
      conflict: p.label !== q.label,
    };
  });
  const count = (f) => pairs.filter(f).length;
  return {
    pairs,
    within_root: count((p) => p.where === 'within root'),
    across_roots: count((p) => p.where === 'across roots'),
    leaks: count((p) => p.leak),
    conflicts: count((p) => p.conflict),
  };
}

// Per class: how its photos' sizes, formats, JPEG qualities and EXIF are spread (for the reader
// to see the shortcut the numbers point at).
function profile(photos, classes) {
  const tally = (values) => [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map())].sort((x, y) => y[1] - x[1]);
  return Object.fromEntries(
    classes.map((name, label) => {
      const mine = photos.filter((p) => p.label === label).map((p) => p.cues);
      return [
        name,
        {
          photos: mine.length,
          sizes: tally(mine.map((c) => `${c.width}x${c.height}`)).slice(0, 5),
          formats: Object.fromEntries(tally(mine.map((c) => c.format))),
          jpeg_quality: tally(mine.filter((c) => c.jpegQuality > 0).map((c) => c.jpegQuality)).slice(0, 5),
          exif: mine.filter((c) => c.exif).length,
        },
      ];
    }),
  );
}

function shortcuts(core, photos, classes) {
  const r = unwrap(
    core.findShortcuts(
      photos.map((p) => p.cues),
      Int32Array.from(photos, (p) => p.label),
      classes.length,
      {},
    ),
    'shortcuts',
  );
  return {
    chance: round(r.chance),
    majority: classes[r.majority],
    accuracy: round(r.accuracy),
    carries: r.carries,
    folds: r.folds,
    groups: r.groups.map((g) => ({ ...g, accuracy: round(g.accuracy) })),
    cues: r.cues.map((c) => ({ ...c, accuracy: round(c.accuracy), importance: round(c.importance) })),
    profile: profile(photos, classes),
  };
}

function suspects(core, photos, features, classes, perClass) {
  const fit = unwrap(
    core.fitPhotos(
      features,
      Int32Array.from(photos, (p) => p.label),
      classes.length,
      FEATURE_DIM,
      {},
    ),
    'suspects',
  );
  const rows = photos.map((p, i) => ({
    file: p.file,
    root: p.root,
    label: p.label,
    p_own: round(fit.pOwn[i]),
    outlier_z: round(fit.outlierZ[i], 2),
    own_similarity: round(fit.ownSimilarity[i]),
    other_similarity: round(fit.otherSimilarity[i]),
    other_class: classes[fit.otherClass[i]],
  }));
  const wrong = rows.filter((r) => r.p_own < 0.5).length;
  const strip = ({ label, ...r }) => r;
  return {
    head: { accuracy: round(1 - wrong / rows.length), wrong },
    classes: Object.fromEntries(
      classes.map((name, label) => {
        const mine = rows.filter((r) => r.label === label);
        return [
          name,
          {
            most_wrong: [...mine]
              .sort((x, y) => x.p_own - y.p_own)
              .slice(0, perClass)
              .map(strip),
            farthest: [...mine]
              .sort((x, y) => y.outlier_z - x.outlier_z)
              .slice(0, perClass)
              .map(strip),
          },
        ];
      }),
    ),
  };
}

// The audit of `roots` ([{root, role}]): the report described in AUDIT_HELP. `given`, when set,
// names the photos instead of the roots' class folders: {classes, items: [{file, label, root, role}]}.
export async function audit(core, roots, { given = null, useFeatures = true, sheet = null, perClass = 6, log = () => {} } = {}) {
  const started = performance.now();
  const seconds = {};
  const lap = (name, t) => {
    seconds[name] = round((performance.now() - t) / 1000, 2);
  };
  const classes = given?.classes ?? [...new Set(roots.flatMap((r) => classFolders(r.root)))].sort();
  if (classes.length === 0)
    throw new Error(`no class folders in ${roots.map((r) => r.root).join(', ')} (each folder needs one subfolder per class)`);
  const items =
    given?.items ?? roots.flatMap((r) => listLabelledPhotos(r.root, classes).map((item) => ({ ...item, role: r.role })));
  const unreadable = [];

  let t = performance.now();
  log(`audit: ${items.length} files in ${roots.length} folder${roots.length > 1 ? 's' : ''}, classes ${classes.join(', ')}`);
  let photos = readCues(core, items, unreadable, log);
  lap('cues', t);
  t = performance.now();
  let features = null;
  let featureInfo = { used: false, note: 'skipped (--no-features)' };
  if (useFeatures && photos.length > 0)
    ({ features, photos, info: featureInfo } = await photoFeatures(core, photos, unreadable, log));
  lap('features', t);
  if (photos.length === 0) throw new Error('no photo could be read');

  t = performance.now();
  const dups = duplicates(core, photos, features, classes);
  lap('duplicates', t);
  const present = new Set(photos.map((p) => p.label));
  t = performance.now();
  const cut = present.size >= 2 && photos.length >= 4 ? shortcuts(core, photos, classes) : null;
  lap('shortcuts', t);
  t = performance.now();
  const enough = classes.length >= 2 && classes.every((_, label) => photos.filter((p) => p.label === label).length >= 2);
  const sus = features && enough ? suspects(core, photos, features, classes, perClass) : null;
  lap('suspects', t);

  const report = {
    classes,
    roots: roots.map(({ root, role }) => {
      const mine = photos.filter((p) => p.root === root);
      return {
        root,
        role,
        photos: mine.length,
        classes: Object.fromEntries(classes.map((c, l) => [c, mine.filter((p) => p.label === l).length])),
      };
    }),
    photos: photos.length,
    unreadable,
    features: featureInfo,
    duplicates: dups,
    shortcuts: cut,
    suspects: sus,
    sheet,
    seconds,
  };
  if (sheet) {
    t = performance.now();
    writeSheet(core, report, sheet, log);
    lap('sheet', t);
  }
  seconds.total = round((performance.now() - started) / 1000, 2);
  return report;
}

// `audit` from the command line. Returns the exit code.
export async function auditCommand(core, args, { log }) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      train: { type: 'string', multiple: true },
      test: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      sheet: { type: 'string' },
      suspects: { type: 'string' },
      'no-features': { type: 'boolean' },
      lever: { type: 'string' },
    },
  });
  let roots = [
    ...positionals.map((root) => ({ root, role: rootRole(root) })),
    ...(values.train ?? []).map((root) => ({ root, role: 'train' })),
    ...(values.test ?? []).map((root) => ({ root, role: 'test' })),
  ];
  if (values.lever !== undefined) {
    if (!LEVERS.includes(values.lever)) throw new Error(`--lever wants one of ${LEVERS.join(', ')}`);
    if (roots.length > 0) throw new Error('audit --lever audits the photos the lever trains on: leave out the folders');
  } else {
    if (roots.length === 0)
      throw new Error('audit needs at least one folder: santa-lens audit DIR... (each with one folder per class)');
    if (new Set(roots.map((r) => path.resolve(r.root))).size !== roots.length) throw new Error('audit: a folder is given twice');
  }
  const perClass = numberOption(values.suspects, 'suspects') ?? 6;
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > 100)
    throw new Error('--suspects wants a whole number from 1 to 100');
  if (values.sheet) fs.mkdirSync(path.dirname(path.resolve(values.sheet)), { recursive: true });
  let given = null;
  if (values.lever !== undefined) ({ roots, given } = leverTrainingPhotos(core, values.lever, log));
  const report = await audit(core, roots, {
    given,
    useFeatures: !values['no-features'],
    sheet: values.sheet ?? null,
    perClass,
    log,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printAudit(report);
  return 0;
}

// `audit --lever NAME`: the photos `model train --lever NAME` trains on, all of them train photos,
// as {roots, given} for audit().
function leverTrainingPhotos(core, lever, log) {
  const photos = leverPhotos(core, { log });
  const items = [...photos.real, ...leverExtras(lever, photos)].map((item) => ({ ...item, role: 'train' }));
  const roots = [...new Set(items.map((item) => item.root))].map((root) => ({ root, role: 'train' }));
  return { roots, given: { classes: photos.labels, items } };
}
