import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';

/**
 * Credential stuffing from many addresses: once the global failure budget is spent, each address is
 * held to the under-attack budget instead of its usual, more generous one. Small numbers so the test
 * is quick: 10 global failures, 20 per address normally, 3 under attack. Runs as under Istio (the
 * gateway's SPIFFE id in X-Forwarded-Client-Cert), so X-Forwarded-For names the client.
 */
let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth({
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '5',
    RATE_LIMIT_LOGIN_PER_IP: '20',
    RATE_LIMIT_LOGIN_GLOBAL: '10',
    RATE_LIMIT_LOGIN_PER_IP_UNDER_ATTACK: '3',
  });
});
afterAll(async () => auth?.stop());

const GATEWAY = 'By=spiffe://cluster.local/ns/agora/sa/auth;URI=spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
const from = (ip: string) => ({ 'x-forwarded-for': ip, 'x-forwarded-client-cert': GATEWAY });
const login = (login: string, password: string, ip: string) => postJson(`${auth.base}/api/v1/auth/login`, { login, password }, from(ip));

describe('global failure budget', () => {
  it('before it is spent an address has its 20; after, a fresh address gets 3 failures, then 429 even for a right password', async () => {
    const u = newUser('glob');
    expect((await postJson(`${auth.base}/api/v1/auth/register`, u, from('203.0.113.1'))).status).toBe(201);
    // Below the global budget: one address takes 6 failures (more than the under-attack 3) without a 429.
    for (let i = 0; i < 6; i += 1) expect((await login(`nobody_a${i}`, 'wrong-password-x', '198.51.100.1')).status).toBe(401);
    // Stuffing from many addresses, one failure each, spends the rest of the global budget (10).
    for (let i = 0; i < 5; i += 1) expect((await login(`nobody_b${i}`, 'wrong-password-x', `198.51.100.${10 + i}`)).status).toBe(401);
    // Under attack: a fresh address gets 3 failures, the 4th attempt is refused — even the right password.
    const fresh = '192.0.2.200';
    for (let i = 0; i < 3; i += 1) expect((await login(`nobody_c${i}`, 'wrong-password-x', fresh)).status).toBe(401);
    const refused = await login(u.username, u.password, fresh);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address without failures still signs in with the right password.
    expect((await login(u.username, u.password, '192.0.2.201')).status).toBe(200);
  });
});
