import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { problems } from './problem.js';

type OpenApiDoc = { paths?: Record<string, Record<string, { parameters?: Array<{ in?: string; name?: string }> }>> };

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The router tsoa's `RegisterRoutes` registers the contract's operations on, with a guard in front
 * of each handler that refuses query parameters the operation does not declare: tsoa validates the declared
 * ones and ignores the rest, so `?limt=5` or `?authorID=…` would silently answer something other
 * than what the client meant. The declared names come from the service's committed OpenAPI
 * document, which tsoa generates from the same controllers (a test fails when it is stale).
 */
export function withDeclaredQueryOnly(router: Router, openapi: object): Router {
  const paths = (openapi as OpenApiDoc).paths ?? {};
  const facade = Object.create(router) as Router;
  for (const verb of VERBS) {
    (facade as unknown as Record<string, unknown>)[verb] = (path: string, ...middleware: Middleware[]) => {
      const template = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = paths[template]?.[verb];
      if (!operation) {
        throw new Error(`${verb.toUpperCase()} ${template} is routed but missing from the OpenAPI document; run \`npm run generate\``);
      }
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => String(p.name));
      // Just before the handler (tsoa's last middleware), after authentication: a caller without
      // a valid token learns nothing about an operation's parameters, and gets the same 401.
      const handler = middleware.at(-1);
      if (!handler) throw new Error(`${verb.toUpperCase()} ${template} has no handler`);
      router[verb](path, ...middleware.slice(0, -1), declaredQueryOnly(declared), handler);
      return facade;
    };
  }
  return facade;
}

/** A parameter name safe to repeat back to the caller; anything else is described, not echoed. */
const PRINTABLE_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;

function declaredQueryOnly(declared: string[]): Middleware {
  const allowed = new Set(declared);
  const takes = declared.length ? `takes only these query parameters: ${declared.join(', ')}` : 'takes no query parameters';
  return async function refuseUndeclaredQuery(ctx, next) {
    if (ctx.querystring) {
      const unknown = Object.keys(ctx.query).filter((name) => !allowed.has(name));
      if (unknown.length) {
        throw problems.validation(
          `This operation ${takes}; remove the others.`,
          unknown.map((name) => ({
            field: PRINTABLE_NAME.test(name) ? name : 'query',
            message: PRINTABLE_NAME.test(name)
              ? 'is not a query parameter of this operation'
              : 'a query parameter of this operation has an unknown name',
          })),
        );
      }
    }
    return next();
  };
}
