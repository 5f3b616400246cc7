import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/** Admin moderation (any post or comment) and the business counters posts exports. */
let posts: RunningPosts;
let issuer: TestIssuer;
let author: TestUser;
let other: TestUser;
let admin: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl });
  author = await issuer.user('author');
  other = await issuer.user('other');
  admin = await issuer.user('admin', ['user', 'admin']);
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
});

async function call(method: string, path: string, who?: TestUser, body?: unknown) {
  const res = await fetch(`${posts.base}${path}`, {
    method,
    headers: { ...(who?.auth ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function postWithComment() {
  const post = await call('POST', '/api/v1/posts', author, { text: 'moderate me' });
  expect(post.status).toBe(201);
  const comment = await call('POST', `/api/v1/posts/${post.body.id}/comments`, other, { text: 'a comment' });
  expect(comment.status).toBe(201);
  return { postId: post.body.id as string, commentId: comment.body.id as string };
}

describe('moderation', () => {
  it("only admins may remove someone else's comment or post; others get 401/403 and nothing changes", async () => {
    const { postId, commentId } = await postWithComment();
    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}/comments/${commentId}`)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}/comments/${commentId}`, author)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}`, other)).status).toBe(403);
    expect((await call('GET', `/api/v1/posts/${postId}`, author)).body.commentCount).toBe(1);

    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}/comments/${commentId}`, admin)).status).toBe(204);
    expect((await call('GET', `/api/v1/posts/${postId}`, author)).body.commentCount).toBe(0);
    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}/comments/${commentId}`, admin)).status).toBe(404);

    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}`, admin)).status).toBe(204);
    expect((await call('GET', `/api/v1/posts/${postId}`, author)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/posts/moderation/${postId}`, admin)).status).toBe(404);
    expect((await call('DELETE', '/api/v1/posts/moderation/not-a-uuid', admin)).status).toBe(400);
    // Each removal (and nothing refused or not found) is one audit event: who, whose, which.
    const audit = await posts.service.db.query(
      'SELECT action, outcome, actor_id AS "actorId", target_id AS "targetId", details FROM audit_events WHERE details->>\'postId\' = $1 ORDER BY occurred_at',
      [postId],
    );
    expect(audit).toEqual([
      { action: 'comment_removed', outcome: 'success', actorId: admin.id, targetId: other.id, details: { postId, commentId } },
      { action: 'post_removed', outcome: 'success', actorId: admin.id, targetId: author.id, details: { postId } },
    ]);
  });

  it('counts posts, likes (not repeated ones) and comments in /metrics', async () => {
    const value = async (name: string) => {
      const text = await (await fetch(`${posts.base}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
      return Number(line?.split(' ').pop() ?? NaN);
    };
    const before = {
      posts: await value('agora_posts_created_total'),
      likes: await value('agora_likes_total'),
      comments: await value('agora_comments_total'),
    };
    const { postId } = await postWithComment();
    await call('POST', `/api/v1/posts/${postId}/like`, other);
    await call('POST', `/api/v1/posts/${postId}/like`, other); // idempotent: not a second like
    expect(await value('agora_posts_created_total')).toBe(before.posts + 1);
    expect(await value('agora_comments_total')).toBe(before.comments + 1);
    expect(await value('agora_likes_total')).toBe(before.likes + 1);
  });
});
