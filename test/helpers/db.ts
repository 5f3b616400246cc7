import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase, databaseUrl } from '../../tools/src/testing/postgres.js';

/** Admin URL of the test server: vitest's provide() in-process, TEST_PG_ADMIN_URL in child processes. */
export function testAdminUrl(): string {
  let url: string | undefined;
  try {
    url = inject('pgAdminUrl');
  } catch {
    /* not inside a vitest worker */
  }
  url ??= process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('no test PostgreSQL: run tests with the root vitest.config.ts (globalSetup test/setup/global-postgres.ts)');
  return url;
}

/** The test server's admin URL, or undefined when there is none (a file that then skips, saying so). */
export function testAdminUrlIfAny(): string | undefined {
  try {
    return testAdminUrl();
  } catch {
    return undefined;
  }
}

/**
 * Creates a new, empty, uniquely named database (`<prefix>_<random>`) on the test server and
 * returns its URL. Each test file (or test) gets its own, so nothing leaks between them.
 */
export async function freshDatabase(prefix = 'test'): Promise<string> {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^[^a-z_]/, '_')
    .slice(0, 40);
  const name = `${clean}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const adminUrl = testAdminUrl();
  await createDatabase(adminUrl, name);
  return databaseUrl(adminUrl, name);
}
