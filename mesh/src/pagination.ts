import { problems } from './http/problem.js';

/**
 * A list's page size. The lists are keyset-paginated: the cursors and the SQL come from
 * db/keyset.ts; the page shape (`Page<T>`) is the contract kit's (contract/page.ts).
 */
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
