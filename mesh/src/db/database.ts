import pg, { type Pool, type PoolClient, type PoolConfig } from 'pg';
import type { Logger } from 'pino';
import { connectionAttributes, endDatabaseSpan, startPoolConnectSpan } from '../observability/query-span.js';
import { isConnectionFailure } from './connection-failure.js';
import { TracedClient } from './traced-client.js';

/**
 * Statements on one connection: the pool's (each call takes a free connection) or a transaction's
 * (every call on the one connection that holds the transaction). Parameters are positional,
 * `$1`, `$2`, … — the only bind style, so no value is ever spliced into SQL text.
 */
export interface Queryable {
  /** The rows of one statement (SELECT, or any statement with RETURNING). */
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one statement and returns how many rows it changed (UPDATE / DELETE / INSERT without RETURNING). */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A service's database: its pg pool, observed by the service's metrics. */
export interface Database extends Queryable {
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it
   * throws (the error is rethrown). `tx` is the same interface bound to that connection, so anything
   * that takes a `Queryable` joins the transaction by being handed `tx`.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves true if the database answers `SELECT 1` within `timeoutMs` (readiness). */
  isReachable(timeoutMs?: number): Promise<boolean>;
  /** Pool gauges at this moment (metrics). */
  poolStats(): PoolStats;
  /**
   * The pg pool itself, for libraries that take one (rate-limiter-flexible's `storeType: 'pool'`).
   * Statements sent through it are not timed by `onQuery`.
   */
  readonly pool: Pool;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections checked out. */
  used: number;
  /** Open connections nobody holds. */
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
  /** The most connections the pool opens (DATABASE_POOL_MAX). */
  max: number;
}

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  logger?: Logger;
  /** Called with each statement's duration, by statement kind (operationOf), for metrics. */
  onQuery?: (operation: string, seconds: number) => void;
}

/**
 * The pool could not hand out a connection (server down, refused, the pool's wait timed out): the
 * error handler answers 503 at once instead of letting the request hang.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  /**
   * Every connection of the pool was lent when the wait ran out: PostgreSQL answers, this replica is
   * overloaded. The answer then says "busy", so an operator does not look for a database outage.
   */
  readonly busy: boolean;
  constructor(cause: unknown, busy = false) {
    super(busy ? 'no database connection was free in time' : 'the database is unavailable', { cause });
    this.busy = busy;
  }
}

/** PostgreSQL's unique_violation (23505), for domains that answer it with a 409. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof pg.DatabaseError && err.code === '23505';
}

/** pg's error for a statement the server refused (it carries the SQLSTATE in `code`). */
export function isServerError(err: unknown): err is InstanceType<typeof pg.DatabaseError> {
  return err instanceof pg.DatabaseError;
}

/**
 * One pool per service, on the service's own database. Timeouts are short on purpose: when
 * PostgreSQL is down a request must fail fast with 503 instead of hanging, and the pool must recover
 * on its own when the database returns (each new connection reconnects; broken ones are discarded).
 */
