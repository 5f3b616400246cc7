/**
 * /metrics of real services (auth from its harness, and a small service built on startService that
 * calls auth through ServiceClient and counts posts' business events) after real traffic: every
 * `source: "agora"` metric of observability/metrics.json is exported with exactly the documented
 * labels and fixed values; routes are templates; operational endpoints are not recorded; counters
 * with fixed label values start at 0; OpenMetrics (for exemplars) and the text format both work.
 */
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRateLimits, ServiceClient, ServiceEvents, baseConfigSchema, loadConfig, startService, type StartedService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { getJson, newUser, postJson, startAuth, type RunningAuth } from '../../../services/auth/test/harness.js';
import { declarePostsMetrics } from '../../../services/posts/src/metrics.js';
import { declareNotificationsMetrics } from '../../../services/notifications/src/metrics.js';
import { labelProblems, loadRegistry, parseExposition, samplesOf, type Sample } from './exposition.js';

const MESH_KEY = 'k'.repeat(40);
let auth: RunningAuth;
let edge: StartedService;
let notifications: StartedService;
let edgeBase = '';
const expositions: Record<string, Sample[]> = {};
let authText = '';
let authOpenMetrics = '';

async function scrape(base: string, accept?: string): Promise<{ text: string; type: string }> {
  const res = await fetch(`${base}/metrics`, { headers: accept ? { accept } : {} });
  expect(res.status).toBe(200);
  return { text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

beforeAll(async () => {
  auth = await startAuth({
    RATE_LIMIT_SIGNUP_PER_IP: '1000',
    RATE_LIMIT_LOGIN_PER_IP: '1000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000',
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: MESH_KEY,
  });
  const config = loadConfig(baseConfigSchema, {
    DATABASE_URL: await freshDatabase('edge'),
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: 'http://agora.test',
    JWKS_URL: `${auth.base}/.well-known/jwks.json`,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: MESH_KEY,
    LOG_LEVEL: 'silent',
  });
  edge = await startService('posts', config, ({ db, logger, metrics }) => {
    // posts consumes events: its inbox's counters (agora_events_consumed_total) join its registry.
    new ServiceEvents({ service: 'posts', config, db, logger, registry: metrics.registry });
    // posts' own counters, declared as posts' wiring declares them.
    const counters = declarePostsMetrics(metrics);
    // The per-account limiter declares agora_rate_limited_total{action} at 0 for its actions.
    new AccountRateLimits(db, { post: [{ points: 1, seconds: 60 }], like: [{ points: 1, seconds: 60 }] }, metrics);
    const toAuth = new ServiceClient({ caller: 'posts', callee: 'auth', baseUrl: auth.base, meshIdentity: 'local', meshLocalKey: MESH_KEY });
    const toNowhere = new ServiceClient({
      caller: 'posts',
      callee: 'media',
      baseUrl: 'http://127.0.0.1:9',
      meshIdentity: 'local',
      meshLocalKey: MESH_KEY,
      timeoutMs: 500,
    });
    return {
      registerRoutes(router: Router) {
        router.get('/api/v1/posts/keys', async (ctx) => {
          const jwks = await toAuth.call<{ keys: unknown[] }>('/.well-known/jwks.json');
          await db.query('SELECT 1');
          ctx.body = { keys: jwks.keys.length };
        });
        router.post('/api/v1/posts/:id/like', (ctx) => {
          counters.postsCreated.inc();
          counters.likes.inc();
          counters.comments.inc();
          ctx.status = 204;
        });
        router.get('/api/v1/posts/media-down', async (ctx) => {
          ctx.body = await toNowhere.call('/internal/v1/media/x');
        });
      },
    };
  });
  edgeBase = `http://127.0.0.1:${edge.port}`;

  // auth: registrations, logins (success, bad credentials), refresh, refresh reuse, token checks.
  const users = [newUser('m'), newUser('m')];
  for (const u of users) expect((await postJson(`${auth.base}/api/v1/auth/register`, u)).status).toBe(201);
  const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: users[0]!.email, password: users[0]!.password });
  expect(login.status).toBe(200);
  expect((await postJson(`${auth.base}/api/v1/auth/login`, { login: users[1]!.email, password: 'Wrong-password-1' })).status).toBe(401);
  const rotated = await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: login.body.refreshToken });
  expect(rotated.status).toBe(200);
  expect((await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: login.body.refreshToken })).status).toBe(401); // reuse
  expect((await getJson(`${auth.base}/api/v1/auth/verify`, { authorization: `Bearer ${login.body.accessToken}` })).status).toBe(200);
  expect((await getJson(`${auth.base}/api/v1/auth/verify`)).status).toBe(401);
  expect((await getJson(`${auth.base}/api/v1/auth/verify`, { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
  expect((await getJson(`${auth.base}/api/v1/auth/no-such-route`)).status).toBe(404);
  expect((await getJson(`${auth.base}/healthz/ready`)).status).toBe(200);
  expect((await getJson(`${auth.base}/healthz/live`)).status).toBe(200);

  // edge: a call to auth, business events on a templated route, a failing callee (503).
  expect((await getJson(`${edgeBase}/api/v1/posts/keys`)).status).toBe(200);
  for (const id of ['0b7f6a9c-1111-4c1e-9f00-000000000001', '12345']) {
    expect((await fetch(`${edgeBase}/api/v1/posts/${id}/like`, { method: 'POST' })).status).toBe(204);
  }
  expect((await getJson(`${edgeBase}/api/v1/posts/media-down`)).status).toBe(503);

  authOpenMetrics = (await scrape(auth.base, 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')).text;
  authText = (await scrape(auth.base)).text;
  expositions.auth = parseExposition(authText);
  expositions.posts = parseExposition((await scrape(edgeBase)).text);
  // notifications' own metrics, declared as its wiring declares them, on a service of that name;
  // started after the traffic above (a process's service clients report to its newest service's metrics).
  notifications = await startService('notifications', { ...config, DATABASE_URL: await freshDatabase('notifications-metrics') }, ({ metrics }) => {
    declareNotificationsMetrics(metrics, () => 0);
    return { registerRoutes: () => undefined };
  });
  expositions.notifications = parseExposition((await scrape(`http://127.0.0.1:${notifications.port}`)).text);
}, 120_000);

afterAll(async () => {
  await edge?.shutdown('test done');
  await notifications?.shutdown('test done');
  await auth?.stop();
});

const registry = loadRegistry();
const all = () => [...(expositions.auth ?? []), ...(expositions.posts ?? []), ...(expositions.notifications ?? [])];

describe('/metrics', () => {
  it('exports every source "agora" and prom-client-default metric of metrics.json, with exactly its labels and fixed values', () => {
    const missing: string[] = [];
    const problems: string[] = [];
    for (const metric of registry.filter((m) => m.source === 'agora' || m.source === 'prom-client-default')) {
      const samples = samplesOf(metric, all());
      if (!samples.length) missing.push(metric.name);
      problems.push(...labelProblems(metric, all()));
    }
    expect(missing, 'metrics with no sample').toEqual([]);
    expect(problems).toEqual([]);
  });

  it('labels every series with its service (default label)', () => {
    for (const [service, samples] of Object.entries(expositions)) {
      expect(samples.filter((s) => s.labels.service !== service).map((s) => s.name)).toEqual([]);
    }
  });

  it('records route templates, never raw paths; unmatched requests as route="unmatched"; not /healthz or /metrics', () => {
    const routes = new Set(
      all()
        .filter((s) => s.name === 'http_server_request_duration_seconds_count')
        .map((s) => s.labels.route),
    );
    expect(routes).toContain('/api/v1/posts/{id}/like');
    expect(routes).toContain('/api/v1/auth/login');
    expect(routes).toContain('unmatched');
    for (const r of routes) {
      expect(r).not.toMatch(/12345|0b7f6a9c|no-such-route/);
      expect(r).not.toMatch(/^\/(healthz|metrics)/);
    }
    const like = all().find((s) => s.name === 'http_server_request_duration_seconds_count' && s.labels.route === '/api/v1/posts/{id}/like');
    expect(like?.labels).toMatchObject({ method: 'POST', status_class: '2xx' });
    expect(like?.value).toBe(2);
  });

  it('has the 0.5 s bucket the latency SLO needs', () => {
    expect(all().some((s) => s.name === 'http_server_request_duration_seconds_bucket' && s.labels.le === '0.5')).toBe(true);
  });

  it('starts counters with fixed label values at 0 and counts the events that happened', () => {
    const value = (name: string, labels: Record<string, string>, service = 'auth') =>
      expositions[service]!.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    const reasons = registry.find((m) => m.name === 'auth_token_verifications_total')!.labels.find((l) => l.name === 'reason')!.values!;
    for (const service of ['auth', 'posts']) {
      for (const reason of reasons.filter((r) => r !== 'ok')) {
        expect(value('auth_token_verifications_total', { outcome: 'rejected', reason }, service), `${service} ${reason}`).toBeGreaterThanOrEqual(0);
      }
    }
    expect(value('auth_token_verifications_total', { outcome: 'ok', reason: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value('auth_token_verifications_total', { outcome: 'rejected', reason: 'missing' })).toBeGreaterThanOrEqual(1);
    expect(value('auth_token_verifications_total', { outcome: 'rejected', reason: 'malformed' })).toBeGreaterThanOrEqual(1);
    for (const result of ['success', 'bad_credentials', 'mfa_required', 'suspended', 'rate_limited']) {
      expect(value('agora_logins_total', { result }), result).toBeGreaterThanOrEqual(0);
    }
    expect(value('agora_logins_total', { result: 'success' })).toBe(1);
    expect(value('agora_logins_total', { result: 'bad_credentials' })).toBe(1);
    expect(value('agora_registrations_total', {})).toBe(2);
    expect(value('agora_refresh_reuse_detected_total', {})).toBe(1);
    expect(value('agora_posts_created_total', {}, 'posts')).toBe(2);
    expect(value('agora_likes_total', {}, 'posts')).toBe(2);
    expect(value('agora_comments_total', {}, 'posts')).toBe(2);
    expect(value('agora_rate_limited_total', { action: 'post' }, 'posts')).toBe(0);
    expect(value('agora_rate_limited_total', { action: 'like' }, 'posts')).toBe(0);
    // business counters belong to their own service only (metrics.json's service values)
    expect(expositions.auth!.some((s) => s.name === 'agora_posts_created_total')).toBe(false);
    expect(expositions.posts!.some((s) => s.name === 'agora_registrations_total')).toBe(false);
  });

  it('measures service-to-service calls by callee and outcome, failures by reason', () => {
    const posts = expositions.posts!;
    const count = (callee: string, outcome: string) =>
      posts.find((s) => s.name === 'mesh_client_request_duration_seconds_count' && s.labels.callee === callee && s.labels.outcome === outcome)?.value;
    expect(count('auth', 'ok')).toBe(1);
    expect(count('media', 'network_error')).toBe(1);
    const failures = posts.filter((s) => s.name === 'mesh_client_failures_total');
    expect(failures.find((s) => s.labels.callee === 'media' && s.labels.reason === 'network_error')?.value).toBe(1);
    expect(failures.find((s) => s.labels.callee === 'auth' && s.labels.reason === 'server_error')?.value).toBe(0); // pre-initialised
  });

  it('reads the database pool and times queries by statement kind', () => {
    const auths = expositions.auth!;
    const states = auths
      .filter((s) => s.name === 'db_pool_connections')
      .map((s) => s.labels.state)
      .sort();
    expect(states).toEqual(['idle', 'used', 'waiting']);
    const ops = new Set(auths.filter((s) => s.name === 'db_query_duration_seconds_count').map((s) => s.labels.operation));
    expect(ops).toContain('select');
    expect(ops).toContain('insert');
    for (const op of ops) expect(op).toMatch(/^[a-z]+$/);
    expect(auths.find((s) => s.name === 'http_server_requests_in_flight')?.value).toBe(0);
  });

  it('serves OpenMetrics to Prometheus and the text format to others, with the same counter names', () => {
    expect(authOpenMetrics.trimEnd().endsWith('# EOF')).toBe(true);
    expect(authOpenMetrics).toMatch(/^agora_logins_total\{/m);
    expect(authOpenMetrics).toMatch(/^# TYPE agora_logins counter$/m);
    // the text format after an OpenMetrics scrape keeps the _total names
    expect(authText).toMatch(/^# TYPE agora_logins_total counter$/m);
    expect(authText).toMatch(/^process_cpu_seconds_total\{/m);
    const om = parseExposition(authOpenMetrics);
    expect(om.filter((s) => s.name === 'agora_logins_total').length).toBe(5);
  });
});
