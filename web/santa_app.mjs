// web/santa_app.mjs: starts the C++ app (santa_lens_app.js, built from wasm/) on the page's
// canvas and wraps its exported functions (wasm/app/app_bridge.cpp) as plain JS methods.
//
//   const app = await startApp({canvas, fontUrl, host: {announce, explainStatus, layout, download,
//                                                       pickFile, runModel}});
//   app.setModelCard(jsonText);          // throws Error with the app's message when invalid
//   app.photo(image, 'photo.jpg');       // RGB pixels from decode_photo.mjs
//   app.set('show', 'santa');            // a setting, as the app's controls change it
//
// Memory: wasm memory can grow during any call, which replaces the HEAP views, so every method
// reads module.HEAPU8 / HEAPF32 at the moment it writes, never a view kept from before.
// Pointers are read unsigned (ptr >>> 0): memory may grow past 2 GB (MAXIMUM_MEMORY=4GB).
import createSantaLensApp from './santa_lens_app.js';

export async function startApp({ canvas, fontUrl, host }) {
  // The font is read once, while ImGui starts; without it the app falls back to ImGui's own.
  const fontBytes = await fetch(fontUrl)
    .then((r) => (r.ok ? r.arrayBuffer() : null))
    .then((b) => b && new Uint8Array(b))
    .catch(() => null);
  const module = await createSantaLensApp({ canvas, host: { ...host, fontBytes } });
  return new SantaApp(module);
}

class SantaApp {
  #m;

  constructor(module) {
    this.#m = module;
  }

  // 0 is success; otherwise the app left the reason in sl_app_last_error().
  #check(rc) {
    if (rc !== 0) throw new Error(this.#m.UTF8ToString(this.#m._sl_app_last_error()));
  }

  // Calls fn with a NUL-terminated UTF-8 copy of `text` in wasm memory.
  #withString(text, fn) {
    const m = this.#m;
    const size = m.lengthBytesUTF8(text) + 1;
    const ptr = m._malloc(size);
    try {
      m.stringToUTF8(text, ptr, size);
      return fn(ptr);
    } finally {
      m._free(ptr);
    }
  }

  setModelCard(json) {
    this.#check(this.#withString(json, (p) => this.#m._sl_app_model_card(p)));
  }

  // The model file for `backend` ('webgpu' or 'wasm'), relative to the card.
  modelFile(backend) {
    return this.#withString(backend, (p) => this.#m.UTF8ToString(this.#m._sl_app_model_file(p)));
  }

  modelProgress(loaded, total) {
    this.#m._sl_app_model_progress(loaded, total || 0);
  }

  modelStarting() {
    this.#m._sl_app_model_starting();
  }

  modelReady(backend, threads, loadMs) {
    this.#withString(backend, (p) => this.#m._sl_app_model_ready(p, threads, loadMs));
  }

  modelFailed(message) {
    this.#withString(message, (p) => this.#m._sl_app_model_failed(p));
  }

  // `image`: {rgb: Uint8Array, width, height}, as web/decode_photo.mjs gives it.
  photo(image, name) {
    const m = this.#m;
    const ptr = m._malloc(image.rgb.length);
    if (!ptr) throw new Error(`${image.width}×${image.height} is too large for this browser's memory.`);
    try {
      m.HEAPU8.set(image.rgb, ptr >>> 0);
      this.#check(this.#withString(name, (p) => m._sl_app_photo(ptr, image.width, image.height, p)));
    } finally {
      m._free(ptr);
    }
  }

  photoFailed(message) {
    this.#withString(message, (p) => this.#m._sl_app_photo_failed(p));
  }

  // `scores`: Float32Array of the model's outputs for request `id`; `features`: its spatial
  // features output when the request named one, else null.
  scores(id, scores, inferenceMs, features = null) {
    const m = this.#m;
    const ptr = m._malloc(scores.length * 4);
    const fptr = features ? m._malloc(features.length * 4) : 0;
    try {
      m.HEAPF32.set(scores, ptr >>> 2);
      if (features) m.HEAPF32.set(features, fptr >>> 2);
      m._sl_app_scores(id, ptr, scores.length, inferenceMs, fptr, features ? features.length : 0);
    } finally {
      m._free(ptr);
      if (fptr) m._free(fptr);
    }
  }

  // The amortized explainer's file (bytes). A file the app refuses it says so itself.
  explainer(bytes) {
    const m = this.#m;
    const ptr = m._malloc(bytes.length);
    try {
      m.HEAPU8.set(bytes, ptr >>> 0);
      m._sl_app_explainer(ptr, bytes.length);
    } finally {
      m._free(ptr);
    }
  }

  explainerFailed(message) {
    this.#withString(message, (p) => this.#m._sl_app_explainer_failed(p));
  }

  runFailed(id, message) {
    this.#withString(message, (p) => this.#m._sl_app_run_failed(id, p));
  }

  drag(hovering) {
    this.#m._sl_app_drag(hovering ? 1 : 0);
  }

  // Input for the canvas is on its way: the app's frame loop, dozing while nothing happens,
  // ticks at the next display refresh again (wasm/app/main_loop.h).
  wake() {
    this.#m._sl_app_wake();
  }

  // show (photo | all | a label), opacity (0..1), borders (0 | 1), segments, background
  // (mean | blur), budget. Throws Error with the app's message for a bad key or value.
  set(key, value) {
    this.#withString(String(key), (k) => this.#withString(String(value), (v) => this.#check(this.#m._sl_app_set(k, v))));
  }

  cancelExplanation() {
    this.#m._sl_app_cancel_explanation();
  }

  resumeExplanation() {
    this.#m._sl_app_resume_explanation();
  }

  // The size of the app's wasm memory, bytes (it grows, never shrinks).
  memoryBytes() {
    return this.#m.HEAPU8.buffer.byteLength;
  }
}
