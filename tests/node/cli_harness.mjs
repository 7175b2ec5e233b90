// tests/node/cli_harness.mjs: what the CLI tests share: where things are, when to skip, and
// running ./tools/santa-lens as a user does (a child process; exit code, stdout, stderr).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dataRoot } from '../../tools/cli/data_root.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shared = dataRoot;
export const cli = path.join(root, 'tools/santa-lens');

// The model the card names (the one the CLI runs).
export const modelName = JSON.parse(fs.readFileSync(path.join(root, 'assets/santa_resnet50.json'), 'utf8')).model;

// Why a test that needs the built model and the photos (tools/cli/data_root.mjs) cannot run, or false.
export const skipWithoutModelAndPhotos = !fs.existsSync(path.join(root, 'assets', modelName))
  ? 'no model: run ./tools/santa-lens model build'
  : !fs.existsSync(path.join(shared, 'santa/test'))
    ? `no photos in ${shared}`
    : false;

// `env` adds to the environment; `timeout` (ms) stops a hung run.
export function run(args, { env = {}, timeout = 600_000 } = {}) {
  const r = spawnSync(cli, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
