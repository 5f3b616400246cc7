import type { Context, Middleware, Next } from 'koa';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { isOperationalPath, TRACER_NAME } from './tracing.js';

/**
 * The HTTP server span of each request, started by the outermost Koa middleware (createApp puts it
 * first when tracing runs).
 *
 * Why not @opentelemetry/instrumentation-http's incoming side: it builds every attribute of the span
 * and binds the OTel context onto `req` and `res` (wrapping each of their event listeners) before
 * the sampler is even asked, so the 95 % of requests that a 5 % sampling never records paid
 * ≈ 150–240 µs of CPU each: a third of the posts service's hot read (docs/benchmarks.md, row 1).
 * Here the context is extracted with the registered propagators (W3C + B3 from Envoy), the span is
 * started through the SDK's sampler, and attributes are computed only for a span that records.
 * The active context reaches the query spans (query-span.ts), the logs' trace ids, the
 * metrics' exemplars and ServiceClient's client spans through the context manager, as before.
 *
 * Attributes follow the stable HTTP server semantic conventions, except that the raw path and query
 * (`url.path`, `url.query`) and the user agent are left out, as in the access log: they can carry
 * user input; the route template (`http.route`) names the operation instead.
 */
export function serverSpanMiddleware(): Middleware {
  const tracer = trace.getTracer(TRACER_NAME);
  return async function serverSpan(ctx: Context, next: Next): Promise<void> {
    if (isOperationalPath(ctx.url)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, ctx.headers);
    // Named by the method until routing has matched a template (a span's name must stay low-cardinality).
    const span = tracer.startSpan(ctx.method, { kind: SpanKind.SERVER }, parent);
    let thrown: unknown;
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (err) {
      thrown = err;
      throw err;
    } finally {
      if (span.isRecording()) {
        const status = thrown === undefined ? ctx.status : Number((thrown as { status?: unknown }).status) || 500;
        const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute;
        if (route) span.updateName(`${ctx.method} ${route}`);
        span.setAttributes(requestAttributes(ctx, status, route));
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        if (thrown instanceof Error) span.recordException(thrown);
      }
      span.end();
    }
  };
}

function requestAttributes(ctx: Context, status: number, route: string | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: ctx.method,
    [ATTR_URL_SCHEME]: ctx.protocol,
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
    // Koa with `proxy: true` and maxIpsCount 1: the address the one trusted hop saw.
    [ATTR_CLIENT_ADDRESS]: ctx.ip,
  };
  if (route) attributes[ATTR_HTTP_ROUTE] = route;
  if (status >= 500) attributes[ATTR_ERROR_TYPE] = String(status);
  return attributes;
}
