import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  startFakeMedia,
  startPosts,
  startTestIssuer,
  type FakeMedia,
  type JsonResponse,
  type RunningPosts,
  type TestIssuer,
  type TestUser,
} from './harness.js';

/**
 * Per-account rate limits (mesh/src/limits) across two replicas of posts on one database: the budget
 * is shared, concurrent requests past it are refused exactly, a refusal writes nothing, and one
 * account's limit never touches another's.
 */
const BUDGETS = { RATE_LIMIT_POSTS: '5/1h', RATE_LIMIT_COMMENTS: '3/1h', RATE_LIMIT_LIKES: '2/1h' };

let issuer: TestIssuer;
let media: FakeMedia;
let replicas: RunningPosts[];

beforeAll(async () => {
  issuer = await startTestIssuer();
  media = await startFakeMedia();
  const env = { JWKS_URL: issuer.jwksUrl, SERVICE_URL_MEDIA: media.base, ...BUDGETS };
  const first = await startPosts(env);
  replicas = [first, await startPosts(env, first.databaseUrl)];
});
afterAll(async () => {
  for (const r of replicas ?? []) await r.stop();
  await media?.stop();
  await issuer?.stop();
});

/** The i-th request goes to replica i mod 2. */
const at = (i: number, path: string) => `${replicas[i % 2]!.base}/api/v1${path}`;
const db = () => replicas[0]!.service.db;
const count = async (sql: string, params: unknown[]) => Number((await db().query<{ n: string }>(sql, params))[0]!.n);
const metric = async (i: number, action: string) => {
  const text = await (await fetch(`${replicas[i]!.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('agora_rate_limited_total{') && l.includes(`action="${action}"`));
  return Number(line?.split(' ')[1] ?? NaN);
};

function expectRefused(res: JsonResponse, noun: string) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
  expect(res.body).toMatchObject({ status: 429, retryAfter });
  expect(res.body.detail).toContain(noun);
  expect(res.body.detail).toContain(`try again in ${retryAfter} s`);
}

describe('per-account limits shared by two replicas', () => {
  let alice: TestUser;
  let bob: TestUser;
  let postId: string;

  beforeAll(async () => {
    alice = await issuer.user('alice');
    bob = await issuer.user('bob');
  });

  it('20 parallel posts with a budget of 5, spread over both replicas: exactly 5 created, 15 × 429', async () => {
    const before = (await metric(0, 'post')) + (await metric(1, 'post'));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(at(i, '/posts'), { method: 'POST', headers: alice.auth, body: { text: `post ${i}` } })),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(created).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expectRefused(r, 'posts');
    expect(await count('SELECT count(*) AS n FROM posts WHERE author_id = $1', [alice.id])).toBe(5);
    expect((await metric(0, 'post')) + (await metric(1, 'post')) - before).toBe(15);
    postId = created[0]!.body.id;
  });

  it('a refused post writes nothing, on either replica', async () => {
    const posts = await count('SELECT count(*) AS n FROM posts', []);
    for (const i of [0, 1]) expectRefused(await call(at(i, '/posts'), { method: 'POST', headers: alice.auth, body: { text: 'one more' } }), 'posts');
    expect(await count('SELECT count(*) AS n FROM posts', [])).toBe(posts);
  });

  it("one account's limit never touches another's", async () => {
    const res = await call(at(1, '/posts'), { method: 'POST', headers: bob.auth, body: { text: 'bob is fine' } });
    expect(res.status).toBe(201);
  });

  it('comments: the budget is counted apart from posts and refused comments write nothing', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(at(i, `/posts/${postId}/comments`), { method: 'POST', headers: bob.auth, body: { text: `c${i}` } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((r) => r.status !== 201)) expectRefused(r, 'comments');
    expect(await count('SELECT count(*) AS n FROM comments WHERE author_id = $1', [bob.id])).toBe(3);
  });

  it('likes: past the budget a like is refused and not recorded', async () => {
    const carol = await issuer.user('carol');
    const targets: string[] = [postId];
    for (let i = 0; i < 2; i++) {
      const p = await call(at(i, '/posts'), { method: 'POST', headers: carol.auth, body: { text: `target ${i}` } });
      expect(p.status).toBe(201);
      targets.push(p.body.id);
    }
    const results = await Promise.all(targets.map((id, i) => call(at(i, `/posts/${id}/like`), { method: 'POST', headers: bob.auth })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(1);
    expectRefused(refused[0]!, 'likes');
    expect(await count('SELECT count(*) AS n FROM likes WHERE user_id = $1', [bob.id])).toBe(2);
  });
});
