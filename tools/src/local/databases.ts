import pg from 'pg';

/**
 * Database administration on one PostgreSQL server, given an admin URL (a role allowed to CREATE
 * DATABASE). Used by the local runner (one database per service) and by the test harness (one
 * fresh database per test file).
 */

/** The URL of database `name` on the server of `adminUrl` (same credentials, host and options). */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** `adminUrl` without its password, for printing. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '';
  return u.toString();
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new Error(`invalid database name "${name}" (lower-case letters, digits, _; at most 63)`);
}

/** One connection to `url` for the length of `fn`, closed whatever `fn` does (also for tests and the bench). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates database `name` unless it exists. Returns true when it was created now. */
export async function createDatabase(adminUrl: string, name: string): Promise<boolean> {
  checkName(name);
  return withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
      return true;
    } catch (err) {
      // Another process created it between the check and the create.
      if ((err as { code?: string }).code === '42P04') return false;
      throw err;
    }
  });
}

/** Creates every database in `names` that is missing; returns the names created now. */
export async function ensureDatabases(adminUrl: string, names: readonly string[]): Promise<string[]> {
  const created: string[] = [];
  for (const name of names) if (await createDatabase(adminUrl, name)) created.push(name);
  return created;
}

/** Drops database `name` if it exists, disconnecting its sessions. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  checkName(name);
  await withClient(adminUrl, (client) => client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`));
}
