/**
 * Tracing end to end, the way services really run: each service is its own Node process started with
 * the services' V8 flags (as the local run and the images do; tracing starts inside startService), with
 * OTLP/HTTP JSON export to a tiny receiver on loopback. One request through the local ingress, into
 * a service (posts, a small startService fixture) that calls auth through ServiceClient, yields ONE
 * trace: the caller's server span → its client span → auth's server span, joined to the incoming
 * W3C traceparent or B3 headers as Envoy would send them. Also: server spans are named after the
 * route and carry the HTTP attributes, query spans exist under the request (mesh's pg client), the caller's "not
 * sampled" is obeyed in both services, resource service.name is the service's name, and the
 * histograms carry the trace id as an exemplar.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type Ingress } from '@agora/tools/local/ingress';
import { serviceNameFor, tracingConfigured } from '@agora/mesh/observability/tracing';
import { QUERY_SPAN_SCOPE } from '@agora/mesh/observability/query-span';
import { freshDatabase } from '../../../test/helpers/db.js';
import { REPO_ROOT } from './exposition.js';
import { spawnService, type ServiceProcess } from './processes.js';
import { spawnTracedAuth } from './traced-auth.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const MESH_KEY = 'm'.repeat(40);

let receiver: OtlpReceiver;
let auth: ServiceProcess;
let posts: ServiceProcess;
let ingress: Ingress;
let ingressUrl = '';

async function traceSpans(traceId: string, predicate: (all: ReceivedSpan[]) => boolean, timeoutMs = 15_000): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = receiver.spans.filter((s) => s.traceId === traceId);
    if (predicate(found)) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `trace ${traceId} incomplete after ${timeoutMs / 1000}s: ${JSON.stringify(found.map((s) => [s.service, s.name, s.kind, s.spanId, s.parentSpanId]))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const otel = receiver.env;
  auth = await spawnTracedAuth('auth_trace', MESH_KEY, { ...otel, RATE_LIMIT_SIGNUP_PER_IP: '100' });
  posts = await spawnService('posts', path.join(REPO_ROOT, 'mesh/test/observability/fixtures/edge-service.mjs'), {
    ...otel,
    OTEL_SERVICE_NAME: 'posts',
    SERVICE_NAME: 'posts',
    EDGE_PREFIX: '/api/v1/posts/probe',
    SERVICE_URL_AUTH: auth.url,
    DATABASE_URL: await freshDatabase('posts_trace'),
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: 'http://agora.test',
    JWKS_URL: `${auth.url}/.well-known/jwks.json`,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: MESH_KEY,
  });
  ingress = await startIngress({ port: 0, host: '127.0.0.1', upstreams: { auth: auth.url, posts: posts.url } });
  ingressUrl = `http://127.0.0.1:${ingress.port}`;
}, 120_000);

afterAll(async () => {
  await ingress?.close(1_000);
  await Promise.all([posts?.stop(), auth?.stop()]);
  await receiver?.close();
});

/** The spans of one request across posts and auth, with the expected parent/child links. */
function assertCrossServiceTrace(found: ReceivedSpan[], rootParent: string): void {
  const postsServer = found.find((s) => s.service === 'posts' && s.kind === SPAN_KIND_SERVER);
  const client = found.find((s) => s.service === 'posts' && s.kind === SPAN_KIND_CLIENT && s.name === 'GET auth');
  const authServer = found.find((s) => s.service === 'auth' && s.kind === SPAN_KIND_SERVER);
  expect(postsServer, 'posts server span').toBeDefined();
  expect(client, 'posts client span to auth').toBeDefined();
  expect(authServer, 'auth server span').toBeDefined();
  // posts' server span continues the caller's (the ingress / Envoy) span
  expect(postsServer!.parentSpanId).toBe(rootParent);
  // the client span descends from posts' server span
  const byId = new Map(found.map((s) => [s.spanId, s]));
  let cursor: ReceivedSpan | undefined = client;
  const chain: string[] = [];
  while (cursor && cursor !== postsServer) {
    chain.push(cursor.name);
    cursor = cursor.parentSpanId ? byId.get(cursor.parentSpanId) : undefined;
  }
  expect(cursor, `client span chain ${chain.join(' <- ')}`).toBe(postsServer);
  // auth's server span is the child of posts' client span: across the process boundary
  expect(authServer!.parentSpanId).toBe(client!.spanId);
  // named after the matched route, with the HTTP semantic-convention attributes (no raw path)
  expect(postsServer!.name).toBe('GET /api/v1/posts/probe/keys');
  expect(authServer!.name).toBe('GET /.well-known/jwks.json');
  expect(attributesOf(postsServer!)).toMatchObject({
    'http.request.method': 'GET',
    'http.route': '/api/v1/posts/probe/keys',
    'http.response.status_code': 200,
    'url.scheme': 'http',
  });
  expect(Object.keys(attributesOf(postsServer!))).not.toContain('url.path');
}

/** OTLP/JSON attributes as a plain object (string, int and bool values). */
function attributesOf(span: ReceivedSpan): Record<string, unknown> {
  return Object.fromEntries(
    (span.attributes ?? []).map(({ key, value }) => [
      key,
      value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue)),
    ]),
  );
}

const isComplete = (f: ReceivedSpan[]) =>
  f.some((s) => s.service === 'auth' && s.kind === SPAN_KIND_SERVER) &&
  f.some((s) => s.service === 'posts' && s.kind === SPAN_KIND_SERVER) &&
  f.some((s) => s.service === 'posts' && s.kind === SPAN_KIND_CLIENT);

