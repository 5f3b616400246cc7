import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';

// The HTTP rules of the shared app, seen on auth's real operations: every response that carries a
// token, a second-factor secret or backup codes, and every authenticated one, is `no-store`; the
// public keys keep their chosen public caching; validation messages are plain words; unknown
// methods are 405 problem+json with Allow; unknown query parameters are refused.

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

const url = (p: string) => `${auth.base}/api/v1/auth/${p}`;

function expectNoStore(res: { status: number; headers: Headers }, what: string) {
  expect(res.headers.get('cache-control'), `${what} (${res.status})`).toBe('no-store');
}

describe('caching of token- and secret-bearing responses', () => {
  it('register, login, refresh, 2fa setup, verify-setup (backup codes), login/mfa, status, verify and logout are no-store', async () => {
    const u = newUser('cache');
    const reg = await postJson(url('register'), u);
    expect(reg.status).toBe(201);
    expectNoStore(reg, 'register');

    const login = await postJson(url('login'), { login: u.username, password: u.password });
    expect(login.body.accessToken).toEqual(expect.any(String));
    expectNoStore(login, 'login');
    const bearer = { authorization: `Bearer ${login.body.accessToken}` };

    const refreshed = await postJson(url('refresh'), { refreshToken: login.body.refreshToken });
    expect(refreshed.body.refreshToken).toEqual(expect.any(String));
    expectNoStore(refreshed, 'refresh');

    const verify = await getJson(url('verify'), bearer);
    expect(verify.status).toBe(200);
    expectNoStore(verify, 'verify');

    const setup = await postJson(url('2fa/setup'), { password: u.password }, bearer);
    expect(setup.body.secret).toEqual(expect.any(String));
    expectNoStore(setup, '2fa/setup');

    const enabled = await postJson(url('2fa/verify-setup'), { code: await generate({ secret: setup.body.secret }) }, bearer);
    expect(enabled.body.backupCodes).toHaveLength(10);
    expectNoStore(enabled, '2fa/verify-setup');

    const status = await getJson(url('2fa/status'), bearer);
    expect(status.body.enabled).toBe(true);
    expectNoStore(status, '2fa/status');

    const challenge = await postJson(url('login'), { login: u.username, password: u.password });
    expect(challenge.body.mfaRequired).toBe(true);
    expectNoStore(challenge, 'login (mfa challenge)');
    const mfa = await postJson(url('login/mfa'), { mfaToken: challenge.body.mfaToken, code: enabled.body.backupCodes[0] });
    expect(mfa.body.accessToken).toEqual(expect.any(String));
    expectNoStore(mfa, 'login/mfa');

    const logout = await postJson(url('logout'), { refreshToken: mfa.body.refreshToken });
    expect(logout.status).toBe(204);
    expectNoStore(logout, 'logout');
  });

  it('refusals are no-store too; the public keys keep their public caching', async () => {
    expectNoStore(await postJson(url('login'), { login: 'nobody_here', password: 'wrong-password-1' }), 'failed login');
    expectNoStore(await getJson(url('verify')), 'verify without a token');
    const jwks = await getJson(`${auth.base}/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
  });
});

describe('refusals in the shared shape', () => {
  it('validation messages are plain words: no regular expression, no JSON', async () => {
    const res = await postJson(url('register'), { username: 'a b', email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'username', message: 'must be 3–30 letters, digits or underscores' },
        { field: 'email', message: 'must be an email address, such as alice@example.com' },
        { field: 'password', message: 'must be at least 12 characters long' },
      ]),
    );
    for (const e of res.body.errors) expect(e.message).not.toMatch(/[\\^$[\]{}]/);
  });

  it('an unknown field of the body is named in words', async () => {
    const res = await postJson(url('refresh'), { refreshToken: 'x'.repeat(20), admin: true });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'admin', message: 'is not a field of this request; remove it' });
  });

  it('TRACE and PROPFIND are 405 problem+json with Allow', async () => {
    for (const method of ['TRACE', 'PROPFIND']) {
      const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const req = http.request(url('login'), { method }, (r) => {
          let body = '';
          r.on('data', (c) => (body += c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body).type).toBe('https://agora.dev/problems/method-not-allowed');
    }
  });

  it('a query parameter the operation does not declare is a 400 naming it', async () => {
    const res = await getJson(`${auth.base}/.well-known/jwks.json?kid=abc`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'kid', message: 'is not a query parameter of this operation' }]);
  });

  it('authentication comes first: without a token the answer is the same 401, with one the 400', async () => {
    expect((await getJson(url('verify?access_token=abc'))).status).toBe(401);
    const u = newUser('query');
    await postJson(url('register'), u);
    const login = await postJson(url('login'), { login: u.username, password: u.password });
    const res = await getJson(url('verify?access_token=abc'), { authorization: `Bearer ${login.body.accessToken}` });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'access_token', message: 'is not a query parameter of this operation' }]);
  });
});
