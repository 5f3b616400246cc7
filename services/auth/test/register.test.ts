import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

const register = (body: unknown) => postJson(`${auth.base}/api/v1/auth/register`, body);

describe('POST /api/v1/auth/register', () => {
  it('creates an account and stores only an argon2id hash', async () => {
    const u = newUser();
    const res = await register(u);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: u.username, email: u.email });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toHaveProperty('password');
    expect(res.body).not.toHaveProperty('passwordHash');
    const [row] = await auth.service.db.query<{ passwordHash: string }>('SELECT password_hash AS "passwordHash" FROM users WHERE id = $1', [
      res.body.id,
    ]);
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.passwordHash).not.toContain(u.password);
  });

  it('refuses a username already taken, ignoring case, with 409 (usernames are public)', async () => {
    const u = newUser();
    expect((await register(u)).status).toBe(201);
    const sameName = await register({ ...newUser(), username: u.username.toUpperCase() });
    expect(sameName.status).toBe(409);
    expect(sameName.body).toMatchObject({ type: 'https://agora.dev/problems/conflict', status: 409 });
    expect(sameName.body.detail).toContain('username');
  });

  it('answers a taken email (any case) exactly like a new one, creates nothing and mails the owner', async () => {
    const u = newUser();
    expect((await register(u)).status).toBe(201);
    const mailsBefore = await auth.count('mail_outbox WHERE recipient = $1', [u.email.toLowerCase()]);
    const other = newUser();
    const fresh = await register(other);
    const taken = await register({ ...newUser(), email: u.email.toUpperCase() });
    expect(taken.status).toBe(fresh.status);
    expect(Object.keys(taken.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(taken.body.email).toBe(u.email.toLowerCase());
    expect(await auth.count('users WHERE lower(email) = lower($1)', [u.email])).toBe(1);
    expect(await auth.count('users WHERE id = $1', [taken.body.id])).toBe(0);
    expect(await auth.count('mail_outbox WHERE recipient = $1', [u.email.toLowerCase()])).toBe(mailsBefore + 1);
  });

  it.each([
    ['a too short username', { username: 'ab' }, 'username'],
    ['a username with spaces', { username: 'bad name' }, 'username'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['an overlong password', { password: 'x'.repeat(257) }, 'password'],
    ['a wrong type', { username: 42 }, 'username'],
    ['an unknown property', { isAdmin: true }, 'isAdmin'],
  ])('answers 400 with field errors for %s, and creates nothing', async (_label, patch, field) => {
    const before = await auth.count('users');
    const res = await register({ ...newUser(), ...patch });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.type).toBe('https://agora.dev/problems/validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.js/);
    expect(await auth.count('users')).toBe(before);
  });

  it('refuses a password that contains the username', async () => {
    const u = newUser();
    const res = await register({ ...u, password: `${u.username}-and-more` });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('password');
  });

  it('refuses a missing body, malformed JSON, a non-JSON body and an oversized body', async () => {
    const before = await auth.count('users');
    const url = `${auth.base}/api/v1/auth/register`;
    const missing = await fetch(url, { method: 'POST' });
    expect(missing.status).toBe(400);
    const malformed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).type).toBe('https://agora.dev/problems/malformed-json');
    const text = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toContain('application/problem+json');
    const huge = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...newUser(), bio: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).type).toBe('https://agora.dev/problems/payload-too-large');
    expect(await auth.count('users')).toBe(before);
  });
});
