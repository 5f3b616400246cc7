/**
 * Preload module that starts OpenTelemetry before the service's ESM modules load:
 *
 *   node --import @agora/mesh/observability/register services/<name>/dist/main.js
 *   (in the images: --import ./mesh/dist/observability/register.js)
 *
 * Without an OTLP endpoint in the environment it does nothing else than read two variables: no SDK,
 * no loader hook, no per-request cost. With one, it registers import-in-the-middle's loader hook
 * (koa is imported from ESM; only the modules the instrumentations hook are intercepted), starts
 * tracing (tracer provider and instrumentations, which register the hooks), and waits until the loader thread has acknowledged them,
 * so the app's first `import Koa from 'koa'` is already patched.
 */
import path from 'node:path';
import { tracingConfigured } from './tracing.js';

// Through NODE_OPTIONS (the images) this module also preloads one-shot scripts (migrate, seed,
// rotate-keys): only a service's main process is traced.
const script = path.basename(process.argv[1] ?? '');
const oneShot = /^(migrate|seed|rotate-keys)\.js$/.test(script);

if (!oneShot && tracingConfigured()) {
  const { register } = await import('node:module');
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTracing } = await import('./tracing.js');
  await startTracing();
  await waitForAllMessagesAcknowledged();
}
