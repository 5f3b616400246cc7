import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFakeMedia, startPosts, startTestIssuer, type FakeMedia, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

// The shared HTTP rules on posts' real operations: exact routing (the mesh's view), refused query
// parameters, plain-word rule messages, ids checked by the contract, no-store on what a user reads.

let issuer: TestIssuer;
let media: FakeMedia;
let posts: RunningPosts;
let alice: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  media = await startFakeMedia();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_MEDIA: media.base });
  alice = await issuer.user('alice');
});
afterAll(async () => {
  await posts?.stop();
  await media?.stop();
  await issuer?.stop();
});

const url = (path: string) => `${posts.base}/api/v1${path}`;

describe('posts over the shared HTTP rules', () => {
  it('a misspelt query parameter is a 400 naming it, not a silently ignored filter', async () => {
    const res = await call(url('/posts?authorID=3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10'), { headers: alice.auth });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      detail: 'This operation takes only these query parameters: authorId, limit, cursor; remove the others.',
      errors: [{ field: 'authorID', message: 'is not a query parameter of this operation' }],
    });
    expect((await call(url('/posts?limit=5'), { headers: alice.auth })).status).toBe(200);
  });

  it('ids, limits and list items are checked by the contract, with messages in words', async () => {
    const id = await call(url('/posts/not-a-uuid'), { headers: alice.auth });
    expect(id.status).toBe(400);
    expect(id.body.errors).toEqual([{ field: 'id', message: 'must be a UUID, such as 3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10' }]);
    const limit = await call(url('/feed?limit=0'), { headers: alice.auth });
    expect(limit.status).toBe(400);
    expect(limit.body.errors).toEqual([{ field: 'limit', message: 'must be at least 1' }]);
    const media = await call(url('/posts'), { method: 'POST', headers: alice.auth, body: { text: 'hi', mediaIds: ['x'] } });
    expect(media.status).toBe(400);
    expect(media.body.errors).toEqual([{ field: 'mediaIds.$0', message: 'must be a UUID, such as 3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10' }]);
    const blank = await call(url('/posts'), { method: 'POST', headers: alice.auth, body: { text: '   ' } });
    expect(blank.body.errors).toEqual([{ field: 'text', message: 'must contain a character other than white space' }]);
  });

  it('the admin removal is not reachable by case: MODERATION is an id to the router, as to the mesh', async () => {
    const res = await call(url('/posts/MODERATION/like'), { method: 'DELETE', headers: alice.auth });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'id', message: expect.stringMatching(/^must be a UUID/) }]);
    expect((await call(url('/posts/'), { headers: alice.auth })).status).toBe(404);
    expect((await call(url('/Posts'), { headers: alice.auth })).status).toBe(404);
  });

  it('what a signed-in user reads is never stored by a cache', async () => {
    const created = await call(url('/posts'), { method: 'POST', headers: alice.auth, body: { text: 'cache me not' } });
    expect(created.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/posts', `/posts/${created.body.id}`, `/posts/${created.body.id}/likes`, `/posts/${created.body.id}/comments`]) {
      const res = await call(url(path), { headers: alice.auth });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });
});
