import type { Migration } from '@agora/mesh';

/**
 * What posts embeds of a media object (issue 12): its pixel size, read from the bytes at completion,
 * the owner's alt text, and the per-object sequence of the `media.updated` / `media.deleted` events
 * (docs/events.md, "Ordering"). Width and height stay null for objects completed before this
 * migration: reading them would need the bytes, which a migration does not fetch.
 */
export const mediaDetails: Migration = {
  name: '0002-media-details',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE media
        ADD COLUMN width integer CHECK (width > 0),
        ADD COLUMN height integer CHECK (height > 0),
        ADD COLUMN alt text CHECK (char_length(alt) BETWEEN 1 AND 1000),
        ADD COLUMN event_seq bigint NOT NULL DEFAULT 0,
        ADD CHECK ((width IS NULL) = (height IS NULL));
    `);
  },
  async down({ context: db }) {
    await db.execute('ALTER TABLE media DROP COLUMN width, DROP COLUMN height, DROP COLUMN alt, DROP COLUMN event_seq');
  },
};
