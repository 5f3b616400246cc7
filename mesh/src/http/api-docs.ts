import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type http from 'node:http';
import path from 'node:path';
import { securityHeaders, staticResponder } from './web-app.js';
import { problems } from './problem.js';

/**
 * One Swagger UI for the whole public API (openapi/agora.json, which holds no internal operation),
 * as the ingress serves it at `/docs`: the page, its two swagger-ui-dist assets (by fixed name,
 * nothing else from the package) and the document at `/docs/openapi.json`. Everything goes out
 * with the web app's security headers unchanged (scripts and styles from this origin only, no
 * inline script): the page has no inline script or style, the start-up lives in /docs/init.js.
 * Node built-ins only (plus swagger-ui-dist's files), like the web app's handler.
 */
export const API_DOCS_PREFIX = '/docs';

const require = createRequire(import.meta.url);

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The only files of swagger-ui-dist the page uses: what an image copies (web/Dockerfile). */
export const API_DOCS_ASSETS: readonly string[] = Object.keys(ASSETS);

// The validator badge would load an image from validator.swagger.io: off (and the CSP would refuse it).
const INIT = `window.ui = SwaggerUIBundle({
  url: '${API_DOCS_PREFIX}/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agora public API</title>
<link rel="icon" type="image/png" href="${API_DOCS_PREFIX}/favicon-32x32.png">
<link rel="stylesheet" href="${API_DOCS_PREFIX}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${API_DOCS_PREFIX}/swagger-ui-bundle.js"></script>
<script src="${API_DOCS_PREFIX}/init.js"></script>
</body>
</html>
`;

export function isApiDocsPath(pathname: string): boolean {
  return pathname === API_DOCS_PREFIX || pathname.startsWith(`${API_DOCS_PREFIX}/`);
}

export interface ApiDocsOptions {
  /** The merged public API document (openapi/agora.json). */
  readonly spec: string;
  /** Where swagger-ui-dist's files are; default: the installed package (an image may copy them elsewhere). */
  readonly assetDir?: string;
}

export function apiDocsHandler(opts: ApiDocsOptions) {
  const assetDir = opts.assetDir ?? path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const { send, sendProblem, refusedUnlessRead } = staticResponder(securityHeaders(), 'no-cache');

  return async function serveApiDocs(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    req.resume();
    if (refusedUnlessRead(req, res)) return;
    const name = pathname.slice(API_DOCS_PREFIX.length).replace(/^\//, '');
    if (name === '') return send(req, res, 200, 'text/html; charset=utf-8', PAGE);
    if (name === 'init.js') return send(req, res, 200, 'text/javascript; charset=utf-8', INIT);
    if (name === 'openapi.json') {
      let spec: string;
      try {
        spec = await readFile(opts.spec, 'utf8');
      } catch {
        return sendProblem(req, res, problems.unavailable('The public API document is missing: run npm run generate.'));
      }
      return send(req, res, 200, 'application/json', spec);
    }
    const type = ASSETS[name];
    if (!type) return sendProblem(req, res, problems.notFound('No such file.'));
    send(req, res, 200, type, await readFile(path.join(assetDir, name)), 'public, max-age=86400');
  };
}
