import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';
import { namedPerson } from './named-person.js';

/** GET /api/v1/search/users: pg_trgm prefix and fuzzy matching, ranked keyset pages. */
let users: RunningUsers;
let searcher: TestUser;
const PROBLEM = 'application/problem+json';

const person = (username: string, displayName = username) => namedPerson(users, username, displayName);

const search = (query: string, viewer = searcher) => call(`${users.base}/api/v1/search/users?${query}`, { headers: viewer.auth });
const names = (body: { items: { username: string }[] }) => body.items.map((u) => u.username);

let ada: TestUser;
beforeAll(async () => {
  users = await startUsers();
  searcher = await person('searcher', 'Someone Searching');
  ada = await person('ada_lovelace', 'Ada Lovelace');
  await person('adam_smith', 'Adam Smith');
  await person('grace_hopper', 'Grace Hopper');
  await person('alan_turing', 'Alan Turing');
  await person('countess', 'Augusta Ada King');
  await person('edsger', 'Edsger Dijkstra');
  await person('gracie_hoppr', 'Gracie Hoppr');
  const hidden = await person('ada_hidden', 'Ada Hidden');
  await users.service.db.execute('UPDATE profiles SET suspended_at = now() WHERE id = $1', [hidden.id]);
  for (let i = 0; i < 25; i += 1) await person(`pager_${String(i).padStart(2, '0')}`, `Pager Number ${i}`);
});
afterAll(async () => users?.stop());

describe('matching', () => {
  it('finds users by a prefix of their username, the exact username first, public fields only', async () => {
    const res = await search('q=ada');
    expect(res.status).toBe(200);
    // Username prefixes first (ada_lovelace, adam_smith), then a display-name word (Augusta Ada King).
    expect(names(res.body).slice(0, 2).sort()).toEqual(['ada_lovelace', 'adam_smith']);
    expect(names(res.body)).toContain('countess');
    expect(res.body.items.find((u: { id: string }) => u.id === ada.id)).toEqual({
      id: ada.id,
      username: 'ada_lovelace',
      displayName: 'Ada Lovelace',
      avatarUrl: null,
      followerCount: 0,
      followingCount: 0,
    });
    expect(names((await search('q=ADAM_SMITH')).body)[0]).toBe('adam_smith');
  });

  it('finds users by display name (a prefix of any word), case-insensitively', async () => {
    expect(names((await search('q=turing')).body)).toEqual(['alan_turing']);
    expect(names((await search('q=Grace%20Hop')).body)[0]).toBe('grace_hopper');
  });

  it('finds near spellings (typos) of a username or display name', async () => {
    expect(names((await search('q=grace_hoper')).body)).toContain('grace_hopper');
    expect(names((await search('q=lovelase')).body)).toContain('ada_lovelace');
    expect(names((await search('q=dijkstar')).body)).toEqual(['edsger']); // two letters swapped
    // Three letters are matched as prefixes only.
    expect(names((await search('q=trn')).body)).toEqual([]);
    expect(names((await search('q=zqxwvy')).body)).toEqual([]); // close to nobody
  });

  it('never shows a suspended account, not even for its exact name', async () => {
    expect(names((await search('q=ada_hidden')).body)).not.toContain('ada_hidden');
    expect(names((await search('q=ada&limit=100')).body)).not.toContain('ada_hidden');
  });

  it('never shows a deleted account', async () => {
    const gone = await person('soon_gone', 'Soon Gone');
    expect(names((await search('q=soon_gone')).body)).toEqual(['soon_gone']);
    await users.service.db.transaction(async (tx) => (await import('../src/domain/profiles.js')).eraseProfile(tx, gone.id));
    expect(names((await search('q=soon_gone')).body)).toEqual([]);
  });

  it('treats LIKE wildcards in q as plain characters', async () => {
    expect((await search('q=%25')).body.items).toEqual([]);
    // As a LIKE pattern '_r%' would match grace_hopper ('g' then 'r'); as text nothing starts with it.
    expect(names((await search('q=_r')).body)).not.toContain('grace_hopper');
  });
});

describe('ranked keyset pages', () => {
  it('pages through every match once, in the order of one big page, whatever the page size', async () => {
    const all = await search('q=pager&limit=100');
    expect(all.body.items).toHaveLength(25);
    expect(all.body.nextCursor).toBeNull();
    const expected = names(all.body);
    for (const limit of [1, 7, 25]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await search(`q=pager&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...names(res.body));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(25 / limit));
    }
  });

  it('pages run on from the prefix matches into the near spellings, each once', async () => {
    const all = names((await search('q=hopper&limit=100')).body);
    expect(all).toEqual(['grace_hopper', 'gracie_hoppr']); // a display-name word, then a near spelling
    const first = await search('q=hopper&limit=1');
    expect(names(first.body)).toEqual(['grace_hopper']);
    const second = await search(`q=hopper&limit=1&cursor=${first.body.nextCursor}`);
    expect(names(second.body)).toEqual(['gracie_hoppr']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('a forged or foreign cursor is a 400 problem naming cursor', async () => {
    const page = await search('q=pager&limit=2');
    const good = page.body.nextCursor as string;
    const decoded = JSON.parse(Buffer.from(good, 'base64url').toString());
    const forge = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forged = [
      'not-a-cursor!',
      forge({ ...decoded, s: 'NaN' }),
      forge({ ...decoded, s: '99' }),
      forge({ ...decoded, s: "1'; DROP TABLE profiles; --" }),
      forge({ ...decoded, id: 'x' }),
      forge({ ...decoded, extra: 1 }),
      forge({ s: decoded.s, id: decoded.id }),
      forge([decoded.s, decoded.id]),
      forge({ t: '2026-01-01T00:00:00Z', id: decoded.id }),
      'x'.repeat(600),
    ];
    for (const cursor of forged) {
      const res = await search(`q=pager&limit=2&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      expect(JSON.stringify(res.body), cursor).toContain('cursor');
    }
    // A cursor continues only the query that gave it out.
    const foreign = await search(`q=ada&cursor=${good}`);
    expect(foreign.status).toBe(400);
    expect(JSON.stringify(foreign.body)).toContain('cursor');
    expect((await search(`q=pager&limit=2&cursor=${good}`)).status).toBe(200);
  });
});

describe('the trigram indexes', () => {
  it('take a new profile in at once: no GIN pending list for every search to read (migration 0010)', async () => {
    await person('fresh_signup', 'Fresh Signup');
    for (const index of ['profiles_username_trgm_idx', 'profiles_display_name_trgm_idx']) {
      // gin_clean_pending_list answers how many pending pages it merged: with fastupdate on, the new profile's would be there.
      const [row] = await users.service.db.query<{ merged: number }>('SELECT gin_clean_pending_list($1::regclass)::int AS merged', [index]);
      expect(row, index).toEqual({ merged: 0 });
    }
  });
});

describe('validation and access', () => {
  it('q is required, 1–50 characters with something visible and no control characters', async () => {
    for (const q of ['', 'q=', 'q=%20%20', `q=${'a'.repeat(51)}`, 'q=ada%00', 'q=a%0Ab', 'q=ada&limit=0', 'q=ada&limit=101', 'q=ada&q=bob']) {
      const res = await search(q);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toContain(PROBLEM);
    }
    expect((await search(`q=${'a'.repeat(50)}`)).status).toBe(200);
  });

  it('needs a signed-in caller', async () => {
    const res = await call(`${users.base}/api/v1/search/users?q=ada`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
  });
});
