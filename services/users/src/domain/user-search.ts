import { pageSize, type Database, type Page } from '@agora/mesh';
import type { PublicUser } from '../controllers/schemas.js';
import { PUBLIC_USER_COLUMNS, toPublicUser, type PublicUserRow } from './public-users.js';
import { encodeRankedCursor, RANKED_START, rankedPosition, type RankedPosition } from './ranked-cursor.js';

interface SearchRow extends PublicUserRow {
  /** The row's score as float8 text (see ranked-cursor.ts). */
  cursorScore: string;
}

/** The query as matched: trimmed, lower-cased, inner runs of white space as one space. */
export function normaliseQuery(q: string): string {
  return q.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** `text` as a literal inside a LIKE pattern (backslash is PostgreSQL's default LIKE escape). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * How close a word of a username or display name must be to the query to count as a near spelling
 * (pg_trgm word similarity, 0–1). pg_trgm's default, 0.6, misses a swapped pair of letters at the
 * end of a name ("dijkstar" scores 0.67, "lovelase" for Lovelace 0.56 against the whole display
 * name); lower thresholds make every short name a near spelling of many (costly, and noise).
 */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

/**
 * The same bound for a one-word query compared with single words of names (NEAR_WORDS_SQL). Against
 * one word a letter dropped from a short name scores lower than against the whole name: "knth" for
 * Knuth shares two trigrams in a row with "knuth" (0.4), while against "ruth knuth" it scored 0.6
 * only because the word before ends in "th" — every other Knuth was missed. The dictionary makes the
 * extra candidates cheap (a few more words, each read a page at most), and they rank below closer ones.
 */
export const NAME_WORD_SIMILARITY_THRESHOLD = 0.4;

/** Shorter queries are matched as prefixes only: a typo in three letters is another name. */
export const FUZZY_MIN_LENGTH = 4;

/**
 * Finds people by username or display name, with pg_trgm (migration 0004).
 *
 * A profile matches when its username or display name starts with the query, a word of its display
 * name does, or (for queries of FUZZY_MIN_LENGTH characters or more) a word of either is a near
 * spelling of it (word similarity `<%` at WORD_SIMILARITY_THRESHOLD). Each test is answered by an
 * index (text_pattern_ops b-trees for prefixes, trigram GIN for words and near spellings). A one-word
 * query's near spellings are found through the dictionary of name words (NEAR_WORDS_SQL), so their
 * cost follows the page, not how many people share the misspelt name.
 *
 * The score ranks an exact username first (4), then username prefixes (2–3), then display-name
 * prefixes (1–2), shorter names first within each, then near spellings by their word similarity
 * (0–1): the score is a function of the query and the row alone, so (score, id) is a stable keyset
 * order (ranked-cursor.ts). The similarity is computed only for rows no prefix matched, and only
 * when the prefix matches do not fill the page: it is the expensive part. Suspended accounts never
 * match; deleted ones have no profile; people who block the searcher are left out.
 */
/** A prefix of the username or display name, or of a word of the display name: the cheap tests. */
const PREFIX_MATCH = `lower(p.username) LIKE $2 OR lower(p.display_name) LIKE $2 OR lower(p.display_name) LIKE $3`;
/** A near spelling that no prefix test matched (the tier below every prefix match). */
const NEAR_MATCH = `NOT (${PREFIX_MATCH}) AND ($1 <% lower(p.username) OR $1 <% lower(p.display_name))`;

/**
 * One ranked tier of matches after the position bound to $4, $5, at most $6 rows, seen by the searcher $7.
 * `OFFSET 0` keeps the inner query a separate step, so the score is computed once per candidate:
 * flattened, PostgreSQL evaluated it again for the position test and for the sort key, and a near
 * spelling's score is two word similarities, the dearest call of the search (half the calls now).
 */
function tierSql(match: string): string {
  return `SELECT c.id, c.username, c."displayName", c."avatarMediaId", c."followerCount", c."followingCount", c.score::text AS "cursorScore"
     FROM (
       SELECT ${PUBLIC_USER_COLUMNS},
              (CASE WHEN lower(p.username) = $1 THEN 4
                    WHEN lower(p.username) LIKE $2 THEN 2 + 1.0 / (1 + length(p.username))
                    WHEN lower(p.display_name) LIKE $2 OR lower(p.display_name) LIKE $3 THEN 1 + 1.0 / (1 + length(p.display_name))
                    ELSE greatest(word_similarity($1, lower(p.username)), word_similarity($1, lower(p.display_name))) END)::float8 AS score
         FROM profiles p
        WHERE p.suspended_at IS NULL AND (${match})
          AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.id AND b.blocked_id = $7)
       OFFSET 0
     ) c
    WHERE (c.score, c.id) < ($4::float8, $5::uuid)
    ORDER BY c.score DESC, c.id DESC
    LIMIT $6`;
}

/**
 * The near-spelling tier for a one-word query, through the words of names (migration 0011): the
 * dictionary words within NAME_WORD_SIMILARITY_THRESHOLD of the query (`near`, trigram index), then per
 * word its people newest id first (primary key `(word, profile_id)` read backwards), at most $6 each,
 * merged by (score, id). A person's score is their best word's; the `NOT EXISTS` on `near` keeps each
 * person under that word only (ties broken by the word), so a person is listed once and the order is
 * the same keyset order as the prefix tier's. The id bound is written as a `CASE` so that it is an
 * index condition: below the cursor's score every id counts (RANKED_START's id is the largest uuid),
 * at its score only ids below the cursor's.
 */
const NEAR_WORDS_SQL = `WITH near AS MATERIALIZED (
    SELECT w.word, word_similarity($1, w.word)::float8 AS score FROM name_words w WHERE $1 <% w.word
  )
  SELECT c.id, c.username, c."displayName", c."avatarMediaId", c."followerCount", c."followingCount", c.score::text AS "cursorScore"
    FROM near n
    CROSS JOIN LATERAL (
      SELECT ${PUBLIC_USER_COLUMNS}, n.score
        FROM profile_name_words pw JOIN profiles p ON p.id = pw.profile_id
       WHERE pw.word = n.word AND n.score <= $4::float8
         AND pw.profile_id < (CASE WHEN n.score < $4::float8 THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff' ELSE $5 END)::uuid
         AND p.suspended_at IS NULL AND NOT (${PREFIX_MATCH})
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.id AND b.blocked_id = $7)
         AND NOT EXISTS (SELECT 1 FROM profile_name_words o JOIN near better ON better.word = o.word
                          WHERE o.profile_id = pw.profile_id
                            AND (better.score > n.score OR (better.score = n.score AND better.word < n.word)))
       ORDER BY pw.profile_id DESC
       LIMIT $6
    ) c
   ORDER BY c.score DESC, c.id DESC
   LIMIT $6`;

/**
 * A query the word dictionary can answer: one word (letters and digits, as migration 0011 splits
 * names) with a letter in it. Others ("grace_hoper", "ada lovelase", "1234") are compared with whole
 * names as before: a typo across two words is rare, and the dictionary holds no numbers.
 */
export function isOneNameWord(query: string): boolean {
  return /^[\p{L}\p{N}]+$/u.test(query) && /\p{L}/u.test(query);
}

export class UserSearch {
  constructor(private readonly db: Database) {}

  /**
   * Prefix matches score above 1 and near spellings at most 1, so a page is the prefix tier from the
   * cursor on, then (only if that did not fill it, and the query is long enough) the near-spelling
   * tier: a query whose prefixes fill the page never pays for word similarity.
   */
  async search(me: string, q: string, limit: number | undefined, cursor: string | undefined): Promise<Page<PublicUser>> {
    const query = normaliseQuery(q);
    const size = pageSize(limit);
    const after = rankedPosition(cursor, query);
    const prefix = `${likeLiteral(query)}%`;
    const wordPrefix = `% ${likeLiteral(query)}%`;
    const fuzzy = query.length >= FUZZY_MIN_LENGTH;
    const rows = await this.db.transaction(async (tx) => {
      const run = (sql: string, from: RankedPosition, n: number) => tx.query<SearchRow>(sql, [query, prefix, wordPrefix, from.s, from.id, n, me]);
      const tier = (match: string, from: RankedPosition, n: number) => run(tierSql(match), from, n);
      const found = Number(after.s) > 1 ? await tier(PREFIX_MATCH, after, size + 1) : [];
      if (!fuzzy || found.length > size) return found;
      // The threshold is set for this transaction only (set_config(…, true) = SET LOCAL).
      const byWords = isOneNameWord(query);
      const threshold = byWords ? NAME_WORD_SIMILARITY_THRESHOLD : WORD_SIMILARITY_THRESHOLD;
      await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(threshold)]);
      const from = Number(after.s) > 1 ? RANKED_START : after;
      const n = size + 1 - found.length;
      return [...found, ...(await (byWords ? run(NEAR_WORDS_SQL, from, n) : tier(NEAR_MATCH, from, n)))];
    });
    const hasMore = rows.length > size;
    const pageRows = hasMore ? rows.slice(0, size) : rows;
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map(toPublicUser),
      nextCursor: hasMore && last ? encodeRankedCursor({ s: last.cursorScore, id: last.id }, query) : null,
    };
  }
}
