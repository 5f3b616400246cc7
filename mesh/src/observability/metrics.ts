import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '../db/database.js';
import { trace, TraceFlags } from '@opentelemetry/api';

/**
 * The service's Prometheus metrics (prom-client), exactly as `observability/metrics.json` lists them:
 * names, labels, fixed label values and buckets are the registry's; dashboards and rules are checked
 * against that file, and the live verification checks this code against it.
 *
 * One `ServiceMetrics` per service process (startService creates it; `processMetrics()` returns it),
 * on its own prom-client Registry with the default label `service`. Everything on the request path is
 * allocation-free where it can be: label objects are cached, the in-flight gauge is a plain number
 * read at scrape time, pool gauges are read at scrape time.
 */

export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const DB_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
export const MESH_BUCKETS = HTTP_BUCKETS;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const KNOWN_METHODS = new Set<string>(HTTP_METHODS);

/** `auth_token_verifications_total{reason}` for outcome="rejected" (metrics.json). */
export const AUTH_REJECT_REASONS = [
  'missing',
  'malformed',
  'expired',
  'not_yet_valid',
  'bad_signature',
  'unknown_kid',
  'wrong_issuer',
  'wrong_audience',
  'wrong_type',
  'bad_algorithm',
  'forbidden_role',
  'jwks_unavailable',
  'unknown_workload',
  'forbidden_workload',
  'session_revoked',
  'account_suspended',
  'account_deleted',
  'revoked_before_overflow',
  'revocations_unavailable',
] as const;

/** `mesh_client_request_duration_seconds{outcome}`; the last four are failures (`mesh_client_failures_total{reason}`). */
export const MESH_CALL_OUTCOMES = ['ok', 'client_error', 'server_error', 'timeout', 'network_error', 'circuit_open'] as const;
export type MeshCallOutcome = (typeof MESH_CALL_OUTCOMES)[number];
export const MESH_FAILURE_REASONS = ['server_error', 'timeout', 'network_error', 'circuit_open'] as const;

/** A counter a service declares for itself without labels (`metrics.counter({ name, help })`). */
export interface ServiceCounter {
  inc(by?: number): void;
}

/** A counter a service declares for itself with one label of fixed values. */
export interface LabelledServiceCounter<V extends string> {
  inc(value: V, by?: number): void;
}

/** What `ServiceMetrics.counter` needs: the name and help metrics.json documents. */
export interface CounterDefinition {
  name: string;
  help: string;
}

/** A counter with one label whose values metrics.json fixes; every value starts at 0. */
export interface LabelledCounterDefinition<V extends string> extends CounterDefinition {
  label: string;
  values: readonly V[];
}

export interface ServiceMetricsOptions {
  /** prom-client's default process/nodejs metrics (default true). */
  defaultMetrics?: boolean;
}

const OPENMETRICS = Registry.OPENMETRICS_CONTENT_TYPE;
const PROMETHEUS_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;

export class ServiceMetrics {
  readonly registry: Registry;

