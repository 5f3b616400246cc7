// Row 7 of `npm run bench`: GET /api/v1/search/users at 100 k users (issue #12: p99 ≤ 50 ms at 2
// connections). The profiles are loaded straight into users' database with set-based SQL, named
// from 60 first names × 60 family names with a number, so a three-letter prefix matches a few
// thousand people (what a real directory looks like), not every row ('bench_1'…'bench_99999' would
// make every query match everything) and not none. They are removed afterwards, so the rows that
// follow see the database they always did.
import { withClient } from '@agora/tools/local/databases';
import { assertHealthy, load, round } from './load.mjs';

export const SEARCH_USERS = 100_000;

const FIRST = `ada alan grace linus margaret barbara donald edsger frances john ken dennis bjarne guido james
  anders larry tim vint radia sophie hedy katherine dorothy annie mary joan jean betty kathleen ruth
  niklaus tony robin leslie butler fernando herbert claude norbert alonzo kurt emmy sofia olga ingrid
  hannah lena mila noah liam emma olivia ava mia aria luca leo nora zoe`.split(/\s+/);
const LAST = `lovelace turing hopper torvalds hamilton liskov knuth dijkstra allen backus thompson ritchie
  stroustrup rossum gosling hejlsberg wall berners cerf perlman wilson lamarr johnson vaughan easley
  keller clarke sammet jennings holberton booth wirth hoare milner lamport lampson corbato simon
  shannon wiener church godel noether kovalevskaya taussky daubechies arendt meitner curie franklin
  goodall carson mcclintock hodgkin sanger yalow elion`.split(/\s+/);

/** What people type: first-name and family-name prefixes, whole names, `first_last` / `first last` prefixes. */
export const PREFIX_QUERIES = [
  'ada',
  'gra',
  'tur',
  'lovel',
  'hopper',
  'margaret',
  'dijkstra',
  'grace_hop',
  'linus tor',
  'emma wils',
  'noah',
  'kovalevsk',
  'curie',
  'sophie_wil',
];
/** Typos of each kind (substitution, insertion, swap, deletion): matched by word similarity, the expensive part. */
export const TYPO_QUERIES = ['lovelase', 'hoppre', 'dijkstar', 'knth', 'barbbara'];
export const SEARCH_QUERIES = [...PREFIX_QUERIES, ...TYPO_QUERIES];

/** 100 k profiles with believable names; returns the seconds it took. */
export async function loadProfiles(usersUrl) {
  const t0 = performance.now();
  await withClient(usersUrl, async (c) => {
    // The trigram GIN indexes have no pending list (users' migration 0009), so 100 k inserts would
    // each update them in place (minutes): drop them around the load and build them again from their
    // own definitions (pg_get_indexdef keeps fastupdate = off), as feed-data.mjs does for posts.
    const { rows: gin } = await c.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am am ON am.oid = x.relam
        WHERE i.indrelid = 'profiles'::regclass AND am.amname = 'gin'`,
    );
    for (const { name } of gin) await c.query(`DROP INDEX ${name}`);
    await c.query(
      `INSERT INTO profiles (id, username, display_name, follower_count)
       SELECT md5('bench-search-' || i)::uuid,
              f.name || '_' || l.name || '_' || i,
              initcap(f.name) || ' ' || initcap(l.name),
              (i * 7919) % 1000
         FROM generate_series(0, $1 - 1) i,
              LATERAL (SELECT ($2::text[])[1 + i % array_length($2::text[], 1)] AS name) f,
              LATERAL (SELECT ($3::text[])[1 + (i / array_length($2::text[], 1)) % array_length($3::text[], 1)] AS name) l`,
      [SEARCH_USERS, FIRST, LAST],
    );
    // One suspended account in a hundred: the search must leave them out at no extra cost.
    await c.query(
      `UPDATE profiles SET suspended_at = now() WHERE id IN (SELECT md5('bench-search-' || i)::uuid FROM generate_series(0, $1 - 1, 100) i)`,
      [SEARCH_USERS],
    );
    for (const { def } of gin) await c.query(def);
    // Users' migration 0011's trigger filled the name-word tables from the same insert: analyse them too.
    await c.query('ANALYZE profiles, profile_name_words, name_words');
  });
  return round((performance.now() - t0) / 1000, 1);
}

async function removeProfiles(usersUrl) {
  await withClient(usersUrl, (c) =>
    c.query(`DELETE FROM profiles WHERE id IN (SELECT md5('bench-search-' || i)::uuid FROM generate_series(0, $1 - 1) i)`, [SEARCH_USERS]),
  );
}

/**
 * Loads the profiles, checks every query answers (and that each finds someone), then measures the
 * first page (limit 20) of the queries in rotation, and a second page from the cursor, at 2
 * connections straight to the users service. Returns the figures; the caller reports them.
 */
export async function measureSearchUsers({ usersBase, usersUrl, usersPid, tokens, duration, warmup }) {
  const loadSeconds = await loadProfiles(usersUrl);
  try {
    const auth = (k) => ({ authorization: `Bearer ${tokens[k % tokens.length]}` });
    const next = [];
    for (const [k, q] of SEARCH_QUERIES.entries()) {
      const res = await fetch(`${usersBase}/api/v1/search/users?q=${encodeURIComponent(q)}&limit=20`, { headers: auth(k) });
      const body = await res.json();
      if (res.status !== 200 || !body.items.length) throw new Error(`search ${q}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      if (body.nextCursor) next.push(`/api/v1/search/users?q=${encodeURIComponent(q)}&limit=20&cursor=${body.nextCursor}`);
    }
    const rotate = (paths) => {
      let i = 0;
      return {
        requests: [
          {
            method: 'GET',
            setupRequest(req) {
              const k = i++;
              req.path = paths[k % paths.length];
              req.headers = { ...req.headers, ...auth(k) };
              return req;
            },
          },
        ],
      };
    };
    const opts = { url: usersBase, connections: 2, duration, warmup, cpuPids: { users: usersPid } };
    const firstPath = (q) => `/api/v1/search/users?q=${encodeURIComponent(q)}&limit=20`;
    const first = assertHealthy('search users, first page', await load({ ...opts, ...rotate(SEARCH_QUERIES.map(firstPath)) }));
    const second = assertHealthy('search users, second page', await load({ ...opts, ...rotate(next) }));
    // The same first pages by kind, to show where the time goes.
    const prefixes = assertHealthy('search users, prefixes', await load({ ...opts, ...rotate(PREFIX_QUERIES.map(firstPath)) }));
    const typos = assertHealthy('search users, typos', await load({ ...opts, ...rotate(TYPO_QUERIES.map(firstPath)) }));
    return { users: SEARCH_USERS, queries: SEARCH_QUERIES.length, loadSeconds, first, second, prefixes, typos };
  } finally {
    await removeProfiles(usersUrl);
  }
}
