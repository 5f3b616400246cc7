import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startUsers, type RunningUsers } from '../../users/test/harness.js';
import { postsConfigSchema } from '../src/config.js';
import { TEST_MESH_KEY, call, deliver, startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/**
 * The feed across services: the REAL users service (its own database, follow graph and internal
 * `following-ids`, secured for the posts workload) and posts on loopback, sharing one token issuer
 * and one local mesh key, exactly as the local run wires them.
 */
let issuer: TestIssuer;
let users: RunningUsers;
let posts: RunningPosts;
let a: TestUser, b: TestUser, c: TestUser, d: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  users = await startUsers({ JWKS_URL: issuer.jwksUrl, MESH_LOCAL_KEY: TEST_MESH_KEY });
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_USERS: users.base });
  [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((p) => issuer.user(p)));
  // Profiles exist from a user's first authenticated request to users.
  for (const u of [a, b, c, d]) expect((await call(`${users.base}/api/v1/users/me`, { headers: u.auth })).status).toBe(200);
});
afterAll(async () => {
  await posts?.stop();
  await users?.stop();
  await issuer?.stop();
});

const follow = (who: TestUser, whom: TestUser, method: 'POST' | 'DELETE' = 'POST') =>
  call(`${users.base}/api/v1/users/${whom.id}/follow`, { method, headers: who.auth });
const post = async (who: TestUser, text: string) => {
  const res = await call(`${posts.base}/api/v1/posts`, { method: 'POST', headers: who.auth, body: { text } });
  expect(res.status).toBe(201);
  await new Promise((r) => setTimeout(r, 3)); // distinct milliseconds: the expected order is fixed
  return res.body as { id: string; text: string };
};
const feed = (who: TestUser, query = '') => call(`${posts.base}/api/v1/feed${query}`, { headers: who.auth });

async function wholeFeed(who: TestUser, limit: number): Promise<{ pages: string[][]; texts: string[] }> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res = await feed(who, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body.items.map((p: { text: string }) => p.text));
    cursor = res.body.nextCursor;
  } while (cursor);
  return { pages, texts: pages.flat() };
}

