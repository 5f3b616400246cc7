import { problems } from './http/problem.js';
import type { Page } from './contract/page.js';

/**
 * Keyset pagination: the cursor is the sort key of the last item served (opaque to clients, base64url
 * JSON), so a page costs an index range scan however deep it is — no OFFSET.
 */
// The page shape belongs to the contract kit (controllers return it); re-exported for the list code here.
export type { Page } from './contract/page.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw problems.validation(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`, [
      { field: 'limit', message: `must be from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return limit;
}

export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor and checks it has exactly the expected string fields; 400 otherwise. */
export function decodeCursor<K extends string>(cursor: string | undefined, fields: readonly K[]): Record<K, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => problems.validation('cursor is not valid; use nextCursor from a previous page.', [{ field: 'cursor', message: 'invalid' }]);
  if (cursor.length > 512) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object') throw invalid();
  const out = {} as Record<K, string>;
  for (const f of fields) {
    const v = (parsed as Record<string, unknown>)[f];
    if (typeof v !== 'string' || v.length > 200) throw invalid();
    out[f] = v;
  }
  return out;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether there is more. */
export function toPage<Row, Item>(rows: Row[], limit: number, toItem: (r: Row) => Item, keyOf: (r: Row) => Record<string, string>): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(toItem), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
