import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { NEVER_ROUTED_PREFIXES } from '../topology.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problems } from './problem.js';

/**
 * The built web app (web/dist) as the local ingress serves it at `/` and the web image serves it in
 * the cluster (web/server.mjs): files as they are, hashed
 * assets cached for a year, every other path answered with index.html so the app's own routes work
 * on reload, and the browser security headers on everything (a strict CSP: scripts only from this
 * origin, no inline script).
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Media may be served from another origin (S3 in the cluster): `imageOrigins` adds them to img-src. */
export function securityHeaders(imageOrigins: readonly string[] = []): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${imageOrigins.map((o) => ` ${o}`).join('')}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** True for paths the app may answer: not the API, the well-known documents or never-routed ones. */
export function isAppPath(pathname: string): boolean {
  if (pathname.startsWith('/api/') || pathname === '/api' || pathname.startsWith('/.well-known/')) return false;
  return !NEVER_ROUTED_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * How the ingress's own static handlers (the web app, /docs) answer: whole bodies with the security
 * headers and a cache policy, HEAD without the body, anything but GET or HEAD a 405 with Allow, and
 * every error as problem+json, as the services answer theirs (a request that strays here, e.g. an
 * API path whose dot segments the proxy resolved to `/`, still gets an error a client can read).
 */
export function staticResponder(headers: Record<string, string>, defaultCache: string) {
  function send(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    cache = defaultCache,
  ): void {
    res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': cache });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
  /** An error as RFC 9457 problem details (mesh/src/http/problem.ts), never cached. */
  function sendProblem(req: http.IncomingMessage, res: http.ServerResponse, problem: ProblemError): void {
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    send(req, res, problem.status, PROBLEM_CONTENT_TYPE, JSON.stringify(problem.toDocument()), 'no-store');
  }
  /** True when the request was not a read and has been answered with the 405. */
  function refusedUnlessRead(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method === 'GET' || req.method === 'HEAD') return false;
    sendProblem(req, res, new ProblemError(405, 'method-not-allowed', 'Only GET and HEAD are allowed here.', { headers: { allow: 'GET, HEAD' } }));
    return true;
  }
  return { send, sendProblem, refusedUnlessRead };
}

export interface WebAppOptions {
  /** The folder of the built app (web/dist). */
  readonly root: string;
  readonly imageOrigins?: readonly string[];
}

/** Node built-ins only, so the web image runs it without installing anything. */
export function webAppHandler(opts: WebAppOptions) {
  const root = path.resolve(opts.root);
  const headers = securityHeaders(opts.imageOrigins);
  const { sendProblem, refusedUnlessRead } = staticResponder(headers, 'no-store');

  async function file(p: string): Promise<{ path: string; size: number } | undefined> {
    try {
      const s = await stat(p);
      return s.isFile() ? { path: p, size: s.size } : undefined;
    } catch {
      return undefined;
    }
  }

  return async function serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    req.resume();
    if (refusedUnlessRead(req, res)) return;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      sendProblem(req, res, new ProblemError(400, 'validation', 'The path is not valid percent-encoding.'));
      return;
    }
    const candidate = path.resolve(root, `.${decoded}`);
    const inside = candidate === root || candidate.startsWith(`${root}${path.sep}`);
    let found = inside && !decoded.includes('\0') ? await file(candidate) : undefined;
    let cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (!found) {
      // A missing asset is a 404; anything else is one of the app's routes.
      if (pathname.startsWith('/assets/') || path.extname(decoded)) {
        sendProblem(req, res, problems.notFound('No such file.'));
        return;
      }
      found = await file(path.join(root, 'index.html'));
      cache = 'no-cache';
      if (!found) {
        sendProblem(req, res, problems.unavailable('The web app is not built: run npm run build -w web (npm start does).'));
        return;
      }
    }
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[path.extname(found.path)] ?? 'application/octet-stream',
      'content-length': found.size,
      'cache-control': cache,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.path)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
