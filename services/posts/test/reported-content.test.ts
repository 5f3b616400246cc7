import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalAssertion } from '@agora/mesh';
import { call, deliver, startPosts, startTestIssuer, TEST_MESH_KEY, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/**
 * posts' side of users' report queue: the internal lookup of a reported post or comment (callers:
 * users only) and the `content.removed` event an admin's `remove_content` resolution publishes.
 */
let posts: RunningPosts;
let issuer: TestIssuer;
let author: TestUser;
let other: TestUser;
const adminId = randomUUID();

beforeAll(async () => {
  issuer = await startTestIssuer();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl });
  author = await issuer.user('author');
  other = await issuer.user('other');
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
});

const api = (p: string) => `${posts.base}${p}`;
const lookup = (kind: string, id: string, as = 'users') =>
  call(api(`/internal/v1/posts/content/${kind}/${id}`), { headers: { 'x-agora-workload': signLocalAssertion(as, TEST_MESH_KEY) } });
const removed = (kind: 'post' | 'comment', id: string, reportId = randomUUID(), eventId = randomUUID()) =>
  deliver(posts, {
    id: eventId,
    type: 'content.removed',
    producer: 'users',
    aggregateId: id,
    sequence: 1,
    payload: { kind, actorId: adminId, reportId },
  });

async function postWithComment() {
  const post = await call(api('/api/v1/posts'), { method: 'POST', headers: author.auth, body: { text: 'reported' } });
  expect(post.status).toBe(201);
  const comment = await call(api(`/api/v1/posts/${post.body.id}/comments`), { method: 'POST', headers: other.auth, body: { text: 'rude' } });
  expect(comment.status).toBe(201);
  expect((await call(api(`/api/v1/posts/${post.body.id}/like`), { method: 'POST', headers: other.auth })).status).toBe(200);
  return { postId: post.body.id as string, commentId: comment.body.id as string };
}

const auditOf = (column: 'postId' | 'commentId', id: string) =>
  posts.service.db.query(
    `SELECT action, actor_id AS "actorId", target_id AS "targetId", details FROM audit_events WHERE details->>'${column}' = $1`,
    [id],
  );

describe('GET /internal/v1/posts/content/{kind}/{id}', () => {
  it('answers the post or comment with its author; 404 for an unknown one, 400 for a bad kind or id', async () => {
    const { postId, commentId } = await postWithComment();
    expect((await lookup('post', postId)).body).toEqual({ kind: 'post', id: postId, authorId: author.id, postId });
    expect((await lookup('comment', commentId)).body).toEqual({ kind: 'comment', id: commentId, authorId: other.id, postId });
    // A comment id is not a post id and the other way round.
    expect((await lookup('post', commentId)).status).toBe(404);
    expect((await lookup('comment', postId)).status).toBe(404);
    const unknown = await lookup('post', randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await lookup('user', postId)).status).toBe(400);
    expect((await lookup('post', 'not-a-uuid')).status).toBe(400);
  });

  it('admits users only: 401 without a workload identity, 403 for another workload', async () => {
    const { postId } = await postWithComment();
    expect((await call(api(`/internal/v1/posts/content/post/${postId}`))).status).toBe(401);
    expect((await lookup('post', postId, 'media')).status).toBe(403);
    expect((await call(api(`/internal/v1/posts/content/post/${postId}`), { headers: author.auth })).status).toBe(401);
  });
});

describe('content.removed', () => {
  it('removes a comment once, lowers the count by exactly one, and audits it with the report', async () => {
    const { postId, commentId } = await postWithComment();
    const reportId = randomUUID();
    const eventId = randomUUID();
    expect((await removed('comment', commentId, reportId, eventId)).status).toBe(200);
    // The same event again (a redelivery) and a second report's removal of the same comment change nothing.
    expect((await removed('comment', commentId, reportId, eventId)).body).toEqual({ outcome: 'duplicate' });
    expect((await removed('comment', commentId)).status).toBe(200);
    const post = await call(api(`/api/v1/posts/${postId}`), { headers: author.auth });
    expect(post.body).toMatchObject({ commentCount: 0, likeCount: 1 });
    expect((await call(api(`/api/v1/posts/${postId}/comments`), { headers: author.auth })).body.items).toEqual([]);
    expect(await auditOf('commentId', commentId)).toEqual([
      { action: 'comment_removed', actorId: adminId, targetId: other.id, details: { postId, commentId, reportId } },
    ]);
  });

  it('removes a post with its likes and comments, audited; an unknown post changes nothing', async () => {
    const { postId } = await postWithComment();
    const reportId = randomUUID();
    expect((await removed('post', postId, reportId)).status).toBe(200);
    expect((await call(api(`/api/v1/posts/${postId}`), { headers: author.auth })).status).toBe(404);
    const left = await posts.service.db.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM likes WHERE post_id = $1) + (SELECT count(*) FROM comments WHERE post_id = $1) AS n',
      [postId],
    );
    expect(Number(left[0]!.n)).toBe(0);
    expect(await auditOf('postId', postId)).toEqual([
      { action: 'post_removed', actorId: adminId, targetId: author.id, details: { postId, reportId } },
    ]);

    const before = await posts.service.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    expect((await removed('post', randomUUID())).status).toBe(200);
    expect(await posts.service.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events')).toEqual(before);
  });

  it('refuses a malformed removal and one from a producer other than users (400: a dead letter, not a retry)', async () => {
    const { postId } = await postWithComment();
    // a kind posts does not remove, from users; a valid removal from a producer that may not send one
    for (const [producer, kind] of [
      ['users', 'user'],
      ['media', 'post'],
    ]) {
      const refused = await deliver(posts, {
        type: 'content.removed',
        producer,
        aggregateId: postId,
        sequence: 1,
        payload: { kind, actorId: adminId, reportId: randomUUID() },
      });
      expect(refused.status, `${producer} / ${kind}`).toBe(400);
    }
    expect((await call(api(`/api/v1/posts/${postId}`), { headers: author.auth })).status).toBe(200);
  });
});
