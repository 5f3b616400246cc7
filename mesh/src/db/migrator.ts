import { Umzug, SequelizeStorage, type MigrationFn } from 'umzug';
import type { Sequelize, QueryInterface } from 'sequelize';
import type { Logger } from 'pino';

/**
 * Each service keeps its migrations as an ordered list in code (no glob at run time, so the
 * compiled image and the tests run exactly the same set). Umzug records applied ones in the
 * service's own `schema_migrations` table, and a PostgreSQL advisory lock makes concurrent runners
 * (two replicas, a Job and a developer) apply each migration once.
 */
export interface Migration {
  name: string;
  up: MigrationFn<QueryInterface>;
  down?: MigrationFn<QueryInterface>;
}

const MIGRATION_LOCK_KEY = 0x61676f72; // "agor"

export async function runMigrations(sequelize: Sequelize, migrations: Migration[], logger?: Logger): Promise<string[]> {
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  return sequelize.transaction(async (tx) => {
    // Held until the transaction ends; the migrations themselves run on other connections, so
    // the lock only serialises runners, it does not wrap the DDL.
    await sequelize.query('SELECT pg_advisory_xact_lock(:key)', { replacements: { key: MIGRATION_LOCK_KEY }, transaction: tx });
    const applied = await umzug.up();
    const names = applied.map((m) => m.name);
    logger?.info({ applied: names }, names.length ? 'migrations applied' : 'schema up to date');
    return names;
  });
}
