import type { Migration } from '@agora/mesh';

/**
 * Events (docs/events.md): account_seq is the sequence of the last `account.*` event applied to the
 * profile (an older one is dropped); event_seq numbers this profile's own `profile.updated` events.
 */
export const accountEvents: Migration = {
  name: '0003-account-events',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE profiles ADD COLUMN account_seq bigint NOT NULL DEFAULT 0,
                           ADD COLUMN event_seq bigint NOT NULL DEFAULT 0;
    `);
  },
};
