// tools/cli/photos.mjs: finding and reading photos. A labelled folder holds one subfolder per
// class (person/, santa/); any file in it counts, whatever its extension (decoding goes by
// content), and a file that cannot be read is reported, not fatal.
import fs from 'node:fs';
import path from 'node:path';
import { dataPath } from './data_root.mjs';

export const MAX_FILE_BYTES = 256 * 1024 * 1024;

// [{file, label, root}] for every file under root/<label>/, sorted, for each label present.
export function listLabelledPhotos(root, labels) {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`${root}: no such folder`);
  const found = [];
  for (const [index, label] of labels.entries()) {
    const dir = path.join(root, label);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const file = path.join(dir, name);
      if (fs.statSync(file).isFile()) found.push({ file, label: index, root });
    }
  }
  if (found.length === 0) {
    throw new Error(`${root}: no photos in ${labels.map((l) => `${l}/`).join(' or ')}`);
  }
  return found;
}

// The real photos the card's head trained on: its data folders, less the files it left out (its
// lever's record). [] when the card names no training data.
export function cardTrainingPhotos(card) {
  const leftOut = new Set((card.json.training?.lever?.left_out ?? []).map(dataPath));
  return (card.json.training?.data ?? [])
    .flatMap((d) => listLabelledPhotos(dataPath(d.root), card.info.labels))
    .filter((item) => !leftOut.has(item.file));
}

// `n` of `items` spread evenly over the list (every k-th, from the first), or all if fewer: the
// same ones every time, and not just the first few names (folders whose names start with a
// source's prefix would give one source only).
export function everyKth(items, n) {
  const step = Math.max(1, items.length / n);
  return Array.from({ length: Math.min(n, Math.ceil(items.length / step)) }, (_, i) => items[Math.floor(i * step)]);
}

// The class folders of a labelled folder: its subfolders, sorted, hidden ones left out.
export function classFolders(root) {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`${root}: no such folder`);
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(
      (e) =>
        !e.name.startsWith('.') &&
        (e.isDirectory() || (e.isSymbolicLink() && fs.statSync(path.join(root, e.name)).isDirectory())),
    )
    .map((e) => e.name)
    .sort();
}

// The bytes of a photo, or a one-line error naming the problem.
export function readPhoto(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return { error: 'no such file' };
  }
  if (!stat.isFile()) return { error: 'not a file' };
  if (stat.size > MAX_FILE_BYTES) return { error: `file too large (${(stat.size / 2 ** 20).toFixed(0)} MB)` };
  try {
    return { bytes: new Uint8Array(fs.readFileSync(file)) };
  } catch (err) {
    return { error: err.code ?? err.message };
  }
}
