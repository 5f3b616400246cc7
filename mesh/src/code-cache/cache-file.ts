import { createHash } from 'node:crypto';
import { cachedDataVersionTag } from 'node:v8';

/**
 * What a V8 code cache is valid for: this Node (its V8 and the V8 flags and CPU features it runs
 * with: `cachedDataVersionTag()`) and these exact bundle bytes. V8 checks its flags itself but of the
 * source only its length, so without the bundle's hash a cache made for other code of the same
 * length would be used, silently.
 */
export function codeCacheKey(bundle: Buffer): string {
  return JSON.stringify({
    node: process.version,
    arch: process.arch,
    v8: cachedDataVersionTag(),
    bundle: createHash('sha256').update(bundle).digest('hex'),
  });
}

/** A cache file: its key on the first line, then V8's cached data. */
export function encodeCodeCache(key: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${key}\n`), data]);
}

export function decodeCodeCache(file: Buffer): { key: string; data: Buffer } | undefined {
  const end = file.indexOf(0x0a);
  if (end < 0) return undefined;
  return { key: file.subarray(0, end).toString('utf8'), data: file.subarray(end + 1) };
}

/** services/<name>/dist/main.bundle.cjs → services/<name>/dist/main.bundle.cache */
export const cachePathFor = (bundlePath: string): string => bundlePath.replace(/\.cjs$/, '') + '.cache';
