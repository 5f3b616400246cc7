// Set-based generation of the feed data set, straight into the users and posts databases:
// INSERT ... SELECT ... FROM generate_series(...), secondary indexes and constraints dropped
// around the bulk load and re-created afterwards with exactly their original definitions
// (pg_get_indexdef / pg_get_constraintdef), then VACUUM ANALYZE (statistics for the planner and a
// visibility map for index-only scans, as autovacuum would leave a long-lived table).
//
// The graph: users 0..N-1 with deterministic ids md5('bench-user-' || i)::uuid, so both databases
// compute the same ids without sharing anything; user i follows (i + k·S) mod N for k = 1..F — every
// user follows exactly F others and has exactly F followers. The bench's signed-in viewers follow
// the same F authors as user 0 (k·S for k = 1..F).
//
// The posts: the first 10 000 are written by those F authors (10 000 / F each), so the viewers'
// feed holds 10 000 posts at both sizes; the 990 000 added for the 1 M size are written by
// everybody else (about 10 each) and spread over a year. Between the two sizes only the table (and
// its indexes) grows 100×, the feed's content stays the same: the comparison isolates the cost of
// table size, which a keyset feed must not feel.
//
// What posts embeds comes from its read models, filled as the events would: an `authors` row for
// every bench user (every 10th with an avatar), and media on every 4th post (two on every 8th) with
// their `media_objects` rows, so every feed item joins its author and a quarter unnest their media.
// For search, every post's text carries its number j (a word found once), `tag<j mod 1000>` (found
// in 0.1 % of posts) and `lorem` (in all of them).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// pg as mesh resolves it (a dependency of mesh, not of the root package).
const pg = createRequire(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../mesh/package.json'))('pg');

export const GRAPH = { users: 100_000, follows: 200, stride: 499 };
if (GRAPH.follows * GRAPH.stride >= GRAPH.users) throw new Error('stride too large: follows would wrap');

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SET synchronous_commit = off;
      SET max_parallel_maintenance_workers = 2; SET max_parallel_workers_per_gather = 2`);
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function timed(steps, name, fn) {
  const t0 = performance.now();
  const out = await fn();
  steps.push({ step: name, seconds: Math.round(performance.now() - t0) / 1000 });
  if (process.env.BENCH_VERBOSE) console.log(`[feed-data] ${name}: ${steps.at(-1).seconds} s`);
  return out;
}

/**
 * Drops the table's indexes and (optionally) its PK/unique/FK constraints, returns the statements
 * that re-create them as they were, in order: keys, indexes, foreign keys (run them one by one:
 * each build already uses PostgreSQL's parallel maintenance workers).
 */
async function dropIndexes(client, table, { constraints }) {
  const recreate = [];
  const foreign = []; // re-created (and validated) last, when the indexes exist
  if (constraints) {
    const { rows } = await client.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def, contype FROM pg_constraint
        WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC`,
      [table],
    );
    for (const r of rows) {
      await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${quote(r.conname)}`);
    }
    for (const r of rows.filter((r) => r.contype !== 'f')) recreate.push(`ALTER TABLE ${table} ADD CONSTRAINT ${quote(r.conname)} ${r.def}`);
    // NOT VALID: enforced for every row written from now on; the generated rows reference
    // generated profiles by construction, so the 20 M-row validation scan is skipped.
    foreign.push(...rows.filter((r) => r.contype === 'f').map((r) => `ALTER TABLE ${table} ADD CONSTRAINT ${quote(r.conname)} ${r.def} NOT VALID`));
  }
  const { rows } = await client.query(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    [table],
  );
  for (const r of rows) {
    await client.query(`DROP INDEX ${quote(r.name)}`);
    recreate.push(r.def);
  }
  return [...recreate, ...foreign];
}

const quote = (name) => `"${name.replace(/"/g, '""')}"`;

/**
 * Runs `statements` on `parallel` connections at once (index builds are single-table sorts; two at a
 * time keeps both cores busy).
 */
async function runConcurrently(url, statements, parallel = 2) {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, () =>
      withClient(url, async (c) => {
        for (let s = queue.shift(); s; s = queue.shift()) {
          const t0 = performance.now();
          await c.query(s);
          if (process.env.BENCH_VERBOSE) console.log(`[feed-data]   ${((performance.now() - t0) / 1000).toFixed(1)} s: ${s}`);
        }
      }),
    ),
  );
}

