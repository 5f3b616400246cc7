import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../mesh/src/db/database.js';
import { sessionApi } from '../helpers/session-api.js';
import { startStack, type Session, type Stack } from '../helpers/stack.js';
import { within } from '../helpers/within.js';
import { personWithProfile } from './person-with-profile.js';
import { makeAdmin } from '../security/lib.js';

/**
 * Blocks and mutes across real processes (issue 14): users publishes relationship.updated, posts
 * and notifications keep their read models of it, and act on them (403 on a blocked user's like or
 * comment, their earlier likes and comments removed, muted authors out of the feed, no notification
 * from a muted actor and earlier ones hidden). Also reports resolved by removing the content: users
 * publishes content.removed, posts deletes it.
 */
let stack: Stack;
let posts: Database;
let notifications: Database;

beforeAll(async () => {
  stack = await startStack();
  posts = createDatabase({ url: stack.databases.posts!, poolMax: 1 });
  notifications = createDatabase({ url: stack.databases.notifications!, poolMax: 1 });
}, 120_000);
afterAll(async () => {
  await posts?.close();
  await notifications?.close();
  await stack?.stop();
});

const api = sessionApi(() => stack.url);

const person = personWithProfile(() => stack.url);

/** Waits until `service`'s read model holds this state of the pair. */
const seen = (db: Database, owner: Session, other: Session, blocked: boolean, muted: boolean) =>
  within(
    5_000,
    async () =>
      (
        await db.query('SELECT 1 FROM relationships WHERE owner_id = $1 AND other_id = $2 AND blocked = $3 AND muted = $4', [
          owner.id,
          other.id,
          blocked,
          muted,
        ])
      ).length === 1,
    `relationship ${owner.username} → ${other.username} blocked=${blocked} muted=${muted}`,
  );

