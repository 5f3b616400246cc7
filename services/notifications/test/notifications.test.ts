import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startNotifications, type RunningNotifications } from './harness.js';
import type { TestUser } from '../../../test/helpers/test-issuer.js';

let svc: RunningNotifications;
let ada: TestUser, bob: TestUser, cy: TestUser, dee: TestUser;

const list = (u: TestUser, query = '') => call(`${svc.base}/api/v1/notifications${query}`, { headers: u.auth });
const unread = async (u: TestUser) => (await call(`${svc.base}/api/v1/notifications/unread-count`, { headers: u.auth })).body.unread as number;
const like = (postId: string, authorId: string, likerId: string) => svc.deliver('post.liked', 'posts', postId, { authorId, likerId });
const profile = (u: TestUser, seq = 1, avatarMediaId: string | null = null) =>
  svc.deliver('profile.updated', 'users', u.id, { username: u.username, displayName: `${u.username} shown`, avatarMediaId }, seq);

beforeAll(async () => {
  svc = await startNotifications();
  [ada, bob, cy, dee] = await Promise.all(['ada', 'bob', 'cy', 'dee'].map((p) => svc.issuer.user(p)));
  for (const u of [ada, bob, cy, dee]) expect((await profile(u)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await svc?.stop();
});

describe('likes', () => {
  it('notify the author with the actor embedded, group per post while unread, and a read group is closed', async () => {
    const post = randomUUID();
    const avatar = randomUUID();
    expect((await profile(bob, 2, avatar)).status).toBe(200);
    expect((await like(post, ada.id, bob.id)).body).toEqual({ outcome: 'applied' });
    let page = (await list(ada)).body;
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      kind: 'like',
      postId: post,
      commentId: null,
      actorCount: 1,
      read: false,
      actor: { id: bob.id, username: bob.username, displayName: `${bob.username} shown`, avatarUrl: `/api/v1/media/${avatar}/content` },
    });
    expect(await unread(ada)).toBe(1);

    await like(post, ada.id, cy.id);
    await like(post, ada.id, bob.id); // liked, unliked, liked again: told once
    page = (await list(ada)).body;
    expect(page.items).toHaveLength(1);
    expect(page.items[0].actorCount).toBe(2);
    expect(page.items[0].actors.map((a: { id: string }) => a.id)).toEqual([cy.id, bob.id]);
    expect(page.items[0].actor.avatarUrl).toBeNull();
    expect(await unread(ada)).toBe(1);

    const read = await call(`${svc.base}/api/v1/notifications/${page.items[0].id}/read`, { method: 'POST', headers: ada.auth });
    expect(read.status).toBe(204);
    expect(await unread(ada)).toBe(0);
    await like(post, ada.id, dee.id);
    page = (await list(ada)).body;
    expect(page.items.map((n: { actor: { id: string }; read: boolean }) => [n.actor.id, n.read])).toEqual([
      [dee.id, false],
      [cy.id, true],
    ]);
    expect(await unread(ada)).toBe(1);
    expect((await call(`${svc.base}/api/v1/notifications/read-all`, { method: 'POST', headers: ada.auth })).status).toBe(204);
    expect(await unread(ada)).toBe(0);
  });

  it('of your own post notify nobody', async () => {
    const before = await svc.count('notifications');
    await like(randomUUID(), cy.id, cy.id);
    expect(await svc.count('notifications')).toBe(before);
  });
});

describe('follows, comments and mentions', () => {
  it('new followers group into one entry', async () => {
    const target = await svc.issuer.user('popular');
    await profile(target);
    await svc.deliver('user.followed', 'users', bob.id, { followeeId: target.id });
    await svc.deliver('user.followed', 'users', cy.id, { followeeId: target.id });
    const items = (await list(target)).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'follow', postId: null, actorCount: 2, actor: { id: cy.id } });
  });

  it('a comment tells the post author; @mentions tell the users they name (not the writer, not twice)', async () => {
    const author = await svc.issuer.user('author');
    const named = await svc.issuer.user('named');
    await Promise.all([profile(author), profile(named)]);
    const post = randomUUID();
    const comment = randomUUID();
    const text = `@${author.username} and @${named.username.toUpperCase()}, also @${bob.username} and @nobody_here, mail me@${dee.username}.dev`;
    const r = await svc.deliver('comment.created', 'posts', post, { authorId: author.id, commentId: comment, commenterId: bob.id, text });
    expect(r.status).toBe(200);
    expect((await list(author)).body.items.map((n: { kind: string }) => n.kind)).toEqual(['comment']);
    const mentions = (await list(named)).body.items;
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatchObject({ kind: 'mention', postId: post, commentId: comment, actor: { id: bob.id } });
    expect((await list(dee)).body.items.filter((n: { postId: string }) => n.postId === post)).toEqual([]);
    expect((await list(bob)).body.items.filter((n: { postId: string }) => n.postId === post)).toEqual([]);
    // The text is read for mentions, never stored.
    const stored = await svc.service.db.query<{ t: string }>(
      `SELECT string_agg(t::text, ' ') AS t FROM (SELECT row_to_json(n) AS t FROM notifications n UNION ALL SELECT row_to_json(a) FROM notified a) x`,
    );
    expect(stored[0]!.t).not.toContain('mail me');
  });

  it('a post mentioning someone tells them, each post apart', async () => {
    const fan = await svc.issuer.user('fan');
    await profile(fan);
    for (let i = 0; i < 2; i++) await svc.deliver('post.created', 'posts', randomUUID(), { authorId: cy.id, text: `hi @${fan.username}` });
    const items = (await list(fan)).body.items;
    expect(items.map((n: { kind: string; actor: { id: string } }) => [n.kind, n.actor.id])).toEqual([
      ['mention', cy.id],
      ['mention', cy.id],
    ]);
  });
});

