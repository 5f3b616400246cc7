import { imageSize } from 'image-size';

/**
 * How many leading bytes completion reads first: more than file-type's documented sample (4 100 B),
 * and enough for the pixel size of nearly every image (PNG, GIF and WebP say it in their first 30
 * bytes; a JPEG after its metadata segments, which are usually well under this).
 */
export const FIRST_READ_BYTES = 64 * 1024;

/** The largest side media records: what JPEG, GIF and WebP can say, and far beyond any real upload. */
export const MAX_SIDE = 65_535;

/** image-size's names for the accepted content types. */
const IMAGE_SIZE_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };

/** The bytes' real type, by their signature (file-type). */
export async function sniffType(bytes: Uint8Array): Promise<string | undefined> {
  // Loaded on the first completion, not at start: the cold start loads only what every request needs.
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(bytes))?.mime;
}

/**
 * The displayed width and height of an image of `contentType` (image-size, which reads headers
 * only, never decodes pixels), or undefined when these bytes do not hold them: truncated before the
 * size (a JPEG whose metadata is longer than what was read), corrupt, another format, or a side of
 * 0 or above MAX_SIDE. EXIF orientations 5–8 turn the image a quarter, so width and height swap.
 */
export function pixelSize(bytes: Uint8Array, contentType: string): { width: number; height: number } | undefined {
  // image-size reads through a DataView on the view's whole ArrayBuffer, so a view that is a window
  // of a larger buffer (a pooled Buffer, a stream chunk) lets it read past the window: a truncated
  // upload could get a size from neighbouring memory. It reads a copy of exactly these bytes.
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  let found;
  try {
    found = imageSize(exact);
  } catch {
    return undefined;
  }
  if (found.type !== IMAGE_SIZE_TYPES[contentType]) return undefined;
  const { width, height } = found;
  const valid = (side: number) => Number.isInteger(side) && side >= 1 && side <= MAX_SIDE;
  if (!valid(width) || !valid(height)) return undefined;
  return found.orientation !== undefined && found.orientation >= 5 && found.orientation <= 8 ? { width: height, height: width } : { width, height };
}

/**
 * The pixel size of a stored object from its first bytes (`start`, FIRST_READ_BYTES or the whole
 * object when shorter), or, for a JPEG whose metadata outgrows them, from the whole object
 * (`readAll`, at most MAX_MEDIA_BYTES). Completion and the size backfill read sizes the same way.
 */
export async function storedPixelSize(
  start: Uint8Array,
  contentType: string,
  sizeBytes: number,
  readAll: () => Promise<Uint8Array>,
): Promise<{ width: number; height: number } | undefined> {
  const size = pixelSize(start, contentType);
  if (size || sizeBytes <= start.length) return size;
  return pixelSize(await readAll(), contentType);
}
