import path from 'node:path';
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry tracing for a service process. The SDK is started by `register.ts`, loaded with
 * `node --import @agora/mesh/observability/register` BEFORE the app's modules, so that the http,
 * koa and pg instrumentations patch those modules as they load (koa is imported from ESM, which
 * needs import-in-the-middle's loader hook; http and pg are patched through require).
 *
 * Configuration is the standard OTel environment: tracing is on only when an OTLP endpoint is given
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and not disabled
 * (`OTEL_SDK_DISABLED=true`, `OTEL_TRACES_EXPORTER=none`); otherwise nothing is loaded and the
 * `@opentelemetry/api` calls in mesh are no-ops. Sampling: `OTEL_TRACES_SAMPLER(_ARG)` (default
 * parentbased_always_on, so Envoy's sampling decision is kept). Protocol:
 * `OTEL_EXPORTER_OTLP_PROTOCOL` (default http/protobuf; http/json works too).
 * Propagation: W3C tracecontext + baggage + B3 multi-header (Istio/Envoy), unless OTEL_PROPAGATORS says otherwise.
 */

export const TRACER_NAME = '@agora/mesh';

/** Whether the environment asks for tracing (an OTLP endpoint, not disabled). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  if ((env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).includes('none')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * The service name: OTEL_SERVICE_NAME, else the `<name>` of `services/<name>/dist/main.js` being run
 * (the Jaeger links of the dashboards use auth/users/posts/media).
 */
export function serviceNameFor(env: NodeJS.ProcessEnv = process.env, script = process.argv[1] ?? ''): string | undefined {
  const given = env.OTEL_SERVICE_NAME?.trim();
  if (given) return given;
  const parts = path.resolve(script).split(path.sep);
  const i = parts.lastIndexOf('services');
  return i >= 0 && parts[i + 2] === 'dist' ? parts[i + 1] : undefined;
}

/** Operational endpoints are not traced (probes and scrapes would drown the traces). */
export function isOperationalPath(url: string | undefined): boolean {
  return !!url && (url.startsWith('/healthz') || url === '/metrics' || url.startsWith('/metrics?'));
}

export interface StartTracingOptions {
  serviceName?: string;
  /** Replaces the exporters from the environment (tests: an in-memory exporter). */
  spanProcessors?: unknown[];
}

export interface Tracing {
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/** Whether this process runs the OpenTelemetry SDK. */
export function tracingActive(): boolean {
  return started !== undefined;
}

/**
 * Starts the NodeSDK with the http, koa and pg instrumentations. Call before the app's modules load
 * (register.ts does). Idempotent.
 */
export async function startTracing(options: StartTracingOptions = {}): Promise<Tracing> {
  if (started) return started;
  const [{ NodeSDK }, { HttpInstrumentation }, { KoaInstrumentation }, { PgInstrumentation }, { B3Propagator, B3InjectEncoding }, core] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-koa'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/propagator-b3'),
      import('@opentelemetry/core'),
    ]);
  const serviceName = options.serviceName ?? serviceNameFor();
  if (serviceName && !process.env.OTEL_SERVICE_NAME) process.env.OTEL_SERVICE_NAME = serviceName;
  const sdk = new NodeSDK({
    serviceName,
    textMapPropagator: process.env.OTEL_PROPAGATORS
      ? undefined
      : new core.CompositePropagator({
          propagators: [
            new core.W3CTraceContextPropagator(),
            new core.W3CBaggagePropagator(),
            new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
          ],
        }),
    spanProcessors: options.spanProcessors as never,
    // Traces only: metrics are prom-client's, logs are JSON on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => isOperationalPath(req.url),
        // Outgoing service calls use fetch and get their client span from ServiceClient.
        disableOutgoingRequestInstrumentation: true,
      }),
      // One span per matched route handler; none per plain middleware (helmet, cors, body parser…).
      new KoaInstrumentation({ ignoreLayersType: ['middleware' as never] }),
      // Queries inside a traced request only (not the readiness probe's SELECT 1).
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  started = { shutdown: () => sdk.shutdown() };
  return started;
}

/** Flushes and stops the SDK (service shutdown). No-op when tracing is off. */
export async function shutdownTracing(): Promise<void> {
  const t = started;
  if (!t) return;
  started = undefined;
  await t.shutdown().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Client spans for service-to-service calls (fetch is not instrumented)

/**
 * Runs `fn` inside a CLIENT span `<METHOD> <callee>` (headers are injected inside it, so the callee's
 * server span is its child). Without the SDK the API is a no-op and `fn` runs with a non-recording span.
 */
export async function withClientSpan<T>(
  callee: string,
  method: string,
  url: URL,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const span = tracer.startSpan(`${method} ${callee}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'server.address': url.hostname,
      'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
      'url.path': url.pathname,
      'peer.service': callee,
    },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(span));
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}

/** Writes the active trace context into outgoing headers (W3C traceparent, B3, baggage). */
export function injectTraceHeaders(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}
