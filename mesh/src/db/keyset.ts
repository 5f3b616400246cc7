import { problems } from '../http/problem.js';
import type { Page } from '../contract/page.js';

/**
 * Keyset pagination, the one implementation every list uses: rows are ordered by (a timestamptz, a
 * uuid tie-breaker) and a page starts strictly after the position of the last row served, so a page
 * costs one index range scan however deep it is — no OFFSET.
 *
 * The cursor (opaque to clients: base64url JSON `{ t, id }`) carries the position exactly as
 * PostgreSQL stores it: the time is selected as text with all six fractional digits (`columns()`),
 * never through a JavaScript Date, which holds milliseconds and would make a page skip rows created
 * in the same millisecond. A page is built only from rows that carry that text (`KeysetRow`), so a
 * list cannot build its cursor any other way.
 *
 * Every cursor is checked the same way before it reaches SQL, and anything else is a 400 naming
 * `cursor`: exactly the fields `t` and `id`, both strings; `t` a real UTC calendar instant
 * (`YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, no 30 February, no hour 24) from 1970 to 9999; `id` a UUID.
 */
export interface KeysetPosition {
  /** The sort time, ISO-8601 UTC with up to microsecond precision (or ±infinity for the start). */
  t: string;
  /** The tie-breaker id. */
  id: string;
}

/** What each row of a keyset query must select (see `Keyset.columns`). */
export interface KeysetRow {
  /** The sort time as PostgreSQL's exact text. */
  cursorAt: string;
  cursorId: string;
}

export const MAX_CURSOR_LENGTH = 512;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

export type KeysetOrder = 'newest-first' | 'oldest-first';

export class Keyset {
  /** Where the first page starts: the same (index-friendly) row comparison as any other page. */
  readonly start: KeysetPosition;
  private readonly cmp: '<' | '>';
  private readonly dir: 'DESC' | 'ASC';

  constructor(readonly order: KeysetOrder) {
    const newest = order === 'newest-first';
    this.start = newest
      ? { t: 'infinity', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' }
      : { t: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
    this.cmp = newest ? '<' : '>';
    this.dir = newest ? 'DESC' : 'ASC';
  }

  /** Select-list SQL giving each row's position as `"cursorAt"` (exact text) and `"cursorId"`. */
  columns(time: string, id: string): string {
    return `to_char(${time} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt", ${id} AS "cursorId"`;
  }

  /** The condition "after the position bound to `$timeParam`, `$idParam`" in this order. */
  after(time: string, id: string, timeParam: number, idParam: number): string {
    return `(${time}, ${id}) ${this.cmp} ($${timeParam}::timestamptz, $${idParam}::uuid)`;
  }

  /** ORDER BY body for this order (the index the list uses must match it). */
  orderBy(time: string, id: string): string {
    return `${time} ${this.dir}, ${id} ${this.dir}`;
  }

  /** The position a request asks for: its checked cursor, or the start without one. 400 when forged. */
  position(cursor: string | undefined): KeysetPosition {
    return cursor === undefined || cursor === '' ? this.start : parseCursor(cursor);
  }

  /** A page from `limit + 1` fetched rows: the extra row only says whether there is more. */
  page<Row extends KeysetRow, Item>(rows: readonly Row[], limit: number, toItem: (row: Row) => Item): Page<Item> {
    const hasMore = rows.length > limit;
    const pageRows = hasMore ? rows.slice(0, limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return { items: pageRows.map(toItem), nextCursor: hasMore && last ? encodeCursor({ t: last.cursorAt, id: last.cursorId }) : null };
  }
}

export const NEWEST_FIRST = new Keyset('newest-first');
export const OLDEST_FIRST = new Keyset('oldest-first');

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ t: position.t, id: position.id })).toString('base64url');
}

/**
 * The fields of an opaque cursor: base64url of JSON holding one plain object, at most
 * MAX_CURSOR_LENGTH characters; anything else throws `invalid()`. Each kind of cursor (this keyset's,
 * a ranked search's) then checks its own fields.
 */
export function cursorFields(cursor: string, invalid: () => Error): Record<string, unknown> {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  return parsed as Record<string, unknown>;
}

/** Decodes and checks a cursor (see the module comment); a 400 problem naming `cursor` otherwise. */
export function parseCursor(cursor: string): KeysetPosition {
  const fields = cursorFields(cursor, invalidCursor);
  const keys = Object.keys(fields);
  if (keys.length !== 2 || typeof fields.t !== 'string' || typeof fields.id !== 'string') throw invalidCursor();
  if (!isInstant(fields.t) || !UUID.test(fields.id)) throw invalidCursor();
  return { t: fields.t, id: fields.id };
}

/** A real UTC calendar instant in range: every part survives a round trip through the calendar. */
function isInstant(text: string): boolean {
  const m = INSTANT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function invalidCursor() {
  return problems.validation('The cursor is not valid; pass the nextCursor of a previous page unchanged.', [{ field: 'cursor', message: 'invalid' }]);
}
