import type { Request } from 'koa';
import { userOf, workloadOf, type UserPrincipal, type WorkloadPrincipal } from '../auth/principal.js';

// tsoa's `@Request()` hands controllers Koa's request; the authentication module's result is on
// `request.user` (typed by neither Koa nor tsoa). These read it, so controllers need no casts.

/** The signed-in user of an operation with `@Security('jwt')`. */
export function caller(req: Request): UserPrincipal {
  return userOf(req as Request & { user?: unknown });
}

/**
 * The signed-in user of a "token optional" operation (`@Security('jwt')` with `@Security({})`), or
 * undefined when the request came without a token (anyone may read it).
 */
export function optionalCaller(req: Request): UserPrincipal | undefined {
  return (req as Request & { user?: unknown }).user === undefined ? undefined : caller(req);
}

/** optionalCaller's id (lower case), or undefined for a caller without a token. */
export function optionalCallerId(req: Request): string | undefined {
  return optionalCaller(req)?.userId.toLowerCase();
}

/** The signed-in user's id (lower case, as every service stores ids). */
export function callerId(req: Request): string {
  return caller(req).userId.toLowerCase();
}

/** The calling workload of an operation with `@Security('mesh')`. */
export function callingWorkload(req: Request): WorkloadPrincipal {
  return workloadOf(req as Request & { user?: unknown });
}
