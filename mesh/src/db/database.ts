import { Sequelize, type Options } from 'sequelize';
import type { Logger } from 'pino';

/**
 * One Sequelize instance per service, on the service's own database. Timeouts are short on purpose:
 * when PostgreSQL is down a request must fail fast with 503 instead of hanging, and the pool must
 * recover on its own when the database returns (pg reconnects per new connection; dead ones are
 * evicted on error).
 */
export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  logger?: Logger;
  /** Called with each query's duration, for metrics. */
  onQuery?: (operation: string, seconds: number) => void;
}

/** Each instance's query observer, for the statements run beside Sequelize (rows.ts). */
const queryObservers = new WeakMap<Sequelize, NonNullable<DatabaseOptions['onQuery']>>();

export function queryObserverOf(sequelize: Sequelize): DatabaseOptions['onQuery'] {
  return queryObservers.get(sequelize);
}

export function createDatabase(options: DatabaseOptions): Sequelize {
  const sequelizeOptions: Options = {
    dialect: 'postgres',
    // With benchmark on, Sequelize calls this after each query with its duration and options.type.
    logging: options.onQuery
      ? (sql: string, timing?: number, queryOptions?: { type?: unknown }) =>
          options.onQuery!(operationOf(sql, queryOptions?.type), (timing ?? 0) / 1000)
      : false,
    benchmark: Boolean(options.onQuery),
    pool: { max: options.poolMax ?? 10, min: 0, acquire: 3_000, idle: 10_000, evict: 5_000 },
    dialectOptions: {
      connectionTimeoutMillis: 2_000,
      // A runaway query must not hold a connection forever.
      statement_timeout: 10_000,
      idle_in_transaction_session_timeout: 15_000,
    },
    define: { underscored: true, timestamps: true },
    retry: { max: 0 },
  };
  const sequelize = new Sequelize(options.url, sequelizeOptions);
  if (options.onQuery) queryObservers.set(sequelize, options.onQuery);
  return sequelize;
}

const OPERATIONS = new Map<string, string>();

/**
 * The statement kind for a low-cardinality metric label (never the SQL): Sequelize's query type
 * lower-cased (`select`, `insert`, `update`, `delete`, `upsert`, `bulkinsert`, `raw`, …), else the
 * SQL verb.
 */
export function operationOf(sql: string, type?: unknown): string {
  if (typeof type === 'string' && type) {
    let op = OPERATIONS.get(type);
    if (op === undefined) {
      op = /^[A-Za-z_]{1,20}$/.test(type) ? type.toLowerCase() : 'other';
      OPERATIONS.set(type, op);
    }
    return op;
  }
  const m = /^\s*(?:Execut(?:ed|ing) \([^)]*\):\s*)?(SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|START|SAVEPOINT|SET|CREATE|ALTER|DROP)\b/i.exec(sql);
  return m ? m[1]!.toLowerCase() : 'other';
}

/** Resolves true if the database answers `SELECT 1` within `timeoutMs`. */
export async function databaseIsReachable(sequelize: Sequelize, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      sequelize.query('SELECT 1').then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
