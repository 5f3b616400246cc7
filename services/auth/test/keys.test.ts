import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { ISSUER, getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';
import type { AuthDeps } from '../src/wiring.js';
import { KeyStore } from '../src/domain/key-store.js';
import { SecretBox } from '../src/domain/secret-box.js';

/**
 * Key rotation with overlap, checked from a second process that knows nothing but the JWKS URL —
 * exactly what users/posts/media do.
 */
let auth: RunningAuth;
let verifier: ChildProcess;
let verifierBase: string;

beforeAll(async () => {
  auth = await startAuth();
  verifier = spawn(process.execPath, [path.resolve(__dirname, '../../../test/fixtures/protected-service.mjs')], {
    env: { ...process.env, JWT_ISSUER: ISSUER, JWKS_URL: `${auth.base}/.well-known/jwks.json`, PORT: '0', JWKS_COOLDOWN_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(verifier.stdout!, 'data')) as [Buffer];
  verifierBase = `http://127.0.0.1:${JSON.parse(line.toString()).port}`;
});
afterAll(async () => {
  verifier?.kill('SIGTERM');
  await auth?.stop();
});

const deps = () => auth.service.deps as AuthDeps;

async function login() {
  const u = newUser('keys');
  await postJson(`${auth.base}/api/v1/auth/register`, u);
  const res = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password });
  return res.body.accessToken as string;
}

const whoAmI = (token: string) => getJson(`${verifierBase}/whoami`, { authorization: `Bearer ${token}` });

describe('signing keys', () => {
  it('publishes the discovery document pointing at the JWKS', async () => {
    const res = await getJson(`${auth.base}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['ES256'] });
    const jwks = await getJson(`${auth.base}/.well-known/jwks.json`);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.body.keys[0]).not.toHaveProperty('d'); // never the private part
  });

  it('a second service that only knows the JWKS URL accepts a real token and refuses a forged one', async () => {
    const token = await login();
    const ok = await whoAmI(token);
    expect(ok.status).toBe(200);
    expect(ok.body.roles).toEqual(['user']);
    const tampered = `${token.slice(0, -6)}AAAAAA`;
    expect((await whoAmI(tampered)).status).toBe(401);
    expect((await getJson(`${verifierBase}/whoami`)).status).toBe(401);
  });

  it('rotation: new tokens use the new kid, tokens of the old key stay valid until they expire', async () => {
    const before = await login();
    const oldKid = decodeProtectedHeader(before).kid;
    // What `npm run rotate-keys` does: a separate KeyStore on the same database.
    const store = new KeyStore(auth.service.db, new SecretBox(auth.config.SIGNING_KEY_ENCRYPTION_KEY), 960);
    const now = new Date();
    const rotated = await store.rotate(now, 60);
    expect(rotated.retired).toEqual([oldKid]);
    // The running replica picks the change up on its periodic refresh (every 30 s); don't wait for it.
    await deps().keys.refresh(now);
    // Published at once, but not yet used for signing.
    expect(
      deps()
        .keys.jwks()
        .keys.map((k) => k.kid),
    ).toContain(rotated.kid);
    expect(decodeProtectedHeader(await login()).kid).toBe(oldKid);
    // Activation time reached.
    await deps().keys.refresh(new Date(now.getTime() + 60_000));
    const jwks = await getJson(`${auth.base}/.well-known/jwks.json`);
    const kids = jwks.body.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, rotated.kid]));

    const after = await login();
    expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
    expect((await whoAmI(after)).status).toBe(200); // unknown kid → the verifier refetches the JWKS
    expect((await whoAmI(before)).status).toBe(200); // the old key is still published

    // Once every token the old key signed has expired (activation + 960 s here), it leaves the JWKS.
    await deps().keys.refresh(new Date(now.getTime() + 60_000 + 961_000));
    expect(
      deps()
        .keys.jwks()
        .keys.map((k) => k.kid),
    ).toEqual([rotated.kid]);
    await deps().keys.refresh();
  });
});
