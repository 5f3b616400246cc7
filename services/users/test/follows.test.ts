import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, serviceClient } from '../../../test/helpers/service-client.js';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

let users: RunningUsers;
// Raw requests, for the lists' query strings and cursors as a client would send them (malformed ones too).
const url = (p: string) => `${users.base}/api/v1/users/${p}`;
// users' own contract, typed (test/helpers/service-client.ts), as the user `u`.
const as = (u: TestUser) => serviceClient('users', users.base, u.auth);
const me = (u: TestUser) => answer(as(u).GET('/api/v1/users/me')).then((r) => r.body);
const follow = (u: TestUser, id: string) => answer(as(u).POST('/api/v1/users/{id}/follow', { params: { path: { id } } }));
const unfollow = (u: TestUser, id: string) => answer(as(u).DELETE('/api/v1/users/{id}/follow', { params: { path: { id } } }));

async function newUser(prefix = 'u'): Promise<TestUser> {
  const u = await users.issuer!.user(prefix);
  expect((await answer(as(u).GET('/api/v1/users/me'))).status).toBe(200);
  return u;
}

beforeAll(async () => {
  users = await startUsers();
});
afterAll(async () => users?.stop());

describe('follow / unfollow', () => {
  it("follow and unfollow are idempotent and answer the new state and the target's counts", async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const followed = { following: true, followedBy: false, followerCount: 1, followingCount: 0 };
    for (let i = 0; i < 2; i += 1) {
      const res = await follow(a, b.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(followed);
    }
    expect(await me(a)).toMatchObject({ followingCount: 1, followerCount: 0 });
    expect(await me(b)).toMatchObject({ followingCount: 0, followerCount: 1 });
    // b follows back: a's answer about b now says followedBy, and b's following count.
    expect((await follow(b, a.id)).body).toEqual({ following: true, followedBy: true, followerCount: 1, followingCount: 1 });
    expect((await follow(a, b.id)).body).toEqual({ following: true, followedBy: true, followerCount: 1, followingCount: 1 });
    const unfollowed = { following: false, followedBy: true, followerCount: 0, followingCount: 1 };
    for (let i = 0; i < 2; i += 1) {
      const res = await unfollow(a, b.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(unfollowed);
    }
    expect(await me(a)).toMatchObject({ followingCount: 0, followerCount: 1 });
    expect(await me(b)).toMatchObject({ followingCount: 1, followerCount: 0 });
  });

  it('concurrent follows (both ways, repeated) neither deadlock nor miscount', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const answers = await Promise.all([...Array.from({ length: 5 }, () => follow(a, b.id)), ...Array.from({ length: 5 }, () => follow(b, a.id))]);
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    // The target's following count depends on whether the other direction committed first.
    for (const r of answers) expect(r.body).toMatchObject({ following: true, followerCount: 1, followingCount: expect.any(Number) });
    expect(answers.filter((r) => r.body?.followingCount === 1 && r.body.followedBy).length).toBeGreaterThan(0);
    expect(await me(a)).toMatchObject({ followingCount: 1, followerCount: 1 });
    expect(await me(b)).toMatchObject({ followingCount: 1, followerCount: 1 });
  });

  it('the counts answered under a race of many followers are exact: each answer is a distinct count', async () => {
    const star = await newUser('star');
    const crowd = await Promise.all(Array.from({ length: 12 }, () => newUser('crowd')));
    const answers = await Promise.all(crowd.map((u) => follow(u, star.id)));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    // Each follow's answer is read under the row lock that serialised it: 1..12, each exactly once.
    expect(answers.map((r) => r.body!.followerCount).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const leaving = await Promise.all(crowd.map((u) => unfollow(u, star.id)));
    expect(leaving.map((r) => r.body!.followerCount).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(await me(star)).toMatchObject({ followerCount: 0 });
  });

  it('following yourself is 400, an unknown user 404, a malformed id 400; nothing changes', async () => {
    const a = await newUser('a');
    const self = await follow(a, a.id);
    expect(self.status).toBe(400);
    expect(self.problem?.type).toBe('https://agora.dev/problems/validation');
    const unknown = await follow(a, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.problem?.type).toBe('https://agora.dev/problems/not-found');
    expect((await unfollow(a, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await follow(a, 'nope')).status).toBe(400);
    expect((await unfollow(a, 'nope')).status).toBe(400);
    expect(await me(a)).toMatchObject({ followingCount: 0, followerCount: 0 });
  });

  it("a follow acts only on the caller's own edge: A cannot make B follow or unfollow anyone", async () => {
    const [a, b, c] = [await newUser('a'), await newUser('b'), await newUser('c')];
    await follow(b, c.id);
    // The body is ignored by design (there is none); A's requests only ever touch A's edges.
    await unfollow(a, c.id);
    expect(await me(b)).toMatchObject({ followingCount: 1 });
    expect(await me(c)).toMatchObject({ followerCount: 1 });
  });
});

describe('followers / following lists', () => {
  let star: TestUser;
  const fans: TestUser[] = [];
  beforeAll(async () => {
    star = await newUser('star');
    for (let i = 0; i < 23; i += 1) {
      const f = await newUser('fan');
      await follow(f, star.id);
      await follow(star, f.id);
      fans.push(f);
    }
  });

  async function all(path: string, limit: number, viewer: TestUser) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      const res = await call(url(`${path}?${q}`), { headers: viewer.auth });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    return { ids, pages };
  }

  it('pages through followers newest first with no duplicates or gaps', async () => {
    const expected = fans.map((f) => f.id).reverse();
    for (const limit of [1, 5, 10, 23, 100]) {
      const { ids, pages } = await all(`${star.id}/followers`, limit, fans[0]!);
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.ceil(23 / limit));
    }
  });

  it('pages through following the same way; entries carry the profile summary and time', async () => {
    const { ids } = await all(`${star.id}/following`, 7, star);
    expect(ids).toEqual(fans.map((f) => f.id).reverse());
    const first = await call(url(`${star.id}/following?limit=1`), { headers: star.auth });
    expect(first.body.items[0]).toEqual({
      id: fans[22]!.id,
      username: fans[22]!.username,
      displayName: fans[22]!.username,
      avatarMediaId: null,
      followedAt: expect.any(String),
    });
    expect(typeof first.body.nextCursor).toBe('string');
  });

  it('defaults to 20 per page; an empty list has nextCursor null', async () => {
    const res = await call(url(`${star.id}/followers`), { headers: star.auth });
    expect(res.body.items).toHaveLength(20);
    const lonely = await newUser('lonely');
    expect((await call(url(`${lonely.id}/followers`), { headers: lonely.auth })).body).toEqual({ items: [], nextCursor: null });
  });

  it('stays consistent when follows change between pages (keyset, not offset)', async () => {
    const page1 = await call(url(`${star.id}/followers?limit=5`), { headers: star.auth });
    const late = await newUser('late');
    await follow(late, star.id); // newer than every page: must not shift the next page
    const page2 = await call(url(`${star.id}/followers?limit=5&cursor=${page1.body.nextCursor}`), { headers: star.auth });
    const expected = fans.map((f) => f.id).reverse();
    expect(page1.body.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(0, 5));
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(5, 10));
    await unfollow(late, star.id);
  });

  it('bad limit or cursor is a 400 problem+json', async () => {
    const bad = ['limit=0', 'limit=101', 'limit=-1', 'limit=1.5', 'limit=abc'];
    for (const q of bad) {
      const res = await call(url(`${star.id}/followers?${q}`), { headers: star.auth });
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.type).toBe('https://agora.dev/problems/validation');
    }
  });

  it('404 for the lists of an unknown user, 400 for a malformed id', async () => {
    expect((await call(url('00000000-0000-4000-8000-000000000000/followers'), { headers: star.auth })).status).toBe(404);
    expect((await call(url('00000000-0000-4000-8000-000000000000/following'), { headers: star.auth })).status).toBe(404);
    expect((await call(url('xyz/following'), { headers: star.auth })).status).toBe(400);
  });

  it('pages are index range scans (no sort, no offset)', async () => {
    const db = users.service.db;
    await db.execute('ANALYZE follows');
    // SET LOCAL: the setting lives on the transaction's one connection and ends with it.
    const plan = await db.transaction(async (tx) => {
      await tx.execute('SET LOCAL enable_seqscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT follower_id FROM follows f
          WHERE f.followee_id = $1 AND (f.created_at, f.follower_id) < (now(), '00000000-0000-4000-8000-000000000000'::uuid)
          ORDER BY f.created_at DESC, f.follower_id DESC LIMIT 21`,
        [star.id],
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using follows_followers_page_idx/);
    expect(text).not.toMatch(/Sort/);
  });
});

describe('follow limit', () => {
  it('refuses to follow more than 5000 accounts (409) but stays idempotent at the limit', async () => {
    const a = await newUser('collector');
    const [b, c] = [await newUser('b'), await newUser('c')];
    await follow(a, b.id);
    // Pretend a already follows 5000 accounts (the count is what the check reads).
    await users.service.db.execute('UPDATE profiles SET following_count = 5000 WHERE id = $1', [a.id]);
    expect((await follow(a, b.id)).status).toBe(200);
    const over = await follow(a, c.id);
    expect(over.status).toBe(409);
    expect(over.problem?.type).toBe('https://agora.dev/problems/conflict');
    expect((await me(c))?.followerCount).toBe(0);
  });
});
