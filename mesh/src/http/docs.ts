import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Router from '@koa/router';

/**
 * Swagger UI for the service's own contract at `/docs` (spec at `/openapi.json`). Assets come from
 * swagger-ui-dist; only the few files the page needs are served, by fixed name.
 */
const require = createRequire(import.meta.url);
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
};

/** `/openapi.json` and Swagger UI at `/docs`, registered on the app's router. */
export function docsRoutes(router: Router, service: string, openapi: object): void {
  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'";
  router.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', csp);
    ctx.type = 'text/html';
    ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>Agora ${service} API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });";
  });
  router.get('/docs/:asset', async (ctx) => {
    const type = ASSETS[ctx.params.asset!];
    if (!type) return; // falls through to the 404 problem
    ctx.set('Content-Security-Policy', csp);
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = type;
    ctx.body = await readFile(path.join(assetDir, ctx.params.asset!));
  });
}
