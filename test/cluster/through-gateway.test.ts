// The journey and the token attacks against a running Agora at AGORA_BASE_URL — a real cluster's
// Istio ingress (scripts/cluster-smoke.sh sets it) or any other ingress. Without AGORA_BASE_URL it
// says so and skips: nothing here can start a cluster. The same journey runs against the images in
// test/images/containers.test.ts and against the local stack in test/e2e/journey.test.ts.
import { createPublicKey, createHmac, randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { runJourney } from '../e2e/journey.js';

const base = process.env.AGORA_BASE_URL;
if (!base) console.warn('\n[gateway] SKIPPED test/cluster/through-gateway.test.ts: set AGORA_BASE_URL (scripts/cluster-smoke.sh does)\n');

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

async function signIn(): Promise<string> {
  const username = `smoke_${Date.now().toString(36)}`;
  const password = 'correct horse battery staple';
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post('/api/v1/auth/register', { username, email: `${username}@example.com`, password })).status).toBe(201);
  const login = await post('/api/v1/auth/login', { login: username, password });
  expect(login.status).toBe(200);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

describe.skipIf(!base)(`Agora at ${base ?? '(AGORA_BASE_URL unset)'}`, () => {
  it('the journey works through the gateway', async () => {
    await runJourney(base!);
  }, 120_000);

  it('the gateway refuses forged tokens and accepts the real one', async () => {
    const token = await signIn();
    const me = (t: string) => fetch(`${base}/api/v1/users/me`, { headers: { authorization: `Bearer ${t}` } });
    expect((await me(token)).status, 'positive control').toBe(200);

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: object[] };
    const foreign = await generateKeyPair('ES256');
    const hmacSecret = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const hs = `${b64url({ alg: 'HS256', typ: 'JWT', kid })}.${b64url(claims)}`;
    const forged: Record<string, string> = {
      'alg none': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`,
      'tampered payload': `${header}.${b64url({ ...claims, sub: randomUUID(), role: 'admin' })}.${signature}`,
      'foreign key with the real kid': await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(foreign.privateKey),
      'HS256 keyed with the public key': `${hs}.${createHmac('sha256', hmacSecret).update(hs).digest('base64url')}`,
      garbage: 'not.a.token',
    };
    for (const [name, t] of Object.entries(forged)) {
      const res = await me(t);
      expect(res.status, name).toBe(401);
    }
    expect((await fetch(`${base}/api/v1/users/me`)).status, 'no token on a protected operation').toBeGreaterThanOrEqual(401);
  }, 60_000);
});
