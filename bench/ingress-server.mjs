// The local ingress (tools/src/local/ingress.ts) in its own process, as `npm start` runs it beside
// the services — so that in the bench it does not share the load generator's CPU.
// Env: PORT, UPSTREAMS (JSON: service → base URL), OBJECT_STORE (base URL), WEB_ROOT (optional: the
// built web app, served at `/` as `npm start` serves it).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startIngress } = await import(pathToFileURL(path.join(root, 'tools/dist/local/ingress.js')).href);
const ingress = await startIngress({
  port: Number(process.env.PORT),
  upstreams: JSON.parse(process.env.UPSTREAMS),
  objectStore: process.env.OBJECT_STORE,
  ...(process.env.WEB_ROOT ? { web: { root: process.env.WEB_ROOT } } : {}),
});
const stop = () => ingress.close(1000).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
