import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPosts, type RunningPosts } from '../../posts/test/harness.js';
import { call, startTestIssuer, startUsers, TEST_MESH_KEY, type RunningUsers, type TestIssuer, type TestUser } from './harness.js';

/**
 * Reports and the admin queue, with a real posts service (it confirms a reported post or comment
 * exists, and removes it when an admin resolves with remove_content, through users' outbox). auth
 * is not running here: a suspension answers 503, see admin.test.ts.
 */
let issuer: TestIssuer;
let posts: RunningPosts;
let users: RunningUsers;
let admin: TestUser;
const report = (u: TestUser, body: unknown) => call(`${users.base}/api/v1/reports`, { method: 'POST', headers: u.auth, body });
const queue = (u: TestUser, q = '') => call(`${users.base}/api/v1/admin/reports${q}`, { headers: u.auth });
const resolve = (u: TestUser, id: string, action: string) =>
  call(`${users.base}/api/v1/admin/reports/${id}/resolve`, { method: 'POST', headers: u.auth, body: { action } });

async function newUser(roles?: string[]): Promise<TestUser> {
  const u = await issuer.user('r', roles);
  expect((await call(`${users.base}/api/v1/users/me`, { headers: u.auth })).status).toBe(200);
  return u;
}

/** A real post by `author` at posts, and a comment on it by the same author. */
async function content(author: TestUser): Promise<{ post: string; comment: string }> {
  const post = await call(`${posts.base}/api/v1/posts`, { method: 'POST', headers: author.auth, body: { text: 'reportable' } });
  expect(post.status).toBe(201);
  const comment = await call(`${posts.base}/api/v1/posts/${post.body.id}/comments`, { method: 'POST', headers: author.auth, body: { text: 'also' } });
  expect(comment.status).toBe(201);
  return { post: post.body.id, comment: comment.body.id };
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  // posts admits users' mesh identity (same local key); users delivers content.removed to it.
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl, MESH_LOCAL_KEY: TEST_MESH_KEY, WORKER_ENABLED: 'false' });
  users = await startUsers({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_POSTS: posts.base, WORKER_ENABLED: 'true' });
  admin = await newUser(['user', 'admin']);
});
afterAll(async () => {
  await users?.stop();
  await posts?.stop();
  await issuer?.stop();
});

describe('POST /api/v1/reports', () => {
  it('stores a report of a post, comment or user; one open report per reporter and target', async () => {
    const [reporter, target] = [await newUser(), await newUser()];
    const { post, comment } = await content(target);
    const res = await report(reporter, { targetKind: 'post', targetId: post, reason: 'spam', note: 'buy now' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reporterId: reporter.id,
      targetKind: 'post',
      targetId: post,
      reason: 'spam',
      note: 'buy now',
      status: 'open',
      resolvedBy: null,
    });
    const again = await report(reporter, { targetKind: 'post', targetId: post, reason: 'hate' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect((await report(reporter, { targetKind: 'user', targetId: target.id, reason: 'harassment' })).status).toBe(201);
    expect((await report(reporter, { targetKind: 'comment', targetId: comment, reason: 'other' })).status).toBe(201);
    expect(await users.count('reports WHERE reporter_id = $1', [reporter.id])).toBe(3);
  });

  it('refuses yourself, unknown users, posts and comments, bad kinds, reasons, ids and long notes; stores nothing', async () => {
    const reporter = await newUser();
    const { post, comment } = await content(await newUser());
    const bad: [unknown, number][] = [
      [{ targetKind: 'user', targetId: reporter.id, reason: 'spam' }, 400],
      [{ targetKind: 'user', targetId: randomUUID(), reason: 'spam' }, 404],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'spam' }, 404],
      [{ targetKind: 'comment', targetId: randomUUID(), reason: 'spam' }, 404],
      // A comment's id is not a post's, nor the other way round.
      [{ targetKind: 'post', targetId: comment, reason: 'spam' }, 404],
      [{ targetKind: 'comment', targetId: post, reason: 'spam' }, 404],
      [{ targetKind: 'group', targetId: randomUUID(), reason: 'spam' }, 400],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'boring' }, 400],
      [{ targetKind: 'post', targetId: 'nope', reason: 'spam' }, 400],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'spam', note: 'x'.repeat(1001) }, 400],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'spam', extra: 1 }, 400],
    ];
    for (const [body, status] of bad) {
      const res = await report(reporter, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      (await call(`${users.base}/api/v1/reports`, { method: 'POST', body: { targetKind: 'post', targetId: randomUUID(), reason: 'spam' } })).status,
    ).toBe(401);
    expect(await users.count('reports WHERE reporter_id = $1', [reporter.id])).toBe(0);
  });
});

