import type { Migration } from '@agora/mesh';

/**
 * A stream ticket remembers the session and issue time of the token that asked for it, so the
 * stream it opens ends when that session or account is revoked (domain/stream-hub.ts). Tickets live
 * a minute and are single use: the few outstanding at the upgrade are dropped (their browsers ask again).
 */
export const ticketSessions: Migration = {
  name: '0003-ticket-sessions',
  async up({ context: db }) {
    await db.execute(`
      DELETE FROM stream_tickets;
      ALTER TABLE stream_tickets ADD COLUMN session_id text NOT NULL, ADD COLUMN token_issued_at bigint NOT NULL;
    `);
  },
  async down({ context: db }) {
    await db.execute('ALTER TABLE stream_tickets DROP COLUMN session_id, DROP COLUMN token_issued_at');
  },
};
