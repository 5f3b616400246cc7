import Router from '@koa/router';
import type { Middleware } from 'koa';
import { ProblemError } from './problem.js';

/**
 * The app's one router, matching paths the way the mesh does. Istio's AuthorizationPolicies
 * (generated from the same contracts) compare paths exactly and case-sensitively, so the router
 * must too: otherwise `DELETE /api/v1/posts/MODERATION/like` passes the mesh as one operation
 * (unlike, with id "MODERATION") and a case-insensitive router runs another (an admin removal).
 * `strict`: `/api/v1/posts/` is not `/api/v1/posts`.
 */
export function createStrictRouter(): Router {
  return new Router({ sensitive: true, strict: true });
}

/** The order methods are listed in `Allow` (stable, so clients and tests can compare it). */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Methods the router serves on `path`, without the HEAD @koa/router adds to every GET route. */
export function allowedMethods(router: Router, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of router.match(path, 'GET').path) for (const m of layer.methods) if (m !== 'HEAD') methods.add(m);
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(method: string): number {
  const i = METHOD_ORDER.indexOf(method);
  return i < 0 ? METHOD_ORDER.length : i;
}

function notAllowed(method: string, allow: string[]): ProblemError {
  return new ProblemError(405, 'method-not-allowed', `${method} is not allowed on this path; use ${allow.join(', ')}.`, {
    headers: { Allow: allow.join(', ') },
  });
}

/**
 * HEAD is not part of any contract and the mesh's policies never allow it, so the service does not
 * answer it either (@koa/router would run every GET handler for it): a 405 naming the methods that
 * are served. Placed before the router, so the GET handler never runs.
 */
export function refuseHead(router: Router): Middleware {
  return async function refuseHeadRequests(ctx, next) {
    if (ctx.method !== 'HEAD') return next();
    const allow = allowedMethods(router, ctx.path);
    if (allow.length === 0) return next(); // no such path: the 404 problem
    throw notAllowed(ctx.method, allow);
  };
}

/**
 * After the router: a request whose path exists but whose method does not (TRACE, PROPFIND, PUT on a
 * GET-only path, …) is a 405 problem+json with `Allow`, where @koa/router's own allowedMethods()
 * answered 501 text/plain for methods it does not know. Runs only when no route matched.
 */
export function methodNotAllowed(router: Router): Middleware {
  return async function refuseUnroutedMethods(ctx, next) {
    const allow = allowedMethods(router, ctx.path);
    if (allow.length === 0) return next();
    throw notAllowed(ctx.method, allow);
  };
}
