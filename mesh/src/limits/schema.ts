import type { Migration } from '../db/migrator.js';

/**
 * rate-limiter-flexible's table for the per-account limits, in each service's own database (every
 * replica counts against the same rows). Created by a migration so no request ever runs DDL.
 */
export const accountRateLimitsMigration: Migration = {
  name: 'limits-0001-account-rate-limits',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE account_rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE account_rate_limits');
  },
};
