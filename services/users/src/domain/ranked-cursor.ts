import { createHash } from 'node:crypto';
import { cursorFields, isUuid, problems } from '@agora/mesh';

/**
 * The cursor of a ranked list (search). Rows are ordered by (score DESC, id DESC), where the score
 * is a pure function of the query and the row, so the next page starts strictly after the last
 * row served: `(score, id) < (s, id)`. It is mesh's keyset (mesh/src/db/keyset.ts) with a score in
 * place of a time, and checked the same way.
 *
 * Opaque to clients: base64url JSON `{ s, id, q }`.
 * - `s` is the score as PostgreSQL's exact text of the float8 (shortest round-trip form, so it
 *   compares equal when bound back as `::float8`; a JavaScript number would do too, but the text
 *   keeps the one source of truth in SQL).
 * - `id` the tie-breaker, a UUID.
 * - `q` a short hash of the normalised query: a cursor only continues the query that gave it out
 *   (another query's cursor would start its list at an arbitrary rank).
 * Anything else is a 400 naming `cursor`.
 */
export interface RankedPosition {
  /** The score of the last row served, as float8 text; 'Infinity' for the first page. */
  s: string;
  id: string;
}

/** float8 text as PostgreSQL prints a finite, non-negative score: 1.5, 0.2857143, 1e-05, 3. */
const SCORE = /^(?:0|[1-9]\d{0,2})(?:\.\d{1,17})?(?:e-\d{1,3})?$/;
/** Scores are at most 4 (an exact username; user-search.ts). */
const MAX_SCORE = 4;

export const RANKED_START: RankedPosition = { s: 'Infinity', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };

/** 12 base64url characters of SHA-256 of the normalised query. */
export function queryHash(normalisedQuery: string): string {
  return createHash('sha256').update(normalisedQuery).digest('base64url').slice(0, 12);
}

export function encodeRankedCursor(position: RankedPosition, normalisedQuery: string): string {
  return Buffer.from(JSON.stringify({ s: position.s, id: position.id, q: queryHash(normalisedQuery) })).toString('base64url');
}

/** The position a request asks for: the start without a cursor, its checked position otherwise. */
export function rankedPosition(cursor: string | undefined, normalisedQuery: string): RankedPosition {
  if (cursor === undefined || cursor === '') return RANKED_START;
  const f = cursorFields(cursor, invalidCursor);
  if (Object.keys(f).length !== 3 || typeof f.s !== 'string' || typeof f.id !== 'string' || typeof f.q !== 'string') throw invalidCursor();
  if (!SCORE.test(f.s) || !(Number(f.s) <= MAX_SCORE) || !isUuid(f.id)) throw invalidCursor();
  if (f.q !== queryHash(normalisedQuery)) throw invalidCursor();
  return { s: f.s, id: f.id.toLowerCase() };
}

function invalidCursor() {
  return problems.validation('The cursor is not valid for this search; pass the nextCursor of the previous page unchanged, with the same q.', [
    { field: 'cursor', message: 'invalid' },
  ]);
}
