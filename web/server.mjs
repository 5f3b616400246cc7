/**
 * The web image's server: the built app (web/dist) with the same handler and headers as the local
 * ingress (mesh/src/http/web-app.ts), Swagger UI of the merged public API at `/docs` with the
 * ingress's handler too (mesh/src/http/api-docs.ts), plus the probes. No dependencies beyond Node.
 * In the cluster the Istio Gateway sends `/` (so `/docs`) here and `/api`, `/.well-known` to the services.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiDocsHandler, isApiDocsPath } from '../mesh/dist/http/api-docs.js';
import { problems, ProblemError } from '../mesh/dist/http/problem.js';
import { isAppPath, securityHeaders, staticResponder, webAppHandler } from '../mesh/dist/http/web-app.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'dist');
// The image holds the document at openapi/agora.json and swagger-ui-dist's few files in web/api-docs
// (web/Dockerfile); run from a checkout, the installed package serves them.
const docsAssets = path.join(here, 'api-docs');
const docs = apiDocsHandler({ spec: path.join(here, '..', 'openapi', 'agora.json'), assetDir: existsSync(docsAssets) ? docsAssets : undefined });
// Media live on the object store's origin in the cluster (S3): the CSP must allow those images.
const imageOrigins = (process.env.WEB_IMAGE_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
const serve = webAppHandler({ root, imageOrigins });
let draining = false;

// The server's own errors answered as the app's handler answers its own: problem+json, security headers.
const { sendProblem } = staticResponder(securityHeaders(imageOrigins), 'no-store');

const server = http.createServer((req, res) => {
  let pathname;
  try {
    pathname = new URL(req.url ?? '/', 'http://web').pathname.replace(/\/{2,}/g, '/');
  } catch {
    sendProblem(req, res, new ProblemError(400, 'validation', 'The request target is not a valid path.'));
    return;
  }
  if (pathname === '/healthz/live' || pathname === '/healthz/ready') {
    const ok = pathname === '/healthz/live' || !draining;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end(ok ? 'ok\n' : 'draining\n');
    return;
  }
  if (isApiDocsPath(pathname)) {
    void docs(req, res, pathname);
    return;
  }
  // The Gateway sends the API elsewhere; should a path of it arrive here anyway, it is not a page.
  if (!isAppPath(pathname)) {
    sendProblem(req, res, problems.notFound('No such page: the API is served under /api by the services.'));
    return;
  }
  void serve(req, res, pathname);
});
server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '0.0.0.0');

// Graceful: readiness fails first so the endpoints drop this pod, then the server closes.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    draining = true;
    setTimeout(() => server.close(() => process.exit(0)), Number(process.env.SHUTDOWN_DELAY_MS ?? 5000)).unref();
    setTimeout(() => process.exit(0), 20_000).unref();
  });
}
