import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { startServiceProcess, type ServiceProcess } from '../../../test/helpers/processes.js';
import { migrations } from '../src/migrations/index.js';
import { ISSUER, newUser, postJson } from './harness.js';

/**
 * The product's real limits (login 5 failures / 15 min per account, 20 per address, sign-up 3 / hour
 * per address), enforced by two separate auth processes sharing one database, as replicas do. The
 * processes run as under Istio: a client address counts only when the request comes from the
 * ingress gateway (its SPIFFE id in X-Forwarded-Client-Cert, which the sidecar sets).
 */
let a: ServiceProcess;
let b: ServiceProcess;

beforeAll(async () => {
  const databaseUrl = await freshDatabase('auth_limits');
  await migrateService('auth', databaseUrl, migrations);
  const env = {
    DATABASE_URL: databaseUrl,
    JWT_ISSUER: ISSUER,
    JWKS_URL: 'http://127.0.0.1:9/unused',
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    WORKER_ENABLED: 'false',
  };
  a = await startServiceProcess('auth', env);
  b = await startServiceProcess('auth', env);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

const GATEWAY = 'By=spiffe://cluster.local/ns/agora/sa/auth;URI=spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
const from = (ip: string) => ({ 'x-forwarded-for': ip, 'x-forwarded-client-cert': GATEWAY });

describe('rate limits shared across auth processes', () => {
  it('sign-up: the 4th in an hour from one address is refused with 429 and Retry-After, by either process', async () => {
    const ip = '203.0.113.10';
    expect((await postJson(`${a.base}/api/v1/auth/register`, newUser(), from(ip))).status).toBe(201);
    expect((await postJson(`${b.base}/api/v1/auth/register`, newUser(), from(ip))).status).toBe(201);
    expect((await postJson(`${a.base}/api/v1/auth/register`, newUser(), from(ip))).status).toBe(201);
    const refused = await postJson(`${b.base}/api/v1/auth/register`, newUser(), from(ip));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.type).toBe('https://agora.dev/problems/rate-limited');
    expect((await postJson(`${b.base}/api/v1/auth/register`, newUser(), from('203.0.113.11'))).status).toBe(201);
  });

  it('login: after 5 failures on an account (username and email alike, across processes and addresses) even the right password gets 429', async () => {
    const u = newUser();
    expect((await postJson(`${a.base}/api/v1/auth/register`, u, from('198.51.100.1'))).status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      const target = i % 2 ? a : b;
      const login = i % 2 ? u.username : u.email.toUpperCase();
      const res = await postJson(`${target.base}/api/v1/auth/login`, { login, password: 'wrong-password-x' }, from(`198.51.100.${10 + i}`));
      expect(res.status).toBe(401);
    }
    for (const login of [u.username, u.email]) {
      const locked = await postJson(`${a.base}/api/v1/auth/login`, { login, password: u.password }, from('198.51.100.99'));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800); // ~15 minutes
    }
  });

  it('login: 30 concurrent wrong passwords for one account: at most 5 are verified, the rest 429', async () => {
    const u = newUser();
    expect((await postJson(`${a.base}/api/v1/auth/register`, u, from('198.51.100.2'))).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postJson(`${(i % 2 ? a : b).base}/api/v1/auth/login`, { login: u.username, password: `wrong-password-${i}` }, from(`198.51.100.${100 + i}`)),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });

  it("login: one address's failures lock the account it guessed, not the other accounts behind it; 20 lock the address", async () => {
    const ip = '192.0.2.77';
    const victim = newUser();
    const neighbour = newUser();
    for (const u of [victim, neighbour]) expect((await postJson(`${a.base}/api/v1/auth/register`, u, from('192.0.2.1'))).status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      expect((await postJson(`${b.base}/api/v1/auth/login`, { login: victim.username, password: 'wrong-password-x' }, from(ip))).status).toBe(401);
    }
    expect((await postJson(`${a.base}/api/v1/auth/login`, { login: victim.username, password: victim.password }, from(ip))).status).toBe(429);
    expect((await postJson(`${a.base}/api/v1/auth/login`, { login: neighbour.username, password: neighbour.password }, from(ip))).status).toBe(200);
    for (let i = 5; i < 20; i += 1) {
      expect((await postJson(`${b.base}/api/v1/auth/login`, { login: `nobody_${i}`, password: 'wrong-password-x' }, from(ip))).status).toBe(401);
    }
    expect((await postJson(`${a.base}/api/v1/auth/login`, { login: neighbour.username, password: neighbour.password }, from(ip))).status).toBe(429);
    expect(
      (await postJson(`${a.base}/api/v1/auth/login`, { login: neighbour.username, password: neighbour.password }, from('192.0.2.2'))).status,
    ).toBe(200);
  });

  it('X-Forwarded-For without the ingress gateway as the peer is ignored: forged addresses share the real one', async () => {
    const forged = (i: number) => ({ 'x-forwarded-for': `203.0.113.${200 + i}` });
    for (let i = 0; i < 3; i += 1) expect((await postJson(`${a.base}/api/v1/auth/register`, newUser(), forged(i))).status).toBe(201);
    expect((await postJson(`${b.base}/api/v1/auth/register`, newUser(), forged(3))).status).toBe(429);
  });
});
