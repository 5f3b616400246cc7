import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountHandlers } from '../src/domain/account-consumer.js';
import { ProfileEvents } from '../src/domain/profile-events.js';
import { eraseProfile } from '../src/domain/profiles.js';
import { isOneNameWord } from '../src/domain/user-search.js';
import type { UsersDeps } from '../src/wiring.js';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';
import { namedPerson } from './named-person.js';

/**
 * The words of names (migration 0011) that the near-spelling tier of people search reads: kept equal
 * to the profiles through every way a name changes, and the order of results read through them.
 */
let users: RunningUsers;
let searcher: TestUser;

const person = (username: string, displayName = username) => namedPerson(users, username, displayName);

const wordsOf = async (id: string) =>
  (await users.service.db.query<{ word: string }>('SELECT word FROM profile_name_words WHERE profile_id = $1 ORDER BY word', [id])).map(
    (r) => r.word,
  );
const search = (query: string) => call(`${users.base}/api/v1/search/users?${query}`, { headers: searcher.auth });
const names = (body: { items: { username: string }[] }) => body.items.map((u) => u.username);

/** Applies auth's account.updated for `id` the way the inbox does: the handler, in a transaction. */
async function accountUpdated(id: string, username: string, sequence: number, status: 'active' | 'suspended' = 'active') {
  const deps = users.service.deps as UsersDeps;
  const handler = accountHandlers(new ProfileEvents(deps.events.publisher))['account.updated']!;
  const event = {
    id: randomUUID(),
    type: 'account.updated',
    producer: 'auth',
    aggregateId: id,
    sequence,
    occurredAt: new Date().toISOString(),
    payload: { username, status },
  };
  await users.service.db.transaction((tx) => handler(tx, event));
}

beforeAll(async () => {
  users = await startUsers();
  searcher = await person('searcher', 'Someone Searching');
});
afterAll(async () => users?.stop());

describe('profile_name_words', () => {
  it('holds the lower-cased words of username and display name, once each, no numbers', async () => {
    const u = await person('Ada_Lovelace_1815', 'Ada Lovelace-Byron 2');
    expect(await wordsOf(u.id)).toEqual(['ada', 'byron', 'lovelace']);
    const [dictionary] = await users.service.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM name_words WHERE word IN ('ada', 'byron', 'lovelace')",
    );
    expect(dictionary).toEqual({ n: 3 });
  });

  it('follows a display-name change and a username change (account.updated), and only those', async () => {
    const u = await person('grace_hopper', 'Grace Hopper');
    await call(`${users.base}/api/v1/users/me`, { method: 'PATCH', headers: u.auth, body: { displayName: 'Amazing Grace' } });
    expect(await wordsOf(u.id)).toEqual(['amazing', 'grace', 'hopper']);
    await accountUpdated(u.id, 'admiral_cobol', 1);
    expect(await wordsOf(u.id)).toEqual(['admiral', 'amazing', 'cobol', 'grace']);
    // Found by a typo of the new word, no longer by one of the old.
    expect(names((await search('q=cobbol')).body)).toEqual(['admiral_cobol']);
    expect(names((await search('q=hoppre')).body)).toEqual([]);
    // A follow updates the profile's counts: the words stay as they are.
    const fan = await person('fan_of_grace', 'Fan');
    expect((await call(`${users.base}/api/v1/users/${u.id}/follow`, { method: 'POST', headers: fan.auth })).status).toBeLessThan(300);
    expect(await users.count('profiles WHERE id = $1 AND follower_count = 1', [u.id])).toBe(1);
    expect(await wordsOf(u.id)).toEqual(['admiral', 'amazing', 'cobol', 'grace']);
  });

  it('drops a deleted profile’s words', async () => {
    const u = await person('short_lived', 'Ephemeral Person');
    expect(await wordsOf(u.id)).toEqual(['ephemeral', 'lived', 'person', 'short']);
    await users.service.db.transaction((tx) => eraseProfile(tx, u.id));
    expect(await wordsOf(u.id)).toEqual([]);
    expect(names((await search('q=ephemerall')).body)).toEqual([]);
  });

  it('keeps a suspended account’s words but never finds it by a near spelling, and finds it again when lifted', async () => {
    const u = await person('kathleen_booth', 'Kathleen Booth');
    expect(names((await search('q=kathlene')).body)).toEqual(['kathleen_booth']);
    await accountUpdated(u.id, 'kathleen_booth', 1, 'suspended');
    expect(await wordsOf(u.id)).toEqual(['booth', 'kathleen']);
    expect(names((await search('q=kathlene')).body)).toEqual([]);
    await accountUpdated(u.id, 'kathleen_booth', 2, 'active');
    expect(names((await search('q=kathlene')).body)).toEqual(['kathleen_booth']);
  });

  it('takes many profiles inserted by one statement (the replay, the bench) at once', async () => {
    await users.service.db.execute(
      `INSERT INTO profiles (id, username, display_name)
       SELECT gen_random_uuid(), 'bulk_' || i, 'Bulk Person' || i FROM generate_series(1, 50) i`,
    );
    const [row] = await users.service.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM profile_name_words pw JOIN profiles p ON p.id = pw.profile_id WHERE p.username LIKE 'bulk\\_%'",
    );
    // 'bulk' and 'person1'…'person50' per profile ('bulk' twice in one name counts once).
    expect(row).toEqual({ n: 100 });
  });
});

