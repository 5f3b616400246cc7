import { fileURLToPath } from 'node:url';
import { loadBundle, type CodeCacheOutcome } from './load-bundle.js';

const WHY: Record<CodeCacheOutcome, string> = {
  accepted: 'code cache accepted',
  missing: 'no code cache: compiling the bundle (run scripts/code-cache.mjs; the start is slower, nothing else changes)',
  stale: 'code cache is for another bundle, Node or V8 flags: ignored, compiling the bundle (run scripts/code-cache.mjs)',
  rejected: 'code cache rejected by V8: compiling the bundle (run scripts/code-cache.mjs)',
  'source-maps': 'source maps are on (--enable-source-maps): the bundle loads through require, without its code cache',
  unused: 'code cache not used',
};

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Whether the service's LOG_LEVEL (mesh/src/logger.ts; 'info' by default) lets a line of `level` through. */
function logs(level: 'info' | 'warn'): boolean {
  const at = LEVELS.indexOf(process.env.LOG_LEVEL || 'info');
  return LEVELS.indexOf(level) >= (at < 0 ? LEVELS.indexOf('info') : at);
}

/**
 * A service's entry point (services/<name>/dist/main.bundle.mjs, which scripts/bundle.mjs writes
 * around this function): loads its bundle, main.bundle.cjs, from its code cache when it has a usable
 * one, and starts the service. The outcome is logged as one line shaped like the service's own
 * (mesh/src/logger.ts), a warning when the cache could not be used, before the service's logger exists.
 */
export async function launchBundle(service: string, bundleUrl: URL): Promise<void> {
  const { exports, cache } = loadBundle(fileURLToPath(bundleUrl));
  const level = cache === 'accepted' || cache === 'source-maps' ? 'info' : 'warn';
  if (logs(level)) process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service, codeCache: cache, msg: WHY[cache] })}\n`);
  if (typeof exports.start !== 'function') throw new Error(`${fileURLToPath(bundleUrl)} exports no start()`);
  await exports.start();
}
