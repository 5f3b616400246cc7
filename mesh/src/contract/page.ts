/**
 * One page of a keyset-paginated list. The cursor is opaque to clients: pass `nextCursor` back as
 * `cursor` for the next page.
 */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}
