import type { Migration } from '@agora/mesh';

/** A report can now be resolved by removing the reported post or comment (domain/reports.ts). */
export const reportContentRemoval: Migration = {
  name: '0009-report-content-removal',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE reports DROP CONSTRAINT reports_resolution_check;
      ALTER TABLE reports ADD CONSTRAINT reports_resolution_check CHECK (resolution IN ('dismissed', 'suspended', 'content_removed'));
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      ALTER TABLE reports DROP CONSTRAINT reports_resolution_check;
      ALTER TABLE reports ADD CONSTRAINT reports_resolution_check CHECK (resolution IN ('dismissed', 'suspended'));
    `);
  },
};
