/**
 * Preload module that starts OpenTelemetry before the service's ESM modules load:
 *
 *   node --import @agora/mesh/observability/register services/<name>/dist/main.js
 *   (in the images: --import ./mesh/dist/observability/register.js)
 *
 * Without an OTLP endpoint in the environment it does nothing else than read two variables: no SDK,
 * no hooks, no per-request cost. With one, it starts tracing (tracer provider and instrumentations,
 * which hook `require`) and requires the hooked modules the app would otherwise import from ESM
 * (koa), so the app's first `import Koa from 'koa'` is already patched.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { tracingConfigured } from './tracing.js';

// Through NODE_OPTIONS (the images) this module also preloads one-shot scripts (migrate, seed,
// rotate-keys): only a service's main process is traced.
const script = path.basename(process.argv[1] ?? '');
const oneShot = /^(migrate|seed|rotate-keys)\.js$/.test(script);

if (!oneShot && tracingConfigured()) {
  const { startTracing } = await import('./tracing.js');
  await startTracing();
  // The instrumentations patch what is loaded through `require` (require-in-the-middle). http and
  // pg are required by CommonJS code (koa, sequelize) and patched then. koa is the one hooked module
  // the app imports from ESM (mesh/src/app.ts): it is required here first, so it is patched now, in
  // place, and the ESM import gets that same module from the CommonJS cache. This replaces
  // import-in-the-middle's loader hook, whose thread handled every module the service loads
  // (≈ 0.3–0.5 s of CPU at each start, docs/benchmarks.md row 5) only to intercept koa.
  const require = createRequire(import.meta.url);
  for (const id of ['node:http', 'node:https', 'koa']) require(id);
}