export function createDatabase(options: DatabaseOptions): Database {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolMax ?? 10,
    min: 0,
    idleTimeoutMillis: 10_000,
    // Both the wait for a free connection and the opening of a new one.
    connectionTimeoutMillis: 3_000,
    // A runaway statement or an abandoned transaction must not hold a connection forever.
    statement_timeout: 10_000,
    idle_in_transaction_session_timeout: 15_000,
  };
  // Statements are traced by the pool's connections themselves (traced-client.ts), whichever library sends them.
  const pool = new pg.Pool({ ...config, Client: TracedClient });
  const poolSpanAttributes = connectionAttributes(targetOf(options.url));
  // An idle connection the server closes (restart, failover) is dropped by the pool; without a
  // listener the 'error' event would end the process.
  pool.on('error', (err) =>
    options.logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database: idle connection lost'),
  );
  // The same for a connection a library takes from `pool` itself rather than through lease() below
  // (graphile-worker, which holds one for LISTEN and checks that pools listen so): what runs on it
  // fails on its own; the event must not end the process.
  pool.on('connect', (client) => {
    client.on('error', (err) =>
      options.logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database: connection lost'),
    );
  });
  const observe = options.onQuery;

  /**
   * A connection lent by the pool until `release`. While lent, pg reports a connection that dies
   * (between statements, or under one, besides failing it) with an 'error' event nobody listens to —
   * the pool listens only to idle connections — and an unheard 'error' ends the process: it is heard
   * here, and such a connection is destroyed at release.
   */
  async function lease(): Promise<{ client: PoolClient; release(err?: Error): void }> {
    let client: PoolClient;
    // Read before waiting: a full pool at the time of asking means the wait was for a free connection.
    const poolWasFull = pool.totalCount >= config.max!;
    // The wait for a connection is a span of its own in a traced request: under load it is where time goes.
    const waiting = startPoolConnectSpan(poolSpanAttributes);
    try {
      client = await pool.connect();
      endDatabaseSpan(waiting);
    } catch (err) {
      endDatabaseSpan(waiting, err);
      throw new DatabaseUnavailableError(err, poolWasFull && pool.totalCount >= config.max!);
    }
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
    };
    client.on('error', onError);
    return {
      client,
      release(err) {
        client.removeListener('error', onError);
        client.release(err ?? lost);
      },
    };
  }

  async function run(client: PoolClient, sql: string, params: readonly unknown[] | undefined) {
    const started = observe ? performance.now() : 0;
    try {
      // Without parameters pg uses the simple protocol, which also runs multi-statement scripts (migrations).
      return await client.query(sql, params as unknown[] | undefined);
    } finally {
      observe?.(operationOf(sql), (performance.now() - started) / 1000);
    }
  }

  /** One statement on a pooled connection; a connection that broke is destroyed, never reused. */
  async function once(sql: string, params: readonly unknown[] | undefined) {
    const lent = await lease();
    try {
      const result = await run(lent.client, sql, params);
      lent.release();
      return result;
    } catch (err) {
      lent.release(breaksConnection(err) ? (err as Error) : undefined);
      throw err;
    }
  }

  /** The transaction's statements; refused once it has ended (its connection is back in the pool). */
  function bound(client: PoolClient, open: () => boolean): Queryable {
    const on = (sql: string, params?: readonly unknown[]) => {
      if (!open()) return Promise.reject(new Error('the transaction has ended; its statements must run inside the callback'));
      return run(client, sql, params);
    };
    return {
      query: async <T extends object>(sql: string, params?: readonly unknown[]) => (await on(sql, params)).rows as T[],
      execute: async (sql: string, params?: readonly unknown[]) => (await on(sql, params)).rowCount ?? 0,
    };
  }

  return {
    pool,
    query: async <T extends object>(sql: string, params?: readonly unknown[]) => (await once(sql, params)).rows as T[],
    execute: async (sql: string, params?: readonly unknown[]) => (await once(sql, params)).rowCount ?? 0,

    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const lent = await lease();
      const client = lent.client;
      let releaseWith: Error | undefined;
      let open = true;
      try {
        await run(client, 'BEGIN', undefined);
        const result = await work(bound(client, () => open));
        await run(client, 'COMMIT', undefined);
        return result;
      } catch (err) {
        // The work's own errors (a 404, a 409) end here as well as the database's: roll back unless the
        // server already ended the session; a failed ROLLBACK means the connection is not reusable.
        if (serverEndedSession(err)) releaseWith = err as Error;
        else {
          await run(client, 'ROLLBACK', undefined).catch((rollbackErr: Error) => {
            releaseWith = rollbackErr;
          });
        }
        throw err;
      } finally {
        open = false;
        lent.release(releaseWith);
      }
    },

    async isReachable(timeoutMs = 1_000): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          once('SELECT 1', undefined).then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },

    poolStats: () => ({ used: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }),

    close: () => pool.end(),
  };
}

/** The database, host and port of a connection URL, for the pool's spans; nothing when it does not parse. */
function targetOf(url: string) {
  try {
    const parsed = new URL(url);
    return {
      database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
      host: parsed.hostname || undefined,
      port: Number(parsed.port) || 5432,
    };
  } catch {
    return {};
  }
}

/**
 * Whether an error leaves the connection unusable: anything that is not a statement error reported
 * by the server (a socket error, a client-side timeout), a FATAL/PANIC server error (the server ends
 * the session: shutdown, terminated backend, idle-in-transaction timeout), or a connection failure.
 */
function breaksConnection(err: unknown): boolean {
  return !(err instanceof pg.DatabaseError) || serverEndedSession(err);
}

function serverEndedSession(err: unknown): boolean {
  if (err instanceof pg.DatabaseError && (err.severity === 'FATAL' || err.severity === 'PANIC')) return true;
  return isConnectionFailure(err as { code?: string; message?: string });
}

/** The statement kind for a low-cardinality metric label (never the SQL): its leading keyword. */
export function operationOf(sql: string): string {
  const m = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|START|SAVEPOINT|SET|CREATE|ALTER|DROP)\b/i.exec(sql);
  return m ? m[1]!.toLowerCase() : 'other';
}
