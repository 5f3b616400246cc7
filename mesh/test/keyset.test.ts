/**
 * The keyset module every paginated list uses (mesh/src/db/keyset.ts), property-tested once for all
 * lists: what it encodes it decodes unchanged; anything else is a 400 problem naming `cursor` — never
 * another error, never a value that reaches SQL — and paging over rows whose times differ only in
 * microseconds neither skips nor repeats a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createDatabase,
  encodeCursor,
  NEWEST_FIRST,
  OLDEST_FIRST,
  pageSize,
  parseCursor,
  ProblemError,
  type Database,
  type Keyset,
  type KeysetRow,
} from '@agora/mesh';
import { freshDatabase } from '../../test/helpers/db.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = '0b6b4b1e-7c5a-4d7e-9f00-1234567890ab';

/** `t` strings in the cursor's format for instants from 1970 to 9999, with 0 to 6 fractional digits. */
const instantText = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
    fc.integer({ min: 0, max: 6 }),
  )
  .map(([date, micros, digits]) => {
    const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
    const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.slice(0, digits);
    return `${iso.slice(0, 19)}${digits ? `.${fraction}` : ''}Z`;
  });

function expectCursorProblem(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ProblemError);
  const problem = thrown as ProblemError;
  expect(problem.status).toBe(400);
  expect(problem.toDocument().errors).toEqual([{ field: 'cursor', message: 'invalid' }]);
}

describe('keyset cursors', () => {
  it('decodes every cursor it encodes, unchanged', () => {
    fc.assert(
      fc.property(instantText, fc.uuid(), (t, id) => {
        expect(parseCursor(encodeCursor({ t, id }))).toEqual({ t, id });
      }),
    );
  });

  it('refuses arbitrary strings with a 400 naming cursor, and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (cursor) => {
        let position;
        try {
          position = parseCursor(cursor);
        } catch (err) {
          expect(err).toBeInstanceOf(ProblemError);
          expect((err as ProblemError).status).toBe(400);
          return;
        }
        // The only strings accepted are real cursors.
        expect(encodeCursor(position)).toBeDefined();
        expect(parseCursor(encodeCursor(position))).toEqual(position);
      }),
    );
  });

  it('refuses structurally valid cursors that are semantically wrong: calendar, range, types, ids, fields', () => {
    const wrongTimes = [
      '2024-02-30T00:00:00.000Z', // no 30 February
      '2023-02-29T00:00:00.000Z', // not a leap year
      '0000-01-01T00:00:00.000Z', // year 0000
      '1969-12-31T23:59:59.999Z', // before 1970
      '10000-01-01T00:00:00.000Z', // past 9999
      '2024-13-01T00:00:00.000Z',
      '2024-00-10T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T23:60:00.000Z',
      '2024-06-30T23:59:60.000Z', // leap second
      '2024-01-01T00:00:00.0000000Z', // 7 fractional digits
      '2024-01-01T00:00:00.000+01:00', // not UTC
      '2024-01-01 00:00:00Z',
      'infinity',
      '-infinity',
      'now',
      '',
    ];
    for (const t of wrongTimes) expectCursorProblem(() => parseCursor(b64({ t, id: ID })));
    for (const id of ['', 'not-a-uuid', `${ID}0`, "1' OR '1'='1", 'ffffffff-ffff-ffff-ffff-fffffffffffg']) {
      expectCursorProblem(() => parseCursor(b64({ t: '2024-01-01T00:00:00.000Z', id })));
    }
    const wrongShapes = [
      { t: 1704067200000, id: ID },
      { t: '2024-01-01T00:00:00.000Z', id: 42 },
      { t: null, id: ID },
      { t: ['2024-01-01T00:00:00.000Z'], id: ID },
      { t: '2024-01-01T00:00:00.000Z' },
      { id: ID },
      { t: '2024-01-01T00:00:00.000Z', id: ID, extra: 1 },
      { createdAt: '2024-01-01T00:00:00.000Z', id: ID },
      [],
      ['2024-01-01T00:00:00.000Z', ID],
      'a string',
      12,
      null,
    ];
    for (const shape of wrongShapes) expectCursorProblem(() => parseCursor(b64(shape)));
    for (const raw of ['%%%', '!', 'x'.repeat(600), Buffer.from('{"t":').toString('base64url'), 'eyJ0Ijo'])
      expectCursorProblem(() => parseCursor(raw));
  });

  it('accepts the edges of the range and leap days', () => {
    for (const t of ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '2024-02-29T12:00:00.5Z']) {
      expect(parseCursor(b64({ t, id: ID }))).toEqual({ t, id: ID });
    }
  });

  it('starts at the first row without a cursor, in either order', () => {
    expect(NEWEST_FIRST.position(undefined).t).toBe('infinity');
    expect(NEWEST_FIRST.position('').t).toBe('infinity');
    expect(OLDEST_FIRST.position(undefined).t).toBe('-infinity');
  });

  it('validates limit', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow(ProblemError);
    expect(() => pageSize(101)).toThrow(ProblemError);
  });
});

describe('keyset paging on PostgreSQL (microsecond timestamps)', () => {
  let db: Database;
  beforeAll(async () => {
    db = createDatabase({ url: await freshDatabase('keyset'), poolMax: 2 });
  });
  afterAll(async () => {
    await db?.close();
  });

  async function pageThrough(keyset: Keyset, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 1000; i += 1) {
      const after = keyset.position(cursor);
      const rows = await db.query<KeysetRow & { id: string }>(
        `SELECT id, ${keyset.columns('at', 'id')} FROM rows WHERE ${keyset.after('at', 'id', 1, 2)} ORDER BY ${keyset.orderBy('at', 'id')} LIMIT $3`,
        [after.t, after.id, limit + 1],
      );
      const page = keyset.page(rows, limit, (r) => r.id);
      seen.push(...page.items);
      if (!page.nextCursor) return seen;
      cursor = page.nextCursor;
    }
    throw new Error('paging did not end');
  }

  it('visits every row exactly once, in order, whatever the page size, with times inside one millisecond', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    const row = fc.record({ offsetMs: fc.integer({ min: 0, max: 3 }), micros: fc.integer({ min: 0, max: 999 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (rows, limit) => {
        await db.execute('DROP TABLE IF EXISTS rows; CREATE TABLE rows (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), at timestamptz NOT NULL)');
        for (const r of rows) {
          const at = `${new Date(base + r.offsetMs).toISOString().slice(0, 23)}${String(r.micros).padStart(3, '0')}Z`;
          await db.execute('INSERT INTO rows (at) VALUES ($1)', [at]);
        }
        const newest = (await db.query<{ id: string }>('SELECT id FROM rows ORDER BY at DESC, id DESC')).map((r) => r.id);
        expect(await pageThrough(NEWEST_FIRST, limit)).toEqual(newest);
        expect(await pageThrough(OLDEST_FIRST, limit)).toEqual([...newest].reverse());
      }),
      { numRuns: 25 },
    );
  });
});