describe('the list', () => {
  it('pages by keyset: every entry once, newest first, and refuses a forged cursor', async () => {
    const reader = await svc.issuer.user('reader');
    await profile(reader);
    for (let i = 0; i < 5; i++) await svc.deliver('post.created', 'posts', randomUUID(), { authorId: bob.id, text: `@${reader.username} #${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(reader, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((n: { id: string }) => n.id));
      cursor = r.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const all = (await list(reader)).body.items.map((n: { id: string }) => n.id);
    expect(seen).toEqual(all);
    const forged = await list(reader, '?cursor=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
  });

  it('is yours alone: no token 401, someone else’s entry 404 and unchanged, a malformed id 400', async () => {
    expect((await call(`${svc.base}/api/v1/notifications`)).status).toBe(401);
    const post = randomUUID();
    await like(post, dee.id, bob.id);
    const [mine] = (await list(dee)).body.items;
    const other = await call(`${svc.base}/api/v1/notifications/${mine.id}/read`, { method: 'POST', headers: cy.auth });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect((await list(dee)).body.items[0].read).toBe(false);
    expect((await call(`${svc.base}/api/v1/notifications/not-a-uuid/read`, { method: 'POST', headers: dee.auth })).status).toBe(400);
    expect((await list(dee, '?limit=0')).status).toBe(400);
  });
});

describe('events', () => {
  it('a malformed payload or the wrong producer is a 400 (dead-lettered, not retried) and changes nothing', async () => {
    const before = await svc.count('notifications');
    expect((await svc.deliver('post.liked', 'posts', randomUUID(), { authorId: 'x', likerId: bob.id })).status).toBe(400);
    expect((await svc.deliver('post.liked', 'users', randomUUID(), { authorId: ada.id, likerId: bob.id })).status).toBe(400);
    expect((await svc.deliver('media.deleted', 'posts', randomUUID(), { ownerId: ada.id })).status).toBe(400); // not one notifications takes
    expect((await svc.deliver('media.deleted', 'media', randomUUID(), { ownerId: ada.id })).status).toBe(403); // media never sends here
    expect(await svc.count('notifications')).toBe(before);
  });

  it('account.deleted erases the user: their notifications, their place in groups, their actor row, for good', async () => {
    const gone = await svc.issuer.user('gone');
    const host = await svc.issuer.user('host');
    await Promise.all([profile(gone), profile(host)]);
    const shared = randomUUID();
    const solo = randomUUID();
    await like(shared, host.id, gone.id);
    await like(shared, host.id, cy.id);
    await like(solo, host.id, gone.id);
    await like(randomUUID(), gone.id, cy.id);
    await svc.deliver('account.deleted', 'auth', gone.id, { status: 'deleted' });

    const items = (await list(host)).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ postId: shared, actorCount: 1, actor: { id: cy.id } });
    expect(await svc.count('notifications WHERE recipient_id = $1', [gone.id])).toBe(0);
    expect(await svc.count('notification_actors WHERE actor_id = $1', [gone.id])).toBe(0);
    expect(await svc.count('actors WHERE id = $1', [gone.id])).toBe(0);
    // Late events change nothing: no actor row comes back, no new notification from or to them.
    await profile(gone, 5);
    await like(randomUUID(), host.id, gone.id);
    await like(randomUUID(), gone.id, cy.id);
    expect(await svc.count('actors WHERE id = $1', [gone.id])).toBe(0);
    expect((await list(host)).body.items).toHaveLength(1);
    expect(await svc.count('notifications WHERE recipient_id = $1', [gone.id])).toBe(0);
  });
});
