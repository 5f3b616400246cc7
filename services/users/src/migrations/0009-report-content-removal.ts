import type { Migration } from '@agora/mesh';

/**
 * A report can now be resolved by removing the reported post or comment (domain/reports.ts), and
 * keeps whom it is about — the reported user, or the content's author as posts answered when the
 * report was filed — for the resolution's audit event. Older reports have none (null).
 */
export const reportContentRemoval: Migration = {
  name: '0009-report-content-removal',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE reports DROP CONSTRAINT reports_resolution_check;
      ALTER TABLE reports ADD CONSTRAINT reports_resolution_check CHECK (resolution IN ('dismissed', 'suspended', 'content_removed'));
      ALTER TABLE reports ADD COLUMN target_user_id uuid;
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      ALTER TABLE reports DROP COLUMN target_user_id;
      ALTER TABLE reports DROP CONSTRAINT reports_resolution_check;
      ALTER TABLE reports ADD CONSTRAINT reports_resolution_check CHECK (resolution IN ('dismissed', 'suspended'));
    `);
  },
};
