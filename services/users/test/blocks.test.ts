import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, serviceClient } from '../../../test/helpers/service-client.js';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

/** Block and mute: the relationship rows, what a block does to follows, search and suggestions. */
let users: RunningUsers;
const url = (p: string) => `${users.base}/api/v1/users/${p}`;
// users' own contract, typed (test/helpers/service-client.ts), as the user `u`.
const as = (u: TestUser) => serviceClient('users', users.base, u.auth);
const me = (u: TestUser) => answer(as(u).GET('/api/v1/users/me')).then((r) => r.body);
const follow = (u: TestUser, id: string) => answer(as(u).POST('/api/v1/users/{id}/follow', { params: { path: { id } } }));
const put = (u: TestUser, id: string, kind: 'block' | 'mute') =>
  answer(
    kind === 'block'
      ? as(u).PUT('/api/v1/users/{id}/block', { params: { path: { id } } })
      : as(u).PUT('/api/v1/users/{id}/mute', { params: { path: { id } } }),
  );
const del = (u: TestUser, id: string, kind: 'block' | 'mute') =>
  answer(
    kind === 'block'
      ? as(u).DELETE('/api/v1/users/{id}/block', { params: { path: { id } } })
      : as(u).DELETE('/api/v1/users/{id}/mute', { params: { path: { id } } }),
  );

/** A user with a profile; `username` fixed when given (search needs a known name). */
async function newUser(username = `u_${randomUUID().slice(0, 8)}`): Promise<TestUser> {
  const id = randomUUID();
  const token = await users.issuer!.token({ sub: id, preferred_username: username, roles: ['user'] });
  const u = { id, username, token, auth: { authorization: `Bearer ${token}` } };
  expect((await call(url('me'), { headers: u.auth })).status).toBe(200);
  return u;
}

beforeAll(async () => {
  users = await startUsers();
});
afterAll(async () => users?.stop());

describe('block', () => {
  it('removes the follows both ways with exact counts, is idempotent, and shows on the profile', async () => {
    const [a, b, c] = [await newUser(), await newUser(), await newUser()];
    expect((await follow(a, b.id)).status).toBe(200);
    expect((await follow(b, a.id)).status).toBe(200);
    expect((await follow(c, b.id)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const res = await put(a, b.id, 'block');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ blocking: true, muting: false, following: false, followedBy: false });
    }
    expect(await me(a)).toMatchObject({ followerCount: 0, followingCount: 0 });
    // c's follow of b is untouched: only the edges between a and b go.
    expect(await me(b)).toMatchObject({ followerCount: 1, followingCount: 0 });
    expect(await users.count('follows WHERE follower_id IN ($1, $2) AND followee_id IN ($1, $2)', [a.id, b.id])).toBe(0);
    const seen = await call(url(b.id), { headers: a.auth });
    expect(seen.body).toMatchObject({ blocking: true, muting: false, following: false, followedBy: false });
    // The blocked user does not see that they are blocked as a flag of their own.
    expect((await call(url(a.id), { headers: b.auth })).body).toMatchObject({ blocking: false, muting: false });
    expect((await call(url('me'), { headers: a.auth })).body).toMatchObject({ blocking: false, muting: false });
  });

  it('refuses follows either way with a 403 problem that says why; unblocking allows them again', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await put(a, b.id, 'block');
    const mine = await follow(a, b.id);
    expect(mine.status).toBe(403);
    expect(mine.headers.get('content-type')).toContain('application/problem+json');
    expect(mine.problem?.detail).toMatch(/you have blocked this user/i);
    const theirs = await follow(b, a.id);
    expect(theirs.status).toBe(403);
    expect(theirs.problem?.detail).toMatch(/has blocked you/i);
    expect(await users.count('follows WHERE follower_id IN ($1, $2)', [a.id, b.id])).toBe(0);
    const un = await del(a, b.id, 'block');
    expect(un.status).toBe(200);
    expect(un.body).toEqual({ blocking: false, muting: false, following: false, followedBy: false });
    expect((await follow(b, a.id)).status).toBe(200);
    expect(await me(a)).toMatchObject({ followerCount: 1 });
  });

  it('a block racing follows both ways leaves no follow and exact counts', async () => {
    const [a, b] = [await newUser(), await newUser()];
    const answers = await Promise.all([follow(a, b.id), follow(b, a.id), put(a, b.id, 'block'), follow(b, a.id), follow(a, b.id)]);
    for (const r of answers) expect([200, 403]).toContain(r.status);
    expect(await users.count('follows WHERE follower_id IN ($1, $2) AND followee_id IN ($1, $2)', [a.id, b.id])).toBe(0);
    expect(await me(a)).toMatchObject({ followerCount: 0, followingCount: 0 });
    expect(await me(b)).toMatchObject({ followerCount: 0, followingCount: 0 });
  });

  it('yourself is a 400, an unknown user a 404, a malformed id a 400; nothing is stored', async () => {
    const a = await newUser();
    for (const kind of ['block', 'mute'] as const) {
      const self = await put(a, a.id, kind);
      expect(self.status).toBe(400);
      expect(self.problem?.type).toBe('https://agora.dev/problems/validation');
      expect((await put(a, '00000000-0000-4000-8000-000000000000', kind)).status).toBe(404);
      expect((await del(a, '00000000-0000-4000-8000-000000000000', kind)).status).toBe(404);
      expect((await put(a, 'nope', kind)).status).toBe(400);
      expect((await call(url(`${a.id}/${kind}`), { method: 'PUT' })).status).toBe(401);
    }
    expect(await users.count('blocks WHERE blocker_id = $1', [a.id])).toBe(0);
    expect(await users.count('mutes WHERE muter_id = $1', [a.id])).toBe(0);
  });

  it('leaves the blocker out of the blocked user’s search and both out of each other’s suggestions', async () => {
    const tag = randomUUID().slice(0, 6);
    const blocker = await newUser(`zed_${tag}_blocker`);
    const other = await newUser(`zed_${tag}_other`);
    // Named unlike the others, so no near spelling brings the viewer into the results.
    const viewer = await newUser(`v_${randomUUID().slice(0, 8)}`);
    const search = async (u: TestUser) =>
      (await call(`${users.base}/api/v1/search/users?q=zed_${tag}`, { headers: u.auth })).body.items.map((i: { id: string }) => i.id);
    expect((await search(viewer)).sort()).toEqual([blocker.id, other.id].sort());
    await put(blocker, viewer.id, 'block');
    expect(await search(viewer)).toEqual([other.id]);
    // The blocker still finds the person they blocked (to unblock them).
    expect(await search(blocker)).toContain(other.id);
    // Suggestions: a follower makes the blocker the most followed account, which neither side is offered.
    await follow(other, blocker.id);
    const suggested = async (u: TestUser) => (await call(url('suggested?limit=50'), { headers: u.auth })).body.items.map((i: { id: string }) => i.id);
    expect(await suggested(viewer)).not.toContain(blocker.id);
    expect(await suggested(blocker)).not.toContain(viewer.id);
    expect(await suggested(other)).not.toContain(blocker.id); // already followed
    await del(blocker, viewer.id, 'block');
    expect(await suggested(viewer)).toContain(blocker.id);
  });
});

