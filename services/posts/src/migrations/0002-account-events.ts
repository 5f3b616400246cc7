import { profileReadModelTablesSql, type Migration } from '@agora/mesh';

/**
 * Events (docs/events.md):
 *  - authors: what users' `profile.updated` says of each author (name, avatar), the read model the
 *    responses that embed an author will use; profile_seq drops an older event;
 *  - deleted_authors: authors erased by `account.deleted` (a late profile.updated cannot bring one back);
 *  - likes (user_id) and comments (author_id): the erasure finds a user's likes and comments
 *    without scanning every post's.
 */
export const accountEvents: Migration = {
  name: '0002-account-events',
  async up({ context: db }) {
    await db.execute(`
      ${profileReadModelTablesSql({ table: 'authors', tombstones: 'deleted_authors' })}
      CREATE INDEX likes_user_idx ON likes (user_id);
      CREATE INDEX comments_author_idx ON comments (author_id);
    `);
  },
};