describe('GET /api/v1/feed (with the real users service)', () => {
  it('shows the caller’s own posts and those of the authors the caller follows, newest first, paged', async () => {
    expect((await follow(a, b)).status).toBeLessThan(300);
    expect((await follow(a, c)).status).toBeLessThan(300);
    await post(b, 'b1');
    await post(d, 'd1');
    await post(c, 'c1');
    await post(a, 'a1');
    await post(b, 'b2');
    await post(c, 'c2');
    await post(d, 'd2');
    await post(b, 'b3');
    const { pages, texts } = await wholeFeed(a, 2);
    expect(texts).toEqual(['b3', 'c2', 'b2', 'a1', 'c1', 'b1']);
    expect(pages).toEqual([
      ['b3', 'c2'],
      ['b2', 'a1'],
      ['c1', 'b1'],
    ]);
    expect((await wholeFeed(a, 100)).texts).toEqual(texts);
  });

  it('carries counts, likedByMe for the caller and the embedded author', async () => {
    // What users' profile.updated delivers (its own worker is not wired to this posts in the test).
    const applied = await deliver(posts, {
      type: 'profile.updated',
      producer: 'users',
      aggregateId: b.id,
      sequence: 1,
      payload: { username: 'bee', displayName: 'B. Example', avatarMediaId: null },
    });
    expect(applied.body).toEqual({ outcome: 'applied' });
    const p = await post(b, 'likeable');
    await call(`${posts.base}/api/v1/posts/${p.id}/like`, { method: 'POST', headers: a.auth });
    const top = (await feed(a, '?limit=1')).body.items[0];
    expect(top).toMatchObject({ id: p.id, likeCount: 1, likedByMe: true, commentCount: 0, authorId: b.id, media: [] });
    expect(top.author).toEqual({ id: b.id, username: 'bee', displayName: 'B. Example', avatarUrl: null });
    const asC = (await call(`${posts.base}/api/v1/posts/${p.id}`, { headers: c.auth })).body;
    expect(asC.likedByMe).toBe(false);
  });

  it('FEED_EMBED_AUTHORS=false (bench row 10’s baseline): the same page, authors by id with null names', async () => {
    // A second replica on the same database; the first one (default) embeds.
    const bare = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_USERS: users.base, FEED_EMBED_AUTHORS: 'false' }, posts.databaseUrl);
    try {
      const embedded = (await feed(a, '?limit=5')).body;
      const without = (await call(`${bare.base}/api/v1/feed?limit=5`, { headers: a.auth })).body;
      expect(embedded.items.find((i: { authorId: string }) => i.authorId === b.id).author.username).toBe('bee');
      expect(without.items.map((i: { id: string }) => i.id)).toEqual(embedded.items.map((i: { id: string }) => i.id));
      expect(without.nextCursor).toBe(embedded.nextCursor);
      for (const [i, item] of without.items.entries()) {
        expect(item.author).toEqual({ id: item.authorId, username: null, displayName: null, avatarUrl: null });
        const { author: _, ...rest } = embedded.items[i];
        expect(item).toMatchObject(rest);
      }
      // Only the feed: a single post still embeds its author on that replica.
      const one = (await call(`${bare.base}/api/v1/posts/${embedded.items[0].id}`, { headers: a.auth })).body;
      expect(one.author).toEqual(embedded.items[0].author);
    } finally {
      await bare.stop();
    }
  });

  it('FEED_EMBED_AUTHORS defaults to embedding, and a value other than true/false is refused at start', () => {
    expect(posts.config.FEED_EMBED_AUTHORS).toBe(true);
    const setting = postsConfigSchema.shape.FEED_EMBED_AUTHORS;
    expect(setting.parse('false')).toBe(false);
    for (const bad of ['no', '0', 'TRUE', '']) expect(setting.safeParse(bad).success, bad).toBe(false);
  });

  it('follows the graph as it changes; nobody followed → only the caller’s own posts', async () => {
    expect((await follow(a, c, 'DELETE')).status).toBeLessThan(300);
    const texts = (await wholeFeed(a, 50)).texts;
    expect(texts.some((t) => t.startsWith('c'))).toBe(false);
    expect(texts).toContain('b1');
    expect(texts).toContain('a1');
    expect((await wholeFeed(d, 50)).texts).toEqual(['d2', 'd1']);
  });

  it('a user unknown to users (no profile yet) who never posted gets an empty feed, not an error', async () => {
    const stranger = await issuer.user('stranger');
    expect((await feed(stranger)).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad limit or cursor with 400 before calling users', async () => {
    for (const q of ['?limit=0', '?limit=101', '?cursor=%%%', '?cursor=e30']) {
      const res = await feed(a, q);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('a users service that hangs costs at most the call timeout: 503 problem+json', async () => {
    const hanging = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const slow = await startPosts({
      JWKS_URL: issuer.jwksUrl,
      SERVICE_URL_USERS: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
      SERVICE_CALL_TIMEOUT_MS: '300',
    });
    try {
      const started = Date.now();
      const res = await call(`${slow.base}/api/v1/feed`, { headers: a.auth });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('https://agora.dev/problems/service-unavailable');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await slow.stop();
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });

  // Last: stops users.
  it('users stopped → the feed answers 503 problem+json fast; the rest of posts keeps working', async () => {
    await users.stop();
    const started = Date.now();
    const res = await feed(a);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ type: 'https://agora.dev/problems/service-unavailable', status: 503 });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    expect(elapsed).toBeLessThan(2_000);
    expect((await call(`${posts.base}/api/v1/posts?authorId=${b.id}`, { headers: a.auth })).status).toBe(200);
    expect((await call(`${posts.base}/healthz/ready`)).status).toBe(200);
  });
});
