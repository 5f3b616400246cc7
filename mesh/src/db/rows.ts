import { DatabaseError, type Sequelize } from 'sequelize';
import { isConnectionFailure } from './connection-failure.js';
import { operationOf, queryObserverOf } from './database.js';

/** The pg client Sequelize's postgres pool hands out (only what this module uses of it). */
interface PgConnection {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
  /** Sequelize's mark for a connection its pool must not hand out again. */
  _invalid?: boolean;
}

/**
 * One parameterised statement on a connection of the service's Sequelize pool, run with the pg
 * client's own `query`: the rows come back exactly as `sequelize.query(sql, { bind, type: SELECT })`
 * returns them (same connection, same type parsers, same statement timeout), and the same metrics
 * observe it; but without Sequelize's per-query machinery (a query object, bind-parameter rewriting,
 * log formatting, a captured stack trace per query), which was ≈ 11 % of the CPU of the posts
 * service's hot read (docs/benchmarks.md, row 1). For single statements outside a transaction; a
 * transaction keeps using Sequelize.
 *
 * Errors are Sequelize's own kinds, so the error handler maps them as it maps every other query's:
 * pool acquisition failures come from Sequelize as they are, statement failures are wrapped in
 * Sequelize's DatabaseError (the pg error as `parent`, as Sequelize does).
 */
export async function queryRows<T extends object>(sequelize: Sequelize, sql: string, params: unknown[] = []): Promise<T[]> {
  const observe = queryObserverOf(sequelize);
  const started = observe ? performance.now() : 0;
  const pool = sequelize.connectionManager as unknown as {
    getConnection(options: { type: string }): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): void;
  };
  const connection = await pool.getConnection({ type: 'SELECT' });
  try {
    const result = await connection.query(sql, params);
    return result.rows as T[];
  } catch (err) {
    // A connection the server cut (shutdown, failover, terminated backend) must not go back into the
    // pool: its 'error' event, on which Sequelize marks it, can arrive after this release, and the
    // next statement would then fail on it too (mesh/test/query-rows.test.ts caught exactly that).
    if (isConnectionFailure(err as { code?: string; message?: string })) connection._invalid = true;
    throw new DatabaseError(Object.assign(err as Error, { sql }) as never);
  } finally {
    pool.releaseConnection(connection);
    observe?.(operationOf(sql), (performance.now() - started) / 1000);
  }
}
