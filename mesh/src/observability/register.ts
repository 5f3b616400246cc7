/**
 * Preload module that starts OpenTelemetry before the service's ESM modules load:
 *
 *   node --import @agora/mesh/observability/register services/<name>/dist/main.js
 *   (the images, the local run, the tests and the bench preload its bundle,
 *   mesh/dist/observability/register.bundle.mjs, before services/<name>/dist/main.bundle.mjs;
 *   the dev image preloads dist/observability/register.js)
 *
 * Without an OTLP endpoint in the environment it does nothing else than read two variables: no SDK,
 * no hooks, no per-request cost. With one, it starts tracing (tracer provider and propagators)
 * before the service's modules load. Nothing is patched: the HTTP server spans come from mesh's Koa
 * middleware (server-span.ts) and the query spans from mesh's pg client (query-span.ts).
 */
import path from 'node:path';
import { tracingConfigured } from './tracing.js';

// Through NODE_OPTIONS (the images) this module also preloads one-shot scripts (migrate, seed,
// rotate-keys): only a service's main process is traced.
const script = path.basename(process.argv[1] ?? '');
const oneShot = /^(migrate|seed|rotate-keys)\.js$/.test(script);

if (!oneShot && tracingConfigured()) {
  const { startTracing } = await import('./tracing.js');
  await startTracing();
}
