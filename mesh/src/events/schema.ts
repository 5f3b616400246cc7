import type { Migration } from '../db/migrator.js';
import { REVOCATIONS_TABLE_SQL } from '../auth/revocation-store.js';

/**
 * The event backbone's tables, the same in every service (appended to each service's migrations):
 *  - graphile-worker's schema (`graphile_worker`): the outbox (delivery jobs) and the service's own jobs;
 *  - events_inbox: ids of the events this service applied (the idempotency key of its consumer);
 *  - events_dead_letter: deliveries this service gave up on, for an operator (docs/runbooks/events.md).
 *  - revocations: the revoked sessions and suspended / deleted accounts the revocation events told
 *    this service about, which every replica reads into memory (mesh/src/auth/revocation-store.ts).
 * graphile-worker also migrates its schema when a worker starts; doing it here too means a service
 * whose worker is off (tests, tools) can still publish.
 */
export const eventsMigrations: Migration[] = [
  {
    name: 'events-0001-outbox-inbox-dead-letter',
    async up({ context: db }) {
      // Loaded here: migrations run in the migrate entry point, and a serving process must not evaluate it.
      const { runMigrations } = await import('graphile-worker');
      await runMigrations({ pgPool: db.pool, logger: undefined });
      await db.execute(`
        CREATE TABLE events_inbox (
          event_id uuid PRIMARY KEY,
          type text NOT NULL,
          producer text NOT NULL,
          aggregate_id uuid NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE events_dead_letter (
          event_id uuid NOT NULL,
          consumer text NOT NULL,
          type text NOT NULL,
          aggregate_id uuid NOT NULL,
          event jsonb NOT NULL,
          attempts integer NOT NULL,
          last_error text NOT NULL,
          dead_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (event_id, consumer)
        );
        CREATE INDEX events_dead_letter_dead_at_idx ON events_dead_letter (dead_at);
      `);
    },
    async down({ context: db }) {
      await db.execute('DROP TABLE events_dead_letter, events_inbox; DROP SCHEMA graphile_worker CASCADE');
    },
  },
  {
    name: 'events-0002-revocations',
    async up({ context: db }) {
      await db.execute(REVOCATIONS_TABLE_SQL);
    },
    async down({ context: db }) {
      await db.execute('DROP TABLE revocations');
    },
  },
];