describe('near spellings read through the words', () => {
  it('routes one-word queries only: several words or digits alone are compared with whole names', () => {
    expect(isOneNameWord('lovelase')).toBe(true);
    expect(isOneNameWord('müller')).toBe(true);
    expect(isOneNameWord('grace_hoper')).toBe(false);
    expect(isOneNameWord('ada lovelase')).toBe(false);
    expect(isOneNameWord('1234')).toBe(false);
  });

  it('ranks the closer word first, newest id first within one score, each person once across pages', async () => {
    // 'dijkstra' shares 6 of 'dijkstar''s 9 trigrams, 'dijksma' 5; one person has both words.
    const close: TestUser[] = [];
    for (let i = 0; i < 5; i += 1) close.push(await person(`edsger_${i}`, 'Edsger Dijkstra'));
    const both = await person('two_words', 'Dijkstra Dijksma');
    const far = await person('other_one', 'Olga Dijksma');
    const [scores] = await users.service.db.query<{ close: number; far: number }>(
      "SELECT word_similarity('dijkstar', 'dijkstra') AS close, word_similarity('dijkstar', 'dijksma') AS far",
    );
    expect(scores!.close).toBeGreaterThan(scores!.far);
    expect(scores!.far).toBeGreaterThanOrEqual(0.5);
    const all = await search('q=dijkstar&limit=100');
    const closeIds = [...close, both]
      .map((u) => u.id)
      .sort()
      .reverse();
    expect(all.body.items.map((u: { id: string }) => u.id)).toEqual([...closeIds, far.id]);
    for (const limit of [1, 2, 6]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await search(`q=dijkstar&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((u: { id: string }) => u.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual([...closeIds, far.id]);
    }
  });

  it('finds a short name with a letter dropped whatever word comes before it (compared word by word)', async () => {
    // Against whole names 'knth' reached the threshold only after a word ending in "th" (Ruth Knuth).
    await person('ruth_k', 'Ruth Knuth');
    await person('donald_k', 'Donald Knuth');
    expect(names((await search('q=knth&limit=100')).body).sort()).toEqual(['donald_k', 'ruth_k']);
  });

  it('puts prefix matches before near spellings and lists nobody twice', async () => {
    await person('hopperfan', 'Hopper Fan');
    const res = await search('q=hopperr&limit=100');
    const found = names(res.body);
    // 'hopperr' is no prefix of anyone; 'hopperfan' is a near spelling by its display name's word 'hopper'.
    expect(found).toContain('hopperfan');
    expect(new Set(found).size).toBe(found.length);
    const prefixed = names((await search('q=hopperf&limit=100')).body);
    expect(prefixed[0]).toBe('hopperfan');
  });
});
