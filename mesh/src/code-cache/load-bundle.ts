import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { cachePathFor, codeCacheKey, decodeCodeCache } from './cache-file.js';

/**
 * What became of the code cache: `accepted` (the bundle's code came from it), `missing` (no file),
 * `stale` (made for another bundle, Node or set of V8 flags), `rejected` (V8 refused it: a foreign or
 * damaged cache under a matching key), `source-maps` (--enable-source-maps is on: the bundle loads
 * through `require`, whose stack traces Node maps to the TypeScript sources, and vm.Script's it does
 * not on Node 20) or `unused` (not asked for).
 */
export type CodeCacheOutcome = 'accepted' | 'missing' | 'stale' | 'rejected' | 'source-maps' | 'unused';

export interface LoadedBundle {
  /** What the bundle exports: a service's `start` (services/<name>/src/start.ts). */
  readonly exports: { readonly start?: () => Promise<void> };
  readonly cache: CodeCacheOutcome;
  /** V8's code cache of the bundle as it stands (including what ran so far); only when compiled here. */
  readonly createCachedData?: () => Buffer;
  /** The cache key of the bundle's bytes under this process's Node and V8 flags. */
  readonly key: string;
}

// Node's own CommonJS wrapper, on a line of its own: `lineOffset: -1` keeps the bundle's line numbers in stack traces.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';

type ModuleWrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

function readCache(bundlePath: string, key: string): { cache: CodeCacheOutcome; data?: Buffer } {
  let file: Buffer;
  try {
    file = readFileSync(cachePathFor(bundlePath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cache: 'missing' };
    throw err;
  }
  const decoded = decodeCodeCache(file);
  return decoded?.key === key ? { cache: 'accepted', data: decoded.data } : { cache: 'stale' };
}

/**
 * Loads a CommonJS bundle (scripts/bundle.mjs) and runs its module initialisation. Compiled with
 * vm.Script — the one way Node 20 compiles code from a V8 code cache — from its cache when `useCache`
 * and the cache's key fits; `filename` is the bundle's path, so stack traces name it.
 */
export function loadBundle(bundlePath: string, useCache = true): LoadedBundle {
  const bundle = readFileSync(bundlePath);
  const key = codeCacheKey(bundle);
  if (process.sourceMapsEnabled && useCache) {
    return { exports: createRequire(bundlePath)(bundlePath) as LoadedBundle['exports'], cache: 'source-maps', key };
  }
  const found: { cache: CodeCacheOutcome; data?: Buffer } = useCache ? readCache(bundlePath, key) : { cache: 'unused' };
  const { data } = found;
  let { cache } = found;
  const script = new Script(WRAPPER_HEAD + bundle.toString('utf8') + WRAPPER_TAIL, { filename: bundlePath, lineOffset: -1, cachedData: data });
  if (data && script.cachedDataRejected) cache = 'rejected';
  const module = { exports: {} };
  (script.runInThisContext() as ModuleWrapper).call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    path.dirname(bundlePath),
  );
  return { exports: module.exports, cache, key, createCachedData: () => script.createCachedData() };
}
