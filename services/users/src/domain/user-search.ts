import { pageSize, type Database, type Page } from '@agora/mesh';
import type { PublicUser } from '../controllers/schemas.js';
import { PUBLIC_USER_COLUMNS, toPublicUser, type PublicUserRow } from './public-users.js';
import { encodeRankedCursor, rankedPosition } from './ranked-cursor.js';

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
 * (pg_trgm word similarity, 0–1). pg_trgm's default, 0.6, misses common typos of short names:
 * "turnig" for Turing scores 0.43, "knth" for Knuth 0.4; at 0.4 both match, and near misses rank
 * below every prefix match anyway (see the score).
 */
export const WORD_SIMILARITY_THRESHOLD = 0.4;

/**
 * Finds people by username or display name, with pg_trgm (migration 0004).
 *
 * A profile matches when its username or display name starts with the query, a word of its display
 * name does, or a word of either is a near spelling of it (word similarity `<%`, at
 * WORD_SIMILARITY_THRESHOLD). Each test is answered by an index (trigram GIN for the fuzzy ones and
 * longer prefixes, text_pattern_ops b-trees for short prefixes).
 *
 * The score ranks an exact username first (3), then username prefixes (2), then display-name
 * prefixes (1), then near spellings (0), each plus its best word similarity (≤ 1): the score is a
 * function of the query and the row alone, so (score, id) is a stable keyset order
 * (ranked-cursor.ts). Suspended accounts never match; deleted ones have no profile.
 */
export class UserSearch {
  constructor(private readonly db: Database) {}

  async search(q: string, limit: number | undefined, cursor: string | undefined): Promise<Page<PublicUser>> {
    const query = normaliseQuery(q);
    const size = pageSize(limit);
    const after = rankedPosition(cursor, query);
    const prefix = `${likeLiteral(query)}%`;
    const wordPrefix = `% ${likeLiteral(query)}%`;
    // The threshold is set for this transaction only (set_config(…, true) = SET LOCAL).
    const rows = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(WORD_SIMILARITY_THRESHOLD)]);
      return tx.query<SearchRow>(
        `SELECT c.id, c.username, c."displayName", c."avatarMediaId", c."followerCount", c."followingCount", c.score::text AS "cursorScore"
           FROM (
             SELECT ${PUBLIC_USER_COLUMNS},
                    (CASE WHEN lower(p.username) = $1 THEN 3
                          WHEN lower(p.username) LIKE $2 THEN 2
                          WHEN lower(p.display_name) LIKE $2 OR lower(p.display_name) LIKE $3 THEN 1
                          ELSE 0 END
                     + greatest(word_similarity($1, lower(p.username)), word_similarity($1, lower(p.display_name))))::float8 AS score
               FROM profiles p
              WHERE p.suspended_at IS NULL
                AND (lower(p.username) LIKE $2 OR lower(p.display_name) LIKE $2 OR lower(p.display_name) LIKE $3
                     OR $1 <% lower(p.username) OR $1 <% lower(p.display_name))
           ) c
          WHERE (c.score, c.id) < ($4::float8, $5::uuid)
          ORDER BY c.score DESC, c.id DESC
          LIMIT $6`,
        [query, prefix, wordPrefix, after.s, after.id, size + 1],
      );
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
