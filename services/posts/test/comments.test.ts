import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/**
 * Comment edits (the comment's author only) and removals (the comment's author or the post's
 * author), with the post's comment_count exact under concurrent removals.
 */
let issuer: TestIssuer;
let posts: RunningPosts;
let owner: TestUser, commenter: TestUser, other: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl });
  [owner, commenter, other] = await Promise.all([issuer.user('owner'), issuer.user('commenter'), issuer.user('other')]);
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
});

const url = (path: string) => `${posts.base}/api/v1${path}`;
const newPost = async () => (await call(url('/posts'), { method: 'POST', headers: owner.auth, body: { text: 'thread' } })).body as { id: string };
const comment = async (postId: string, who = commenter, text = 'first!') => {
  const res = await call(url(`/posts/${postId}/comments`), { method: 'POST', headers: who.auth, body: { text } });
  expect(res.status).toBe(201);
  return res.body as { id: string; editedAt: string | null };
};
const edit = (postId: string, commentId: string, who: TestUser, body: unknown) =>
  call(url(`/posts/${postId}/comments/${commentId}`), { method: 'PATCH', headers: who.auth, body });
const remove = (postId: string, commentId: string, who: TestUser) =>
  call(url(`/posts/${postId}/comments/${commentId}`), { method: 'DELETE', headers: who.auth });
const counts = async (postId: string) => {
  const [row] = await posts.service.db.query<{ stored: number; rows: string }>(
    'SELECT comment_count AS stored, (SELECT count(*) FROM comments WHERE post_id = $1) AS rows FROM posts WHERE id = $1',
    [postId],
  );
  return { stored: Number(row!.stored), rows: Number(row!.rows) };
};
const commentRow = async (id: string) =>
  (await posts.service.db.query<{ text: string; edited_at: Date | null }>('SELECT text, edited_at FROM comments WHERE id = $1', [id]))[0];

describe('PATCH /api/v1/posts/{id}/comments/{commentId}', () => {
  it('the comment’s author edits it: new text, editedAt set, shown in the list', async () => {
    const post = await newPost();
    const c = await comment(post.id);
    expect(c.editedAt).toBeNull();
    const res = await edit(post.id, c.id, commenter, { text: 'second thoughts' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, postId: post.id, authorId: commenter.id, text: 'second thoughts' });
    expect(Date.parse(res.body.editedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.createdAt));
    const listed = (await call(url(`/posts/${post.id}/comments`), { headers: other.auth })).body.items;
    expect(listed).toEqual([res.body]);
    expect(await counts(post.id)).toEqual({ stored: 1, rows: 1 });
  });

  it('refuses bad text with the same limits as a new comment (400 problem+json, nothing changed)', async () => {
    const post = await newPost();
    const c = await comment(post.id, commenter, 'original');
    for (const body of [{ text: '' }, { text: '   ' }, { text: 'x'.repeat(301) }, {}, { text: 42 }, { text: 'ok', extra: true }]) {
      const res = await edit(post.id, c.id, commenter, body);
      expect([JSON.stringify(body).slice(0, 40), res.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await edit(post.id, c.id, commenter, { text: 'x'.repeat(300) })).status).toBe(200);
    expect((await commentRow(c.id))!.text).toBe('x'.repeat(300));
  });

  it('anyone else — another user, the post’s author — gets 403; unknown or mismatched ids 404; nothing changes', async () => {
    const post = await newPost();
    const elsewhere = await newPost();
    const c = await comment(post.id, commenter, 'mine');
    for (const who of [other, owner]) {
      const res = await edit(post.id, c.id, who, { text: 'hijacked' });
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('https://agora.dev/problems/forbidden');
    }
    expect((await edit(post.id, randomUUID(), commenter, { text: 'x' })).status).toBe(404);
    expect((await edit(elsewhere.id, c.id, commenter, { text: 'x' })).status).toBe(404);
    expect((await edit(randomUUID(), c.id, commenter, { text: 'x' })).status).toBe(404);
    expect(await commentRow(c.id)).toEqual({ text: 'mine', edited_at: null });
  });
});

describe('DELETE /api/v1/posts/{id}/comments/{commentId}', () => {
  it('the post’s author removes someone else’s comment on their post; the count follows', async () => {
    const post = await newPost();
    const c1 = await comment(post.id);
    await comment(post.id, other, 'stays');
    expect(await counts(post.id)).toEqual({ stored: 2, rows: 2 });
    expect((await remove(post.id, c1.id, owner)).status).toBe(204);
    expect(await commentRow(c1.id)).toBeUndefined();
    expect(await counts(post.id)).toEqual({ stored: 1, rows: 1 });
    expect((await call(url(`/posts/${post.id}`), { headers: other.auth })).body.commentCount).toBe(1);
  });

  it('a user who wrote neither the comment nor the post gets 403 and nothing changes', async () => {
    const post = await newPost();
    const c = await comment(post.id);
    const res = await remove(post.id, c.id, other);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await commentRow(c.id))!.text).toBe('first!');
    expect(await counts(post.id)).toEqual({ stored: 1, rows: 1 });
  });

  it('the post’s author cannot remove a comment through one of their other posts (404)', async () => {
    const post = await newPost();
    const mine = await newPost();
    const c = await comment(post.id);
    expect((await remove(mine.id, c.id, owner)).status).toBe(404);
    expect(await counts(post.id)).toEqual({ stored: 1, rows: 1 });
  });

  it('the comment’s author and the post’s author removing the same comments at once: each counted once', async () => {
    const post = await newPost();
    const cs = [];
    for (let i = 0; i < 8; i += 1) cs.push(await comment(post.id, commenter, `c${i}`));
    await comment(post.id, other, 'survivor');
    const answers = await Promise.all(
      cs.flatMap((c) => [remove(post.id, c.id, commenter), remove(post.id, c.id, owner), remove(post.id, c.id, commenter)]),
    );
    // Each comment is removed by exactly one request; the others find it gone (404) or lost the race after the check (204, nothing removed).
    expect(answers.every((a) => a.status === 204 || a.status === 404)).toBe(true);
    expect(await counts(post.id)).toEqual({ stored: 1, rows: 1 });
  });
});
