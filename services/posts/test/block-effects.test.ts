import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deliver, startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/**
 * What a block does at posts (the relationships read model fed by users' relationship.updated):
 * the blocked user's likes and comments on the blocker's posts go, counts exact; search leaves out
 * the posts of authors who block the caller or whom the caller blocks.
 */
let posts: RunningPosts;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl });
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
});

const api = (p: string) => `${posts.base}${p}`;
let seq = 0;
const relationship = (ownerId: string, otherId: string, blocked: boolean, sequence = (seq += 1)) =>
  deliver(posts, {
    type: 'relationship.updated',
    producer: 'users',
    aggregateId: ownerId,
    sequence,
    payload: { ownerId, otherId, blocked, muted: false },
  });

async function post(who: TestUser, text: string): Promise<string> {
  const res = await call(api('/api/v1/posts'), { method: 'POST', headers: who.auth, body: { text } });
  expect(res.status).toBe(201);
  return res.body.id;
}
const like = async (who: TestUser, id: string) =>
  expect((await call(api(`/api/v1/posts/${id}/like`), { method: 'POST', headers: who.auth })).status).toBe(200);
const comment = async (who: TestUser, id: string) =>
  expect((await call(api(`/api/v1/posts/${id}/comments`), { method: 'POST', headers: who.auth, body: { text: 'hi' } })).status).toBe(201);
const counts = async (who: TestUser, id: string) => {
  const res = await call(api(`/api/v1/posts/${id}`), { headers: who.auth });
  return { likeCount: res.body.likeCount, commentCount: res.body.commentCount };
};

describe('a block at posts', () => {
  it("removes the blocked user's likes and comments on the blocker's posts only, with exact counts", async () => {
    const [owner, blocked, bystander] = [await issuer.user('owner'), await issuer.user('blocked'), await issuer.user('bystander')];
    const [p1, p2] = [await post(owner, 'one'), await post(owner, 'two')];
    const theirs = await post(blocked, 'their own');
    for (const p of [p1, p2]) {
      await like(blocked, p);
      await like(bystander, p);
      await comment(blocked, p);
      await comment(blocked, p);
      await comment(bystander, p);
    }
    await like(owner, theirs);
    await comment(owner, theirs);

    expect((await relationship(owner.id, blocked.id, true)).status).toBe(200);
    for (const p of [p1, p2]) expect(await counts(owner, p)).toEqual({ likeCount: 1, commentCount: 1 });
    const left = await posts.service.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM likes WHERE user_id = $1 AND post_id = ANY($2)) + (SELECT count(*) FROM comments WHERE author_id = $1 AND post_id = ANY($2)) AS n`,
      [blocked.id, [p1, p2]],
    );
    expect(Number(left[0]!.n)).toBe(0);
    // The blocker's own likes and comments on the blocked user's post stay: the block is one-way.
    expect(await counts(blocked, theirs)).toEqual({ likeCount: 1, commentCount: 1 });
    // And the blocked user cannot put them back.
    expect((await call(api(`/api/v1/posts/${p1}/like`), { method: 'POST', headers: blocked.auth })).status).toBe(403);
  });

  it('an older block delivered after a newer unblock removes nothing; a mute removes nothing', async () => {
    const [owner, other] = [await issuer.user('owner'), await issuer.user('other')];
    const p = await post(owner, 'kept');
    await like(other, p);
    await comment(other, p);
    expect((await relationship(owner.id, other.id, false, 11)).status).toBe(200);
    expect((await relationship(owner.id, other.id, true, 10)).status).toBe(200);
    expect(await counts(owner, p)).toEqual({ likeCount: 1, commentCount: 1 });
    const mute = await deliver(posts, {
      type: 'relationship.updated',
      producer: 'users',
      aggregateId: owner.id,
      sequence: 12,
      payload: { ownerId: owner.id, otherId: other.id, blocked: false, muted: true },
    });
    expect(mute.status).toBe(200);
    expect(await counts(owner, p)).toEqual({ likeCount: 1, commentCount: 1 });
  });
});

describe('post search and blocks', () => {
  it('leaves out the posts of authors who block you and whom you block, not of those you mute', async () => {
    const word = `w${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const [me, blocksMe, iBlock, iMute, plain] = await Promise.all(['me', 'blocksme', 'iblock', 'imute', 'plain'].map((p) => issuer.user(p)));
    const ids: Record<string, string> = {};
    for (const [name, who] of Object.entries({ blocksMe, iBlock, iMute, plain, me })) ids[name] = await post(who!, `about ${word}`);
    const search = async (who: TestUser) => {
      const res = await call(api(`/api/v1/search/posts?q=${word}&limit=50`), { headers: who.auth });
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).map((i) => i.id).sort();
    };
    const all = Object.values(ids).sort();
    expect(await search(me)).toEqual(all);

    await relationship(blocksMe.id, me.id, true);
    await relationship(me.id, iBlock.id, true);
    await deliver(posts, {
      type: 'relationship.updated',
      producer: 'users',
      aggregateId: me.id,
      sequence: (seq += 1),
      payload: { ownerId: me.id, otherId: iMute.id, blocked: false, muted: true },
    });
    expect(await search(me)).toEqual([ids.iMute, ids.plain, ids.me].sort());
    // The authors who block or are blocked do not find each other's posts either way.
    expect(await search(blocksMe)).not.toContain(ids.me);
    expect(await search(iBlock)).not.toContain(ids.me);
    // Someone else still finds everything.
    expect(await search(plain)).toEqual(all);
    // Unblocking brings them back.
    await relationship(me.id, iBlock.id, false);
    expect(await search(me)).toContain(ids.iBlock);
  });
});
