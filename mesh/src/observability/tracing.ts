import path from 'node:path';
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry tracing for a service process. Started by mesh's startService (service.ts) before
 * it builds anything, so that the tracer provider is registered before anything asks for a tracer.
 * No instrumentation patches a module, so nothing needs to be preloaded: the
 * HTTP server span of each request comes from mesh's own Koa middleware (server-span.ts), the query
 * spans from mesh's pg client (query-span.ts), the client spans from withClientSpan below, all
 * started through this provider.
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
  if (
    (env.OTEL_TRACES_EXPORTER ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes('none')
  )
    return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * The service name: OTEL_SERVICE_NAME, else the `<name>` of `services/<name>/dist/main(.bundle).(m)js` being run
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

/**
 * The running SDK, held on the process's global object (as @opentelemetry/api keeps its globals), so
 * that every copy of this module a process may load (a test can load mesh from its sources and from
 * its build) sees the one SDK that was started.
 */
const STARTED = Symbol.for('@agora/mesh/tracing');
const holder = globalThis as typeof globalThis & { [STARTED]?: Tracing };

/** Whether this process runs the OpenTelemetry SDK (its tracer provider). */
export function tracingActive(): boolean {
  return holder[STARTED] !== undefined;
}

/**
 * Starts tracing: the tracer provider and propagators. Call before the app's modules load (register.ts
 * does). Idempotent.
 *
 * Built from the SDK's pieces rather than `@opentelemetry/sdk-node`'s NodeSDK: NodeSDK loads every
 * exporter it could be configured with (gRPC, protobuf, Zipkin, Prometheus, logs and metrics SDKs)
 * before it reads the environment, ≈ 1 s of CPU at every start (docs/benchmarks.md, row 5). What
 * NodeSDK did for traces is done here the same way, loading only what the environment asks for:
 * NodeTracerProvider (sampler and span limits from OTEL_TRACES_SAMPLER(_ARG) / OTEL_SPAN_*, AsyncLocalStorage
 * context manager), a BatchSpanProcessor (OTEL_BSP_*) per exporter of OTEL_TRACES_EXPORTER (default
 * otlp; also console) with the OTLP protocol of OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL (default
 * http/protobuf), OTEL_PROPAGATORS, OTEL_NODE_RESOURCE_DETECTORS, OTEL_RESOURCE_ATTRIBUTES, OTEL_LOG_LEVEL.
 */
export async function startTracing(options: StartTracingOptions = {}): Promise<Tracing> {
  if (holder[STARTED]) return holder[STARTED];
  const [{ NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter }, resources, core, api, { DeferredSpanExporter }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/core'),
      import('@opentelemetry/api'),
      import('./deferred-exporter.js'),
    ]);
  const logLevel = core.getStringFromEnv('OTEL_LOG_LEVEL');
  if (logLevel) api.diag.setLogger(new api.DiagConsoleLogger(), { logLevel: core.diagLogLevelFromString(logLevel) });

  const serviceName = options.serviceName ?? serviceNameFor();
  if (serviceName && !process.env.OTEL_SERVICE_NAME) process.env.OTEL_SERVICE_NAME = serviceName;
  let resource = resources.defaultResource().merge(resources.detectResources({ detectors: resourceDetectorsFromEnv(resources) }));
  if (serviceName) resource = resource.merge(resources.resourceFromAttributes({ 'service.name': serviceName }));

  type Processor = import('@opentelemetry/sdk-trace-node').SpanProcessor;
  let spanProcessors = options.spanProcessors as Processor[] | undefined;
  if (!spanProcessors) {
    spanProcessors = [];
    const names = [...new Set(core.getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [])].filter((n) => n !== 'null' && n !== 'none');
    for (const name of names.length ? names : ['otlp']) {
      // The exporter's modules load at the first export, after the service is ready (deferred-exporter.ts).
      if (name === 'otlp') spanProcessors.push(new BatchSpanProcessor(new DeferredSpanExporter(() => otlpTraceExporterFromEnv(api.diag))));
      else if (name === 'console') spanProcessors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
      else api.diag.warn(`Unsupported OTEL_TRACES_EXPORTER value: ${name}.`);
    }
  }

  const provider = new NodeTracerProvider({ resource, spanProcessors });
  const propagator = await propagatorFromEnv(api.diag);
  provider.register({ propagator });
  const started: Tracing = { shutdown: () => provider.shutdown() };
  holder[STARTED] = started;
  return started;
}

