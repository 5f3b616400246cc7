import type Router from '@koa/router';
import type { Middleware } from 'koa';

type Requirement = Record<string, string[]>;
type OpenApiDoc = { paths?: Record<string, Record<string, { security?: Requirement[] }>> };

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * True for the contract's "token optional" operations: security `[{"jwt": []}, {}]` (tsoa:
 * `@Security('jwt')` and `@Security({})`), which anyone may call, signed in or not (public reading).
 */
export function isTokenOptional(security: Requirement[] | undefined): boolean {
  return !!security && security.some((r) => Object.keys(r).length === 0) && security.some((r) => 'jwt' in r);
}

/**
 * The router tsoa registers the contract's operations on, with "token optional" honoured: tsoa's
 * generated authentication ignores an empty security alternative (`{}`), so without this those
 * operations would demand a token. For them, a request without an Authorization header skips the
 * authentication (the handler sees no caller: `optionalCaller()`); a request with one, even empty
 * or malformed, goes through the same check as everywhere else, so a bad token is a 401, never
 * read as anonymous. Istio does the same at the sidecar (scripts/generate/istio-policies.mjs).
 */
export function withOptionalAuthentication(router: Router, openapi: object): Router {
  const paths = (openapi as OpenApiDoc).paths ?? {};
  const facade = Object.create(router) as Router;
  for (const verb of VERBS) {
    (facade as unknown as Record<string, unknown>)[verb] = (path: string, ...middleware: Middleware[]) => {
      const template = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      if (!isTokenOptional(paths[template]?.[verb]?.security)) {
        router[verb](path, ...middleware);
        return facade;
      }
      // tsoa's generated Koa routes put the authentication middleware first whenever the operation
      // has security (its route template; the bundle renames functions, so position is what we
      // have). test/contract/optional-authentication.test.ts runs the real generated routes.
      const [authenticate, ...rest] = middleware;
      if (!authenticate || rest.length === 0) {
        throw new Error(
          `${verb.toUpperCase()} ${template}: expected tsoa's authentication middleware and a handler; the generated routes changed shape`,
        );
      }
      const authenticateWhenTokenSent: Middleware = (ctx, next) => (ctx.headers.authorization === undefined ? next() : authenticate(ctx, next));
      router[verb](path, authenticateWhenTokenSent, ...rest);
      return facade;
    };
  }
  return facade;
}
