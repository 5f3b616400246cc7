import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGED_CURSORS } from '../../../test/helpers/forged-cursors.js';
import { call, deliver, type TestUser } from './harness.js';
import { startPostsWithFakeMedia, type PostsWithFakeMedia } from './posts-with-fake-media.js';

/** GET /api/v1/search/posts?q=: full-text search (GIN), newest first, keyset pages, author and media embedded. */
let world: PostsWithFakeMedia;
let ada: TestUser, bob: TestUser;

beforeAll(async () => {
  world = await startPostsWithFakeMedia();
  [ada, bob] = await Promise.all([world.issuer.user('ada'), world.issuer.user('bob')]);
  await deliver(world.posts, {
    type: 'profile.updated',
    producer: 'users',
    aggregateId: ada.id,
    sequence: 1,
    payload: { username: 'ada', displayName: 'Ada', avatarMediaId: null },
  });
});
afterAll(async () => world?.stop());

const post = async (who: TestUser, text: string, mediaIds?: string[]) => {
  const res = await call(`${world.posts.base}/api/v1/posts`, { method: 'POST', headers: who.auth, body: { text, mediaIds } });
  expect(res.status).toBe(201);
  await new Promise((r) => setTimeout(r, 3)); // distinct milliseconds: the expected order is fixed
  return res.body as { id: string };
};
const search = (query: string, who = bob) => call(`${world.posts.base}/api/v1/search/posts?${query}`, { headers: who.auth });
const q = (words: string, extra = '') => search(`q=${encodeURIComponent(words)}${extra}`);
const texts = (res: { body: { items: { text: string }[] } }) => res.body.items.map((p) => p.text);

describe('GET /api/v1/search/posts', () => {
  it('finds posts by a whole word, any case, newest first, with author and media embedded', async () => {
    const m = world.media.add(ada.id, 'uploaded', { width: 3, height: 2, alt: 'boats' });
    await post(ada, 'Morning at the Harbour', [m]);
    await post(bob, 'harbour lights, again');
    await post(bob, 'harbours are not the word');
    await post(ada, 'nothing to see here');
    const res = await q('HARBOUR');
    expect(res.status).toBe(200);
    expect(texts(res)).toEqual(['harbour lights, again', 'Morning at the Harbour']);
    const adas = res.body.items[1];
    expect(adas.author).toEqual({ id: ada.id, username: 'ada', displayName: 'Ada', avatarUrl: null });
    expect(adas.media).toEqual([{ id: m, url: `/api/v1/media/${m}/content`, contentType: 'image/png', width: 3, height: 2, alt: 'boats' }]);
    expect(adas.likedByMe).toBe(false);
  });

  it('every word must occur; quotes find a phrase; -word excludes', async () => {
    await post(ada, 'red sky at night');
    await post(ada, 'night sky, red moon');
    expect(texts(await q('red night'))).toEqual(['night sky, red moon', 'red sky at night']);
    expect(texts(await q('"red sky"'))).toEqual(['red sky at night']);
    expect(texts(await q('red -moon'))).toEqual(['red sky at night']);
  });

  it('no match is an empty page', async () => {
    expect((await q('xylophone')).body).toEqual({ items: [], nextCursor: null });
  });

  it('pages through every match without gaps or repeats, and edits and deletions are reflected', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i += 1) made.push((await post(bob, `pagination probe ${i}`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await q('probe', `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());

    await call(`${world.posts.base}/api/v1/posts/${made[0]}`, { method: 'PATCH', headers: bob.auth, body: { text: 'renamed entirely' } });
    await call(`${world.posts.base}/api/v1/posts/${made[1]}`, { method: 'DELETE', headers: bob.auth });
    expect((await q('probe', '&limit=100')).body.items).toHaveLength(5);
    expect(texts(await q('renamed'))).toEqual(['renamed entirely']);
  });

  it('refuses a missing, empty, blank, wordless or too long q and a forged cursor: 400 problem+json naming the field', async () => {
    const cases: [string, string][] = [
      ['', 'q'],
      ['q=', 'q'],
      ['q=%20%20%20', 'q'],
      [`q=${encodeURIComponent('!!! ... ???')}`, 'q'],
      [`q=${'a'.repeat(101)}`, 'q'],
      ['q=ok&limit=0', 'limit'],
      ['q=ok&limit=101', 'limit'],
      ...FORGED_CURSORS.map(([, c]): [string, string] => [`q=ok&cursor=${c}`, 'cursor']),
      ['q=ok&cursor=%%%', 'cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await search(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect([query, res.body.errors?.some((e: { field: string }) => e.field === field)]).toEqual([query, true]);
      expect(JSON.stringify(res.body)).not.toMatch(/\\S|\[\^|tsquery|syntax error/);
    }
    expect((await search(`q=${'a'.repeat(100)}`)).status).toBe(200);
  });

  it('operators and odd input are words, never a SQL or tsquery error', async () => {
    const expected: [string, number][] = [
      ["'; DROP TABLE posts;--", 200],
      ['a & b | !c', 200],
      ['foo:*', 200],
      ['"unclosed', 200],
      ['ünïcödé 日本語', 200],
      ['(((', 400],
      ['-', 400],
    ];
    for (const [words, status] of expected) {
      const res = await q(words);
      expect([words, res.status]).toEqual([words, status]);
    }
    expect(Number((await world.posts.service.db.query<{ n: string }>('SELECT count(*) AS n FROM posts'))[0]!.n)).toBeGreaterThan(0);
  });

  it('requires a token', async () => {
    const res = await call(`${world.posts.base}/api/v1/search/posts?q=harbour`);
    expect(res.status).toBe(401);
  });
});

describe('the search index', () => {
  it('takes a new post in at once: no GIN pending list for every search to read (migration 0007)', async () => {
    await post(ada, 'a freshly written post about lighthouses');
    // gin_clean_pending_list answers how many pending pages it merged: with fastupdate on, the new post's words would be there.
    const [row] = await world.posts.service.db.query<{ merged: number }>("SELECT gin_clean_pending_list('posts_search_idx')::int AS merged");
    expect(row).toEqual({ merged: 0 });
  });
});
