import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startNotifications, type RunningNotifications } from './harness.js';

/** relationship.updated at notifications: the read model, its ordering, and what it silences. */
let svc: RunningNotifications;
const relationship = (ownerId: string, otherId: string, blocked: boolean, muted: boolean, seq: number) =>
  svc.deliver('relationship.updated', 'users', ownerId, { ownerId, otherId, blocked, muted }, seq);
const like = (postId: string, authorId: string, likerId: string) => svc.deliver('post.liked', 'posts', postId, { authorId, likerId });
const state = async (ownerId: string, otherId: string) =>
  (
    await svc.service.db.query('SELECT blocked, muted, relationship_seq::int AS seq FROM relationships WHERE owner_id = $1 AND other_id = $2', [
      ownerId,
      otherId,
    ])
  )[0];

beforeAll(async () => {
  svc = await startNotifications();
});
afterAll(async () => svc?.stop());

describe('relationship.updated', () => {
  it('keeps the newest state per pair: a late older event changes nothing', async () => {
    const [owner, other] = [randomUUID(), randomUUID()];
    expect((await relationship(owner, other, true, false, 2)).status).toBeLessThan(300);
    expect((await relationship(owner, other, false, true, 1)).status).toBeLessThan(300);
    expect(await state(owner, other)).toEqual({ blocked: true, muted: false, seq: 2 });
    await relationship(owner, other, false, false, 3);
    expect(await state(owner, other)).toEqual({ blocked: false, muted: false, seq: 3 });
  });

  it('refuses a malformed payload with a 400 and stores nothing', async () => {
    const owner = randomUUID();
    const res = await svc.deliver('relationship.updated', 'users', owner, { ownerId: owner, otherId: 'nope', blocked: 'yes', muted: false });
    expect(res.status).toBe(400);
    expect(await svc.count('relationships WHERE owner_id = $1', [owner])).toBe(0);
  });

  it('records nothing from an actor the recipient mutes or blocks; others, and the actor after unmuting, still notify', async () => {
    const [author, muted, blocked, fan] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await relationship(author, muted, false, true, 1);
    await relationship(author, blocked, true, false, 1);
    const post = randomUUID();
    for (const liker of [muted, blocked, fan]) expect((await like(post, author, liker)).status).toBeLessThan(300);
    const actors = async () =>
      (
        await svc.service.db.query<{ actor_id: string }>(
          'SELECT a.actor_id FROM notification_actors a JOIN notifications n ON n.id = a.notification_id WHERE n.recipient_id = $1 ORDER BY a.at',
          [author],
        )
      ).map((r) => r.actor_id);
    expect(await actors()).toEqual([fan]);
    await relationship(author, muted, false, false, 2);
    await like(randomUUID(), author, muted);
    expect(await actors()).toEqual([fan, muted]);
  });

  it('hides what a blocked or muted actor did before: out of groups, counts and the list; back on unblocking', async () => {
    const author = await svc.issuer.user('author');
    const [blocked, muted, fan] = [randomUUID(), randomUUID(), randomUUID()];
    const post = randomUUID();
    // Recorded before any block or mute: one group of three likers, and a follow by the blocked user alone.
    for (const liker of [blocked, muted, fan]) expect((await like(post, author.id, liker)).status).toBeLessThan(300);
    expect((await svc.deliver('user.followed', 'users', blocked, { followeeId: author.id })).status).toBeLessThan(300);
    const list = async () => (await call(`${svc.base}/api/v1/notifications?limit=50`, { headers: author.auth })).body.items;
    const unread = async () => (await call(`${svc.base}/api/v1/notifications/unread-count`, { headers: author.auth })).body.unread;
    expect(await unread()).toBe(2);
    expect((await list()).map((n: { kind: string; actorCount: number }) => [n.kind, n.actorCount])).toEqual([
      ['follow', 1],
      ['like', 3],
    ]);

    await relationship(author.id, blocked, true, false, 1);
    await relationship(author.id, muted, false, true, 1);
    const hidden = await list();
    expect(hidden).toHaveLength(1);
    expect(hidden[0]).toMatchObject({ kind: 'like', actorCount: 1, actor: { id: fan } });
    expect(hidden[0].actors.map((a: { id: string }) => a.id)).toEqual([fan]);
    expect(await unread()).toBe(1);
    // Recorded, not erased: unblocking and unmuting shows them again.
    await relationship(author.id, blocked, false, false, 2);
    await relationship(author.id, muted, false, false, 2);
    expect((await list()).map((n: { actorCount: number }) => n.actorCount)).toEqual([1, 3]);
    expect(await unread()).toBe(2);
  });

  it('account.deleted forgets the user’s relationships in both roles', async () => {
    const [gone, other] = [randomUUID(), randomUUID()];
    await relationship(gone, other, true, false, 1);
    await relationship(other, gone, false, true, 1);
    expect((await svc.deliver('account.deleted', 'auth', gone, { status: 'deleted' })).status).toBeLessThan(300);
    expect(await svc.count('relationships WHERE owner_id = $1 OR other_id = $1', [gone])).toBe(0);
  });
});
