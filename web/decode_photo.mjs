// web/decode_photo.mjs: a photo file (Blob) -> RGB pixels, decoded by the core in a worker
// (decode_worker.mjs): the CLI's decoder, so the page and the CLI see the same pixels and give a
// photo the same prediction. The core reads the header first (format, size, frames): a 400 MP
// photo is refused at once, in the CLI's words; it accepts JPEG, PNG, WebP, BMP and GIF (an
// animation's first frame), told by content, turns a JPEG upright by its EXIF orientation, and
// drops alpha as the CLI does.
//
//   const decoder = new PhotoDecoder();
//   const image = await decoder.decode(file, file.name);  // {rgb: Uint8Array, width, height},
//                                                         // or null: a later photo replaced it
//   decoder.memoryBytes;                                  // the worker's WebAssembly memory
//
// One photo decodes at a time. Photos handed in while one decodes wait, and a later one replaces
// a waiting one (which then gives null): of 20 photos dropped at once, the first and the last are
// decoded, not all 20. Failures throw an Error whose message is meant for people.

// Files over this are refused before they are read, as the CLI does (tools/cli/photos.mjs).
const MAX_FILE_BYTES = 256 * 1024 * 1024;
// WebAssembly memory never shrinks: after a photo that grew the worker's past this, the worker is
// replaced, so one huge photo does not hold hundreds of MB for the rest of the visit.
const MAX_KEPT_HEAP_BYTES = 256 * 1024 * 1024;

export class PhotoDecoder {
  #worker = null;
  #decoded = null; // resolves the photo in the worker
  #waiting = null; // {bytes, resolve}: the next photo
  #heapBytes = 0;

  get memoryBytes() {
    return this.#worker ? this.#heapBytes : 0;
  }

  async decode(blob, name) {
    const what = name ? `“${name}”` : 'The pasted item';
    if (blob.size === 0) throw new Error(`${what} is empty (0 bytes).`);
    if (blob.size > MAX_FILE_BYTES) throw new Error(`${what} is too large (${(blob.size / 2 ** 20).toFixed(0)} MB).`);
    const result = await this.#decode(new Uint8Array(await blob.arrayBuffer()));
    if (!result) return null;
    if (result.error) throw new Error(`${what}: ${result.error}.`);
    return result;
  }

  #decode(bytes) {
    return new Promise((resolve) => {
      this.#waiting?.resolve(null);
      this.#waiting = { bytes, resolve };
      this.#next();
    });
  }

  #next() {
    if (this.#decoded || !this.#waiting) return;
    const { bytes, resolve } = this.#waiting;
    this.#waiting = null;
    this.#decoded = resolve;
    this.#worker ??= this.#start();
    this.#worker.postMessage({ bytes }, [bytes.buffer]);
  }

  #start() {
    const worker = new Worker(new URL('./decode_worker.mjs', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => this.#finish(data);
    // The worker's script or module failed to load (a damaged site, a blocked file).
    worker.onerror = (e) => {
      e.preventDefault();
      this.#stop();
      this.#finish({ error: `the photo decoder did not start (${e.message || 'its script failed to load'})` });
    };
    return worker;
  }

  #stop() {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #finish(data) {
    this.#heapBytes = data.heapBytes ?? 0;
    if (this.#heapBytes > MAX_KEPT_HEAP_BYTES) this.#stop();
    const resolve = this.#decoded;
    this.#decoded = null;
    resolve?.(data);
    this.#next();
  }
}
