import type { Migration } from '@agora/mesh';

/**
 * posts publishes events about a post (docs/events.md: post.created, post.liked, comment.created,
 * aggregate = the post): event_seq numbers them, raised in the transaction of each.
 */
export const postEvents: Migration = {
  name: '0004-post-events',
  async up({ context: db }) {
    await db.execute('ALTER TABLE posts ADD COLUMN event_seq bigint NOT NULL DEFAULT 0');
  },
};
