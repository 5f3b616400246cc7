import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deliver, type TestUser } from './harness.js';
import { startPostsWithFakeMedia, type PostsWithFakeMedia } from './posts-with-fake-media.js';

/**
 * One call renders a screen: posts, comments and likers embed their author from the `authors` read
 * model (profile.updated), posts embed their media from the `media_objects` read model
 * (media's internal answer at attach time, then media.updated / media.deleted), in attach order.
 */
let world: PostsWithFakeMedia;
let ada: TestUser, bob: TestUser;

beforeAll(async () => {
  world = await startPostsWithFakeMedia();
  [ada, bob] = await Promise.all([world.issuer.user('ada'), world.issuer.user('bob')]);
});
afterAll(async () => world?.stop());

const url = (path: string) => `${world.posts.base}/api/v1${path}`;
const profile = (user: TestUser, sequence: number, username: string, displayName: string, avatarMediaId: string | null = null) =>
  deliver(world.posts, {
    type: 'profile.updated',
    producer: 'users',
    aggregateId: user.id,
    sequence,
    payload: { username, displayName, avatarMediaId },
  });
const mediaUpdated = (id: string, sequence: number, payload: Record<string, unknown>, eventId?: string) =>
  deliver(world.posts, { id: eventId, type: 'media.updated', producer: 'media', aggregateId: id, sequence, payload });
const mediaDeleted = (id: string, ownerId: string, sequence: number) =>
  deliver(world.posts, { type: 'media.deleted', producer: 'media', aggregateId: id, sequence, payload: { ownerId } });
const createPost = async (user: TestUser, body: Record<string, unknown>) => {
  const res = await call(url('/posts'), { method: 'POST', headers: user.auth, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const getPost = async (user: TestUser, id: string) => (await call(url(`/posts/${id}`), { headers: user.auth })).body;

describe('embedded authors', () => {
  it('a post, a comment and a liker carry the author from the read model', async () => {
    const avatar = randomUUID();
    expect((await profile(ada, 1, 'ada', 'Ada Lovelace', avatar)).body).toEqual({ outcome: 'applied' });
    expect((await profile(bob, 1, 'bob', 'Bob')).status).toBe(200);
    const post = await createPost(ada, { text: 'embedded' });
    const adaAuthor = { id: ada.id, username: 'ada', displayName: 'Ada Lovelace', avatarUrl: `/api/v1/media/${avatar}/content` };
    expect(post.author).toEqual(adaAuthor);
    expect((await getPost(bob, post.id)).author).toEqual(adaAuthor);
    expect((await call(url(`/posts?authorId=${ada.id}`), { headers: bob.auth })).body.items[0].author).toEqual(adaAuthor);

    const comment = await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'hi' } });
    expect(comment.body.author).toEqual({ id: bob.id, username: 'bob', displayName: 'Bob', avatarUrl: null });
    expect((await call(url(`/posts/${post.id}/comments`), { headers: ada.auth })).body.items[0].author.username).toBe('bob');

    await call(url(`/posts/${post.id}/like`), { method: 'POST', headers: bob.auth });
    const likers = (await call(url(`/posts/${post.id}/likes`), { headers: ada.auth })).body.items;
    expect(likers).toEqual([
      { userId: bob.id, author: { id: bob.id, username: 'bob', displayName: 'Bob', avatarUrl: null }, likedAt: expect.any(String) },
    ]);
  });

  it('a later profile event renames every embedding; an older one arriving late changes nothing', async () => {
    const post = await createPost(ada, { text: 'renamed later' });
    await profile(ada, 3, 'ada_l', 'Countess', null);
    await profile(ada, 2, 'ada_old', 'Stale');
    expect((await getPost(bob, post.id)).author).toEqual({ id: ada.id, username: 'ada_l', displayName: 'Countess', avatarUrl: null });
  });

  it('an author posts has not heard of yet: the page still renders, with the id and null names', async () => {
    const stranger = await world.issuer.user('stranger');
    const post = await createPost(stranger, { text: 'no profile event yet' });
    expect(post.author).toEqual({ id: stranger.id, username: null, displayName: null, avatarUrl: null });
    const comment = await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: stranger.auth, body: { text: 'me too' } });
    expect(comment.status).toBe(201);
    expect(comment.body.author).toEqual({ id: stranger.id, username: null, displayName: null, avatarUrl: null });
  });
});

