import type { TestProject } from 'vitest/node';
import { startTestPostgres } from '../../tools/src/testing/postgres.js';

/**
 * vitest globalSetup: one PostgreSQL server for the whole run (TEST_DATABASE_URL, testcontainers or
 * embedded, see tools/src/testing/postgres.ts). Tests get its admin URL with `inject('pgAdminUrl')`
 * (or `freshDatabase()` from test/helpers/db.ts); child processes get TEST_PG_ADMIN_URL.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test PostgreSQL server; create your own database on it. */
    pgAdminUrl: string;
    /** Which server runs: 'env' | 'testcontainers' | 'embedded'. */
    pgKind: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await startTestPostgres();
  console.log(`[test-db] using ${pg.description}`);
  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('pgKind', pg.kind);
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  return async () => {
    await pg.stop();
    console.error(`[test-db] stopped ${pg.kind} PostgreSQL`);
  };
}
