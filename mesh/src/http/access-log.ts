import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

/**
 * One line per request with the route template, never the raw path or query (they can carry user
 * input such as usernames or tokens someone put in a URL).
 */
export function accessLog(logger: Logger) {
  // Its fields are fixed and carry no secrets (method, route template, status, duration; the mixin's
  // request and trace ids), so the line skips the path redaction the general logger applies to every
  // line, which walks its wildcard paths through each object (≈ 1.5 % of a request's CPU,
  // docs/benchmarks.md row 1). Same level, bindings, mixin and output as `logger`.
  const log = logger.child({}, { redact: [] });
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = routeTemplate(ctx);
      // Probes and scrapes every few seconds would drown the lines that matter.
      if (!route.startsWith('/healthz') && route !== '/metrics') {
        log.info({ method: ctx.method, route, status: ctx.status, duration_ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
      }
    }
  };
}

/** The matched router template (`/api/v1/posts/:id`), or `unmatched`. */
export function routeTemplate(ctx: Context): string {
  return (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
}
