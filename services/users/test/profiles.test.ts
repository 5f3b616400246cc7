import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

let users: RunningUsers;
let alice: TestUser;
let bob: TestUser;
const url = (p: string) => `${users.base}/api/v1/users/${p}`;
const PROBLEM = 'application/problem+json';

beforeAll(async () => {
  users = await startUsers();
  alice = await users.issuer!.user('alice');
  bob = await users.issuer!.user('bob');
});
afterAll(async () => users?.stop());

describe('profile creation on first use', () => {
  it('GET me creates the profile from the token (id = sub, username = preferred_username)', async () => {
    const res = await call(url('me'), { headers: alice.auth });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: alice.id,
      username: alice.username,
      displayName: alice.username,
      bio: '',
      avatarMediaId: null,
      followerCount: 0,
      followingCount: 0,
    });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
  });

  it('concurrent first requests create exactly one profile', async () => {
    const u = await users.issuer!.user('racer');
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(url('me'), { headers: u.auth })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.createdAt)).size).toBe(1);
    expect(await users.count('profiles WHERE id = $1', [u.id])).toBe(1);
  });

  it('any authenticated operation creates the caller profile, not only GET me', async () => {
    const u = await users.issuer!.user('lurker');
    expect((await call(url(`by-username/${alice.username}`), { headers: u.auth })).status).toBe(200);
    expect(await users.count('profiles WHERE id = $1', [u.id])).toBe(1);
  });

  it('a token without preferred_username still gets a profile, with a derived name', async () => {
    const id = crypto.randomUUID();
    const token = await users.issuer!.token({ sub: id });
    const res = await call(url('me'), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.body.username).toMatch(/^user_[0-9a-f]{12}$/);
  });
});