describe('mute', () => {
  it('is idempotent, keeps follows, shows on the profile; unmute clears it', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await follow(a, b.id);
    for (let i = 0; i < 2; i += 1) {
      const res = await put(a, b.id, 'mute');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ blocking: false, muting: true, following: true, followedBy: false });
    }
    expect((await call(url(b.id), { headers: a.auth })).body).toMatchObject({ muting: true, blocking: false, following: true });
    expect((await call(url(`by-username/${b.username}`), { headers: a.auth })).body).toMatchObject({ muting: true });
    expect((await del(a, b.id, 'mute')).body).toEqual({ blocking: false, muting: false, following: true, followedBy: false });
    expect(await users.count('mutes WHERE muter_id = $1', [a.id])).toBe(0);
  });
});

describe('relationship.updated', () => {
  it('goes out to posts and notifications once per change, numbered per pair; a repeat sends nothing', async () => {
    const [a, b] = [await newUser(), await newUser()];
    const jobs = () => users.count(`graphile_worker.jobs WHERE key LIKE $1`, [`relationship.updated:${a.id}:%`]);
    const seq = async () =>
      Number(
        (
          await users.service.db.query<{ s: string }>('SELECT event_seq AS s FROM relationship_seqs WHERE owner_id = $1 AND other_id = $2', [
            a.id,
            b.id,
          ])
        )[0]?.s,
      );
    await put(a, b.id, 'block');
    await put(a, b.id, 'block');
    expect(await jobs()).toBe(2);
    expect(await users.count(`graphile_worker.jobs WHERE key LIKE $1`, [`relationship.updated:${a.id}:posts:%`])).toBe(1);
    expect(await seq()).toBe(1);
    await put(a, b.id, 'mute');
    await del(a, b.id, 'block');
    await del(a, b.id, 'block');
    expect(await jobs()).toBe(6);
    expect(await seq()).toBe(3);
    // A refused change (yourself) sends nothing.
    expect((await put(a, a.id, 'block')).status).toBe(400);
    expect(await jobs()).toBe(6);
    expect(await users.count(`relationship_seqs WHERE owner_id = $1 AND other_id = $1`, [a.id])).toBe(0);
  });
});

describe('my blocks and mutes', () => {
  it('page newest first without gaps or duplicates, each list only the caller’s own', async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const targets = [];
    for (let i = 0; i < 7; i += 1) targets.push(await newUser());
    for (const t of targets) await put(owner, t.id, 'block');
    for (const t of targets.slice(0, 3)) await put(owner, t.id, 'mute');
    await put(stranger, owner.id, 'block');

    async function all(list: 'blocks' | 'mutes', u: TestUser, limit: number): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
        const res = await call(url(`me/${list}?${q}`), { headers: u.auth });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        ids.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return ids;
    }
    for (const limit of [1, 3, 7, 50]) expect(await all('blocks', owner, limit)).toEqual(targets.map((t) => t.id).reverse());
    expect(await all('mutes', owner, 2)).toEqual(
      targets
        .slice(0, 3)
        .map((t) => t.id)
        .reverse(),
    );
    expect(await all('blocks', stranger, 10)).toEqual([owner.id]);
    const first = await call(url('me/blocks?limit=1'), { headers: owner.auth });
    expect(first.body.items[0]).toEqual({
      id: targets[6]!.id,
      username: targets[6]!.username,
      displayName: targets[6]!.username,
      avatarMediaId: null,
      since: expect.any(String),
    });
    const forged = await call(url('me/blocks?cursor=bm9wZQ'), { headers: owner.auth });
    expect(forged.status).toBe(400);
  });
});
