// tools/cli/data_root.mjs: where the photos are. One setting for every script, test and
// benchmark on the Node side: $SANTA_LENS_DATA, else the default below (the C++ side reads the
// same variable, with the same default, in CMakeLists.txt). The model card names data folders
// relative to this root, never by a path of the machine that trained it.
//
//   import { dataRoot, dataName, dataPath } from './data_root.mjs';
//   dataPath('santa/test')          // -> /abs/.../santa/test
//   dataName('/abs/.../santa/test') // -> 'santa/test' (a path outside the root stays absolute)
import path from 'node:path';
import { repoRoot } from './core.mjs';

export const dataRoot = path.resolve(process.env.SANTA_LENS_DATA || path.join(repoRoot, '..', 'shared', 'data'));

export const dataPath = (name) => path.resolve(dataRoot, name);

export function dataName(dir) {
  const rel = path.relative(dataRoot, path.resolve(dir));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.resolve(dir);
}
