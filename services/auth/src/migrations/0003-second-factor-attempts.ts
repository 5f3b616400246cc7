import type { Migration } from '@agora/mesh';

/**
 * Second-factor failures per account, across every challenge and every second-factor operation
 * (sign-in, disable, verify-setup, backup codes): the count only a second-factor success resets,
 * and the earliest time the next attempt is taken (exponential backoff, then lockout).
 */
export const secondFactorAttempts: Migration = {
  name: '0003-second-factor-attempts',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE second_factor_attempts (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE second_factor_attempts');
  },
};
