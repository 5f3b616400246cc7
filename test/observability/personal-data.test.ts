/**
 * No personal data in traces and logs (issue 17). auth runs as in the local run and the images
 * (`node <V8 flags> services/auth/dist/main.bundle.mjs`), exporting every span as
 * OTLP/JSON to a receiver here and logging at debug level. The test registers a user with a known
 * username, e-mail and password, signs in by e-mail, fails a sign-in by username with a mistyped
 * password, refreshes, replays the old refresh token, verifies the access token and signs out. Then
 * none of those values, no token, no token hash, no rate-limit key (a hash of the login) and no
 * password hash may appear in any exported span (names, attributes, events) or any log line.
 *
 * It also fails if a database statement is ever recorded raw again: every pg query span must carry
 * the marker that sql-sanitiser.ts sets, and no statement may contain a quoted literal.
 * Needs the root vitest config (its global PostgreSQL); skipped without it, loudly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_SPAN_SCOPE } from '@agora/mesh/observability/query-span';
import { SQL_SANITISED_ATTRIBUTE } from '@agora/mesh/observability/sql-sanitiser';
import { testAdminUrlIfAny } from '../helpers/db.js';
import type { ServiceProcess } from '../../mesh/test/observability/processes.js';
import { spawnTracedAuth } from '../../mesh/test/observability/traced-auth.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../mesh/test/observability/otlp-receiver.js';

const adminUrl = testAdminUrlIfAny();
if (!adminUrl) console.warn('[personal-data] SKIPPED: no test PostgreSQL (run with the root vitest config)');

let receiver: OtlpReceiver | undefined;
let auth: ServiceProcess | undefined;

const token = randomBytes(4).toString('hex');
const user = { username: `pd_${token}`, email: `pd.${token}@example.com`, password: `Secret-pass-${token}-!` };
const wrongPassword = `Mistyped-${token}-?`;
const secrets = new Map<string, string>(); // what → value that must never be exported or logged

const sha256Hex = (v: string) => createHash('sha256').update(v).digest('hex');
const loginKey = (v: string) => createHash('sha256').update(v.trim().toLowerCase()).digest('base64url');

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${auth!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> | undefined };
}

function attributeMap(list: ReceivedSpan['attributes']): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, value.stringValue ?? value.boolValue ?? value.intValue]));
}

describe.skipIf(!adminUrl)('personal data in traces and logs', () => {
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    auth = await spawnTracedAuth('auth_personal_data', 'k'.repeat(40), { ...receiver.env, LOG_LEVEL: 'debug' });

    expect((await post('/api/v1/auth/register', user)).status).toBe(201);
    const login = await post('/api/v1/auth/login', { login: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect((await post('/api/v1/auth/login', { login: user.username, password: wrongPassword })).status).toBe(401);
    const refreshToken = String(login.body!.refreshToken);
    const accessToken = String(login.body!.accessToken);
    const refreshed = await post('/api/v1/auth/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    // Verified before the replay below: the replay revokes the family, and its tokens with it.
    const verify = await fetch(`${auth!.url}/api/v1/auth/verify`, { headers: { authorization: `Bearer ${String(refreshed.body!.accessToken)}` } });
    expect(verify.status).toBe(200);
    await verify.body?.cancel();
    expect((await post('/api/v1/auth/refresh', { refreshToken })).status).toBe(401); // replayed: the family is revoked
    await post('/api/v1/auth/logout', { refreshToken: String(refreshed.body!.refreshToken) });

    secrets.set('username', user.username);
    secrets.set('email', user.email);
    secrets.set('email local part', user.email.split('@')[0]!);
    secrets.set('password', user.password);
    secrets.set('mistyped password', wrongPassword);
    secrets.set('access token', accessToken);
    secrets.set('access token signature', accessToken.split('.')[2]!);
    secrets.set('rotated access token', String(refreshed.body!.accessToken));
    secrets.set('refresh token', refreshToken);
    secrets.set('rotated refresh token', String(refreshed.body!.refreshToken));
    secrets.set('refresh token hash', sha256Hex(refreshToken));
    secrets.set('rotated refresh token hash', sha256Hex(String(refreshed.body!.refreshToken)));
    secrets.set('rate-limit key of the e-mail', loginKey(user.email));
    secrets.set('rate-limit key of the username', loginKey(user.username));
    secrets.set('argon2 hash', '$argon2');

    // every request's spans are exported (100 ms batches): wait for the last one, the sign-out
    const deadline = Date.now() + 15_000;
    while (!receiver!.spans.some((s) => s.name === 'POST /api/v1/auth/logout') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
  }, 120_000);

  afterAll(async () => {
    await auth?.stop();
    await receiver?.close();
  });

  it('exported the spans of every step, including the database queries of the sign-in', () => {
    const names = new Set(receiver!.spans.map((s) => s.name));
    for (const route of [
      'POST /api/v1/auth/register',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/auth/verify',
      'POST /api/v1/auth/logout',
    ]) {
      expect(names, route).toContain(route);
    }
    const queries = receiver!.spans.filter((s) => s.scope === QUERY_SPAN_SCOPE && attributeMap(s.attributes)['db.query.text'] !== undefined);
    expect(queries.length).toBeGreaterThan(5);
    // the sign-in's user lookup is among them (so the check below covers it)
    expect(queries.some((q) => /\busers\b/i.test(String(attributeMap(q.attributes)['db.query.text'])))).toBe(true);
  });

  it('records every database statement sanitised: marked by mesh, no quoted literal, no bound values', () => {
    const queries = receiver!.spans.filter((s) => s.scope === QUERY_SPAN_SCOPE && attributeMap(s.attributes)['db.query.text'] !== undefined);
    for (const q of queries) {
      const attrs = attributeMap(q.attributes);
      expect(attrs[SQL_SANITISED_ATTRIBUTE], `${q.name}: ${String(attrs['db.query.text'])}`).toBe(true);
      expect(String(attrs['db.query.text'])).not.toMatch(/'/);
      expect(attrs['db.statement']).toBe(attrs['db.query.text']);
      expect(Object.keys(attrs).filter((k) => k.startsWith('db.query.parameter') || k === 'db.postgresql.values')).toEqual([]);
    }
  });

  it('puts no path, query string or full URL on any span (route templates only)', () => {
    for (const s of receiver!.spans) {
      const keys = Object.keys(attributeMap(s.attributes));
      for (const forbidden of ['url.path', 'url.query', 'url.full', 'http.url', 'http.target']) expect(keys, `${s.name}`).not.toContain(forbidden);
    }
  });

  it("exports none of the user's data, tokens or hashes in any span", () => {
    expect(receiver!.rawExports.length).toBeGreaterThan(0);
    const exported = receiver!.rawExports.join('\n');
    const leaks = [...secrets].filter(([, value]) => exported.includes(value)).map(([what]) => what);
    expect(leaks).toEqual([]);
  });

  it("logs none of the user's data, tokens or hashes (debug level, every line)", () => {
    const lines = auth!.output().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    const leaks = [...secrets].flatMap(([what, value]) => lines.filter((l) => l.includes(value)).map((l) => `${what}: ${l.slice(0, 200)}`));
    expect(leaks).toEqual([]);
  });
});
