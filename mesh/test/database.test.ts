/**
 * The service database (mesh/src/db/database.ts) on a real PostgreSQL: rows as pg types them, the
 * query metrics, transactions that commit or roll back on one connection, and failures mapped the
 * way the error handler answers them (500 for a broken statement, 400 for an unstorable character,
 * 503 when the database is gone) — with a broken connection never handed out again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, isUniqueViolation, toProblem, type Database, type Queryable } from '@agora/mesh';
import { freshDatabase } from '../../test/helpers/db.js';

let db: Database;
let url = '';
const observed: Array<[string, number]> = [];

beforeAll(async () => {
  url = await freshDatabase('database');
  db = createDatabase({ url, poolMax: 2, onQuery: (op, s) => observed.push([op, s]) });
  await db.execute(`CREATE TABLE items (id uuid PRIMARY KEY, tags uuid[] NOT NULL, n bigint NOT NULL, at timestamptz NOT NULL, ok boolean)`);
  await db.execute(
    `INSERT INTO items VALUES ('00000000-0000-4000-8000-000000000001', ARRAY['00000000-0000-4000-8000-00000000000a']::uuid[], 9007199254740993, '2026-11-25T10:00:00.123Z', true),
                              ('00000000-0000-4000-8000-000000000002', '{}', 2, '2026-11-24T10:00:00Z', NULL)`,
  );
});

afterAll(async () => {
  await db?.close();
});

describe('Database', () => {
  it('returns rows with positional parameters: arrays, bigint as text, timestamps as Dates, nulls', async () => {
    const rows = await db.query('SELECT id, tags, n, at, ok FROM items WHERE n >= $1 ORDER BY id', [2]);
    expect(rows).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000001',
        tags: ['00000000-0000-4000-8000-00000000000a'],
        n: '9007199254740993',
        at: new Date('2026-11-25T10:00:00.123Z'),
        ok: true,
      },
      { id: '00000000-0000-4000-8000-000000000002', tags: [], n: '2', at: new Date('2026-11-24T10:00:00Z'), ok: null },
    ]);
  });

  it('times every statement by its kind, never by its text', async () => {
    observed.length = 0;
    const changed = await db.execute('UPDATE items SET n = n + 1 WHERE id = $1', ['00000000-0000-4000-8000-000000000002']);
    expect(changed).toBe(1);
    await db.query('SELECT 1');
    await db.query('WITH x AS (SELECT 1) SELECT * FROM x');
    expect(observed.map(([op]) => op)).toEqual(['update', 'select', 'with']);
    for (const [, seconds] of observed) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('commits a transaction on one connection and rolls it back when the work throws', async () => {
    const id = '00000000-0000-4000-8000-000000000003';
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(`INSERT INTO items VALUES ($1, '{}', 3, now(), true)`, [id]);
        // Visible inside the transaction, not outside it yet.
        expect(await tx.query('SELECT id FROM items WHERE id = $1', [id])).toHaveLength(1);
        expect(await db.query('SELECT id FROM items WHERE id = $1', [id])).toHaveLength(0);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await db.query('SELECT id FROM items WHERE id = $1', [id])).toHaveLength(0);

    const result = await db.transaction(async (tx) => {
      await tx.execute(`INSERT INTO items VALUES ($1, '{}', 3, now(), true)`, [id]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.query('SELECT id FROM items WHERE id = $1', [id])).toHaveLength(1);
    // The pool is whole again: both connections free.
    expect(db.poolStats()).toMatchObject({ used: 0, waiting: 0 });
  });

  it('refuses statements on a transaction that has ended', async () => {
    let leaked: Queryable | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow('the transaction has ended');
  });

  it('reports a unique violation so a domain can answer 409', async () => {
    const err = await db.execute(`INSERT INTO items VALUES ('00000000-0000-4000-8000-000000000001', '{}', 1, now(), true)`).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('duplicate key'))).toBe(false);
  });

  it("a broken statement carries pg's code and is answered 500; the pool goes on", async () => {
    const err = await db.query('SELECT no_such_column FROM items').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '42703' });
    expect(toProblem(err, 1024).status).toBe(500);
    expect(await db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('a character PostgreSQL text cannot hold (U+0000) is a 400, not a 500', async () => {
    const err = await db.query('SELECT $1::text AS t', ['a\u0000b']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '22021' });
    expect(toProblem(err, 1024).status).toBe(400);
    expect(await db.query('SELECT 4 AS four')).toEqual([{ four: 4 }]);
  });

  it('a runaway statement is cut by statement_timeout (10 s) configured on every connection', async () => {
    expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '10s' }]);
    expect(await db.query('SHOW idle_in_transaction_session_timeout')).toEqual([{ idle_in_transaction_session_timeout: '15s' }]);
  });

  it('answers 503 when the server cuts the connection mid-query, and never reuses that connection', async () => {
    const running = db.query('SELECT pg_sleep(10) AS slept').catch((e: unknown) => e);
    const admin = createDatabase({ url, poolMax: 1 });
    try {
      // Terminate the backend running the sleep, as a restarting or failing-over server would.
      for (let i = 0; i < 100; i += 1) {
        const [hit] = await admin.query<{ done: boolean }>(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_sleep(10)%'`,
        );
        if (hit?.done) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await admin.close();
    }
    const err = await running;
    expect(err).toMatchObject({ code: '57P01' });
    expect(toProblem(err, 1024).status).toBe(503);
    // Every statement after it succeeds: the terminated connection did not go back to the pool.
    for (let i = 0; i < 4; i += 1) await expect(db.query('SELECT 3 AS three')).resolves.toEqual([{ three: 3 }]);
  });

  it('a lent connection that dies between statements neither crashes the process nor returns to the pool', async () => {
    const admin = createDatabase({ url, poolMax: 1 });
    try {
      const outcome = await db
        .transaction(async (tx) => {
          const [{ pid }] = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
          // Killed while idle in the transaction: pg emits 'error' on a client nobody but us holds.
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await new Promise((r) => setTimeout(r, 200));
          return tx.query('SELECT 1');
        })
        .catch((e: unknown) => e);
      expect(outcome).toBeInstanceOf(Error);
    } finally {
      await admin.close();
    }
    for (let i = 0; i < 4; i += 1) await expect(db.query('SELECT 5 AS five')).resolves.toEqual([{ five: 5 }]);
  });

  it('says "busy", not "unavailable", when every connection stayed lent for the whole wait', async () => {
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    // poolMax 2: two transactions hold both connections until the third caller's wait has run out.
    const holders = [0, 1].map(() => db.transaction(async (tx) => (await tx.query('SELECT 1'), held)));
    await new Promise((r) => setTimeout(r, 100));
    const err = await db.query('SELECT 1').catch((e: unknown) => e);
    letGo();
    await Promise.all(holders);
    expect(err).toMatchObject({ name: 'DatabaseUnavailableError', busy: true });
    const problem = toProblem(err, 1024);
    expect(problem.status).toBe(503);
    expect(problem.toDocument().detail).toMatch(/busy/);
    await expect(db.query('SELECT 2 AS two')).resolves.toEqual([{ two: 2 }]);
  });

  it('answers 503 at once when the database cannot be reached, and readiness says false', async () => {
    const nowhere = createDatabase({ url: 'postgres://agora:agora@127.0.0.1:9/agora', poolMax: 1 });
    try {
      const started = performance.now();
      const err = await nowhere.query('SELECT 1').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'DatabaseUnavailableError' });
      expect(toProblem(err, 1024).toDocument()).toMatchObject({ status: 503, detail: expect.stringMatching(/database is unavailable/) });
      expect(performance.now() - started).toBeLessThan(3_500);
      expect(await nowhere.isReachable(500)).toBe(false);
      await expect(nowhere.transaction(async () => 1)).rejects.toMatchObject({ name: 'DatabaseUnavailableError' });
    } finally {
      await nowhere.close();
    }
    expect(await db.isReachable()).toBe(true);
  });
});
