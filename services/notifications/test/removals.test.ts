import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openStream, startNotifications, type RunningNotifications } from './harness.js';
import type { TestUser } from '../../../test/helpers/test-issuer.js';

/** post.deleted, comment.deleted, post.unliked: notifications that point at content that is gone (removals.ts). */
let svc: RunningNotifications;
let ada: TestUser, bob: TestUser, cy: TestUser, dee: TestUser;

interface Entry {
  id: string;
  kind: string;
  postId: string | null;
  commentId: string | null;
  actorCount: number;
  actors: Array<{ id: string }>;
}

const list = async (u: TestUser): Promise<Entry[]> => (await call(`${svc.base}/api/v1/notifications`, { headers: u.auth })).body.items;
const about = async (u: TestUser, postId: string) => (await list(u)).filter((n) => n.postId === postId);
const unread = async (u: TestUser) => (await call(`${svc.base}/api/v1/notifications/unread-count`, { headers: u.auth })).body.unread as number;
const like = (post: string, author: TestUser, liker: TestUser, seq: number) =>
  svc.deliver('post.liked', 'posts', post, { authorId: author.id, likerId: liker.id }, seq);
const unlike = (post: string, author: TestUser, liker: TestUser, seq: number) =>
  svc.deliver('post.unliked', 'posts', post, { authorId: author.id, likerId: liker.id }, seq);
const comment = (post: string, author: TestUser, commenter: TestUser, commentId: string, seq: number, text = 'nice') =>
  svc.deliver('comment.created', 'posts', post, { authorId: author.id, commentId, commenterId: commenter.id, text }, seq);
const uncomment = (post: string, author: TestUser, commenter: TestUser, commentId: string, seq: number) =>
  svc.deliver('comment.deleted', 'posts', post, { authorId: author.id, commentId, commenterId: commenter.id }, seq);
const deletePost = (post: string, author: TestUser, seq: number) => svc.deliver('post.deleted', 'posts', post, { authorId: author.id }, seq);

beforeAll(async () => {
  svc = await startNotifications();
  [ada, bob, cy, dee] = await Promise.all(['ada', 'bob', 'cy', 'dee'].map((p) => svc.issuer.user(p)));
  for (const u of [ada, bob, cy, dee])
    expect((await svc.deliver('profile.updated', 'users', u.id, { username: u.username, displayName: u.username, avatarMediaId: null })).status).toBe(
      200,
    );
}, 60_000);
afterAll(async () => {
  await svc?.stop();
});

describe('post.unliked', () => {
  it('takes the liker out of a group, keeps the unread count exact, and removes a group left with nobody', async () => {
    const post = randomUUID();
    const before = await unread(ada);
    await like(post, ada, bob, 1);
    await like(post, ada, cy, 2);
    await like(post, ada, dee, 3);
    let [group] = await about(ada, post);
    expect(group).toMatchObject({ kind: 'like', actorCount: 3 });
    expect(await unread(ada)).toBe(before + 1);

    expect((await unlike(post, ada, cy, 4)).body).toEqual({ outcome: 'applied' });
    [group] = await about(ada, post);
    expect(group!.actorCount).toBe(2);
    expect(group!.actors.map((a) => a.id)).toEqual([dee.id, bob.id]);
    expect(await unread(ada)).toBe(before + 1);

    await unlike(post, ada, bob, 5);
    await unlike(post, ada, dee, 6);
    expect(await about(ada, post)).toEqual([]);
    expect(await unread(ada)).toBe(before);
    expect(await svc.count('notification_actors na JOIN notifications n ON n.id = na.notification_id WHERE n.post_id = $1', [post])).toBe(0);
  });

  it('a like delivered after its unlike does not bring it back; a newer like notifies again', async () => {
    const post = randomUUID();
    // Published: like (1), unlike (2), like again (3). Delivered: unlike, like (1), like (3).
    expect((await unlike(post, ada, bob, 2)).body).toEqual({ outcome: 'applied' });
    expect((await like(post, ada, bob, 1)).body).toEqual({ outcome: 'applied' });
    expect(await about(ada, post)).toEqual([]);
    await like(post, ada, bob, 3);
    const entries = await about(ada, post);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actors.map((a) => a.id)).toEqual([bob.id]);
    // An unlike older than that like is stale too.
    await unlike(post, ada, bob, 2);
    expect(await about(ada, post)).toHaveLength(1);
  });

  it('of a like that notified nobody changes nothing', async () => {
    const before = await svc.count('notifications');
    expect((await unlike(randomUUID(), ada, bob, 7)).body).toEqual({ outcome: 'applied' });
    expect(await svc.count('notifications')).toBe(before);
  });
});

