import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFakeMedia, startPosts, startTestIssuer, type FakeMedia, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';
import { FORGED_CURSORS } from '../../../test/helpers/forged-cursors.js';

const PROBLEM = 'application/problem+json';
let issuer: TestIssuer;
let media: FakeMedia;
let posts: RunningPosts;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  media = await startFakeMedia();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_MEDIA: media.base });
  alice = await issuer.user('alice');
  bob = await issuer.user('bob');
});
afterAll(async () => {
  await posts?.stop();
  await media?.stop();
  await issuer?.stop();
});

const url = (path: string) => `${posts.base}/api/v1${path}`;
const create = (user: TestUser, body: unknown) => call(url('/posts'), { method: 'POST', headers: user.auth, body });
/** Everything stored, to prove a refused request changed nothing. */
async function snapshot() {
  const q = (sql: string) => posts.service.db.query(sql);
  return {
    posts: await q('SELECT * FROM posts ORDER BY id'),
    likes: await q('SELECT * FROM likes ORDER BY post_id, user_id'),
    comments: await q('SELECT * FROM comments ORDER BY id'),
  };
}

describe('POST /api/v1/posts', () => {
  it('creates a post by the caller, with Location and zero counts', async () => {
    const res = await create(alice, { text: 'Hello, Agora' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/posts/${res.body.id}`);
    expect(res.body).toMatchObject({ authorId: alice.id, text: 'Hello, Agora', mediaIds: [], likeCount: 0, commentCount: 0, likedByMe: false });
    expect(res.body.createdAt).toBe(res.body.updatedAt);
    const got = await call(url(`/posts/${res.body.id}`), { headers: bob.auth });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('accepts exactly 500 characters (counted as the client sees them)', async () => {
    expect((await create(alice, { text: 'x'.repeat(500) })).status).toBe(201);
  });

  it.each([
    ['empty text', { text: '' }, 'text'],
    ['white space only', { text: '   \n ' }, 'text'],
    ['501 characters', { text: 'x'.repeat(501) }, 'text'],
    ['no text', {}, 'text'],
    ['text not a string', { text: 42 }, 'text'],
    ['an unknown field', { text: 'hi', authorId: '00000000-0000-4000-8000-000000000000' }, 'authorId'],
    ['five media ids', { text: 'hi', mediaIds: Array.from({ length: 5 }, () => crypto.randomUUID()) }, 'mediaIds'],
    ['a media id that is not a UUID', { text: 'hi', mediaIds: ['nope'] }, 'mediaIds'],
  ])('refuses %s with 400 problem+json and writes nothing', async (_name, body, field) => {
    const before = await snapshot();
    const res = await create(alice, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body.type).toBe('https://agora.dev/problems/validation');
    expect(JSON.stringify(res.body.errors)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a non-JSON body (415) and malformed JSON (400), writing nothing', async () => {
    const before = await snapshot();
    const text = await call(url('/posts'), { method: 'POST', headers: { ...alice.auth, 'content-type': 'text/plain' }, rawBody: 'hello' });
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toContain(PROBLEM);
    const broken = await call(url('/posts'), { method: 'POST', headers: { ...alice.auth, 'content-type': 'application/json' }, rawBody: '{"text":' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain(PROBLEM);
    expect(await snapshot()).toEqual(before);
  });

  it('requires a valid token (401 problem+json)', async () => {
    expect((await call(url('/posts'), { method: 'POST', body: { text: 'hi' } })).status).toBe(401);
    const forged = await call(url('/posts'), { method: 'POST', headers: { authorization: `Bearer ${alice.token}x` }, body: { text: 'hi' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toContain(PROBLEM);
    expect((await call(url('/feed'))).status).toBe(401);
  });
});

describe('media ids (checked with the media service)', () => {
  it('attaches media the caller uploaded, asking media as the posts workload with the user token', async () => {
    const m1 = media.add(alice.id);
    const m2 = media.add(alice.id);
    media.calls.length = 0;
    const res = await create(alice, { text: 'two pictures', mediaIds: [m1, m2.toUpperCase()] });
    expect(res.status).toBe(201);
    expect(res.body.mediaIds).toEqual([m1, m2]);
    expect(media.calls).toHaveLength(2);
    for (const c of media.calls) {
      expect(c.workload).toBe('posts');
      expect(c.authorization).toBe(`Bearer ${alice.token}`);
      expect(c.requestId).toBeTruthy();
    }
  });

  it.each([
    ['someone else’s media', () => media.add(bob.id)],
    ['media not uploaded yet', () => media.add(alice.id, 'pending')],
    ['unknown media', () => crypto.randomUUID()],
  ])('refuses %s with 400 and writes nothing', async (_name, make) => {
    const before = await snapshot();
    const res = await create(alice, { text: 'mine?', mediaIds: [media.add(alice.id), make()] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'mediaIds.1', message: 'is not an uploaded media object of yours' }]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a repeated media id', async () => {
    const m = media.add(alice.id);
    const res = await create(alice, { text: 'twice', mediaIds: [m, m] });
    expect(res.status).toBe(400);
  });

  it('a post without media never calls media; PATCH checks only newly attached ids', async () => {
    media.calls.length = 0;
    const plain = await create(alice, { text: 'no media' });
    expect(plain.status).toBe(201);
    expect(media.calls).toHaveLength(0);
    const m1 = media.add(alice.id);
    const withMedia = await create(alice, { text: 'one', mediaIds: [m1] });
    media.calls.length = 0;
    const m2 = media.add(alice.id);
    const patched = await call(url(`/posts/${withMedia.body.id}`), { method: 'PATCH', headers: alice.auth, body: { mediaIds: [m1, m2] } });
    expect(patched.status).toBe(200);
    expect(patched.body.mediaIds).toEqual([m1, m2]);
    expect(media.calls.map((c) => c.path)).toEqual([`/internal/v1/media/${m2}`]);
  });

  it('media down: 503 problem+json, fast, and nothing written', async () => {
    const m = media.add(alice.id);
    const down = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_MEDIA: 'http://127.0.0.1:9' });
    try {
      const started = Date.now();
      const res = await call(`${down.base}/api/v1/posts`, { method: 'POST', headers: alice.auth, body: { text: 'with media', mediaIds: [m] } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      expect(res.body.type).toBe('https://agora.dev/problems/service-unavailable');
      expect(Date.now() - started).toBeLessThan(2_000);
      const [row] = await down.service.db.query<{ n: string }>('SELECT count(*) AS n FROM posts');
      expect(Number(row!.n)).toBe(0);
      // Without media the post does not need the media service at all.
      expect((await call(`${down.base}/api/v1/posts`, { method: 'POST', headers: alice.auth, body: { text: 'plain' } })).status).toBe(201);
    } finally {
      await down.stop();
    }
  });
});

describe('GET|PATCH|DELETE /api/v1/posts/{id}', () => {
  it('the author edits text (updatedAt moves, createdAt stays) and media', async () => {
    const post = (await create(alice, { text: 'draft' })).body;
    await new Promise((r) => setTimeout(r, 5));
    const res = await call(url(`/posts/${post.id}`), { method: 'PATCH', headers: alice.auth, body: { text: 'final' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: post.id, text: 'final', createdAt: post.createdAt });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(post.updatedAt));
    const cleared = await call(url(`/posts/${post.id}`), { method: 'PATCH', headers: alice.auth, body: { mediaIds: [] } });
    expect(cleared.body).toMatchObject({ text: 'final', mediaIds: [] });
  });

  it.each([
    ['an empty change', {}],
    ['too long text', { text: 'y'.repeat(501) }],
    ['an unknown field', { text: 'ok', likeCount: 1000 }],
  ])('PATCH with %s is 400 and changes nothing', async (_name, body) => {
    const post = (await create(alice, { text: 'stable' })).body;
    const before = await snapshot();
    const res = await call(url(`/posts/${post.id}`), { method: 'PATCH', headers: alice.auth, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(await snapshot()).toEqual(before);
  });

  it('the author deletes a post; then it is gone (404), with its likes and comments', async () => {
    const post = (await create(alice, { text: 'short-lived' })).body;
    await call(url(`/posts/${post.id}/like`), { method: 'POST', headers: bob.auth });
    await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'bye' } });
    const res = await call(url(`/posts/${post.id}`), { method: 'DELETE', headers: alice.auth });
    expect(res.status).toBe(204);
    for (const [method, path] of [
      ['GET', ''],
      ['DELETE', ''],
      ['PATCH', ''],
      ['POST', '/like'],
      ['DELETE', '/like'],
      ['GET', '/likes'],
      ['GET', '/comments'],
      ['POST', '/comments'],
    ] as const) {
      const body = method === 'PATCH' || (method === 'POST' && path === '/comments') ? { text: 'x' } : undefined;
      const after = await call(url(`/posts/${post.id}${path}`), { method, headers: alice.auth, body });
      expect([method, path, after.status]).toEqual([method, path, 404]);
      expect(after.headers.get('content-type')).toContain(PROBLEM);
    }
    const s = await snapshot();
    expect(s.likes.concat(s.comments).some((r) => (r as { post_id: string }).post_id === post.id)).toBe(false);
  });

  it('answers 400 for ids that are not UUIDs and 404 for unknown ones', async () => {
    const bad = await call(url('/posts/not-a-uuid'), { headers: alice.auth });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain(PROBLEM);
    expect((await call(url("/posts/1' OR '1'='1"), { headers: alice.auth })).status).toBe(400);
    expect((await call(url(`/posts/${crypto.randomUUID()}`), { headers: alice.auth })).status).toBe(404);
    expect((await call(url(`/posts/${crypto.randomUUID()}/comments/nope`), { method: 'DELETE', headers: alice.auth })).status).toBe(400);
  });
});

describe('authorization matrix: another user is refused and nothing changes', () => {
  it.each([
    ['PATCH post', 'PATCH', (p: string) => `/posts/${p}`, { text: 'hijacked' }],
    ['PATCH post media', 'PATCH', (p: string) => `/posts/${p}`, { mediaIds: [] }],
    ['DELETE post', 'DELETE', (p: string) => `/posts/${p}`, undefined],
    ['DELETE comment', 'DELETE', (p: string, c: string) => `/posts/${p}/comments/${c}`, undefined],
  ])('%s by a non-author → 403', async (_name, method, path, body) => {
    const m = media.add(alice.id);
    const post = (await create(alice, { text: 'mine', mediaIds: [m] })).body;
    const comment = (await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: alice.auth, body: { text: 'my comment' } })).body;
    await call(url(`/posts/${post.id}/like`), { method: 'POST', headers: alice.auth });
    const before = await snapshot();
    const res = await call(url(path(post.id, comment.id)), { method, headers: bob.auth, body });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body.type).toBe('https://agora.dev/problems/forbidden');
    expect(await snapshot()).toEqual(before);
  });

  it('the post author cannot edit someone else’s comment on their post (removing it is allowed: comments.test.ts)', async () => {
    const post = (await create(alice, { text: 'open thread' })).body;
    const comment = (await call(url(`/posts/${post.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'bob was here' } })).body;
    const before = await snapshot();
    const res = await call(url(`/posts/${post.id}/comments/${comment.id}`), {
      method: 'PATCH',
      headers: alice.auth,
      body: { text: 'alice was here' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await snapshot()).toEqual(before);
  });

  it('a comment addressed through another post is 404 and stays', async () => {
    const p1 = (await create(alice, { text: 'one' })).body;
    const p2 = (await create(alice, { text: 'two' })).body;
    const c = (await call(url(`/posts/${p1.id}/comments`), { method: 'POST', headers: bob.auth, body: { text: 'on one' } })).body;
    const before = await snapshot();
    expect((await call(url(`/posts/${p2.id}/comments/${c.id}`), { method: 'DELETE', headers: bob.auth })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('another user’s like and unlike touch only their own like', async () => {
    const post = (await create(alice, { text: 'like me' })).body;
    await call(url(`/posts/${post.id}/like`), { method: 'POST', headers: alice.auth });
    const res = await call(url(`/posts/${post.id}/like`), { method: 'DELETE', headers: bob.auth });
    expect(res.body).toEqual({ postId: post.id, likedByMe: false, likeCount: 1 });
    expect((await call(url(`/posts/${post.id}`), { headers: alice.auth })).body.likedByMe).toBe(true);
  });
});

describe('GET /api/v1/posts (an author’s posts)', () => {
  it('lists the caller’s own posts by default and another author’s with authorId, newest first', async () => {
    const carol = await issuer.user('carol');
    const texts = ['c1', 'c2', 'c3'];
    for (const text of texts) {
      await create(carol, { text });
      await new Promise((r) => setTimeout(r, 3)); // distinct milliseconds, so the expected order is fixed
    }
    const own = await call(url('/posts'), { headers: carol.auth });
    expect(own.status).toBe(200);
    expect(own.body.items.map((p: { text: string }) => p.text)).toEqual(['c3', 'c2', 'c1']);
    expect(own.body.nextCursor).toBeNull();
    const theirs = await call(url(`/posts?authorId=${carol.id}&limit=2`), { headers: bob.auth });
    expect(theirs.body.items.map((p: { text: string }) => p.text)).toEqual(['c3', 'c2']);
    const next = await call(url(`/posts?authorId=${carol.id}&limit=2&cursor=${theirs.body.nextCursor}`), { headers: bob.auth });
    expect(next.body).toMatchObject({ nextCursor: null });
    expect(next.body.items.map((p: { text: string }) => p.text)).toEqual(['c1']);
    const nobody = await call(url(`/posts?authorId=${crypto.randomUUID()}`), { headers: bob.auth });
    expect(nobody.body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['limit=0'],
    ['limit=101'],
    ['limit=2.5'],
    ['limit=abc'],
    ['authorId=not-a-uuid'],
    ['cursor=garbage'],
    [`cursor=${Buffer.from(JSON.stringify({ t: '2024-01-01T00:00:00.000Z', id: "x' OR 1=1" })).toString('base64url')}`],
    [`cursor=${Buffer.from(JSON.stringify({ t: 'yesterday', id: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}`],
    [`cursor=${'A'.repeat(600)}`],
  ])('refuses %s with 400 problem+json', async (query) => {
    for (const path of ['/posts', '/feed', `/posts/${crypto.randomUUID()}/likes`, `/posts/${crypto.randomUUID()}/comments`]) {
      if (query.startsWith('authorId') && path !== '/posts') continue;
      const res = await call(url(`${path}?${query}`), { headers: alice.auth });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
    }
  });

  it.each(FORGED_CURSORS)('refuses a forged cursor (%s) on every list with a 400 naming cursor', async (_label, cursor) => {
    const post = (await create(alice, { text: 'a post to list' })).body as { id: string };
    const lists = {
      'author posts': `/posts?authorId=${alice.id}&`,
      feed: '/feed?',
      likes: `/posts/${post.id}/likes?`,
      comments: `/posts/${post.id}/comments?`,
    };
    for (const [list, path] of Object.entries(lists)) {
      const res = await call(url(`${path}cursor=${encodeURIComponent(cursor)}`), { headers: alice.auth });
      expect([list, res.status]).toEqual([list, 400]);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      expect([list, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([list, ['cursor']]);
    }
  });
});
