/**
 * One page of a keyset-paginated list. The cursor is opaque to clients: pass `nextCursor` back as
 * `cursor` for the next page.
 */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Page size, 1–100 (default 20).
 * @isInt must be a whole number
 * @minimum 1 must be at least 1
 * @maximum 100 must be at most 100
 * @example 20
 */
export type PageLimit = number;

/**
 * `nextCursor` of the previous page.
 * @maxLength 512 is not a cursor this service gave out
 */
export type Cursor = string;
