import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../mesh/src/db/database.js';
import { sessionApi } from '../helpers/session-api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { within } from '../helpers/within.js';
import { personWithProfile } from './person-with-profile.js';
import { makeAdmin } from '../security/lib.js';
import { openStream } from '../../services/notifications/test/harness.js';

/**
 * Notifications that point at removed content, across real processes through the local ingress:
 * posts publishes post.unliked, comment.deleted and post.deleted on the transaction of every
 * deletion (the author's, the post author's, an admin's, a report's remove_content, a block's
 * cleanup) and notifications takes back what pointed at it (services/notifications/src/domain/removals.ts).
 */
let stack: Stack;
let notifications: Database;

beforeAll(async () => {
  stack = await startStack();
  notifications = createDatabase({ url: stack.databases.notifications!, poolMax: 1 });
}, 120_000);
afterAll(async () => {
  await notifications?.close();
  await stack?.stop();
});

const api = sessionApi(() => stack.url);

const person = personWithProfile(() => stack.url);

/** The rows notifications holds about a post, whoever they are for (hidden ones included). */
const rowsAbout = async (postId: string) =>
  Number((await notifications.query<{ n: string }>('SELECT count(*) AS n FROM notifications WHERE post_id = $1', [postId]))[0]!.n);
const applied = (type: string, aggregateId: string, n = 1) =>
  within(
    5_000,
    async () => (await notifications.query('SELECT 1 FROM events_inbox WHERE type = $1 AND aggregate_id = $2', [type, aggregateId])).length >= n,
    `${n} × ${type} applied at notifications`,
  );

describe('removed content through the ingress', () => {
  it('an unlike shrinks the group and the author deleting the post removes it: the open stream hears both', async () => {
    const [author, fan, other] = await Promise.all([person('author'), person('fan'), person('other')]);
    const post = await api('/api/v1/posts', author, { text: 'soon gone' });
    expect(post.status).toBe(201);
    for (const liker of [fan, other]) expect((await api(`/api/v1/posts/${post.body.id}/like`, liker, undefined, 'POST')).status).toBeLessThan(300);
    await applied('post.liked', post.body.id, 2);

    const stream = await openStream(`${stack.url}/api/v1/notifications/stream`, author.headers);
    try {
      const ready = await stream.next('ready', 5_000);
      expect(ready.data.unread).toBe(1);
      expect((await api(`/api/v1/posts/${post.body.id}/like`, other, undefined, 'DELETE')).status).toBe(200);
      const update = await stream.next('update', 3_000);
      expect(update.data.notification).toMatchObject({ kind: 'like', actorCount: 1, actor: { id: fan.id } });
      expect(update.data.unread).toBe(1);

      expect((await api(`/api/v1/posts/${post.body.id}`, author, undefined, 'DELETE')).status).toBe(204);
      const removed = await stream.next('remove', 3_000);
      expect(removed.data).toEqual({ id: update.data.notification.id, unread: 0 });
    } finally {
      stream.close();
    }
    expect((await api('/api/v1/notifications', author)).body.items).toEqual([]);
    expect((await api('/api/v1/notifications/unread-count', author)).body).toEqual({ unread: 0 });
  });

  it("a comment deleted by the post's author takes its notification and its mention with it", async () => {
    const [author, commenter, named] = await Promise.all([person('cauthor'), person('commenter'), person('named')]);
    await within(5_000, async () => (await notifications.query('SELECT 1 FROM actors WHERE id = $1', [named.id])).length === 1, 'named known');
    const post = await api('/api/v1/posts', author, { text: 'a thread' });
    const comment = await api(`/api/v1/posts/${post.body.id}/comments`, commenter, { text: `look @${named.username}` });
    expect(comment.status).toBe(201);
    await within(5_000, async () => (await rowsAbout(post.body.id)) === 2, 'comment and mention recorded');

    expect((await api(`/api/v1/posts/${post.body.id}/comments/${comment.body.id}`, author, undefined, 'DELETE')).status).toBe(204);
    await within(5_000, async () => (await rowsAbout(post.body.id)) === 0, 'both notifications removed');
    expect((await api('/api/v1/notifications', named)).body.items).toEqual([]);
  });

  it("an admin's removal and a report resolved with remove_content remove the post's notifications", async () => {
    const [author, fan, reporter] = await Promise.all([person('mauthor'), person('mfan'), person('reporter')]);
    const admin = await makeAdmin(stack, await person('madmin'));
    const moderated = await api('/api/v1/posts', author, { text: 'moderated' });
    const reported = await api('/api/v1/posts', author, { text: 'reported' });
    for (const p of [moderated, reported]) await api(`/api/v1/posts/${p.body.id}/like`, fan, undefined, 'POST');
    await within(5_000, async () => (await rowsAbout(moderated.body.id)) + (await rowsAbout(reported.body.id)) === 2, 'two likes recorded');

    expect((await api(`/api/v1/posts/moderation/${moderated.body.id}`, admin, undefined, 'DELETE')).status).toBe(204);
    await within(5_000, async () => (await rowsAbout(moderated.body.id)) === 0, "the admin's removal reached notifications");

    const report = await api('/api/v1/reports', reporter, { targetKind: 'post', targetId: reported.body.id, reason: 'spam' });
    expect(report.status).toBe(201);
    expect((await api(`/api/v1/admin/reports/${report.body.id}/resolve`, admin, { action: 'remove_content' })).status).toBe(200);
    // users → content.removed → posts deletes it → post.deleted → notifications.
    await within(5_000, async () => (await rowsAbout(reported.body.id)) === 0, 'the report’s removal reached notifications');
    expect((await api('/api/v1/notifications/unread-count', author)).body).toEqual({ unread: 0 });
  });

  it("a block's cleanup removes the blocked user's like and comment notifications, so unblocking shows nothing stale", async () => {
    const [author, pest] = await Promise.all([person('bauthor'), person('pest')]);
    const post = await api('/api/v1/posts', author, { text: 'mine' });
    await api(`/api/v1/posts/${post.body.id}/like`, pest, undefined, 'POST');
    await api(`/api/v1/posts/${post.body.id}/comments`, pest, { text: 'meh' });
    await within(5_000, async () => (await rowsAbout(post.body.id)) === 2, 'like and comment recorded');

    expect((await api(`/api/v1/users/${pest.id}/block`, author, undefined, 'PUT')).status).toBe(200);
    await within(5_000, async () => (await rowsAbout(post.body.id)) === 0, 'the cleanup reached notifications');
    expect((await api(`/api/v1/users/${pest.id}/block`, author, undefined, 'DELETE')).status).toBeLessThan(300);
    await within(
      5_000,
      async () => (await notifications.query('SELECT 1 FROM relationships WHERE other_id = $1 AND NOT blocked', [pest.id])).length === 1,
      'the unblock applied at notifications',
    );
    expect((await api('/api/v1/notifications', author)).body.items).toEqual([]);
  });
});
