// web/decode_photo.mjs: a photo file (Blob) -> RGBA pixels, decoded by the browser.
//
//   const image = await decodePhoto(file, file.name);   // ImageData: {data, width, height}
//
// The browser reads JPEG, PNG, WebP, BMP and GIF (first frame) and turns the photo upright by
// its EXIF orientation (imageOrientation: 'from-image'). Transparent pixels are laid on white:
// a canvas cannot keep the colour of a fully transparent pixel, so there is no truer choice.
// Failures throw an Error whose message is meant for people.
export async function decodePhoto(blob, name) {
  const what = name ? `“${name}”` : 'The pasted item';
  if (blob.size === 0) throw new Error(`${what} is empty (0 bytes).`);
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    const kind = blob.type && !blob.type.startsWith('image/') ? ` (${blob.type})` : '';
    throw new Error(`${what}${kind} is not an image this browser can read, or it is damaged. ` +
      'Use a JPEG, PNG, WebP, BMP or GIF photo.');
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