describe('embedded media', () => {
  it('in the order attached, from media’s answer at attach time (absent fields are null)', async () => {
    const a = world.media.add(ada.id, 'uploaded', { contentType: 'image/jpeg', width: 640, height: 480, alt: 'harbour' });
    const b = world.media.add(ada.id); // media sends no width/height/alt
    const post = await createPost(ada, { text: 'two images', mediaIds: [b, a] });
    expect(post.mediaIds).toEqual([b, a]);
    expect(post.media).toEqual([
      { id: b, url: `/api/v1/media/${b}/content`, contentType: 'image/png', width: null, height: null, alt: null },
      { id: a, url: `/api/v1/media/${a}/content`, contentType: 'image/jpeg', width: 640, height: 480, alt: 'harbour' },
    ]);
  });

  it('media.updated is applied once per event and only when newer; media.deleted removes it for good', async () => {
    const m = world.media.add(ada.id, 'uploaded', { width: 10, height: 10 });
    const keep = world.media.add(ada.id);
    const post = await createPost(ada, { text: 'events', mediaIds: [m, keep] });
    const state = (alt: string, width = 100) => ({ ownerId: ada.id, contentType: 'image/png', width, height: 50, alt });
    const eventId = randomUUID();
    expect((await mediaUpdated(m, 2, state('second'), eventId)).body).toEqual({ outcome: 'applied' });
    // The same event again (at least once): a duplicate, nothing applied twice.
    expect((await mediaUpdated(m, 2, state('second'), eventId)).body).toEqual({ outcome: 'duplicate' });
    // An older event arriving late: accepted, changes nothing.
    expect((await mediaUpdated(m, 1, state('first', 1))).body).toEqual({ outcome: 'applied' });
    expect((await getPost(bob, post.id)).media[0]).toEqual({
      id: m,
      url: `/api/v1/media/${m}/content`,
      contentType: 'image/png',
      width: 100,
      height: 50,
      alt: 'second',
    });
    await mediaUpdated(m, 3, state('third'));
    expect((await getPost(bob, post.id)).media[0].alt).toBe('third');
    // A second post attaching it later does not roll the event's state back to media's answer.
    await createPost(ada, { text: 'again', mediaIds: [m] });
    expect((await getPost(bob, post.id)).media[0].alt).toBe('third');

    expect((await mediaDeleted(m, ada.id, 4)).body).toEqual({ outcome: 'applied' });
    const after = await getPost(bob, post.id);
    expect(after.media.map((x: { id: string }) => x.id)).toEqual([keep]);
    expect(after.mediaIds).toEqual([keep]);
    // A late media.updated cannot bring a deleted object back.
    await mediaUpdated(m, 5, state('zombie'));
    expect((await getPost(bob, post.id)).media.map((x: { id: string }) => x.id)).toEqual([keep]);
    const rows = await world.posts.service.db.query<{ n: string }>('SELECT count(*) AS n FROM media_objects WHERE id = $1', [m]);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('a post attached concurrently with media.deleted (its row and id missed by the event) still hides the deleted media', async () => {
    const m = world.media.add(ada.id, 'uploaded', { alt: 'raced' });
    const keep = world.media.add(ada.id);
    const post = await createPost(ada, { text: 'raced with a deletion', mediaIds: [keep, m] });
    // The state such a race leaves: the tombstone, but the read-model row and the post's id survived.
    await world.posts.service.db.execute('INSERT INTO deleted_media (id) VALUES ($1)', [m]);
    const shown = await getPost(bob, post.id);
    expect(shown.mediaIds).toEqual([keep]);
    expect(shown.media.map((x: { id: string }) => x.id)).toEqual([keep]);
  });

  it('a media.updated with a malformed payload is refused (400) and changes nothing', async () => {
    const m = world.media.add(ada.id);
    const post = await createPost(ada, { text: 'malformed event', mediaIds: [m] });
    const before = (await getPost(bob, post.id)).media;
    const res = await mediaUpdated(m, 9, { ownerId: 'not-a-uuid', contentType: '', width: -1 });
    expect(res.status).toBe(400);
    expect((await getPost(bob, post.id)).media).toEqual(before);
  });
});
