import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ISSUER, getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

async function registerAndLogin(login: 'username' | 'email' = 'username') {
  const u = newUser();
  const reg = await postJson(`${auth.base}/api/v1/auth/register`, u);
  expect(reg.status).toBe(201);
  const res = await postJson(`${auth.base}/api/v1/auth/login`, { login: u[login], password: u.password });
  expect(res.status).toBe(200);
  return { user: u, id: reg.body.id as string, tokens: res.body };
}

const refresh = (refreshToken: string) => postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken });

describe('login', () => {
  it('issues an ES256 at+jwt access token with the documented claims and an opaque refresh token', async () => {
    const { id, tokens } = await registerAndLogin();
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const header = decodeProtectedHeader(tokens.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(header.kid).toEqual(expect.any(String));
    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({ iss: ISSUER, aud: 'agora-api', sub: id, roles: ['user'] });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
  });

  it('accepts the email instead of the username, in any case', async () => {
    const u = newUser();
    await postJson(`${auth.base}/api/v1/auth/register`, u);
    const res = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.email.toUpperCase(), password: u.password });
    expect(res.status).toBe(200);
  });

  it('answers the same 401 for a wrong password and an unknown account, and audits both', async () => {
    const u = newUser();
    await postJson(`${auth.base}/api/v1/auth/register`, u);
    const wrong = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: 'wrong-password-123' });
    const unknown = await postJson(`${auth.base}/api/v1/auth/login`, { login: 'nobody_here', password: 'wrong-password-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    const failures = await auth.count("audit_events WHERE action = 'login' AND outcome = 'failure'");
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  it('refuses malformed login bodies with 400', async () => {
    expect((await postJson(`${auth.base}/api/v1/auth/login`, { login: 'x' })).status).toBe(400);
    expect((await postJson(`${auth.base}/api/v1/auth/login`, { login: '', password: 'x' })).status).toBe(400);
    expect((await postJson(`${auth.base}/api/v1/auth/login`, [])).status).toBe(400);
  });
});

describe('refresh', () => {
  it('rotates: the new pair works, the old refresh token is dead', async () => {
    const { tokens } = await registerAndLogin();
    const first = await refresh(tokens.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
    expect(decodeJwt(first.body.accessToken).sid).toBe(decodeJwt(tokens.accessToken).sid);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
  });

  it('revokes the whole family when a rotated token is presented again, and audits it', async () => {
    const { id, tokens } = await registerAndLogin();
    const rotated = await refresh(tokens.refreshToken);
    expect(rotated.status).toBe(200);
    const replay = await refresh(tokens.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.type).toBe('https://agora.dev/problems/unauthorized');
    // The legitimate holder's newer token dies with the family.
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    const [family] = await auth.service.db.query<{ revoked_reason: string }>('SELECT revoked_reason FROM refresh_families WHERE id = $1', [
      decodeJwt(tokens.accessToken).sid,
    ]);
    expect(family?.revoked_reason).toBe('refresh_token_reuse');
    expect(await auth.count("audit_events WHERE action = 'refresh_reuse' AND target_id = $1", [id])).toBe(1);
  });

  it('refuses unknown and malformed refresh tokens', async () => {
    expect((await refresh('rt_not-a-real-token-at-all')).status).toBe(401);
    expect((await postJson(`${auth.base}/api/v1/auth/refresh`, {})).status).toBe(400);
    expect((await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: 'x'.repeat(500) })).status).toBe(400);
  });
});

describe('logout', () => {
  it('revokes the session: its refresh token no longer works; repeating is harmless', async () => {
    const { tokens } = await registerAndLogin();
    const out = await postJson(`${auth.base}/api/v1/auth/logout`, { refreshToken: tokens.refreshToken });
    expect(out.status).toBe(204);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
    expect((await postJson(`${auth.base}/api/v1/auth/logout`, { refreshToken: tokens.refreshToken })).status).toBe(204);
  });

  it("leaves the user's other sessions alone", async () => {
    const { user, tokens } = await registerAndLogin();
    const other = await postJson(`${auth.base}/api/v1/auth/login`, { login: user.username, password: user.password });
    await postJson(`${auth.base}/api/v1/auth/logout`, { refreshToken: tokens.refreshToken });
    expect((await refresh(other.body.refreshToken)).status).toBe(200);
  });
});

describe('GET /api/v1/auth/verify', () => {
  it('returns the verified claims of a valid token', async () => {
    const { id, tokens } = await registerAndLogin();
    const res = await getJson(`${auth.base}/api/v1/auth/verify`, { authorization: `Bearer ${tokens.accessToken}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sub: id, roles: ['user'], sid: decodeJwt(tokens.accessToken).sid });
  });

  it('answers 401 problem+json without a token, with a malformed one, or with a tampered one', async () => {
    const { tokens } = await registerAndLogin();
    const [h, p, s] = tokens.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(tokens.accessToken), roles: ['admin'] })).toString('base64url');
    for (const headers of [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer not.a.jwt' },
      { authorization: `Bearer ${h}.${forged}.${s}` },
      { authorization: `Bearer ${h}.${p}.${s!.slice(0, -4)}AAAA` },
    ]) {
      const res = await getJson(`${auth.base}/api/v1/auth/verify`, headers as Record<string, string>);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
