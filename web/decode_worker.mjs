// web/decode_worker.mjs: photos decoded by the core (wasm/photo_decoder: stb_image, libwebp, EXIF
// orientation), in a worker of the page's own, started by web/decode_photo.mjs. The CLI decodes
// with the same code, so both see the same pixels; and a decode of a large photo (a few hundred
// milliseconds in WebAssembly) never holds up the page's frames.
//
// Message in:  {bytes: Uint8Array}  (the whole file)
// Message out: {width, height, rgb: Uint8Array, heapBytes} | {error, heapBytes}
// `error` is the core's one-line reason (the header is read before any pixel, so a photo over the
// limits is refused at once); heapBytes is the worker's WebAssembly memory after the call, which
// never shrinks: web/decode_photo.mjs starts a new worker after an unusually large photo.
import createPhotoDecoder from './santa_lens_decoder.js';

// A damaged or missing santa_lens_decoder.wasm: every photo then gets this reason.
const decoder = createPhotoDecoder().catch((e) => {
  throw new Error(`the photo decoder did not load (${String(e?.message ?? e).replace(/ Build with .*$/, '')})`);
});

function decode(m, bytes) {
  const file = m._malloc(Math.max(1, bytes.length));
  if (!file) return { error: `${(bytes.length / 1e6).toFixed(0)} MB is too large for this browser's memory` };
  try {
    m.HEAPU8.set(bytes, file >>> 0);
    const pixels = m._sl_decode_photo(file, bytes.length) >>> 0;
    if (!pixels) return { error: m.UTF8ToString(m._sl_decode_error()) };
    const width = m._sl_decoded_width();
    const height = m._sl_decoded_height();
    const rgb = m.HEAPU8.slice(pixels, pixels + width * height * 3);
    return { width, height, rgb };
  } finally {
    m._sl_decoder_release();
    m._free(file);
  }
}

self.onmessage = async ({ data: { bytes } }) => {
  let reply;
  let heapBytes = 0;
  try {
    const m = await decoder;
    reply = decode(m, bytes);
    heapBytes = m.HEAPU8.length;
  } catch (e) {
    // The module did not load, or the heap could not grow.
    reply = { error: String(e?.message ?? e) };
  }
  self.postMessage({ heapBytes, ...reply }, reply.rgb ? [reply.rgb.buffer] : []);
};
