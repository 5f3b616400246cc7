import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { call, startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/**
 * Keyset pagination over (created_at, id) never repeats or skips a row, including rows that share a
 * created_at (the id breaks ties), for any page size. Rows are written with chosen timestamps
 * directly, so ties are common.
 */
let issuer: TestIssuer;
let posts: RunningPosts;
let reader: TestUser;

beforeAll(async () => {
  issuer = await startTestIssuer();
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl });
  reader = await issuer.user('reader');
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
});

const sql = <T extends object>(text: string, bind: unknown[] = []) => posts.service.db.query<T>(text, bind);

async function pageAll(path: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 200; guard += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(`${posts.base}/api/v1${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { headers: reader.auth });
    expect(res.status).toBe(200);
    const items = res.body.items as { id?: string; userId?: string }[];
    expect(items.length).toBeLessThanOrEqual(limit);
    pages.push(items.map((i) => (i.id ?? i.userId)!));
    cursor = res.body.nextCursor;
    if (!cursor) return pages;
    expect(items.length).toBe(limit);
  }
  throw new Error('pagination did not end');
}

// A handful of instants, so many rows share one.
const instant = fc.integer({ min: 0, max: 3 }).map((i) => new Date(Date.UTC(2025, 0, 1, 12, 0, 0, i * 7)).toISOString());

describe('keyset pagination with equal timestamps', () => {
  it("an author's posts: newest first, every row exactly once, for any page size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(instant, { maxLength: 25 }), fc.integer({ min: 1, max: 7 }), async (times, limit) => {
        const author = crypto.randomUUID();
        for (const t of times)
          await sql('INSERT INTO posts (author_id, text, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id', [author, 'p', t]);
        const expected = (await sql<{ id: string }>('SELECT id FROM posts WHERE author_id = $1 ORDER BY created_at DESC, id DESC', [author])).map(
          (r) => r.id,
        );
        const pages = await pageAll(`/posts?authorId=${author}`, limit);
        expect(pages.flat()).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });

  it('likes (newest first) and comments (oldest first): every row exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(instant, { maxLength: 20 }), fc.integer({ min: 1, max: 6 }), async (times, limit) => {
        const [post] = await sql<{ id: string }>("INSERT INTO posts (author_id, text) VALUES (gen_random_uuid(), 'p') RETURNING id");
        for (const t of times) {
          await sql('INSERT INTO likes (post_id, user_id, created_at) VALUES ($1, gen_random_uuid(), $2) RETURNING post_id', [post!.id, t]);
          await sql("INSERT INTO comments (post_id, author_id, text, created_at) VALUES ($1, gen_random_uuid(), 'c', $2) RETURNING id", [
            post!.id,
            t,
          ]);
        }
        const likes = (
          await sql<{ id: string }>('SELECT user_id AS id FROM likes WHERE post_id = $1 ORDER BY created_at DESC, user_id DESC', [post!.id])
        ).map((r) => r.id);
        const comments = (await sql<{ id: string }>('SELECT id FROM comments WHERE post_id = $1 ORDER BY created_at, id', [post!.id])).map(
          (r) => r.id,
        );
        expect((await pageAll(`/posts/${post!.id}/likes`, limit)).flat()).toEqual(likes);
        expect((await pageAll(`/posts/${post!.id}/comments`, limit)).flat()).toEqual(comments);
      }),
      { numRuns: 10 },
    );
  });

  it('a post written between two page requests neither repeats nor shifts the next page', async () => {
    const author = await issuer.user('writer');
    const create = (text: string) => call(`${posts.base}/api/v1/posts`, { method: 'POST', headers: author.auth, body: { text } });
    for (let i = 0; i < 5; i += 1) {
      await create(`old ${i}`);
      await new Promise((r) => setTimeout(r, 3)); // distinct milliseconds, so the expected order is fixed
    }
    const first = await call(`${posts.base}/api/v1/posts?authorId=${author.id}&limit=3`, { headers: reader.auth });
    await create('new');
    const second = await call(`${posts.base}/api/v1/posts?authorId=${author.id}&limit=3&cursor=${first.body.nextCursor}`, { headers: reader.auth });
    const texts = [...first.body.items, ...second.body.items].map((p: { text: string }) => p.text);
    expect(texts).toEqual(['old 4', 'old 3', 'old 2', 'old 1', 'old 0']);
    expect(second.body.nextCursor).toBeNull();
  });
});