/** 100 k profiles and N·F follows in the users database; `viewers` (real user ids) follow user 0's followees. */
export async function loadFollowGraph(usersUrl, viewers, { users: N, follows: F, stride: S } = GRAPH) {
  const steps = [];
  const t0 = performance.now();
  const recreate = await withClient(usersUrl, async (c) => {
    await timed(steps, 'profiles', () =>
      c.query(
        `INSERT INTO profiles (id, username, display_name, following_count, follower_count)
         SELECT md5('bench-user-' || i)::uuid, 'bench_' || i, 'Bench user ' || i, $2, $2 FROM generate_series(0, $1 - 1) i`,
        [N, F],
      ),
    );
    // The follows table is throwaway bench data: UNLOGGED skips WAL for 20 M rows (set while empty,
    // which is instant). Its queries and indexes are unchanged by it.
    await c.query('ALTER TABLE follows SET UNLOGGED');
    const defs = await dropIndexes(c, 'follows', { constraints: true });
    // One id table for both ends of the join (hash join: 100 k-row build side, N·F probes).
    await c.query(`CREATE UNLOGGED TABLE bench_ids AS SELECT i, md5('bench-user-' || i)::uuid AS id FROM generate_series(0, ${N - 1}) i`);
    await c.query('ANALYZE bench_ids');
    return defs;
  });
  // Two halves of the follower range on two connections (both cores).
  const half = Math.ceil(N / 2);
  await timed(steps, `follows (${((N * F) / 1e6).toFixed(0)} M rows)`, () =>
    Promise.all(
      [
        [0, half],
        [half, N],
      ].map(([lo, hi]) =>
        withClient(usersUrl, (c) =>
          c.query(
            `INSERT INTO follows (follower_id, followee_id, created_at)
             SELECT a.id, b.id, timestamptz '2025-01-01' + (a.i * interval '1 second') + (k * interval '1 millisecond')
               FROM bench_ids a CROSS JOIN generate_series(1, $1::int) k
               JOIN bench_ids b ON b.i = (a.i + k * $2::int) % $3::int
              WHERE a.i >= $4 AND a.i < $5`,
            [F, S, N, lo, hi],
          ),
        ),
      ),
    ),
  );
  await withClient(usersUrl, async (c) => {
    await followFeedAuthorsWith(c, viewers, { follows: F, stride: S });
    await c.query('DROP TABLE bench_ids');
  });
  await timed(steps, 're-create follows indexes and constraints', async () => {
    await runConcurrently(usersUrl, recreate, 1);
  });
  await timed(steps, 'vacuum analyze', () =>
    withClient(usersUrl, (c) => c.query('VACUUM ANALYZE profiles').then(() => c.query('VACUUM ANALYZE follows'))),
  );
  const { rows } = await withClient(usersUrl, (c) =>
    c.query('SELECT (SELECT count(*) FROM profiles)::int AS profiles, (SELECT count(*) FROM follows)::int AS follows'),
  );
  return { ...rows[0], seconds: Math.round(performance.now() - t0) / 1000, steps };
}

async function followFeedAuthorsWith(c, viewers, { follows: F, stride: S }) {
  await c.query(
    `INSERT INTO follows (follower_id, followee_id, created_at)
     SELECT v.id, md5('bench-user-' || (k * $2::int))::uuid, timestamptz '2025-01-01' + (k * interval '1 millisecond')
       FROM unnest($3::uuid[]) AS v(id) CROSS JOIN generate_series(1, $1::int) k`,
    [F, S, viewers],
  );
  await c.query('UPDATE profiles SET following_count = $1 WHERE id = ANY($2::uuid[])', [F, viewers]);
}

/**
 * Makes `viewers` (real user ids) follow the same F authors as the bench's viewers, on a graph that
 * is already loaded: for a viewer signed up after loadFollowGraph ran.
 */
export async function followFeedAuthors(usersUrl, viewers, { follows: F, stride: S } = GRAPH) {
  await withClient(usersUrl, (c) => followFeedAuthorsWith(c, viewers, { follows: F, stride: S }));
}

/** What of the feed data set is in the databases already: the graph (users), authors and posts (posts). */
export async function loadedFeedData(usersUrl, postsUrl) {
  const first = `md5('bench-user-0')::uuid`;
  const users = await withClient(usersUrl, (c) => c.query(`SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = ${first}) AS graph`));
  const posts = await withClient(postsUrl, (c) =>
    c.query(`SELECT EXISTS (SELECT 1 FROM authors WHERE id = ${first}) AS authors, (SELECT count(*) FROM posts)::int AS posts`),
  );
  return { graph: users.rows[0].graph, authors: posts.rows[0].authors, posts: posts.rows[0].posts };
}

