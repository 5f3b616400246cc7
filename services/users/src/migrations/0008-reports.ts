import type { Migration } from '@agora/mesh';

/** Reports of posts, comments and users, and the admin queue of open ones (domain/reports.ts). */
export const reports: Migration = {
  name: '0008-reports',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reporter_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        target_kind text NOT NULL CHECK (target_kind IN ('post', 'comment', 'user')),
        target_id uuid NOT NULL,
        reason text NOT NULL,
        note text CHECK (char_length(note) <= 1000),
        -- clock_timestamp(): distinct, increasing times (the queue is keyset-paginated on them).
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolution text CHECK (resolution IN ('dismissed', 'suspended')),
        resolved_at timestamptz,
        resolved_by uuid,
        CHECK ((resolution IS NULL) = (resolved_at IS NULL))
      );
      -- One open report per reporter and target; a resolved one does not stop a new report.
      CREATE UNIQUE INDEX reports_one_open_idx ON reports (reporter_id, target_kind, target_id) WHERE resolved_at IS NULL;
      -- The admin queue: open reports, oldest first.
      CREATE INDEX reports_queue_idx ON reports (created_at, id) WHERE resolved_at IS NULL;
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE reports');
  },
};
