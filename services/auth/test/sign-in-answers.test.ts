import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { generate } from 'otplib';
import { signLocalAssertion } from '@agora/mesh';
import { getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';
import type { AuthDeps } from '../src/wiring.js';
import { mailsTo, newMailbox } from './mailbox.js';

const MESH_KEY = 'local-mesh-key-for-tests-only-0123456789';
let auth: RunningAuth;
let mailbox: string;
beforeAll(async () => {
  mailbox = await newMailbox();
  auth = await startAuth({ MAILBOX_DIR: mailbox, MESH_IDENTITY: 'local', MESH_LOCAL_KEY: MESH_KEY });
});
afterAll(async () => auth?.stop());

const url = (p: string) => `${auth.base}/api/v1/auth/${p}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const USER_KEYS = ['email', 'emailVerified', 'id', 'roles', 'username'];

describe('token answers carry the signed-in user', () => {
  it('login answers {id, username, email, emailVerified, roles} beside the tokens, and refresh too', async () => {
    const u = newUser('answers');
    const reg = await postJson(url('register'), u);
    const login = await postJson(url('login'), { login: u.username, password: u.password });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ id: reg.body.id, username: u.username, email: u.email, emailVerified: false, roles: ['user'] });
    const refreshed = await postJson(url('refresh'), { refreshToken: login.body.refreshToken });
    expect(refreshed.body.user).toEqual(login.body.user);
  });

  it('the two-factor and the mailed-code sign-ins answer the user too', async () => {
    const u = newUser('answers');
    const reg = await postJson(url('register'), u);
    const setup = await postJson(url('2fa/setup'), { password: u.password }, bearer(reg.body.accessToken));
    const enabled = await postJson(url('2fa/verify-setup'), { code: await generate({ secret: setup.body.secret }) }, bearer(reg.body.accessToken));
    expect(enabled.status).toBe(200);
    const first = await postJson(url('login'), { login: u.email, password: u.password });
    expect(first.body.mfaRequired).toBe(true);
    const epoch = Math.floor(Date.now() / 1000) + 30; // the next step: the setup's code is spent
    const second = await postJson(url('login/mfa'), { mfaToken: first.body.mfaToken, code: await generate({ secret: setup.body.secret, epoch }) });
    expect(second.status).toBe(200);
    expect(second.body.user).toMatchObject({ id: reg.body.id, username: u.username });

    const v = newUser('answers');
    const vreg = await postJson(url('register'), v);
    await postJson(url('login/code/request'), { email: v.email });
    await (auth.service.deps as AuthDeps).mail.drain();
    const mail = (await mailsTo(mailbox, v.email)).find((m) => m.includes('sign-in code'));
    const code = /sign-in code is (\d{6})/.exec(mail ?? '')?.[1];
    const byCode = await postJson(url('login/code'), { email: v.email, code });
    expect(byCode.status).toBe(200);
    expect(byCode.body.user).toMatchObject({ id: vreg.body.id, username: v.username });
  });

  it('access tokens carry auth_time: the sign-in, kept across refreshes', async () => {
    const u = newUser('answers');
    await postJson(url('register'), u);
    const before = Math.floor(Date.now() / 1000) - 1;
    const login = await postJson(url('login'), { login: u.username, password: u.password });
    const authTime = decodeJwt(login.body.accessToken).auth_time as number;
    expect(authTime).toBeGreaterThanOrEqual(before);
    expect(authTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
    await new Promise((r) => setTimeout(r, 1100));
    const refreshed = await postJson(url('refresh'), { refreshToken: login.body.refreshToken });
    expect(decodeJwt(refreshed.body.accessToken).auth_time).toBe(authTime);
    expect(decodeJwt(refreshed.body.accessToken).iat).toBeGreaterThan(authTime);
  });
});

describe('register signs in at once', () => {
  it('answers 201 with the account, a working access token, a working refresh token and the user', async () => {
    const u = newUser('signup');
    const reg = await postJson(url('register'), u);
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ username: u.username, email: u.email, tokenType: 'Bearer', expiresIn: 900 });
    expect(reg.body.user).toEqual({ id: reg.body.id, username: u.username, email: u.email, emailVerified: false, roles: ['user'] });
    const verified = await getJson(url('verify'), bearer(reg.body.accessToken));
    expect(verified.status).toBe(200);
    expect(verified.body.sub).toBe(reg.body.id);
    expect((await postJson(url('refresh'), { refreshToken: reg.body.refreshToken })).status).toBe(200);
    expect(await auth.count("audit_events WHERE action = 'login' AND target_id = $1 AND details->>'method' = 'registration'", [reg.body.id])).toBe(1);
  });

  it('in cookie mode the refresh token is a cookie, not in the body', async () => {
    const u = newUser('signup');
    const res = await postJson(url('register'), u, { 'x-agora-session': 'cookie', origin: auth.base });
    expect(res.status).toBe(201);
    expect(res.body.refreshToken).toBeUndefined();
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.headers.get('set-cookie')).toMatch(
      /^agora_refresh=rt_[A-Za-z0-9_-]{43}; Path=\/api\/v1\/auth; Max-Age=\d+; HttpOnly; SameSite=Strict/,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('a taken email gets the same answer, with tokens that sign nobody in, and nothing is created', async () => {
    const owner = newUser('signup');
    await postJson(url('register'), owner);
    const usersBefore = await auth.count('users');
    const sessionsBefore = await auth.count('refresh_families');
    const fresh = await postJson(url('register'), newUser('signup'));
    const taken = await postJson(url('register'), { ...newUser('signup'), email: owner.email.toUpperCase() });
    expect(taken.status).toBe(fresh.status);
    expect(Object.keys(taken.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(Object.keys(taken.body.user).sort()).toEqual(USER_KEYS);
    expect(decodeProtectedHeader(taken.body.accessToken)).toEqual(decodeProtectedHeader(fresh.body.accessToken));
    expect(Object.keys(decodeJwt(taken.body.accessToken)).sort()).toEqual(Object.keys(decodeJwt(fresh.body.accessToken)).sort());
    expect(taken.body.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    // Neither token works, and only the fresh account exists.
    expect((await getJson(url('verify'), bearer(taken.body.accessToken))).status).toBe(401);
    expect((await postJson(url('refresh'), { refreshToken: taken.body.refreshToken })).status).toBe(401);
    expect(await auth.count('users')).toBe(usersBefore + 1);
    expect(await auth.count('refresh_families')).toBe(sessionsBefore + 1);
    expect(await auth.count('users WHERE id = $1', [taken.body.id])).toBe(0);
  });

  it('a refused sign-up creates neither account nor session', async () => {
    const before = [await auth.count('users'), await auth.count('refresh_families')];
    const u = newUser('signup');
    expect((await postJson(url('register'), { ...u, password: `${u.username}-password` })).status).toBe(400);
    expect([await auth.count('users'), await auth.count('refresh_families')]).toEqual(before);
  });
});

describe('a suspended account', () => {
  const suspend = (id: string, suspended: boolean) =>
    fetch(`${auth.base}/internal/v1/auth/accounts/${id}/suspension`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-agora-workload': signLocalAssertion('users', MESH_KEY) },
      body: JSON.stringify({ suspended }),
    });

  it('is told so only after the right password; a wrong one gets the answer of an unknown account', async () => {
    const u = newUser('suspended');
    const reg = await postJson(url('register'), u);
    expect((await suspend(reg.body.id, true)).status).toBe(204);
    const right = await postJson(url('login'), { login: u.username, password: u.password });
    expect(right.status).toBe(403);
    expect(right.headers.get('content-type')).toContain('application/problem+json');
    expect(right.body.detail).toBe('This account is suspended.');
    const wrong = await postJson(url('login'), { login: u.username, password: 'not-the-password-1' });
    const unknown = await postJson(url('login'), { login: 'nobody_at_all_here', password: 'not-the-password-1' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ ...unknown.body, instance: wrong.body.instance });
    expect((await suspend(reg.body.id, false)).status).toBe(204);
    expect((await postJson(url('login'), { login: u.username, password: u.password })).status).toBe(200);
  });
});