/** The read model of authors in posts, as users' profile.updated would have filled it. */
export async function loadAuthors(postsUrl, { users: N } = GRAPH) {
  const t0 = performance.now();
  await withClient(postsUrl, async (c) => {
    await c.query(
      `INSERT INTO authors (id, username, display_name, avatar_media_id, profile_seq)
       SELECT md5('bench-user-' || i)::uuid, 'bench_' || i, 'Bench user ' || i,
              CASE WHEN i % 10 = 0 THEN md5('bench-avatar-' || i)::uuid END, 1
         FROM generate_series(0, $1 - 1) i ON CONFLICT (id) DO NOTHING`,
      [N],
    );
    await c.query('VACUUM ANALYZE authors');
  });
  return { authors: N, seconds: Math.round(performance.now() - t0) / 1000 };
}

/** Search words of the bench posts (see the module comment): what `q` the search row sends. */
export const SEARCH_WORDS = {
  rare: (k) => String(1000 + ((k * 7919) % 9000)),
  tag: (k) => `tag${k % 1000}`,
  common: () => 'lorem',
  twoWords: (k) => `lorem tag${(k * 13) % 1000}`,
};

/**
 * Posts with index j in [from, to): j < 10 000 by the viewers' F followees, the rest by everybody
 * else. Drops posts' secondary index around large loads.
 */
export async function loadPosts(postsUrl, from, to, { users: N, follows: F, stride: S } = GRAPH) {
  const steps = [];
  const t0 = performance.now();
  const big = to - from > 100_000;
  await withClient(postsUrl, async (c) => {
    const recreate = big ? await dropIndexes(c, 'posts', { constraints: false }) : [];
    await timed(steps, `posts ${from}..${to}`, () =>
      c.query(
        `INSERT INTO posts (id, author_id, text, media_ids, created_at, updated_at)
         SELECT md5('bench-post-' || j)::uuid, md5('bench-user-' || a)::uuid,
                'Bench post number ' || j || ' tag' || (j % 1000) || ' — ' || repeat('lorem ipsum ', 1 + j % 8),
                CASE WHEN j % 8 = 0 THEN ARRAY[md5('bench-media-' || j)::uuid, md5('bench-media-b-' || j)::uuid]
                     WHEN j % 4 = 0 THEN ARRAY[md5('bench-media-' || j)::uuid] ELSE '{}' END,
                t, t
           FROM generate_series($1::int, $2::int - 1) j,
           LATERAL (SELECT CASE
                      WHEN j < 10000 THEN ((j % $3::int) + 1) * $4::int
                      WHEN (j % $5::int) % $4::int = 0 AND (j % $5::int) BETWEEN $4::int AND $3::int * $4::int THEN (j % $5::int) + 1
                      ELSE j % $5::int END AS a,
                    CASE WHEN j < 10000 THEN timestamptz '2025-06-01' - j * interval '37 seconds'
                      ELSE timestamptz '2025-06-01' - ((j::bigint * 7919) % 31536000) * interval '1 second' END AS t) x`,
        [from, to, F, S, N],
      ),
    );
    await timed(steps, `media_objects of posts ${from}..${to}`, () =>
      c.query(
        `INSERT INTO media_objects (id, owner_id, content_type, width, height, alt, media_seq)
         SELECT m.id, p.author_id, 'image/jpeg', 1280, 960, 'Bench image', 1
           FROM posts p CROSS JOIN LATERAL unnest(p.media_ids) AS m(id)
          WHERE p.id IN (SELECT md5('bench-post-' || j)::uuid FROM generate_series($1::int, $2::int - 1) j WHERE j % 4 = 0)`,
        [from, to],
      ),
    );
    if (recreate.length) await timed(steps, 're-create posts indexes', () => runConcurrently(postsUrl, recreate));
    await timed(steps, 'vacuum analyze', () => c.query('VACUUM ANALYZE posts').then(() => c.query('VACUUM ANALYZE media_objects')));
  });
  const { rows } = await withClient(postsUrl, (c) => c.query('SELECT count(*)::int AS posts FROM posts'));
  return { ...rows[0], seconds: Math.round(performance.now() - t0) / 1000, steps };
}
