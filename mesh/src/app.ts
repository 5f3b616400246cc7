import Koa from 'koa';
import type Router from '@koa/router';
import cors from '@koa/cors';
import helmet from 'koa-helmet';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from 'pino';
import type { BaseConfig } from './config.js';
import type { SecurityContext } from './auth/authentication.js';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import { errorHandler } from './http/error-handler.js';
import { requestId } from './http/request-id.js';
import { clientAddress } from './http/client-address.js';
import { jsonOnly } from './http/json-only.js';
import { jsonBodyLimits } from './http/json-body-limits.js';
import { accessLog } from './http/access-log.js';
import { healthRoutes, Readiness } from './http/health.js';
import { docsRoutes } from './http/docs.js';
import { noStoreByDefault } from './http/cache-control.js';
import { createStrictRouter, methodNotAllowed, refuseHead } from './http/routing.js';
import { withDeclaredQueryOnly } from './http/query-parameters.js';
import { withOptionalAuthentication } from './auth/optional-authentication.js';

export interface AppOptions {
  service: string;
  config: BaseConfig;
  logger: Logger;
  /** tsoa's generated `RegisterRoutes`. */
  registerRoutes: (router: Router) => void;
  readiness: Readiness;
  /**
   * The service's OpenAPI document (mesh's loadOpenApi), served at /openapi.json with Swagger UI at
   * /docs; each operation accepts only the query parameters it declares there, and one whose
   * security there is `[{"jwt": []}, {}]` can be called without a token (auth/optional-authentication.ts).
   */
  openapi?: object;
  /** Override the JWKS-backed verifier (auth verifies its own tokens from its key store). */
  verifier?: TokenVerifier;
  /** Revocations checked after the signature (ServiceEvents.revocations); none when absent. */
  revocations?: SecurityContext['revocations'];
  /** Outermost middleware added by observability (metrics, tracing), in order. */
  instrumentation?: Koa.Middleware[];
  /** Extra routes outside the contract (e.g. /metrics), registered on the app's one router. */
  extraRoutes?: Array<(router: Router) => void>;
  onAuthOutcome?: SecurityContext['onOutcome'];
  /** Handed to every controller's constructor (see ioc.ts). */
  deps?: unknown;
}

/**
 * The one Koa app shape every service uses, so they behave alike: request id, security headers,
 * CORS, JSON-only bodies with a size limit, problem+json errors, health, docs and the tsoa routes.
 */
export function createApp(options: AppOptions): Koa {
  const { config, logger } = options;
  const app = new Koa({ proxy: true });
  const security: SecurityContext = {
    verifier: options.verifier ?? createTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, jwks: config.JWKS_URL }),
    meshIdentity: config.MESH_IDENTITY,
    meshLocalKey: config.MESH_LOCAL_KEY,
    revocations: options.revocations,
    onOutcome: options.onAuthOutcome,
  };
  Object.assign(app.context, { security, deps: options.deps });
  // ctx.ip is set by clientAddress (from the trusted edge only); X-Forwarded-For counts for nothing else.
  app.maxIpsCount = 1;
  app.silent = true; // errors are logged by errorHandler, once, without request data

  app.use(
    clientAddress({
      mode: config.MESH_IDENTITY,
      localKey: config.MESH_LOCAL_KEY,
      ingressPrincipal: config.INGRESS_PRINCIPAL,
      trustedHops: config.TRUSTED_PROXY_HOPS,
    }),
  );
  for (const mw of options.instrumentation ?? []) app.use(mw);
  app.use(requestId);
  app.use(accessLog(logger));
  app.use(async (ctx, next) => {
    await next();
    // Keep-alive connections would outlive a drain; a response finished during it (even one that
    // started before) tells the client to reconnect elsewhere.
    if (options.readiness.isDraining) ctx.set('Connection', 'close');
  });
  app.use(noStoreByDefault);
  app.use(errorHandler(logger, config.BODY_LIMIT_BYTES));
  app.use(
    staticSecurityHeaders(
      helmet({
        // The API answers JSON; only /docs serves HTML, with its own relaxed policy.
        contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
        crossOriginResourcePolicy: { policy: 'same-site' },
      }),
    ),
  );
  app.use(
    cors({
      origin: (ctx) => {
        const origin = ctx.get('Origin');
        return config.CORS_ORIGINS.includes(origin) ? origin : '';
      },
      allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposeHeaders: ['X-Request-Id', 'Retry-After', 'Location'],
      // Every method the contracts use (test/contract checks it against the merged public API).
      allowMethods: CORS_METHODS,
      // Browsers may send cookies or Authorization to the configured origins only (never to `*`:
      // the origin function above answers nothing for an unlisted origin).
      credentials: true,
      maxAge: 600,
      keepHeadersOnError: true,
    }),
  );
  app.use(jsonOnly);
  app.use(
    bodyParser({
      enableTypes: ['json'],
      extendTypes: { json: ['application/json', 'application/*+json'] },
      jsonLimit: config.BODY_LIMIT_BYTES,
      jsonStrict: true,
      onError: (err) => {
        throw err;
      },
    }),
  );
  app.use(jsonBodyLimits);

  // One router for everything (health, metrics, docs, the contract): each router is a match pass
  // and an allowedMethods middleware on every request, which four of them repeated (row 1 of
  // docs/benchmarks.md).
  const router = createStrictRouter();
  healthRoutes(router, options.readiness);
  for (const register of options.extraRoutes ?? []) register(router);
  if (options.openapi) docsRoutes(router, options.service, options.openapi);
  options.registerRoutes(options.openapi ? withDeclaredQueryOnly(withOptionalAuthentication(router, options.openapi), options.openapi) : router);
  app.use(refuseHead(router));
  app.use(router.routes());
  app.use(methodNotAllowed(router));
  return app;
}

/** The methods CORS lets browsers send: every method of the contracts, and preflights. */
export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * helmet's headers, computed once and then set with one `ctx.set(object)` per response: with this
 * configuration every header helmet writes is static (no nonce or per-request directive), so running
 * its chain of middleware (wrapped in a promise by koa-helmet) on every request only repeats the same
 * work. The first request runs helmet against a recording response to learn the set.
 */
function staticSecurityHeaders(helmetMiddleware: Koa.Middleware): Koa.Middleware {
  let headers: Record<string, string> | undefined;
  const learn = async (): Promise<Record<string, string>> => {
    const recorded: Record<string, string> = {};
    const res = {
      setHeader: (name: string, value: unknown) => void (recorded[name] = String(value)),
      removeHeader: () => undefined, // X-Powered-By, which Koa never sets
    };
    await helmetMiddleware({ req: {}, res } as never, async () => undefined);
    return recorded;
  };
  return async function securityHeaders(ctx, next) {
    headers ??= await learn();
    ctx.set(headers);
    await next();
  };
}
