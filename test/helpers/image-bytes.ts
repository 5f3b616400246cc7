import { randomBytes } from 'node:crypto';

/**
 * Bytes whose signature says image/png (the PNG signature, an IHDR chunk, then an IDAT chunk filling
 * the rest with random data), `size` bytes long: what media's completion sniffs (file-type) is
 * satisfied, yet the content is random like any compressed image data.
 */
export function pngBytes(size: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]));
  const payload = size - signature.length - ihdr.length - 12; // the IDAT chunk's length, type and CRC
  if (payload < 0) throw new Error(`a PNG needs at least ${size - payload} bytes`);
  return Buffer.concat([signature, ihdr, chunk('IDAT', randomBytes(payload))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // CRC unchecked by sniffers
}