describe('comment.deleted', () => {
  it('takes a writer out only when none of their comments is left, moves commentId to the newest left, and removes mentions in it', async () => {
    const post = randomUUID();
    const [c1, c2, c3] = [randomUUID(), randomUUID(), randomUUID()];
    await comment(post, ada, bob, c1, 1);
    await comment(post, ada, cy, c2, 2, `hi @${dee.username}`);
    await comment(post, ada, bob, c3, 3);
    let [group] = await about(ada, post);
    expect(group).toMatchObject({ kind: 'comment', actorCount: 2, commentId: c3 });
    expect(await about(dee, post)).toHaveLength(1); // the mention in c2

    await uncomment(post, ada, bob, c3, 4); // bob still has c1
    [group] = await about(ada, post);
    expect(group).toMatchObject({ actorCount: 2, commentId: c2 });

    await uncomment(post, ada, cy, c2, 5); // cy has nothing left; the mention goes with the comment
    [group] = await about(ada, post);
    expect(group).toMatchObject({ actorCount: 1, commentId: c1 });
    expect(group!.actors.map((a) => a.id)).toEqual([bob.id]);
    expect(await about(dee, post)).toEqual([]);

    const before = await unread(ada);
    await uncomment(post, ada, bob, c1, 6);
    expect(await about(ada, post)).toEqual([]);
    expect(await unread(ada)).toBe(before - 1);
  });

  it('is final: the comment arriving late records nothing; an unknown comment changes nothing', async () => {
    const post = randomUUID();
    const late = randomUUID();
    expect((await uncomment(post, ada, bob, late, 2)).body).toEqual({ outcome: 'applied' });
    expect((await comment(post, ada, bob, late, 1, `@${dee.username}`)).body).toEqual({ outcome: 'applied' });
    expect(await about(ada, post)).toEqual([]);
    expect(await about(dee, post)).toEqual([]);
  });
});

describe('post.deleted', () => {
  it('removes every notification about the post, for every recipient, and nothing else', async () => {
    const post = randomUUID();
    const other = randomUUID();
    await svc.deliver('post.created', 'posts', post, { authorId: ada.id, text: `for @${cy.username}` }, 1);
    await like(post, ada, bob, 2);
    await comment(post, ada, dee, randomUUID(), 3, `and @${bob.username}`);
    await like(other, ada, bob, 1);
    expect((await about(ada, post)).map((n) => n.kind).sort()).toEqual(['comment', 'like']);
    expect(await about(cy, post)).toHaveLength(1);
    expect(await about(bob, post)).toHaveLength(1);
    const unreadBefore = await unread(ada);

    expect((await deletePost(post, ada, 4)).body).toEqual({ outcome: 'applied' });
    for (const u of [ada, bob, cy]) expect(await about(u, post)).toEqual([]);
    expect(await about(ada, other)).toHaveLength(1);
    expect(await unread(ada)).toBe(unreadBefore - 2);

    // Events about it that arrive later record nothing; a redelivered deletion (a new event id) changes nothing.
    await like(post, ada, cy, 1);
    await comment(post, ada, cy, randomUUID(), 2);
    expect((await deletePost(post, ada, 4)).body).toEqual({ outcome: 'applied' });
    expect(await about(ada, post)).toEqual([]);
  });

  it('a malformed removal is a 400 and changes nothing', async () => {
    const post = randomUUID();
    await like(post, ada, bob, 1);
    const before = await svc.count('notifications');
    expect((await svc.deliver('post.deleted', 'posts', post, {})).status).toBe(400);
    expect((await svc.deliver('comment.deleted', 'posts', post, { authorId: ada.id, commentId: 'x', commenterId: bob.id })).status).toBe(400);
    expect((await svc.deliver('post.unliked', 'posts', post, { authorId: ada.id })).status).toBe(400);
    expect((await svc.deliver('post.deleted', 'users', post, { authorId: ada.id })).status).toBe(400); // users does not publish it
    expect(await svc.count('notifications')).toBe(before);
    expect(await about(ada, post)).toHaveLength(1);
  });
});

describe('the stream', () => {
  it('hears `update` when an entry loses an actor and `remove` when it goes, with the unread count', async () => {
    const post = randomUUID();
    await like(post, ada, bob, 1);
    await like(post, ada, cy, 2);
    const [group] = await about(ada, post);
    const s = await openStream(`${svc.base}/api/v1/notifications/stream`, ada.auth);
    try {
      const ready = await s.next('ready');
      await unlike(post, ada, cy, 3);
      const update = await s.next('update', 1_000);
      expect(update.data.notification).toMatchObject({ id: group!.id, actorCount: 1, actor: { id: bob.id } });
      expect(update.data.unread).toBe(ready.data.unread);
      await deletePost(post, ada, 4);
      const removed = await s.next('remove', 1_000);
      expect(removed.data).toEqual({ id: group!.id, unread: ready.data.unread - 1 });
    } finally {
      s.close();
    }
  });
});