describe('reading profiles', () => {
  it('GET {id} and GET by-username (case-insensitive) return the profile', async () => {
    await call(url('me'), { headers: bob.auth });
    const byId = await call(url(bob.id), { headers: alice.auth });
    expect(byId.status).toBe(200);
    expect(byId.body.username).toBe(bob.username);
    const byName = await call(url(`by-username/${bob.username.toUpperCase()}`), { headers: alice.auth });
    expect(byName.status).toBe(200);
    expect(byName.body.id).toBe(bob.id);
    // Uppercase UUIDs name the same user.
    expect((await call(url(bob.id.toUpperCase()), { headers: alice.auth })).body.id).toBe(bob.id);
  });

  it('404 problem+json for unknown users', async () => {
    const res = await call(url('00000000-0000-4000-8000-000000000000'), { headers: alice.auth });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body.type).toBe('https://agora.dev/problems/not-found');
    expect((await call(url('by-username/nobody_here'), { headers: alice.auth })).status).toBe(404);
  });

  it('400 for an id that is not a UUID and a username outside the rule', async () => {
    for (const bad of ['123', 'not-a-uuid', '00000000-0000-4000-8000-00000000000g']) {
      const res = await call(url(bad), { headers: alice.auth });
      expect(res.status, bad).toBe(400);
      expect(res.body.type).toBe('https://agora.dev/problems/validation');
    }
    expect((await call(url('by-username/a'), { headers: alice.auth })).status).toBe(400);
    expect((await call(url(`by-username/${'x'.repeat(31)}`), { headers: alice.auth })).status).toBe(400);
  });

  it('reading one profile needs no token (public reading), but a token that is sent must be valid', async () => {
    for (const path of [alice.id, `by-username/${alice.username}`]) {
      const none = await call(url(path));
      expect(none.status, path).toBe(200);
      expect(none.body.username).toBe(alice.username);
      const forged = await call(url(path), { headers: { authorization: `Bearer ${alice.token.slice(0, -4)}AAAA` } });
      expect(forged.status, `${path} forged`).toBe(401);
    }
  });

  it('every other operation requires a valid token: 401 problem+json otherwise', async () => {
    const id = alice.id;
    const ops: [string, string][] = [
      ['GET', 'me'],
      ['PATCH', 'me'],
      ['DELETE', 'me'],
      ['POST', `${id}/follow`],
      ['DELETE', `${id}/follow`],
      ['GET', `${id}/followers`],
      ['GET', `${id}/following`],
    ];
    for (const [method, path] of ops) {
      const none = await call(url(path), { method, ...(method === 'PATCH' ? { body: { bio: 'x' } } : {}) });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.headers.get('content-type')).toContain(PROBLEM);
      const forged = await call(url(path), { method, headers: { authorization: `Bearer ${alice.token.slice(0, -4)}AAAA` } });
      expect(forged.status, `${method} ${path} forged`).toBe(401);
    }
    // A token from another issuer's keys (same claims) is refused too.
    const { startTestIssuer } = await import('./harness.js');
    const other = await startTestIssuer();
    try {
      const res = await call(url('me'), {
        headers: { authorization: `Bearer ${await other.token({ sub: alice.id, preferred_username: alice.username })}` },
      });
      expect(res.status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});

describe('PATCH me', () => {
  it('changes only the fields present and returns the profile', async () => {
    const u = await users.issuer!.user('patcher');
    const res = await call(url('me'), { method: 'PATCH', headers: u.auth, body: { displayName: 'Pat Cher', bio: 'Hello 👋\nworld' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Pat Cher', bio: 'Hello 👋\nworld', avatarMediaId: null });
    const bioOnly = await call(url('me'), { method: 'PATCH', headers: u.auth, body: { bio: '' } });
    expect(bioOnly.body).toMatchObject({ displayName: 'Pat Cher', bio: '' });
    expect((await call(url('me'), { headers: u.auth })).body).toMatchObject({ displayName: 'Pat Cher', bio: '' });
    expect((await call(url('me'), { method: 'PATCH', headers: u.auth, body: {} })).status).toBe(200);
    expect((await call(url('me'), { method: 'PATCH', headers: u.auth, body: { displayName: 'x'.repeat(50), bio: 'y'.repeat(280) } })).status).toBe(
      200,
    );
  });

  it('bad input is a 4xx problem+json and changes nothing', async () => {
    const u = await users.issuer!.user('strict');
    await call(url('me'), { method: 'PATCH', headers: u.auth, body: { displayName: 'Before', bio: 'before' } });
    const cases: { body?: unknown; rawBody?: string; headers?: Record<string, string>; status: number; type: string }[] = [
      { body: { displayName: '' }, status: 400, type: 'validation' },
      { body: { displayName: 'x'.repeat(51) }, status: 400, type: 'validation' },
      { body: { displayName: 'tab\there' }, status: 400, type: 'validation' },
      { body: { displayName: 42 }, status: 400, type: 'validation' },
      { body: { bio: 'y'.repeat(281) }, status: 400, type: 'validation' },
      { body: { avatarMediaId: 'not-a-uuid' }, status: 400, type: 'validation' },
      { body: { bio: 'ok', isAdmin: true }, status: 400, type: 'validation' },
      { body: { username: 'takeover' }, status: 400, type: 'validation' },
      { body: { followerCount: 1_000_000 }, status: 400, type: 'validation' },
      { body: [], status: 400, type: 'validation' },
      { rawBody: '{"bio": "oops"', headers: { 'content-type': 'application/json' }, status: 400, type: 'malformed-json' },
      { rawBody: 'bio=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, type: 'unsupported-media-type' },
      {
        rawBody: JSON.stringify({ bio: 'z'.repeat(200_000) }),
        headers: { 'content-type': 'application/json' },
        status: 413,
        type: 'payload-too-large',
      },
    ];
    for (const c of cases) {
      const res = await call(url('me'), { method: 'PATCH', headers: { ...u.auth, ...(c.headers ?? {}) }, body: c.body, rawBody: c.rawBody });
      expect(res.status, JSON.stringify(c.body ?? c.rawBody?.slice(0, 40))).toBe(c.status);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      expect(res.body.type).toBe(`https://agora.dev/problems/${c.type}`);
      expect(JSON.stringify(res.body)).not.toContain('stack');
    }
    expect((await call(url('me'), { headers: u.auth })).body).toMatchObject({ displayName: 'Before', bio: 'before', followerCount: 0 });
  });

  it('a token for user A changes only A: there is no way to address B in a mutation', async () => {
    const a = await users.issuer!.user('a');
    const b = await users.issuer!.user('b');
    await call(url('me'), { method: 'PATCH', headers: b.auth, body: { bio: 'bio of b' } });
    // The only profile mutation is PATCH me; an id in the path is not routed, an id in the body is refused.
    expect((await call(url(b.id), { method: 'PATCH', headers: a.auth, body: { bio: 'hacked' } })).status).toBe(405);
    expect((await call(url('me'), { method: 'PATCH', headers: a.auth, body: { id: b.id, bio: 'hacked' } })).status).toBe(400);
    expect((await call(url(b.id), { method: 'DELETE', headers: a.auth })).status).toBe(405);
    expect((await call(url(b.id), { headers: a.auth })).body.bio).toBe('bio of b');
  });
});
