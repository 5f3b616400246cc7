/**
 * Migrations (mesh/src/db/migrator.ts): ordered SQL run by umzug on the service's Database, recorded
 * in `schema_migrations (name)` — the very table umzug's SequelizeStorage created, so a database
 * migrated before Sequelize left is read as it is — and applied once however many runners start at
 * the same moment (the advisory lock).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, migrateService, type Database, type Migration } from '@agora/mesh';
import { freshDatabase } from '../../test/helpers/db.js';

const migrations: Migration[] = [
  { name: '0001-things', up: ({ context: db }) => db.execute('CREATE TABLE things (id int PRIMARY KEY); INSERT INTO things VALUES (1)') },
  { name: '0002-more', up: ({ context: db }) => db.execute('INSERT INTO things VALUES (2)') },
];

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('migrations', () => {
  it('applies pending migrations in order, once, and records them by name', async () => {
    const url = await freshDatabase('migrate');
    expect(await migrateService('test', url, migrations)).toEqual(['0001-things', '0002-more']);
    expect(await migrateService('test', url, migrations)).toEqual([]);
    db = createDatabase({ url });
    expect(await db.query('SELECT id FROM things ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await db.query('SELECT name FROM schema_migrations ORDER BY name')).toEqual([{ name: '0001-things' }, { name: '0002-more' }]);
  });

  it('reads a schema_migrations table written by the former SequelizeStorage: nothing is re-applied', async () => {
    const url = await freshDatabase('migrate_legacy');
    db = createDatabase({ url });
    // What umzug's SequelizeStorage created and wrote after applying the first migration.
    await db.execute(`CREATE TABLE IF NOT EXISTS "schema_migrations" ("name" VARCHAR(255) NOT NULL UNIQUE , PRIMARY KEY ("name"))`);
    await db.execute(`INSERT INTO "schema_migrations" ("name") VALUES ('0001-things')`);
    await db.execute('CREATE TABLE things (id int PRIMARY KEY); INSERT INTO things VALUES (1)');
    expect(await migrateService('test', url, migrations)).toEqual(['0002-more']);
    expect(await db.query('SELECT id FROM things ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('concurrent runners apply each migration exactly once', async () => {
    const url = await freshDatabase('migrate_race');
    const results = await Promise.all([1, 2, 3].map(() => migrateService('test', url, migrations)));
    expect(results.flat().sort()).toEqual(['0001-things', '0002-more']);
    db = createDatabase({ url });
    expect(await db.query('SELECT id FROM things ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
