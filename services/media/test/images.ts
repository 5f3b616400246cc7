import { randomBytes } from 'node:crypto';

/**
 * Small, structurally real images of each accepted type with a chosen pixel size, padded with
 * random bytes to `size`: what file-type and image-size read (signature and header) is genuine, the
 * rest is noise like any compressed image data. Built here rather than shipped as binary fixtures,
 * so each test states the size it expects.
 */

function pad(head: Buffer, size: number): Buffer {
  if (size < head.length) throw new Error(`this image needs at least ${head.length} bytes`);
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

const u16be = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u16le = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const u24le = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, n >> 16]);
function u32(n: number, le = false): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(n);
  else b.writeUInt32BE(n);
  return b;
}

export function png(width: number, height: number, size = 512): Buffer {
  const ihdr = Buffer.concat([u32(13), Buffer.from('IHDR'), u32(width), u32(height), Buffer.from([8, 6, 0, 0, 0]), Buffer.alloc(4)]);
  const head = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
  const idat = size - head.length - 12;
  return Buffer.concat([head, u32(idat), Buffer.from('IDAT'), randomBytes(idat), Buffer.alloc(4)]);
}

export function gif(width: number, height: number, size = 512): Buffer {
  return pad(Buffer.concat([Buffer.from('GIF89a'), u16le(width), u16le(height), Buffer.from([0xf7, 0, 0])]), size);
}

/** Extended WebP (VP8X): the canvas size is stored minus one, 24 bits each. */
export function webp(width: number, height: number, size = 512): Buffer {
  const vp8x = Buffer.concat([Buffer.from('VP8X'), u32(10, true), Buffer.from([0, 0, 0, 0]), u24le(width - 1), u24le(height - 1)]);
  const body = Buffer.concat([Buffer.from('WEBP'), vp8x]);
  return pad(Buffer.concat([Buffer.from('RIFF'), u32(size - 8, true), body]), size);
}

export interface JpegOptions {
  /** EXIF orientation (1–8); 5–8 show the image turned a quarter. */
  orientation?: number;
  /** Bytes of metadata segments before the frame header, e.g. to push the size past media's first read. */
  metadataBytes?: number;
  size?: number;
}

/** A baseline JPEG: SOI, JFIF (APP0), optional EXIF (APP1) and filler (APP2) segments, then SOF0 with the size. */
export function jpeg(width: number, height: number, opts: JpegOptions = {}): Buffer {
  const segment = (marker: number, data: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16be(data.length + 2), data]);
  // Every real JPEG opens with an APP0/APP1 segment, and image-size expects one there.
  const parts = [Buffer.from([0xff, 0xd8]), segment(0xe0, Buffer.from([...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]))];
  if (opts.orientation !== undefined) {
    const ifd = Buffer.concat([u16be(1), u16be(0x0112), u16be(3), u32(1), u16be(opts.orientation), u16be(0), u32(0)]);
    parts.push(segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from('MM'), u16be(42), u32(8), ifd])));
  }
  for (let left = opts.metadataBytes ?? 0; left > 0; left -= 65_533 + 4) parts.push(segment(0xe2, Buffer.alloc(Math.min(65_533, left))));
  parts.push(segment(0xc0, Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])])));
  const head = Buffer.concat(parts);
  return Buffer.concat([pad(head, (opts.size ?? head.length + 512) - 2), Buffer.from([0xff, 0xd9])]);
}
