import { NEWEST_FIRST, pageSize, problems, type Database, type KeysetRow, type Page } from '@agora/mesh';
import type { Post } from '../controllers/schemas.js';
import { POST_COLUMNS, POST_JOINS, toPost, type PostRow } from './post-rows.js';
import { notBlockedEitherWay } from './blocks.js';

/** Longest query text accepted (also the contract's maxLength of `q`). */
export const MAX_QUERY_LENGTH = 100;

/**
 * Full-text search of posts (PostgreSQL `websearch_to_tsquery` over the `simple` configuration:
 * whole words, any case, any language, quotes for phrases, `-word` to exclude), newest first and
 * keyset-paginated like every list. Matches are found in posts_search_idx (GIN) when the words are
 * rare; for common words the planner walks posts_created_idx newest first and stops after a page.
 * Results are ordered by time, not by rank: a ranked order has no stable keyset position to page by.
 * Posts of authors who block the caller, or whom the caller blocks, are left out (the relationships
 * read model); muted authors are still found (a mute hides from the feed, not from a search).
 */
export class PostSearch {
  constructor(private readonly db: Database) {}

  async search(me: string, q: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Post>> {
    const n = pageSize(limit);
    const after = NEWEST_FIRST.position(cursor);
    await this.assertSearchable(q);
    const rows = await this.db.query<PostRow & KeysetRow>(
      `SELECT ${POST_COLUMNS}, ${NEWEST_FIRST.columns('p.created_at', 'p.id')}
         FROM (SELECT x.id FROM posts x
                WHERE x.search @@ websearch_to_tsquery('simple', $2) AND ${NEWEST_FIRST.after('x.created_at', 'x.id', 3, 4)}
                  AND ${notBlockedEitherWay(1, 'x.author_id')}
                ORDER BY ${NEWEST_FIRST.orderBy('x.created_at', 'x.id')} LIMIT $5) page
         JOIN posts p ON p.id = page.id ${POST_JOINS}
        ORDER BY ${NEWEST_FIRST.orderBy('p.created_at', 'p.id')}`,
      [me, q, after.t, after.id, n + 1],
    );
    return NEWEST_FIRST.page(rows, n, toPost);
  }

  /** A query of only punctuation or spaces finds nothing by definition: say so rather than answer an empty page. */
  private async assertSearchable(q: string): Promise<void> {
    const invalid = (message: string) => problems.validation(`q ${message}.`, [{ field: 'q', message }]);
    if (q.trim() === '') throw invalid('must contain a word');
    if (q.length > MAX_QUERY_LENGTH) throw invalid(`must be at most ${MAX_QUERY_LENGTH} characters`);
    const [row] = await this.db.query<{ words: number }>("SELECT numnode(websearch_to_tsquery('simple', $1))::int AS words", [q]);
    if (!row || Number(row.words) === 0) throw invalid('must contain a word (letters or digits)');
  }
}
