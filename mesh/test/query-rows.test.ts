/**
 * queryRows (mesh/src/db/rows.ts) runs statements on the Sequelize pool's pg client directly. It must
 * give back exactly what `sequelize.query(sql, { bind, type: SELECT })` gives, be observed by the
 * query metrics, and fail the way Sequelize fails, so the error handler answers as for any query
 * (500 for a broken statement, 503 when the database is gone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createDatabase, queryRows, toProblem } from '@agora/mesh';
import { freshDatabase } from '../../test/helpers/db.js';

let sequelize: Sequelize;
let url = '';
const observed: Array<[string, number]> = [];

beforeAll(async () => {
  url = await freshDatabase('query_rows');
  sequelize = createDatabase({ url, poolMax: 2, onQuery: (op, s) => observed.push([op, s]) });
  await sequelize.query(`CREATE TABLE items (id uuid PRIMARY KEY, tags uuid[] NOT NULL, n bigint NOT NULL, at timestamptz NOT NULL, ok boolean)`);
  await sequelize.query(
    `INSERT INTO items VALUES ('00000000-0000-4000-8000-000000000001', ARRAY['00000000-0000-4000-8000-00000000000a']::uuid[], 9007199254740993, '2026-11-25T10:00:00.123Z', true),
                              ('00000000-0000-4000-8000-000000000002', '{}', 2, '2026-11-24T10:00:00Z', NULL)`,
  );
});

afterAll(async () => {
  await sequelize?.close();
});

describe('queryRows', () => {
  it('returns the same rows as sequelize.query with bind parameters (arrays, bigint, timestamps, nulls)', async () => {
    const sql = `SELECT id, tags::text[] AS tags, n, at, ok, EXISTS (SELECT 1 FROM items WHERE n = $1) AS "hasTwo" FROM items WHERE id = ANY($2::uuid[]) ORDER BY at DESC`;
    const bind = [2, ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']];
    const viaSequelize = await sequelize.query(sql, { bind, type: QueryTypes.SELECT });
    const direct = await queryRows(sequelize, sql, bind);
    expect(direct).toEqual(viaSequelize);
    expect(direct).toHaveLength(2);
    expect((direct[0] as { at: unknown }).at).toBeInstanceOf(Date);
    expect((direct[0] as { n: unknown }).n).toBe('9007199254740993'); // int8 as text, never rounded
  });

  it('runs writes with RETURNING and reports each statement to the query metrics by its verb', async () => {
    observed.length = 0;
    const [row] = await queryRows<{ id: string }>(sequelize, `UPDATE items SET n = n + 1 WHERE id = $1 RETURNING id`, ['00000000-0000-4000-8000-000000000002']);
    expect(row).toEqual({ id: '00000000-0000-4000-8000-000000000002' });
    await queryRows(sequelize, 'SELECT 1');
    expect(observed.map(([op]) => op)).toEqual(['update', 'select']);
    expect(observed.every(([, s]) => s >= 0 && s < 5)).toBe(true);
  });

  it("fails like Sequelize: a broken statement is a SequelizeDatabaseError carrying pg's code, answered 500", async () => {
    const err = await queryRows(sequelize, 'SELECT no_such_column FROM items').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SequelizeDatabaseError', parent: { code: '42703' } });
    expect(toProblem(err, 1024).status).toBe(500);
    // The connection went back to the pool in working order.
    expect(await queryRows(sequelize, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it("a value PostgreSQL text cannot hold (U+0000) in a statement is the request's fault: 400, not 500", async () => {
    const err = await queryRows(sequelize, 'SELECT $1::text AS t', ['a\u0000b']).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SequelizeDatabaseError', parent: { code: '22021' } });
    const problem = toProblem(err, 1024);
    expect(problem.status).toBe(400);
    expect(await queryRows(sequelize, 'SELECT 4 AS four')).toEqual([{ four: 4 }]);
  });

  it('answers 503 when the server cuts the connection mid-query, and the pool recovers', async () => {
    const running = queryRows(sequelize, 'SELECT pg_sleep(10) AS slept').catch((e: unknown) => e);
    const admin = createDatabase({ url, poolMax: 1 });
    try {
      // Terminate the backend running the sleep, as a restarting or failing-over server would.
      for (let i = 0; i < 100; i += 1) {
        const [hit] = await admin.query<{ done: boolean }>(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_sleep(10)%'`,
          { type: QueryTypes.SELECT },
        );
        if (hit?.done) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await admin.close();
    }
    const err = await running;
    expect(err).toMatchObject({ name: 'SequelizeDatabaseError', parent: { code: '57P01' } });
    expect(toProblem(err, 1024).status).toBe(503);
    await expect(queryRows(sequelize, 'SELECT 3 AS three')).resolves.toEqual([{ three: 3 }]);
  });
});
