import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { startServiceProcess, type ServiceProcess } from '../../../test/helpers/processes.js';
import { migrations } from '../src/migrations/index.js';
import { ISSUER, newUser, postJson } from './harness.js';

/**
 * The product's real limits (login 5 failures / 15 min per account and per IP, sign-up 3 / hour per
 * IP), enforced by two separate auth processes sharing one database, as replicas do.
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

const from = (ip: string) => ({ 'x-forwarded-for': ip });

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

  it('login: after 5 failures on an account (across processes and addresses) even the right password gets 429', async () => {
    const u = newUser();
    expect((await postJson(`${a.base}/api/v1/auth/register`, u, from('198.51.100.1'))).status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      const target = i % 2 ? a : b;
      const res = await postJson(`${target.base}/api/v1/auth/login`, { login: u.username, password: 'wrong-password-x' }, from(`198.51.100.${10 + i}`));
      expect(res.status).toBe(401);
    }
    const locked = await postJson(`${a.base}/api/v1/auth/login`, { login: u.username, password: u.password }, from('198.51.100.99'));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800); // ~15 minutes
  });

  it('login: 5 failures from one address lock that address out for every account', async () => {
    const ip = '192.0.2.77';
    const victim = newUser();
    expect((await postJson(`${a.base}/api/v1/auth/register`, victim, from('192.0.2.1'))).status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      await postJson(`${b.base}/api/v1/auth/login`, { login: `nobody_${i}`, password: 'wrong-password-x' }, from(ip));
    }
    const res = await postJson(`${a.base}/api/v1/auth/login`, { login: victim.username, password: victim.password }, from(ip));
    expect(res.status).toBe(429);
    const elsewhere = await postJson(`${a.base}/api/v1/auth/login`, { login: victim.username, password: victim.password }, from('192.0.2.2'));
    expect(elsewhere.status).toBe(200);
  });
});
