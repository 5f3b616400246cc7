import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startAuth, type RunningAuth } from './harness.js';

// Cookie mode (src/cookie-session.ts): the refresh token travels only in an HttpOnly cookie.
let auth: RunningAuth;
const password = 'cookie-mode-password-1';
const username = 'cookie_user';

beforeAll(async () => {
  auth = await startAuth({ CORS_ORIGINS: 'http://localhost:5173' });
  const reg = await postJson(`${auth.base}/api/v1/auth/register`, { username, email: 'cookie@example.com', password });
  expect(reg.status).toBe(201);
});
afterAll(() => auth?.stop());

const cookieMode = () => ({ 'x-agora-session': 'cookie', origin: auth.base });

function refreshCookie(headers: Headers): string {
  const set = headers.get('set-cookie') ?? '';
  const match = /agora_refresh=([^;]*)/.exec(set);
  if (!match) throw new Error(`no refresh cookie in ${JSON.stringify(set)}`);
  return match[1]!;
}

describe('cookie mode', () => {
  it('login sets an HttpOnly SameSite=Strict cookie on the auth path and leaves the token out of the body', async () => {
    const res = await postJson(`${auth.base}/api/v1/auth/login`, { login: username, password }, cookieMode());
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('refreshToken');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/api\/v1\/auth(;|$)/);
    expect(set).not.toMatch(/Secure/); // plain http on loopback
    expect(refreshCookie(res.headers)).toMatch(/^rt_/);
  });

  it('refresh reads the cookie, rotates it, and a reused cookie is refused and cleared', async () => {
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: username, password }, cookieMode());
    const first = refreshCookie(login.headers);
    const refreshed = await postJson(`${auth.base}/api/v1/auth/refresh`, {}, { ...cookieMode(), cookie: `agora_refresh=${first}` });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    expect(refreshed.body).not.toHaveProperty('refreshToken');
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    const second = refreshCookie(refreshed.headers);
    expect(second).not.toBe(first);

    const reused = await postJson(`${auth.base}/api/v1/auth/refresh`, {}, { ...cookieMode(), cookie: `agora_refresh=${first}` });
    expect(reused.status).toBe(401);
    expect(refreshCookie(reused.headers)).toBe('');
  });

  it('refresh without a cookie is a 401 problem', async () => {
    const res = await postJson(`${auth.base}/api/v1/auth/refresh`, {}, cookieMode());
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('a cross-site origin or a missing origin gets a 403 and no token, even with a valid cookie', async () => {
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: username, password }, cookieMode());
    const cookie = `agora_refresh=${refreshCookie(login.headers)}`;
    for (const origin of ['https://evil.example', 'null', undefined]) {
      const headers: Record<string, string> = { 'x-agora-session': 'cookie', cookie };
      if (origin) headers.origin = origin;
      const res = await postJson(`${auth.base}/api/v1/auth/refresh`, {}, headers);
      expect(res.status).toBe(403);
      expect(res.body).not.toHaveProperty('accessToken');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    // An allow-listed origin (the dev server) may.
    const ok = await postJson(`${auth.base}/api/v1/auth/refresh`, {}, { 'x-agora-session': 'cookie', cookie, origin: 'http://localhost:5173' });
    expect(ok.status).toBe(200);
  });

  it('without the custom header the cookie is ignored (JSON-body mode needs the token in the body)', async () => {
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: username, password }, cookieMode());
    const res = await postJson(
      `${auth.base}/api/v1/auth/refresh`,
      {},
      { origin: auth.base, cookie: `agora_refresh=${refreshCookie(login.headers)}` },
    );
    expect(res.status).toBe(400);
    expect(res.body).not.toHaveProperty('accessToken');
  });

  it('logout ends the session of the cookie and clears it', async () => {
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: username, password }, cookieMode());
    const token = refreshCookie(login.headers);
    const out = await postJson(`${auth.base}/api/v1/auth/logout`, {}, { ...cookieMode(), cookie: `agora_refresh=${token}` });
    expect(out.status).toBe(204);
    expect(refreshCookie(out.headers)).toBe('');
    const after = await postJson(`${auth.base}/api/v1/auth/refresh`, {}, { ...cookieMode(), cookie: `agora_refresh=${token}` });
    expect(after.status).toBe(401);
  });

  it('JSON-body mode is unchanged', async () => {
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: username, password });
    expect(login.status).toBe(200);
    expect(login.body.refreshToken).toMatch(/^rt_/);
    expect(login.headers.get('set-cookie')).toBeNull();
    expect(login.headers.get('cache-control')).toBe('no-store');
    const refreshed = await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toMatch(/^rt_/);
  });
});
