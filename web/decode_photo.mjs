// web/decode_photo.mjs: a photo file (Blob) -> RGBA pixels, decoded by the browser once the
// core has read its header.
//
//   const image = await decodePhoto(file, file.name, (bytes) => app.checkPhoto(bytes));
//   // ImageData: {data, width, height}
//
// The header first: `checkHeader` (the core, web/santa_app.mjs) reads the format, size and
// frames from the file's bytes and refuses, in the CLI's words, what is not a JPEG, PNG, WebP,
// BMP or GIF or is over the core's limits: a 400 MP photo is refused at once, where the browser
// would first decode it for seconds. Then the browser reads the photo (an animation's first
// frame) and turns it upright by its EXIF orientation (imageOrientation: 'from-image').
// Transparent pixels are laid on white: a canvas cannot keep the colour of a fully transparent
// pixel, so there is no truer choice. Failures throw an Error whose message is meant for people.

// Files over this are refused before they are read, as the CLI does (tools/cli/photos.mjs).
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export async function decodePhoto(blob, name, checkHeader) {
  const what = name ? `“${name}”` : 'The pasted item';
  if (blob.size === 0) throw new Error(`${what} is empty (0 bytes).`);
  if (blob.size > MAX_FILE_BYTES) throw new Error(`${what} is too large (${(blob.size / 2 ** 20).toFixed(0)} MB).`);
  const why = checkHeader(new Uint8Array(await blob.arrayBuffer()));
  if (why) throw new Error(`${what}: ${why}.`);
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    const kind = blob.type && !blob.type.startsWith('image/') ? ` (${blob.type})` : '';
    throw new Error(
      `${what}${kind} is not an image this browser can read, or it is damaged. ` + 'Use a JPEG, PNG, WebP, BMP or GIF photo.',
    );
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0);
    return ctx.getImageData(0, 0, width, height);
  } catch (e) {
    throw new Error(`${what} is too large to decode here (${bitmap.width}×${bitmap.height}): ${e.message}`);
  } finally {
    bitmap.close();
  }
}
