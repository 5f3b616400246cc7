import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { generate } from 'otplib';
import { getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';
import type { AuthDeps } from '../src/wiring.js';
import { mailsTo, newMailbox, tokenMailedTo } from './mailbox.js';

let auth: RunningAuth;
let mailbox: string;
beforeAll(async () => {
  mailbox = await newMailbox();
  auth = await startAuth({ MAILBOX_DIR: mailbox });
});
afterAll(async () => auth?.stop());

const url = (p: string) => `${auth.base}/api/v1/auth/${p}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const drain = () => (auth.service.deps as AuthDeps).mail.drain();
const refresh = (refreshToken: string) => postJson(url('refresh'), { refreshToken });
const send = async (method: string, path: string, token: string) => {
  const res = await fetch(url(path), { method, headers: bearer(token) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};
/** Moves the session's sign-in `seconds` into the past (the test's stand-in for waiting). */
const ageSession = (sid: string, seconds: number) =>
  auth.service.db.execute(`UPDATE refresh_families SET authenticated_at = now() - make_interval(secs => $2) WHERE id = $1`, [sid, seconds]);

async function account(prefix = 'life') {
  const u = newUser(prefix);
  const reg = await postJson(url('register'), u, { 'user-agent': 'Registering/1.0' });
  expect(reg.status).toBe(201);
  return { u, id: reg.body.id as string, tokens: reg.body, sid: decodeJwt(reg.body.accessToken).sid as string };
}

async function signIn(u: { username: string; password: string }, userAgent = 'Tests/1.0') {
  const res = await postJson(url('login'), { login: u.username, password: u.password }, { 'user-agent': userAgent });
  expect(res.status).toBe(200);
  return { tokens: res.body, sid: decodeJwt(res.body.accessToken).sid as string };
}

describe('re-authentication', () => {
  it('changing the email needs a sign-in from the last 5 minutes, else the password (or a code) in the request', async () => {
    const a = await account();
    await ageSession(a.sid, 301);
    const stale = await postJson(url('email'), { email: `new-${a.u.email}` }, bearer(a.tokens.accessToken));
    expect(stale.status).toBe(403);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body.reauthenticationRequired).toBe(true);
    expect(stale.body.detail).toContain('POST /api/v1/auth/reauthenticate');
    expect(await auth.count("account_tokens WHERE user_id = $1 AND purpose = 'email_change'", [a.id])).toBe(0);
    const wrong = await postJson(url('email'), { email: `new-${a.u.email}`, password: 'not-the-password' }, bearer(a.tokens.accessToken));
    expect(wrong.status).toBe(403);
    expect(wrong.body.reauthenticationRequired).toBeUndefined();
    const withPassword = await postJson(url('email'), { email: `new-${a.u.email}`, password: a.u.password }, bearer(a.tokens.accessToken));
    expect(withPassword.status).toBe(202);
    await ageSession(a.sid, 299);
    expect((await postJson(url('email'), { email: `newer-${a.u.email}` }, bearer(a.tokens.accessToken))).status).toBe(202);
  });

  it('POST reauthenticate: the password renews the session’s auth_time and answers a token that says so', async () => {
    const a = await account();
    await ageSession(a.sid, 3600);
    expect((await postJson(url('reauthenticate'), { password: 'not-the-password' }, bearer(a.tokens.accessToken))).status).toBe(403);
    expect((await postJson(url('reauthenticate'), {}, bearer(a.tokens.accessToken))).status).toBe(400);
    expect((await postJson(url('reauthenticate'), { password: a.u.password })).status).toBe(401);
    const res = await postJson(url('reauthenticate'), { password: a.u.password }, bearer(a.tokens.accessToken));
    expect(res.status).toBe(200);
    const claims = decodeJwt(res.body.accessToken);
    expect(claims.auth_time).toBe(res.body.authTime);
    expect(Math.abs((claims.auth_time as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(claims.sid).toBe(a.sid);
    // The session is fresh again: a change without a proof is accepted.
    expect((await postJson(url('email'), { email: `re-${a.u.email}` }, bearer(a.tokens.accessToken))).status).toBe(202);
    expect(await auth.count("audit_events WHERE action = 'reauthenticate' AND outcome = 'success' AND target_id = $1", [a.id])).toBe(1);
  });

  it('a current second-factor code re-authenticates too; an account without one is told to send the password', async () => {
    const a = await account();
    expect((await postJson(url('reauthenticate'), { code: '123456' }, bearer(a.tokens.accessToken))).body.detail).toContain('send the password');
    const setup = await postJson(url('2fa/setup'), { password: a.u.password }, bearer(a.tokens.accessToken));
    await postJson(url('2fa/verify-setup'), { code: await generate({ secret: setup.body.secret }) }, bearer(a.tokens.accessToken));
    await ageSession(a.sid, 3600);
    const next = await generate({ secret: setup.body.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const res = await postJson(url('reauthenticate'), { code: next }, bearer(a.tokens.accessToken));
    expect(res.status).toBe(200);
    // The same code never works twice.
    expect((await postJson(url('reauthenticate'), { code: next }, bearer(a.tokens.accessToken))).status).toBe(403);
  });
});

describe('password change', () => {
  it('needs the current password; signs out the other sessions, keeps this one, mails a notice', async () => {
    const a = await account();
    const other = await signIn(a.u);
    const newPassword = `Another-pass-${Date.now()}`;
    const refused = await postJson(url('password'), { currentPassword: 'not-the-password', newPassword }, bearer(a.tokens.accessToken));
    expect(refused.status).toBe(403);
    expect((await refresh(other.tokens.refreshToken)).status).toBe(200); // nothing changed
    const other2 = await signIn(a.u);

    const res = await postJson(url('password'), { currentPassword: a.u.password, newPassword }, bearer(a.tokens.accessToken));
    expect(res.status).toBe(200);
    expect(res.body.sessionsRevoked).toBeGreaterThanOrEqual(1);
    expect((await refresh(other2.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(a.tokens.refreshToken)).status).toBe(200);
    expect((await postJson(url('login'), { login: a.u.username, password: a.u.password })).status).toBe(401);
    expect((await postJson(url('login'), { login: a.u.username, password: newPassword })).status).toBe(200);
    await drain();
    expect((await mailsTo(mailbox, a.u.email)).some((m) => m.includes('Subject: Your Agora password was changed'))).toBe(true);
  });

  it('refuses a new password that contains the username or is too short (400, field named), changing nothing', async () => {
    const a = await account();
    for (const newPassword of [`${a.u.username}-and-more`, 'short']) {
      const res = await postJson(url('password'), { currentPassword: a.u.password, newPassword }, bearer(a.tokens.accessToken));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain('newPassword');
    }
    expect((await postJson(url('login'), { login: a.u.username, password: a.u.password })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('lists the live sessions with user agent and a coarse address, marks the current one, never the full address', async () => {
    const a = await account();
    await signIn(a.u, 'Phone/2.0');
    const list = await getJson(url('sessions'), bearer(a.tokens.accessToken));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const current = list.body.items.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ id: a.sid, userAgent: 'Registering/1.0', ipPrefix: '127.0.0.0/24' });
    expect(list.body.items.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(['Phone/2.0', 'Registering/1.0']);
    expect(JSON.stringify(list.body)).not.toContain('127.0.0.1');
    for (const s of list.body.items) expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'id', 'ipPrefix', 'lastUsedAt', 'userAgent']);
  });

  it('revokes one of mine (404 for anyone else’s or an unknown one), and all others at once', async () => {
    const a = await account();
    const b = await account();
    const second = await signIn(a.u);
    const third = await signIn(a.u);
    expect((await send('DELETE', `sessions/${second.sid}`, b.tokens.accessToken)).status).toBe(404);
    expect((await refresh(second.tokens.refreshToken)).status).toBe(200);
    const bad = await send('DELETE', 'sessions/not-a-uuid', a.tokens.accessToken);
    expect(bad.status).toBe(400);
    expect((await send('DELETE', `sessions/${crypto.randomUUID()}`, a.tokens.accessToken)).status).toBe(404);

    expect((await send('DELETE', `sessions/${second.sid}`, a.tokens.accessToken)).status).toBe(204);
    expect((await send('DELETE', `sessions/${second.sid}`, a.tokens.accessToken)).status).toBe(404);
    const others = await send('DELETE', 'sessions', a.tokens.accessToken);
    expect(others.status).toBe(200);
    expect(others.body).toEqual({ revoked: 1 });
    expect((await refresh(third.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(a.tokens.refreshToken)).status).toBe(200);
    const left = await getJson(url('sessions'), bearer(a.tokens.accessToken));
    expect(left.body.items.map((s: { id: string }) => s.id)).toEqual([a.sid]);
    expect((await getJson(url('sessions'))).status).toBe(401);
  });
});

describe('password reset by mail', () => {
  it('answers 202 whether or not the address exists, and mails only a real account', async () => {
    const a = await account();
    await drain();
    const before = (await mailsTo(mailbox, a.u.email)).length;
    const known = await postJson(url('password/reset/request'), { email: a.u.email });
    const unknown = await postJson(url('password/reset/request'), { email: 'nobody-here@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await drain();
    expect((await mailsTo(mailbox, a.u.email)).length).toBe(before + 1);
    expect(await mailsTo(mailbox, 'nobody-here@example.com')).toEqual([]);
  });

  it('the link sets a new password once, signs every session out, and is stored only hashed', async () => {
    const a = await account();
    const other = await signIn(a.u);
    await postJson(url('password/reset/request'), { email: a.u.email.toUpperCase() });
    await drain();
    const token = await tokenMailedTo(mailbox, a.u.email, 'pr');
    expect(await auth.count('account_tokens WHERE token_hash = $1', [token])).toBe(0);
    const newPassword = `Reset-pass-${Date.now()}`;
    expect((await postJson(url('password/reset'), { token, newPassword: `${a.u.username}-x-x-x` })).status).toBe(400);
    const res = await postJson(url('password/reset'), { token, newPassword });
    expect(res.status).toBe(204);
    expect((await postJson(url('password/reset'), { token, newPassword: `${newPassword}-again` })).status).toBe(400);
    expect((await refresh(a.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(other.tokens.refreshToken)).status).toBe(401);
    expect((await postJson(url('login'), { login: a.u.username, password: newPassword })).status).toBe(200);
    expect(await auth.count("audit_events WHERE action = 'password_reset' AND target_id = $1", [a.id])).toBe(1);
  });

  it('a new password voids a pending email change (one a thief may have started)', async () => {
    const a = await account();
    const theirs = `thief-${a.u.email}`;
    expect((await postJson(url('email'), { email: theirs }, bearer(a.tokens.accessToken))).status).toBe(202);
    await drain();
    const changeLink = await tokenMailedTo(mailbox, theirs, 'ev');
    await postJson(url('password/reset/request'), { email: a.u.email });
    await drain();
    expect(
      (await postJson(url('password/reset'), { token: await tokenMailedTo(mailbox, a.u.email, 'pr'), newPassword: 'Owner-resets-1234' })).status,
    ).toBe(204);
    expect((await postJson(url('email/verify'), { token: changeLink })).status).toBe(400);
    expect((await postJson(url('login'), { login: a.u.username, password: 'Owner-resets-1234' })).body.user.email).toBe(a.u.email);
  });

  it('refuses an expired link and a voided one (a newer request replaces it), changing nothing', async () => {
    const a = await account();
    await postJson(url('password/reset/request'), { email: a.u.email });
    await drain();
    const first = await tokenMailedTo(mailbox, a.u.email, 'pr');
    await postJson(url('password/reset/request'), { email: a.u.email });
    await drain();
    const second = await tokenMailedTo(mailbox, a.u.email, 'pr');
    expect(second).not.toBe(first);
    expect((await postJson(url('password/reset'), { token: first, newPassword: 'Voided-link-password-1' })).status).toBe(400);
    await auth.service.db.execute(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [a.id]);
    const expired = await postJson(url('password/reset'), { token: second, newPassword: 'Expired-link-password-1' });
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0].field).toBe('token');
    expect((await refresh(a.tokens.refreshToken)).status).toBe(200);
    expect((await postJson(url('login'), { login: a.u.username, password: a.u.password })).status).toBe(200);
  });

  it('is rate limited per address (429 with Retry-After)', async () => {
    const limited = await startAuth({ MAILBOX_DIR: mailbox, RATE_LIMIT_CODE_PER_EMAIL: '3' });
    try {
      const ask = () => postJson(`${limited.base}/api/v1/auth/password/reset/request`, { email: 'limited@example.com' });
      for (let i = 0; i < 3; i += 1) expect((await ask()).status).toBe(202);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('email verification and change', () => {
  it('sign-up mails a verification link; opening it verifies the address (once)', async () => {
    const a = await account();
    await drain();
    const token = await tokenMailedTo(mailbox, a.u.email, 'ev');
    const res = await postJson(url('email/verify'), { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email: a.u.email });
    expect((await postJson(url('email/verify'), { token })).status).toBe(400);
    expect((await signIn(a.u)).tokens.user.emailVerified).toBe(true);
    expect((await postJson(url('email/verification'), undefined, bearer(a.tokens.accessToken))).status).toBe(409);
  });

  it('a change is used only once the new address confirms it; the old address is told', async () => {
    const a = await account();
    const newEmail = `moved-${a.u.email}`;
    expect((await postJson(url('email'), { email: newEmail }, bearer(a.tokens.accessToken))).status).toBe(202);
    expect((await signIn(a.u)).tokens.user.email).toBe(a.u.email);
    await drain();
    const token = await tokenMailedTo(mailbox, newEmail, 'ev');
    const res = await postJson(url('email/verify'), { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email: newEmail });
    expect((await signIn(a.u)).tokens.user).toMatchObject({ email: newEmail, emailVerified: true });
    await drain();
    expect((await mailsTo(mailbox, a.u.email)).some((m) => m.includes('Subject: Your Agora email address was changed'))).toBe(true);
    // The old sign-up link no longer verifies anything.
    const old = await tokenMailedTo(mailbox, a.u.email, 'ev');
    expect((await postJson(url('email/verify'), { token: old })).status).toBe(400);
  });

  it('moving to an address another account has answers the same and changes nothing; that owner is mailed', async () => {
    const a = await account();
    const b = await account();
    await drain();
    const before = (await mailsTo(mailbox, b.u.email)).length;
    const res = await postJson(url('email'), { email: b.u.email.toUpperCase() }, bearer(a.tokens.accessToken));
    expect(res.status).toBe(202);
    expect(await auth.count("account_tokens WHERE user_id = $1 AND purpose = 'email_change'", [a.id])).toBe(0);
    await drain();
    expect((await mailsTo(mailbox, b.u.email)).length).toBe(before + 1);
    expect((await postJson(url('email'), { email: a.u.email }, bearer(a.tokens.accessToken))).status).toBe(400);
  });

  it('refuses malformed tokens and bodies with 400 problem+json', async () => {
    for (const body of [{}, { token: 'ev_short' }, { token: `xx_${'a'.repeat(43)}` }, { token: `ev_${'a'.repeat(43)}`, extra: 1 }]) {
      const res = await postJson(url('email/verify'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await postJson(url('email/verify'), { token: `ev_${'a'.repeat(43)}` })).status).toBe(400);
  });
});