type Diag = typeof import('@opentelemetry/api').diag;

/** The trace exporter for OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL; only that one is loaded. */
async function otlpTraceExporterFromEnv(diag: Diag) {
  const protocol = (process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  switch (protocol) {
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
    default:
      diag.warn(`Unsupported OTLP traces protocol: ${protocol}. Using http/protobuf.`);
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  }
}

/**
 * W3C tracecontext + baggage + B3 multi-header (Istio/Envoy), or OTEL_PROPAGATORS when set
 * (tracecontext, baggage, b3, b3multi, jaeger; `none` → no propagation), as NodeSDK read it.
 */
async function propagatorFromEnv(diag: Diag) {
  const [core, { B3Propagator, B3InjectEncoding }] = await Promise.all([import('@opentelemetry/core'), import('@opentelemetry/propagator-b3')]);
  const b3multi = () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER });
  const fromEnv = core.getStringListFromEnv('OTEL_PROPAGATORS');
  if (fromEnv === undefined) {
    return new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator(), b3multi()],
    });
  }
  if (fromEnv.includes('none')) return null;
  type Propagator = import('@opentelemetry/api').TextMapPropagator;
  const propagators: Propagator[] = [];
  for (const name of new Set(fromEnv)) {
    if (name === 'tracecontext') propagators.push(new core.W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new core.W3CBaggagePropagator());
    else if (name === 'b3') propagators.push(new B3Propagator());
    else if (name === 'b3multi') propagators.push(b3multi());
    else if (name === 'jaeger') propagators.push(new (await import('@opentelemetry/propagator-jaeger')).JaegerPropagator());
    else diag.warn(`Propagator "${name}" requested through environment variable is unavailable.`);
  }
  if (propagators.length === 0) return null;
  return propagators.length === 1 ? propagators[0]! : new core.CompositePropagator({ propagators });
}

/** OTEL_NODE_RESOURCE_DETECTORS (default all: host, os, serviceinstance, process, env), as NodeSDK read it. */
function resourceDetectorsFromEnv(resources: typeof import('@opentelemetry/resources')) {
  const all = {
    host: resources.hostDetector,
    os: resources.osDetector,
    serviceinstance: resources.serviceInstanceIdDetector,
    process: resources.processDetector,
    env: resources.envDetector,
  };
  const names = (process.env.OTEL_NODE_RESOURCE_DETECTORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0 || names.includes('all')) return Object.values(all);
  if (names.includes('none')) return [];
  return names.flatMap((n) => all[n as keyof typeof all] ?? []);
}

/** Flushes and stops tracing (service shutdown). No-op when tracing is off. */
export async function shutdownTracing(): Promise<void> {
  const t = holder[STARTED];
  if (!t) return;
  holder[STARTED] = undefined;
  await t.shutdown().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Client spans for service-to-service calls (fetch is not instrumented)

/**
 * Runs `fn` inside a CLIENT span `<METHOD> <callee>` (headers are injected inside it, so the callee's
 * server span is its child). Without the SDK the API is a no-op and `fn` runs with a non-recording span.
 * No path or query on the span: a call's path carries ids and sometimes user input (a username, a
 * search), and the callee's server span names the route template anyway.
 */
export async function withClientSpan<T>(callee: string, method: string, url: URL, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const span = tracer.startSpan(`${method} ${callee}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'server.address': url.hostname,
      'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
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