  private inFlight = 0;
  private readonly pools = new Set<{ poolStats(): PoolStats }>();
  private readonly httpDuration: Histogram<'route' | 'method' | 'status_class'>;
  private readonly dbQueryDuration: Histogram<'operation'>;
  private readonly authVerifications: Counter<'outcome' | 'reason'>;
  private readonly meshDuration: Histogram<'callee' | 'outcome'>;
  private readonly meshFailures: Counter<'callee' | 'reason'>;
  /** Label objects reused per combination, so observing allocates nothing. */
  private readonly httpLabels = new Map<string, { route: string; method: string; status_class: string }>();
  private readonly routeTemplates = new Map<string, string>();
  private readonly authLabels = new Map<string, { outcome: string; reason: string }>();
  private readonly dbLabels = new Map<string, { operation: string }>();
  private readonly meshLabels = new Map<string, { callee: string; outcome: string }>();
  private readonly meshFailureLabels = new Map<string, { callee: string; reason: string }>();
  private scrapeChain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly service: string,
    options: ServiceMetricsOptions = {},
  ) {
    // Created as OpenMetrics (prom-client allows exemplars only there); render() picks the format per scrape.
    const registry = new (Registry as unknown as new (contentType: string) => Registry)(OPENMETRICS);
    this.registry = registry;
    registry.setDefaultLabels({ service });
    const registers = [registry];

    this.httpDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP requests handled by the service, from the first byte received to the response sent.',
      labelNames: ['route', 'method', 'status_class'],
      buckets: HTTP_BUCKETS,
      enableExemplars: true,
      registers,
    });
    const self = this;
    new Gauge({
      name: 'http_server_requests_in_flight',
      help: 'HTTP requests currently being handled by the service.',
      registers,
      collect() {
        this.set(self.inFlight);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: "Connections of the service's pg pool by state: used (checked out), idle (open, free), waiting (callers queued for a connection).",
      labelNames: ['state'],
      registers,
      collect() {
        let used = 0;
        let idle = 0;
        let waiting = 0;
        for (const db of self.pools) {
          const pool = db.poolStats();
          used += pool.used;
          idle += pool.idle;
          waiting += pool.waiting;
        }
        this.set({ state: 'used' }, used);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
    new Gauge({
      name: 'db_pool_max_connections',
      help: "The most connections the service's pg pool opens (DATABASE_POOL_MAX): what saturation is measured against.",
      registers,
      collect() {
        let max = 0;
        for (const db of self.pools) max += db.poolStats().max;
        this.set(max);
      },
    });
    this.dbQueryDuration = new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Duration of database queries issued by the service.',
      labelNames: ['operation'],
      buckets: DB_BUCKETS,
      enableExemplars: true,
      registers,
    });
    this.authVerifications = new Counter({
      name: 'auth_token_verifications_total',
      help: "Verifications made by the service's authentication module (tsoa @Security, mesh/src/auth), by outcome and reason.",
      labelNames: ['outcome', 'reason'],
      registers,
    });
    this.authVerifications.inc(this.authLabel('ok', 'ok'), 0);
    for (const reason of AUTH_REJECT_REASONS) this.authVerifications.inc(this.authLabel('rejected', reason), 0);
    this.meshDuration = new Histogram({
      name: 'mesh_client_request_duration_seconds',
      help: 'Duration of service-to-service calls made with the mesh-aware client, per attempt, whatever the outcome.',
      labelNames: ['callee', 'outcome'],
      buckets: MESH_BUCKETS,
      enableExemplars: true,
      registers,
    });
    this.meshFailures = new Counter({
      name: 'mesh_client_failures_total',
      help: 'Service-to-service calls that failed (5xx answer, timeout, connection error, open circuit), per attempt.',
      labelNames: ['callee', 'reason'],
      registers,
    });

    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  }

  // ------------------------------------------------------------------------------------------
  // The service's own (business) metrics

  /**
   * Declares one of the service's own counters on its registry (so it carries `service`), e.g.
   * posts' `agora_posts_created_total`. Each service declares its counters in its own folder, once,
   * from its wiring; mesh knows none of them. Every series exists from the start (0), so rate() sees
   * the first event.
   */
  counter(definition: CounterDefinition): ServiceCounter;
  counter<V extends string>(definition: LabelledCounterDefinition<V>): LabelledServiceCounter<V>;
  counter<V extends string>(definition: CounterDefinition | LabelledCounterDefinition<V>): ServiceCounter | LabelledServiceCounter<V> {
    const { name, help } = definition;
    if (!('label' in definition)) {
      const counter = new Counter({ name, help, registers: [this.registry] });
      counter.inc(0);
      return { inc: (by = 1) => counter.inc(by) };
    }
    const { label, values } = definition;
    const counter = new Counter({ name, help, labelNames: [label], registers: [this.registry] });
    // One label object per value, reused, so counting allocates nothing.
    const labels = new Map(values.map((value) => [value, { [label]: value }] as const));
    for (const labelled of labels.values()) counter.inc(labelled, 0);
    return { inc: (value: V, by = 1) => counter.inc(labels.get(value) ?? { [label]: value }, by) };
  }

  // ------------------------------------------------------------------------------------------
  // HTTP

  /**
   * Outermost Koa middleware: in-flight gauge and the duration histogram by route template, method
   * and status class. Operational endpoints (/healthz/*, /metrics) are not recorded.
   */
  httpMiddleware(): Middleware {
    const self = this;
    return async function httpMetrics(ctx: Context, next: Next): Promise<void> {
      const path = ctx.path;
      if (path === '/metrics' || path.startsWith('/healthz')) return next();
      const started = performance.now();
      self.inFlight++;
      let status = 0;
      try {
        await next();
        status = ctx.status;
      } catch (err) {
        status = Number((err as { status?: unknown }).status) || 500;
        throw err;
      } finally {
        self.inFlight--;
        self.observeHttp(ctx, status, (performance.now() - started) / 1000);
      }
    };
  }

  private observeHttp(ctx: Context, status: number, seconds: number): void {
    const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
    const route = matched === undefined ? 'unmatched' : this.template(matched);
    const method = KNOWN_METHODS.has(ctx.method) ? ctx.method : 'OTHER';
    const statusClass = status >= 100 && status < 600 ? `${(status / 100) | 0}xx` : '5xx';
    const key = `${route} ${method} ${statusClass}`;
    let labels = this.httpLabels.get(key);
    if (!labels) {
      labels = { route, method, status_class: statusClass };
      this.httpLabels.set(key, labels);
    }
    this.httpDuration.observe({ labels, value: seconds, exemplarLabels: exemplar() });
  }

  /** `/api/v1/posts/:id` → `/api/v1/posts/{id}` (the OpenAPI form, as metrics.json documents it). */
  private template(matched: string | RegExp): string {
    const raw = String(matched);
    let t = this.routeTemplates.get(raw);
    if (t === undefined) {
      t = raw.replace(/:(\w+)(\([^)]*\))?\??/g, '{$1}');
      this.routeTemplates.set(raw, t);
    }
    return t;
  }

  // ------------------------------------------------------------------------------------------
  // Database

  /** Pool gauges for this database (read at scrape time). */
  trackPool(db: { poolStats(): PoolStats }): void {
    this.pools.add(db);
  }

  /** For `createDatabase({ onQuery })`: one observation per query, by statement kind. */
  readonly onQuery = (operation: string, seconds: number): void => {
    let labels = this.dbLabels.get(operation);
    if (!labels) {
      labels = { operation };
      this.dbLabels.set(operation, labels);
    }
    this.dbQueryDuration.observe({ labels, value: seconds, exemplarLabels: exemplar() });
  };

  // ------------------------------------------------------------------------------------------
  // Auth

  /** For `createApp({ onAuthOutcome })`. */
  readonly onAuthOutcome = (outcome: 'ok' | 'rejected', reason: string): void => {
    this.authVerifications.inc(this.authLabel(outcome, reason), 1);
  };

  private authLabel(outcome: string, reason: string): { outcome: string; reason: string } {
    const key = `${outcome} ${reason}`;
    let labels = this.authLabels.get(key);
    if (!labels) {
      labels = { outcome, reason };
      this.authLabels.set(key, labels);
    }
    return labels;
  }

  // ------------------------------------------------------------------------------------------
  // Service-to-service calls

  /**
   * A client for `callee` exists: its failure counters and its `outcome="ok"` duration series start
   * at 0, so rate() sees the first call and the first failure (metrics.json, "preinitialise").
   */
  registerCallee(callee: string): void {
    for (const reason of MESH_FAILURE_REASONS) this.meshFailures.inc(this.meshFailureLabel(callee, reason), 0);
    const key = `${callee} ok`;
    if (!this.meshLabels.has(key)) {
      const labels = { callee, outcome: 'ok' };
      this.meshLabels.set(key, labels);
      this.meshDuration.zero(labels);
    }
  }

  /** For `ServiceClient({ onCall })`: every attempt's duration by outcome; failures counted by reason. */
  readonly onCall = (callee: string, outcome: string, seconds: number): void => {
    const key = `${callee} ${outcome}`;
    let labels = this.meshLabels.get(key);
    if (!labels) {
      labels = { callee, outcome };
      this.meshLabels.set(key, labels);
    }
    this.meshDuration.observe({ labels, value: seconds, exemplarLabels: exemplar() });
    if (outcome !== 'ok' && outcome !== 'client_error') this.meshFailures.inc(this.meshFailureLabel(callee, outcome), 1);
  };

  private meshFailureLabel(callee: string, reason: string): { callee: string; reason: string } {
    const key = `${callee} ${reason}`;
    let labels = this.meshFailureLabels.get(key);
    if (!labels) {
      labels = { callee, reason };
      this.meshFailureLabels.set(key, labels);
    }
    return labels;
  }

  // ------------------------------------------------------------------------------------------
  // Exposition

  /**
   * The exposition, OpenMetrics (with trace_id exemplars) when the scraper asks for it as Prometheus
   * does, else the Prometheus text format. Scrapes are serialised: prom-client's OpenMetrics output
   * renames counters in place, which is undone before the next scrape.
   */
  async render(accept = ''): Promise<{ contentType: string; body: string }> {
    const openMetrics = accept.includes('application/openmetrics-text');
    const result = this.scrapeChain.then(async () => {
      const contentType = openMetrics ? OPENMETRICS : PROMETHEUS_TEXT;
      this.registry.setContentType(contentType as typeof PROMETHEUS_TEXT);
      // Every counter of the registry at this scrape, also those a service registered itself later.
      const counters = (this.registry.getMetricsAsArray() as unknown as Array<{ name: string; type?: string }>)
        .filter((m) => m.type === 'counter')
        .map((m) => [m, m.name] as const);
      try {
        return { contentType, body: await this.registry.metrics() };
      } finally {
        for (const [metric, name] of counters) metric.name = name;
      }
    });
    this.scrapeChain = result.catch(() => undefined);
    return result;
  }

  /** `GET /metrics` (never routed by the ingress), registered on the app's router. */
  routes(router: Router): void {
    router.get('/metrics', async (ctx) => {
      const { contentType, body } = await this.render(ctx.get('accept'));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = contentType;
      ctx.body = body;
    });
  }
}

const NO_EXEMPLAR: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** `{ trace_id }` of the active, sampled span: the exemplar that links a bucket to its trace in Jaeger. */
function exemplar(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return NO_EXEMPLAR;
  const sc = span.spanContext();
  return sc.traceFlags & TraceFlags.SAMPLED ? { trace_id: sc.traceId } : NO_EXEMPLAR;
}

// ---------------------------------------------------------------------------------------------
// The process's metrics

let current: ServiceMetrics | undefined;

/** Creates the metrics of a service and makes them the process's (`processMetrics()`). */
export function createServiceMetrics(service: string, options?: ServiceMetricsOptions): ServiceMetrics {
  current = new ServiceMetrics(service, options);
  return current;
}

/** The metrics of the service this process runs (undefined before startService). */
export function processMetrics(): ServiceMetrics | undefined {
  return current;
}
