import { Umzug, type MigrationFn } from 'umzug';
import type { Logger } from 'pino';
import type { Database } from './database.js';
import { schemaMigrationsStorage } from './migration-storage.js';

/**
 * Each service keeps its migrations as an ordered list in code (no glob at run time, so the
 * compiled image and the tests run exactly the same set), each one SQL run on the service's
 * `Database` (its `context`). Umzug records applied ones in the service's own `schema_migrations`
 * table, and a PostgreSQL advisory lock makes concurrent runners (two replicas, a Job and a
 * developer) apply each migration once.
 */
export interface Migration {
  name: string;
  up: MigrationFn<Database>;
  down?: MigrationFn<Database>;
}

const MIGRATION_LOCK_KEY = 0x61676f72; // "agor"

export async function runMigrations(db: Database, migrations: Migration[], logger?: Logger): Promise<string[]> {
  const umzug = new Umzug<Database>({
    migrations: migrations.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: db,
    storage: schemaMigrationsStorage(db),
    logger: undefined,
  });
  return db.transaction(async (tx) => {
    // Held until the transaction ends; the migrations themselves run on other connections of the
    // pool, so the lock only serialises runners, it does not wrap the DDL.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await umzug.up();
    const names = applied.map((m) => m.name);
    logger?.info({ applied: names }, names.length ? 'migrations applied' : 'schema up to date');
    return names;
  });
}
