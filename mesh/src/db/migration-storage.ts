import type { UmzugStorage } from 'umzug';
import type { Queryable } from './database.js';

/**
 * Umzug's record of applied migrations, in the table and column umzug's SequelizeStorage used
 * (`schema_migrations.name`, varchar(255) primary key, no timestamps), so a database migrated before
 * Sequelize left the project is read as it is: nothing is re-applied.
 */
export function schemaMigrationsStorage(db: Queryable): UmzugStorage {
  const ensured = () => db.execute('CREATE TABLE IF NOT EXISTS schema_migrations (name varchar(255) PRIMARY KEY)');
  return {
    async executed() {
      await ensured();
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      return rows.map((r) => r.name);
    },
    async logMigration({ name }) {
      await ensured();
      await db.execute('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    },
    async unlogMigration({ name }) {
      await ensured();
      await db.execute('DELETE FROM schema_migrations WHERE name = $1', [name]);
    },
  };
}