describe('relationship.updated', () => {
  it("a blocked user's like and comment on the blocker's post are 403 problems; unblocking lets them through", async () => {
    const [author, blocked, bystander] = await Promise.all([person('author'), person('blocked'), person('bystander')]);
    const post = await api('/api/v1/posts', author, { text: 'mine' });
    expect(post.status).toBe(201);
    expect((await api(`/api/v1/users/${blocked.id}/block`, author, undefined, 'PUT')).status).toBe(200);
    await seen(posts, author, blocked, true, false);
    for (const [path, body] of [
      [`/api/v1/posts/${post.body.id}/like`, undefined],
      [`/api/v1/posts/${post.body.id}/comments`, { text: 'let me in' }],
    ] as const) {
      const refused = await api(path, blocked, body, 'POST');
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.detail).toMatch(/has blocked you/);
    }
    expect((await posts.query('SELECT like_count, comment_count FROM posts WHERE id = $1', [post.body.id]))[0]).toEqual({
      like_count: 0,
      comment_count: 0,
    });
    // Others are not affected, and the blocker's own block does not stop them liking the blocked user's posts.
    expect((await api(`/api/v1/posts/${post.body.id}/like`, bystander, undefined, 'POST')).status).toBe(200);
    expect((await api(`/api/v1/users/${blocked.id}/block`, author, undefined, 'DELETE')).status).toBe(200);
    await seen(posts, author, blocked, false, false);
    expect((await api(`/api/v1/posts/${post.body.id}/like`, blocked, undefined, 'POST')).status).toBe(200);
  });

  it("a muted author leaves the reader's feed while still followed; unmuting brings them back", async () => {
    const [reader, loud] = await Promise.all([person('reader'), person('loud')]);
    expect((await api(`/api/v1/users/${loud.id}/follow`, reader, undefined, 'POST')).status).toBe(200);
    const post = await api('/api/v1/posts', loud, { text: 'hear me' });
    const feedIds = async () => (await api('/api/v1/feed', reader)).body.items.map((p: { id: string }) => p.id);
    expect(await feedIds()).toContain(post.body.id);
    expect((await api(`/api/v1/users/${loud.id}/mute`, reader, undefined, 'PUT')).body).toMatchObject({ muting: true, following: true });
    await seen(posts, reader, loud, false, true);
    expect(await feedIds()).not.toContain(post.body.id);
    expect((await api(`/api/v1/users/${loud.id}/mute`, reader, undefined, 'DELETE')).status).toBe(200);
    await seen(posts, reader, loud, false, false);
    expect(await feedIds()).toContain(post.body.id);
  });

  it('notifications records nothing from an actor the recipient mutes, and still does from others', async () => {
    const [author, muted, fan] = await Promise.all([person('nauthor'), person('nmuted'), person('nfan')]);
    const post = await api('/api/v1/posts', author, { text: 'notify selectively' });
    expect((await api(`/api/v1/users/${muted.id}/mute`, author, undefined, 'PUT')).status).toBe(200);
    await seen(notifications, author, muted, false, true);
    expect((await api(`/api/v1/posts/${post.body.id}/like`, muted, undefined, 'POST')).status).toBe(200);
    expect((await api(`/api/v1/posts/${post.body.id}/like`, fan, undefined, 'POST')).status).toBe(200);
    // Both likes applied at notifications (its inbox holds them), then only the fan is an actor.
    await within(
      10_000,
      async () =>
        (await notifications.query("SELECT 1 FROM events_inbox WHERE type = 'post.liked' AND aggregate_id = $1", [post.body.id])).length === 2,
      'both post.liked events applied at notifications',
    );
    const actors = await notifications.query<{ actor_id: string }>(
      'SELECT a.actor_id FROM notification_actors a JOIN notifications n ON n.id = a.notification_id WHERE n.recipient_id = $1',
      [author.id],
    );
    expect(actors.map((a) => a.actor_id)).toEqual([fan.id]);
  });

  it("a block removes the blocked user's earlier likes and comments on the blocker's posts and hides their notifications", async () => {
    const [author, blocked, fan] = await Promise.all([person('bauthor'), person('bblocked'), person('bfan')]);
    const post = await api('/api/v1/posts', author, { text: 'before the block' });
    expect(post.status).toBe(201);
    const id = post.body.id as string;
    for (const who of [blocked, fan]) {
      expect((await api(`/api/v1/posts/${id}/like`, who, undefined, 'POST')).status).toBe(200);
      expect((await api(`/api/v1/posts/${id}/comments`, who, { text: `from ${who.username}` })).status).toBe(201);
    }
    type Entry = { kind: string; actorCount: number; actors: { id: string }[] };
    const list = async () => (await api('/api/v1/notifications?limit=50', author)).body.items as Entry[];
    // Sorted by kind: the list is newest first, and which group an event reached last is not fixed.
    const counts = async () => (await list()).map((n) => `${n.kind}:${n.actorCount}`).sort();
    // One like group and one comment group, two actors each.
    await within(10_000, async () => (await counts()).join() === 'comment:2,like:2', 'both groups recorded');

    expect((await api(`/api/v1/users/${blocked.id}/block`, author, undefined, 'PUT')).status).toBe(200);
    await within(
      5_000,
      async () => {
        const p = (await api(`/api/v1/posts/${id}`, author)).body;
        return p.likeCount === 1 && p.commentCount === 1;
      },
      "the blocked user's like and comment removed, counts exact",
    );
    const comments = (await api(`/api/v1/posts/${id}/comments`, author)).body.items.map((c: { authorId: string }) => c.authorId);
    expect(comments).toEqual([fan.id]);
    await seen(notifications, author, blocked, true, false);
    // Recorded before the block, hidden after it: the groups show the fan alone.
    const shown = await list();
    expect(shown.map((n) => [n.kind, n.actorCount, n.actors.map((a) => a.id)]).sort()).toEqual([
      ['comment', 1, [fan.id]],
      ['like', 1, [fan.id]],
    ]);
  });
});

describe('content.removed', () => {
  it("a report resolved with remove_content removes the comment at posts, with posts' audit event", async () => {
    const [author, reporter] = await Promise.all([person('rauthor'), person('rreporter')]);
    const admin = await makeAdmin(stack, await person('radmin'));
    const post = await api('/api/v1/posts', author, { text: 'reported thread' });
    const comment = await api(`/api/v1/posts/${post.body.id}/comments`, author, { text: 'reported comment' });
    expect(comment.status).toBe(201);
    const report = await api('/api/v1/reports', reporter, { targetKind: 'comment', targetId: comment.body.id, reason: 'harassment' });
    expect(report.status).toBe(201);
    const queue = await api('/api/v1/admin/reports?limit=100', admin);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(report.body.id);

    const resolved = await api(`/api/v1/admin/reports/${report.body.id}/resolve`, admin, { action: 'remove_content' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('content_removed');
    await within(5_000, async () => (await api(`/api/v1/posts/${post.body.id}`, author)).body.commentCount === 0, 'the comment removed at posts');
    expect((await api(`/api/v1/posts/${post.body.id}/comments`, author)).body.items).toEqual([]);
    const audit = await posts.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_events WHERE details->>'reportId' = $1`,
      [report.body.id],
    );
    expect(audit).toEqual([{ action: 'comment_removed', actor_id: admin.id }]);
  });
});
