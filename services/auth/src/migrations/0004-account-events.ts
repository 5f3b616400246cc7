import type { Migration } from '@agora/mesh';

/**
 * Account events (docs/events.md):
 *  - users.event_seq: the account's event sequence, raised in the transaction of every change that
 *    publishes an `account.*` event, so consumers can drop an event older than what they hold;
 *  - pending_erasures: for a deleted account, the services that have not yet confirmed its
 *    `account.deleted`. The username is released (renamed to `deleted-<id>`) when the last row goes,
 *    so nobody can take a name while the old account's posts or profile still exist somewhere.
 * The mail outbox keeps its table (the sealed bodies); its queue is now graphile-worker's, so the
 * retry columns and their index go.
 */
export const accountEvents: Migration = {
  name: '0004-account-events',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE users ADD COLUMN event_seq bigint NOT NULL DEFAULT 0;
      CREATE TABLE pending_erasures (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        consumer text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, consumer)
      );
      DROP INDEX mail_outbox_pending_idx;
      ALTER TABLE mail_outbox DROP COLUMN next_attempt_at, DROP COLUMN last_error;
    `);
  },
};