describe('one request across two services is one trace', () => {
  it('joins an incoming W3C traceparent (through the local ingress)', async () => {
    const traceId = randomBytes(16).toString('hex');
    const parent = randomBytes(8).toString('hex');
    const res = await fetch(`${ingressUrl}/api/v1/posts/probe/keys`, { headers: { traceparent: `00-${traceId}-${parent}-01` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keys: expect.any(Number) });
    const found = await traceSpans(traceId, isComplete);
    assertCrossServiceTrace(found, parent);
    expect(new Set(found.map((s) => s.service))).toEqual(new Set(['posts', 'auth']));
  });

  it("joins Envoy's B3 multi-header context (x-b3-traceid / x-b3-spanid / x-b3-sampled)", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parent = randomBytes(8).toString('hex');
    const res = await fetch(`${ingressUrl}/api/v1/posts/probe/keys`, {
      headers: { 'x-b3-traceid': traceId, 'x-b3-spanid': parent, 'x-b3-sampled': '1', 'x-request-id': 'b3-probe-1' },
    });
    expect(res.status).toBe(200);
    const found = await traceSpans(traceId, isComplete);
    assertCrossServiceTrace(found, parent);
  });

  it("records nothing when the caller's context says not sampled, in either service", async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${ingressUrl}/api/v1/posts/probe/keys`, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-00` },
    });
    expect(res.status).toBe(200);
    // A sampled request sent after it: once its spans are in, the unsampled one's would be too.
    const control = randomBytes(16).toString('hex');
    await fetch(`${ingressUrl}/api/v1/posts/probe/keys`, { headers: { traceparent: `00-${control}-${randomBytes(8).toString('hex')}-01` } });
    await traceSpans(control, isComplete);
    expect(receiver.spans.filter((s) => s.traceId === traceId)).toEqual([]);
  });

  it('marks a server span whose answer is a 5xx as an error', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${ingressUrl}/api/v1/posts/probe/fail`, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(res.status).toBe(500);
    const [server] = await traceSpans(traceId, (f) => f.some((s) => s.kind === SPAN_KIND_SERVER));
    expect(server!.name).toBe('GET /api/v1/posts/probe/fail');
    expect(server!.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attributesOf(server!)).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
  });

  it('traces database queries (pg) inside the request and names resources after the services', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${ingressUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({
        username: `trace_${randomBytes(3).toString('hex')}`,
        email: `t${randomBytes(3).toString('hex')}@example.com`,
        password: 'Str0ng-pass-trace-1',
      }),
    });
    expect(res.status).toBe(201);
    // the server span ends after the answer, so it may be exported in a later batch than the queries
    const found = await traceSpans(
      traceId,
      (f) => f.some((s) => s.scope === QUERY_SPAN_SCOPE && s.name.startsWith('pg.query:')) && f.some((s) => s.kind === SPAN_KIND_SERVER),
    );
    expect(found.every((s) => s.service === 'auth')).toBe(true);
    const queries = found.filter((s) => s.scope === QUERY_SPAN_SCOPE && s.name.startsWith('pg.query:'));
    expect(queries.length).toBeGreaterThan(0);
    // each statement is a CLIENT span inside the request: its chain of parents reaches auth's server span
    const server = found.find((s) => s.kind === SPAN_KIND_SERVER);
    expect(server?.name).toBe('POST /api/v1/auth/register');
    const byId = new Map(found.map((s) => [s.spanId, s]));
    for (const q of queries) {
      expect(q.kind).toBe(SPAN_KIND_CLIENT);
      expect(attributesOf(q)).toMatchObject({ 'db.system.name': 'postgresql', 'db.namespace': expect.stringMatching(/^auth_trace_/) });
      let cursor: ReceivedSpan | undefined = q;
      while (cursor && cursor !== server) cursor = cursor.parentSpanId ? byId.get(cursor.parentSpanId) : undefined;
      expect(cursor, q.name).toBe(server);
    }
  });

  it('puts the trace id on the latency histogram as an OpenMetrics exemplar', async () => {
    const traceId = randomBytes(16).toString('hex');
    await fetch(`${posts.url}/api/v1/posts/probe/keys`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    const text = await (await fetch(`${posts.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).text();
    expect(text).toMatch(
      new RegExp(`^http_server_request_duration_seconds_bucket\\{[^\\n]*route="/api/v1/posts/probe/keys"[^\\n]*# \\{trace_id="${traceId}"\\}`, 'm'),
    );
    expect(text).toMatch(new RegExp(`^mesh_client_request_duration_seconds_bucket\\{[^\\n]*callee="auth"[^\\n]*# \\{trace_id="${traceId}"\\}`, 'm'));
  });

  it('does not trace probes and scrapes', async () => {
    const traceId = randomBytes(16).toString('hex');
    await fetch(`${auth.url}/healthz/ready`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    await fetch(`${auth.url}/metrics`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.spans.filter((s) => s.traceId === traceId)).toEqual([]);
  });

  it('logs carry trace_id, span_id and request_id', () => {
    const lines = posts
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"request"') && l.includes('b3-probe-1'));
    expect(lines.length).toBeGreaterThan(0);
    const doc = JSON.parse(lines[0]!) as Record<string, string>;
    expect(doc.request_id).toBe('b3-probe-1');
    expect(doc.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(doc.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('configuration', () => {
  it('is off without an OTLP endpoint, or when disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });

  it('names the service from OTEL_SERVICE_NAME, else from services/<name>/dist/main.js', () => {
    expect(serviceNameFor({ OTEL_SERVICE_NAME: 'posts' }, '/app/services/auth/dist/main.js')).toBe('posts');
    expect(serviceNameFor({}, '/app/services/auth/dist/main.js')).toBe('auth');
    expect(serviceNameFor({}, '/app/services/users/dist/main.bundle.mjs')).toBe('users');
    expect(serviceNameFor({}, '/tmp/other.js')).toBeUndefined();
  });
});
