// tools/cli/core.mjs: loads the core (C++ compiled to WebAssembly for node) and turns its
// {error} results into thrown Errors. Every other CLI module gets the core from here.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The WebAssembly build of the core: build/wasm, or $SANTA_LENS_WASM_BUILD.
export const wasmBuild = path.resolve(repoRoot, process.env.SANTA_LENS_WASM_BUILD ?? 'build/wasm');
// The Emscripten module of the bindings (wasm/bindings), built by tools/build.sh.
export const coreModule = path.join(wasmBuild, 'wasm/bindings/santa_lens_node.js');

let corePromise = null;

export function loadCore() {
  corePromise ??= (async () => {
    const js = coreModule;
    if (!fs.existsSync(js)) throw new Error(`the core is not built (${js} is missing): run tools/build.sh`);
    const createSantaLens = createRequire(import.meta.url)(js);
    // wasmBinary: Node 20's fetch cannot load a file path, which Emscripten 3.1.6 tries first.
    return createSantaLens({ wasmBinary: fs.readFileSync(js.replace(/\.js$/, '.wasm')) });
  })();
  return corePromise;
}

// Bindings return {error: "..."} instead of throwing across the wasm boundary.
export function unwrap(result, context = '') {
  if (result && typeof result.error === 'string') {
    throw new Error(context ? `${context}: ${result.error}` : result.error);
  }
  return result;
}
