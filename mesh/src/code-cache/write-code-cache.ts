/**
 * `node <the services' V8 flags> mesh/dist/code-cache/write-code-cache.js <bundle.cjs>` (run by
 * scripts/code-cache.mjs): compiles the bundle, runs its module initialisation — the service is not
 * started: no configuration, database or listening socket is needed — and writes V8's code cache,
 * which, made after the code ran, also holds every function the initialisation compiled.
 * V8 accepts a cache only under the flags it was made with, hence the flags on this command line.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cachePathFor, encodeCodeCache } from './cache-file.js';
import { loadBundle } from './load-bundle.js';

const bundlePath = process.argv[2];
if (!bundlePath?.endsWith('.cjs')) {
  console.error('usage: node <V8 flags> write-code-cache.js <services/<name>/dist/main.bundle.cjs>');
  process.exit(2);
}
const absolute = path.resolve(bundlePath);
const { createCachedData, key } = loadBundle(absolute, false);
const data = createCachedData!();
writeFileSync(cachePathFor(absolute), encodeCodeCache(key, data));
console.log(JSON.stringify({ cache: cachePathFor(absolute), bytes: data.length }));
// Modules may have left timers or handles behind: the service was never meant to run here.
process.exit(0);