describe('the admin queue', () => {
  it('is admin-only, pages open reports oldest first, and drops resolved ones', async () => {
    const reporter = await newUser();
    expect((await queue(reporter)).status).toBe(403);
    const ids: string[] = [];
    const author = await newUser();
    for (let i = 0; i < 5; i += 1)
      ids.push((await report(reporter, { targetKind: 'post', targetId: (await content(author)).post, reason: 'spam' })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await queue(admin, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect((await resolve(admin, ids[0]!, 'dismiss')).status).toBe(200);
    const after = await queue(admin, '?limit=100');
    expect(after.body.items.map((r: { id: string }) => r.id)).not.toContain(ids[0]);
    expect((await queue(admin, '?cursor=bm9wZQ')).status).toBe(400);
  });

  it('dismiss resolves once with an audit event; suspend needs a user report and auth; nothing changes on refusal', async () => {
    const [reporter, target] = [await newUser(), await newUser()];
    const post = (await report(reporter, { targetKind: 'post', targetId: (await content(target)).post, reason: 'violence' })).body;
    expect((await resolve(reporter, post.id, 'dismiss')).status).toBe(403);
    const wrong = await resolve(admin, post.id, 'suspend');
    expect(wrong.status).toBe(400);
    const dismissed = await resolve(admin, post.id, 'dismiss');
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ id: post.id, status: 'dismissed', resolvedBy: admin.id, resolvedAt: expect.any(String) });
    expect((await resolve(admin, post.id, 'dismiss')).status).toBe(409);
    expect((await resolve(admin, randomUUID(), 'dismiss')).status).toBe(404);
    expect((await resolve(admin, post.id, 'ban')).status).toBe(400);
    const audit = await users.service.db.query(
      `SELECT action, actor_id AS "actorId", target_id AS "targetId", details FROM audit_events WHERE details->>'reportId' = $1`,
      [post.id],
    );
    expect(audit).toEqual([
      {
        action: 'report_resolved',
        actorId: admin.id,
        // Whom the report is about: the post's author, as posts answered when it was filed.
        targetId: target.id,
        details: { reportId: post.id, resolution: 'dismissed', targetKind: 'post', reportedId: post.targetId },
      },
    ]);

    // auth is down in this harness: the suspension is refused (503) and the report stays open.
    const user = (await report(reporter, { targetKind: 'user', targetId: target.id, reason: 'harassment' })).body;
    expect((await resolve(admin, user.id, 'suspend')).status).toBe(503);
    expect(await users.count('reports WHERE id = $1 AND resolved_at IS NULL', [user.id])).toBe(1);
    expect(await users.count('profiles WHERE id = $1 AND suspended_at IS NULL', [target.id])).toBe(1);
    expect(await users.count(`audit_events WHERE details->>'reportId' = $1`, [user.id])).toBe(0);
  });
});

describe('remove_content', () => {
  const comments = async (postId: string, who: TestUser) =>
    (await call(`${posts.base}/api/v1/posts/${postId}/comments`, { headers: who.auth })).body.items.map((c: { id: string }) => c.id);

  it('removes the reported comment or post at posts (content.removed), audited in users and in posts', async () => {
    const [reporter, author] = [await newUser(), await newUser()];
    const { post, comment } = await content(author);
    const onComment = (await report(reporter, { targetKind: 'comment', targetId: comment, reason: 'harassment' })).body;
    const onPost = (await report(reporter, { targetKind: 'post', targetId: post, reason: 'spam' })).body;

    const resolved = await resolve(admin, onComment.id, 'remove_content');
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: onComment.id, status: 'content_removed', resolvedBy: admin.id });
    // users' worker delivers the event as soon as the resolution commits.
    await expect.poll(() => comments(post, author), { timeout: 10_000, interval: 100 }).toEqual([]);
    expect((await call(`${posts.base}/api/v1/posts/${post}`, { headers: author.auth })).body.commentCount).toBe(0);

    expect((await resolve(admin, onPost.id, 'remove_content')).status).toBe(200);
    await expect.poll(async () => (await call(`${posts.base}/api/v1/posts/${post}`, { headers: author.auth })).status, { timeout: 10_000 }).toBe(404);

    const usersAudit = await users.service.db.query<{ targetId: string; details: Record<string, string> }>(
      `SELECT target_id AS "targetId", details FROM audit_events WHERE action = 'report_resolved' AND details->>'reportId' = ANY($1) ORDER BY occurred_at`,
      [[onComment.id, onPost.id]],
    );
    expect(usersAudit.map((a) => a.targetId)).toEqual([author.id, author.id]);
    expect(usersAudit.map((a) => a.details)).toEqual([
      { reportId: onComment.id, resolution: 'content_removed', targetKind: 'comment', reportedId: comment },
      { reportId: onPost.id, resolution: 'content_removed', targetKind: 'post', reportedId: post },
    ]);
    const postsAudit = await posts.service.db.query<{ action: string; actorId: string; targetId: string }>(
      `SELECT action, actor_id AS "actorId", target_id AS "targetId" FROM audit_events WHERE details->>'reportId' = ANY($1) ORDER BY occurred_at`,
      [[onComment.id, onPost.id]],
    );
    expect(postsAudit).toEqual([
      { action: 'comment_removed', actorId: admin.id, targetId: author.id },
      { action: 'post_removed', actorId: admin.id, targetId: author.id },
    ]);
  });

  it('is refused for a user report (400) and by a non-admin (403); nothing changes', async () => {
    const [reporter, target] = [await newUser(), await newUser()];
    const { post } = await content(target);
    const onUser = (await report(reporter, { targetKind: 'user', targetId: target.id, reason: 'spam' })).body;
    const onPost = (await report(reporter, { targetKind: 'post', targetId: post, reason: 'spam' })).body;
    const refused = await resolve(admin, onUser.id, 'remove_content');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await resolve(reporter, onPost.id, 'remove_content')).status).toBe(403);
    expect(await users.count('reports WHERE id = ANY($1) AND resolved_at IS NULL', [[onUser.id, onPost.id]])).toBe(2);
    expect(await users.count(`audit_events WHERE details->>'reportId' = ANY($1)`, [[onUser.id, onPost.id]])).toBe(0);
    expect((await call(`${posts.base}/api/v1/posts/${post}`, { headers: target.auth })).status).toBe(200);
  });
});

describe('reports while posts is unavailable', () => {
  it('a post or comment report answers 503 and stores nothing; a user report still works', async () => {
    const alone = await startUsers({ JWKS_URL: issuer.jwksUrl });
    try {
      const [reporter, target] = [await issuer.user('r'), await issuer.user('t')];
      for (const u of [reporter, target]) expect((await call(`${alone.base}/api/v1/users/me`, { headers: u.auth })).status).toBe(200);
      const res = await call(`${alone.base}/api/v1/reports`, {
        method: 'POST',
        headers: reporter.auth,
        body: { targetKind: 'post', targetId: randomUUID(), reason: 'spam' },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const user = await call(`${alone.base}/api/v1/reports`, {
        method: 'POST',
        headers: reporter.auth,
        body: { targetKind: 'user', targetId: target.id, reason: 'spam' },
      });
      expect(user.status).toBe(201);
      expect(await alone.count('reports WHERE reporter_id = $1', [reporter.id])).toBe(1);
    } finally {
      await alone.stop();
    }
  });
});
