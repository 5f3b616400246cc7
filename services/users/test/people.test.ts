import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

/** Relationship flags on profiles, the batch lookup and suggested people. */
let users: RunningUsers;
const url = (p: string) => `${users.base}/api/v1/users/${p}`;
/** The batch lookup: `GET /api/v1/users?…`. */
const batch = (query: string) => `${users.base}/api/v1/users?${query}`;
const follow = (u: TestUser, id: string) => call(url(`${id}/follow`), { method: 'POST', headers: u.auth });
const PROBLEM = 'application/problem+json';

async function newUser(prefix = 'u'): Promise<TestUser> {
  const u = await users.issuer!.user(prefix);
  expect((await call(url('me'), { headers: u.auth })).status).toBe(200);
  return u;
}

beforeAll(async () => {
  users = await startUsers();
});
afterAll(async () => users?.stop());

describe('following / followedBy on profiles', () => {
  it('say, for the caller, whether each follows the other, by id and by username; false on your own', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const seen = async (viewer: TestUser, other: TestUser) => {
      const byId = await call(url(other.id), { headers: viewer.auth });
      const byName = await call(url(`by-username/${other.username.toUpperCase()}`), { headers: viewer.auth });
      expect(byId.status).toBe(200);
      expect(byName.body).toEqual(byId.body);
      return { following: byId.body.following, followedBy: byId.body.followedBy };
    };
    expect(await seen(a, b)).toEqual({ following: false, followedBy: false });
    await follow(a, b.id);
    expect(await seen(a, b)).toEqual({ following: true, followedBy: false });
    expect(await seen(b, a)).toEqual({ following: false, followedBy: true });
    await follow(b, a.id);
    expect(await seen(a, b)).toEqual({ following: true, followedBy: true });
    expect(await seen(a, a)).toEqual({ following: false, followedBy: false });
    const mine = await call(url('me'), { headers: a.auth });
    expect(mine.body).toMatchObject({ following: false, followedBy: false, followingCount: 1, followerCount: 1 });
    const patched = await call(url('me'), { method: 'PATCH', headers: a.auth, body: { bio: 'hi' } });
    expect(patched.body).toMatchObject({ following: false, followedBy: false, bio: 'hi' });
  });
});

describe('GET /api/v1/users?ids=', () => {
  it('answers public fields only, in the order asked, duplicates once, unknown ids absent', async () => {
    const [a, b, viewer] = [await newUser('a'), await newUser('b'), await newUser('viewer')];
    await users.service.db.execute(`UPDATE profiles SET avatar_media_id = '11111111-2222-4333-8444-555555555555', bio = 'secret-ish' WHERE id = $1`, [
      b.id,
    ]);
    const unknown = randomUUID();
    const res = await call(batch(`ids=${b.id},${unknown},${a.id.toUpperCase()},${b.id}`), { headers: viewer.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: b.id,
          username: b.username,
          displayName: b.username,
          avatarUrl: '/api/v1/media/11111111-2222-4333-8444-555555555555/content',
          followerCount: 0,
          followingCount: 0,
        },
        { id: a.id, username: a.username, displayName: a.username, avatarUrl: null, followerCount: 0, followingCount: 0 },
      ],
    });
  });

  it('takes 100 ids; 101, an empty entry, a malformed id or no ids at all are 400 problems naming what is wrong', async () => {
    const viewer = await newUser('viewer');
    const hundred = Array.from({ length: 100 }, () => randomUUID());
    const ok = await call(batch(`ids=${hundred.join(',')}`), { headers: viewer.auth });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ items: [] });

    const tooMany = await call(batch(`ids=${[...hundred, randomUUID()].join(',')}`), { headers: viewer.auth });
    expect(tooMany.status).toBe(400);
    expect(tooMany.headers.get('content-type')).toContain(PROBLEM);
    expect(JSON.stringify(tooMany.body)).toContain('ids');

    const malformed = await call(batch(`ids=${viewer.id},not-a-uuid,${randomUUID()}`), { headers: viewer.auth });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain(PROBLEM);
    expect(malformed.body.type).toBe('https://agora.dev/problems/validation');
    expect(JSON.stringify(malformed.body)).toContain('ids[1]');
    expect(JSON.stringify(malformed.body)).not.toContain('ids[0]');

    for (const q of ['ids=', `ids=${viewer.id},`, '', `ids=${viewer.id}&ids=${viewer.id}`]) {
      const res = await call(batch(q), { headers: viewer.auth });
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toContain(PROBLEM);
    }
  });

  it('answers anyone, as a single profile does; a token that is sent must be valid', async () => {
    const a = await newUser('a');
    const anonymous = await call(batch(`ids=${a.id}`));
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ items: [expect.objectContaining({ id: a.id, username: a.username })] });
    expect(Object.keys((anonymous.body.items as object[])[0]!).sort()).toEqual(
      ['avatarUrl', 'displayName', 'followerCount', 'followingCount', 'id', 'username'].sort(),
    );
    const bad = await call(batch(`ids=${a.id}`), { headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain(PROBLEM);
  });
});

describe('GET /api/v1/users/suggested', () => {
  it('the most followed accounts the caller does not follow yet; never the caller or a suspended account', async () => {
    // Celebrities with 6, 5, 4 and 3 followers (more than any other user of this file has).
    const celebs = [await newUser('celeb6'), await newUser('celeb5'), await newUser('celeb4'), await newUser('celeb3')];
    const fans = await Promise.all(Array.from({ length: 6 }, () => newUser('fan')));
    for (const [i, celeb] of celebs.entries()) for (const fan of fans.slice(0, 6 - i)) expect((await follow(fan, celeb.id)).status).toBe(200);
    const banned = await newUser('banned');
    for (const fan of fans) await follow(fan, banned.id);
    await users.service.db.execute('UPDATE profiles SET suspended_at = now() WHERE id = $1', [banned.id]);

    const newcomer = await newUser('newcomer');
    const res = await call(url('suggested?limit=4'), { headers: newcomer.auth });
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual(celebs.map((c) => c.id));
    expect(res.body.items[0]).toEqual({
      id: celebs[0]!.id,
      username: celebs[0]!.username,
      displayName: celebs[0]!.username,
      avatarUrl: null,
      followerCount: 6,
      followingCount: 0,
    });

    await follow(newcomer, celebs[1]!.id);
    const after = await call(url('suggested?limit=3'), { headers: newcomer.auth });
    expect(after.body.items.map((u: { id: string }) => u.id)).toEqual([celebs[0]!.id, celebs[2]!.id, celebs[3]!.id]);

    // The top celebrity asking: not themselves.
    const own = await call(url('suggested?limit=50'), { headers: celebs[0]!.auth });
    const ids = own.body.items.map((u: { id: string }) => u.id);
    expect(ids).not.toContain(celebs[0]!.id);
    expect(ids).not.toContain(banned.id);
    expect(ids.slice(0, 3)).toEqual([celebs[1]!.id, celebs[2]!.id, celebs[3]!.id]);
    expect(ids.length).toBeLessThanOrEqual(50);
  });

  it('is bounded: default 10, limit 1–50, anything else a 400 problem', async () => {
    const viewer = await newUser('viewer');
    await Promise.all(Array.from({ length: 12 }, () => newUser('filler')));
    expect((await call(url('suggested'), { headers: viewer.auth })).body.items).toHaveLength(10);
    for (const q of ['limit=0', 'limit=51', 'limit=1.5', 'limit=x']) {
      const res = await call(url(`suggested?${q}`), { headers: viewer.auth });
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toContain(PROBLEM);
    }
  });
});
