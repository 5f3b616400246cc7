import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

let issuer: TestIssuer;
let posts: RunningPosts;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl });
  [alice, bob, carol] = await Promise.all([issuer.user('alice'), issuer.user('bob'), issuer.user('carol')]);
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
});

const url = (path: string) => `${posts.base}/api/v1${path}`;
const newPost = async (user: TestUser, text = 'a post') =>
  (await call(url('/posts'), { method: 'POST', headers: user.auth, body: { text } })).body as { id: string };
const like = (user: TestUser, id: string) => call(url(`/posts/${id}/like`), { method: 'POST', headers: user.auth });
const unlike = (user: TestUser, id: string) => call(url(`/posts/${id}/like`), { method: 'DELETE', headers: user.auth });
const get = (user: TestUser, id: string) => call(url(`/posts/${id}`), { headers: user.auth });
const likeRows = async (id: string) =>
  Number((await posts.service.db.query<{ n: string }>('SELECT count(*) AS n FROM likes WHERE post_id = $1', [id]))[0]!.n);

describe('likes', () => {
  it('like and unlike are idempotent; likeCount and likedByMe follow', async () => {
    const post = await newPost(alice);
    expect((await like(bob, post.id)).body).toEqual({ postId: post.id, likedByMe: true, likeCount: 1 });
    expect((await like(bob, post.id)).body).toEqual({ postId: post.id, likedByMe: true, likeCount: 1 });
    expect((await like(carol, post.id)).body).toEqual({ postId: post.id, likedByMe: true, likeCount: 2 });
    expect((await get(bob, post.id)).body).toMatchObject({ likeCount: 2, likedByMe: true });
    expect((await get(alice, post.id)).body).toMatchObject({ likeCount: 2, likedByMe: false });
    expect((await unlike(bob, post.id)).body).toEqual({ postId: post.id, likedByMe: false, likeCount: 1 });
    expect((await unlike(bob, post.id)).body).toEqual({ postId: post.id, likedByMe: false, likeCount: 1 });
    expect((await get(bob, post.id)).body).toMatchObject({ likeCount: 1, likedByMe: false });
    expect(await likeRows(post.id)).toBe(1);
  });

  it('concurrent likes by many users and repeated likes by one keep the count exact', async () => {
    const post = await newPost(alice);
    const users = await Promise.all(Array.from({ length: 12 }, () => issuer.user('fan')));
    await Promise.all([...users.map((u) => like(u, post.id)), ...Array.from({ length: 8 }, () => like(bob, post.id))]);
    expect((await get(alice, post.id)).body.likeCount).toBe(13);
    expect(await likeRows(post.id)).toBe(13);
    await Promise.all([...users.slice(0, 5).map((u) => unlike(u, post.id)), ...Array.from({ length: 4 }, () => unlike(bob, post.id))]);
    expect((await get(alice, post.id)).body.likeCount).toBe(7);
    expect(await likeRows(post.id)).toBe(7);
  });

  it('lists who liked, newest first, paged without gaps or repeats', async () => {
    const post = await newPost(alice);
    const fans = [];
    for (let i = 0; i < 5; i += 1) {
      const u = await issuer.user('liker');
      fans.push(u);
      await like(u, post.id);
      await new Promise((r) => setTimeout(r, 3));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { userId: string; likedAt: string }[]; nextCursor: string | null } } = await call(
        url(`/posts/${post.id}/likes?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        { headers: carol.auth },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.userId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(fans.map((f) => f.id).reverse());
  });

  it('404 for likes on an unknown post', async () => {
    const id = crypto.randomUUID();
    expect((await like(bob, id)).status).toBe(404);
    expect((await unlike(bob, id)).status).toBe(404);
    expect((await call(url(`/posts/${id}/likes`), { headers: bob.auth })).status).toBe(404);
  });
});

describe('comments', () => {
  it('comments: created by the caller, listed oldest first, counted on the post', async () => {
    const post = await newPost(alice);
    const c1 = await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'first!' } });
    expect(c1.status).toBe(201);
    expect(c1.body).toMatchObject({ postId: post.id, authorId: bob.id, text: 'first!' });
    await new Promise((r) => setTimeout(r, 3));
    const c2 = await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: alice.auth, body: { text: 'thanks' } });
    const list = await call(url(`/posts/${post.id}/comments`), { headers: carol.auth });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([c1.body.id, c2.body.id]);
    expect(list.body.nextCursor).toBeNull();
    expect((await get(carol, post.id)).body.commentCount).toBe(2);
  });

  it('the comment author deletes it; count drops; deleting again is 404', async () => {
    const post = await newPost(alice);
    const c = (await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'oops' } })).body;
    const del = await call(url(`/posts/${post.id}/comments/${c.id}`), { method: 'DELETE', headers: bob.auth });
    expect(del.status).toBe(204);
    expect((await get(alice, post.id)).body.commentCount).toBe(0);
    expect((await call(url(`/posts/${post.id}/comments`), { headers: alice.auth })).body.items).toEqual([]);
    expect((await call(url(`/posts/${post.id}/comments/${c.id}`), { method: 'DELETE', headers: bob.auth })).status).toBe(404);
  });

  it.each([
    ['empty', { text: '' }],
    ['blank', { text: ' \t ' }],
    ['301 characters', { text: 'z'.repeat(301) }],
    ['an unknown field', { text: 'ok', postId: crypto.randomUUID() }],
    ['missing text', {}],
    ['only a NUL character (PostgreSQL text cannot hold U+0000)', { text: '\u0000' }],
    ['text with a NUL character inside', { text: 'before\u0000after' }],
  ])('refuses a comment that is %s with 400 and stores nothing', async (_name, body) => {
    const post = await newPost(alice);
    const res = await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await get(alice, post.id)).body.commentCount).toBe(0);
    expect((await call(url(`/posts/${post.id}/comments`), { headers: alice.auth })).body.items).toEqual([]);
  });

  it('accepts exactly 300 characters; 404 on an unknown post', async () => {
    const post = await newPost(alice);
    expect((await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'z'.repeat(300) } })).status).toBe(201);
    expect((await call(url(`/posts/${crypto.randomUUID()}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'hi' } })).status).toBe(404);
  });
});
