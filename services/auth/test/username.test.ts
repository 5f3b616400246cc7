import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

const url = (p: string) => `${auth.base}/api/v1/auth/${p}`;
const rename = async (token: string | undefined, body: unknown) => {
  const res = await fetch(url('username'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
};
/** account.updated events waiting in the outbox for users (the worker is off here). */
const updates = (id: string) => auth.count('graphile_worker.jobs WHERE key LIKE $1', [`account.updated:${id}:%`]);

async function account() {
  const u = newUser('rename');
  const reg = await postJson(url('register'), u);
  expect(reg.status).toBe(201);
  return { u, id: reg.body.id as string, tokens: reg.body };
}

describe('PUT /api/v1/auth/username', () => {
  it('renames: sign-in takes the new name only, the next refresh carries it, account.updated is published', async () => {
    const a = await account();
    const newName = `renamed_${a.u.username.slice(-6)}`;
    const res = await rename(a.tokens.accessToken, { username: newName });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ username: newName });
    expect(await updates(a.id)).toBe(1);
    expect((await postJson(url('login'), { login: a.u.username, password: a.u.password })).status).toBe(401);
    const login = await postJson(url('login'), { login: newName.toUpperCase(), password: a.u.password });
    expect(login.status).toBe(200);
    expect(login.body.user.username).toBe(newName);
    const refreshed = await postJson(url('refresh'), { refreshToken: a.tokens.refreshToken });
    expect(decodeJwt(refreshed.body.accessToken).preferred_username).toBe(newName);
    expect(await auth.count("audit_events WHERE action = 'username_changed' AND target_id = $1", [a.id])).toBe(1);
    // The old name is free for others at once.
    expect((await postJson(url('register'), { ...newUser('rename'), username: a.u.username })).status).toBe(201);
  });

  it('the same name again is a no-op: no event, no audit entry', async () => {
    const a = await account();
    expect((await rename(a.tokens.accessToken, { username: a.u.username })).status).toBe(200);
    expect(await updates(a.id)).toBe(0);
  });

  it('refuses a taken name (any case) with 409, a malformed one with 400, no token with 401 — changing nothing', async () => {
    const a = await account();
    const b = await account();
    const taken = await rename(a.tokens.accessToken, { username: b.u.username.toUpperCase() });
    expect(taken.status).toBe(409);
    expect(taken.type).toContain('application/problem+json');
    for (const body of [{ username: 'ab' }, { username: 'has space' }, { username: 42 }, {}, { username: 'valid_name', extra: true }]) {
      const res = await rename(a.tokens.accessToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.type).toContain('application/problem+json');
    }
    expect((await rename(undefined, { username: 'valid_name' })).status).toBe(401);
    expect(await updates(a.id)).toBe(0);
    expect((await postJson(url('login'), { login: a.u.username, password: a.u.password })).status).toBe(200);
  });
});
