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
] as const;

/** `agora_logins_total{result}`. */
export const LOGIN_RESULTS = ['success', 'bad_credentials', 'mfa_required', 'suspended', 'rate_limited'] as const;
export type LoginResult = (typeof LOGIN_RESULTS)[number];

/** `mesh_client_request_duration_seconds{outcome}`; the last four are failures (`mesh_client_failures_total{reason}`). */
export const MESH_CALL_OUTCOMES = ['ok', 'client_error', 'server_error', 'timeout', 'network_error', 'circuit_open'] as const;
export type MeshCallOutcome = (typeof MESH_CALL_OUTCOMES)[number];
export const MESH_FAILURE_REASONS = ['server_error', 'timeout', 'network_error', 'circuit_open'] as const;

/** A counter without labels, as the business counters are. */
export interface SimpleCounter {
  inc(by?: number): void;
}

/**
 * Business counters. Call them from the domain code at the moment the event is committed, e.g.
 * `businessMetrics().postsCreated.inc()`. Each belongs to one service (metrics.json gives the only
 * `service` value): registrations/logins/refreshReuse to auth, postsCreated/likes/comments to posts.
 */
export interface BusinessMetrics {
  /** auth: an account was registered. */
  readonly registrations: SimpleCounter;
  /** auth: a login attempt ended (POST login and login/mfa), by result. */
  login(result: LoginResult): void;
  /** auth: a rotated refresh token was presented again (its family was revoked). */
  readonly refreshReuse: SimpleCounter;
  /** posts: a post was created. */
  readonly postsCreated: SimpleCounter;
  /** posts: a like was given (not counted again when the user already liked the post). */
  readonly likes: SimpleCounter;
  /** posts: a comment was created. */
  readonly comments: SimpleCounter;
}

type BusinessCounterName = 'registrations' | 'logins' | 'refreshReuse' | 'postsCreated' | 'likes' | 'comments';

const BUSINESS: Record<BusinessCounterName, { name: string; help: string; owner: string; labels?: string[] }> = {
  registrations: { name: 'agora_registrations_total', help: 'Accounts registered.', owner: 'auth' },
  logins: {
    name: 'agora_logins_total',
    help: 'Login attempts (POST /api/v1/auth/login and login/mfa) by result.',
    owner: 'auth',
    labels: ['result'],
  },
  refreshReuse: {
    name: 'agora_refresh_reuse_detected_total',
    help: 'Refresh tokens presented after they had been rotated; each one revoked its whole token family (possible token theft).',
    owner: 'auth',
  },
  postsCreated: { name: 'agora_posts_created_total', help: 'Posts created.', owner: 'posts' },
  likes: { name: 'agora_likes_total', help: 'Likes given.', owner: 'posts' },
  comments: { name: 'agora_comments_total', help: 'Comments created.', owner: 'posts' },
};

export interface ServiceMetricsOptions {
  /** prom-client's default process/nodejs metrics (default true). */
  defaultMetrics?: boolean;
}

const OPENMETRICS = Registry.OPENMETRICS_CONTENT_TYPE;
const PROMETHEUS_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;

export class ServiceMetrics {
  readonly registry: Registry;
  readonly business: BusinessMetrics;

  private inFlight = 0;
  private readonly pools = new Set<{ poolStats(): PoolStats }>();
  private readonly httpDuration: Histogram<'route' | 'method' | 'status_class'>;
  private readonly dbQueryDuration: Histogram<'operation'>;
  private readonly authVerifications: Counter<'outcome' | 'reason'>;
  private readonly meshDuration: Histogram<'callee' | 'outcome'>;
  private readonly meshFailures: Counter<'callee' | 'reason'>;
  private readonly businessCounters = new Map<BusinessCounterName, Counter<string>>();
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

    // Business counters of this service exist from the start (0), so rate() sees the first event.
    for (const [key, def] of Object.entries(BUSINESS) as Array<[BusinessCounterName, (typeof BUSINESS)[BusinessCounterName]]>) {
      if (def.owner === service) this.businessCounter(key);
    }
    const counter = (key: BusinessCounterName): SimpleCounter => ({ inc: (by = 1) => this.businessCounter(key).inc(by) });
    const loginLabels = new Map(LOGIN_RESULTS.map((r) => [r, { result: r }]));
    this.business = {
      registrations: counter('registrations'),
      refreshReuse: counter('refreshReuse'),
      postsCreated: counter('postsCreated'),
      likes: counter('likes'),
      comments: counter('comments'),
      login: (result) => this.businessCounter('logins').inc(loginLabels.get(result) ?? { result }, 1),
    };

    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  }

  private businessCounter(key: BusinessCounterName): Counter<string> {
    let c = this.businessCounters.get(key);
    if (!c) {
      const def = BUSINESS[key];
      c = new Counter({ name: def.name, help: def.help, labelNames: def.labels ?? [], registers: [this.registry] });
      if (key === 'logins') for (const result of LOGIN_RESULTS) c.inc({ result }, 0);
      this.businessCounters.set(key, c);
    }
    return c;
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

/** Creates the metrics of a service and makes them the process's (`processMetrics()`, `businessMetrics()`). */
export function createServiceMetrics(service: string, options?: ServiceMetricsOptions): ServiceMetrics {
  current = new ServiceMetrics(service, options);
  return current;
}

/** The metrics of the service this process runs (undefined before startService). */
export function processMetrics(): ServiceMetrics | undefined {
  return current;
}

const detached = new Map<string, ServiceMetrics>();

/**
 * The business counters of the service this process runs, e.g.
 * `businessMetrics().postsCreated.inc()` (posts, after the post is committed).
 * Before a service started (unit tests of domain code) they count into a detached registry.
 */
export function businessMetrics(): BusinessMetrics {
  if (current) return current.business;
  let d = detached.get('detached');
  if (!d) {
    d = new ServiceMetrics('detached', { defaultMetrics: false });
    detached.set('detached', d);
  }
  return d.business;
}
