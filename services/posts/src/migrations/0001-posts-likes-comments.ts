import type { Migration } from '@agora/mesh';

/**
 * Posts, likes and comments. author_id / user_id are user UUIDs owned by the users service: no
 * foreign key can cross databases, so they are plain uuids here.
 *
 * Timestamps are timestamptz(3) (millisecond precision), what the API shows through JavaScript Dates.
 * (Keyset cursors carry the stored value as text, whatever the precision: mesh/src/db/keyset.ts.)
 * Ties are broken by id.
 *
 * Indexes follow the queries (see services/posts/README.md, "Feed"):
 *  - posts (author_id, created_at DESC, id DESC): an author's posts newest first and the feed, which
 *    reads the top of this index once per followed author (LATERAL ... LIMIT n) — never a sort of
 *    all followees' posts, never OFFSET;
 *  - likes PK (post_id, user_id): idempotent like/unlike and likedByMe; (post_id, created_at DESC,
 *    user_id DESC): who liked, newest first;
 *  - comments (post_id, created_at, id): a post's comments, oldest first.
 * like_count / comment_count are kept in the same statement as the like/comment row, so a post's
 * counts cost nothing to read however popular it is.
 */
export const postsLikesComments: Migration = {
  name: '0001-posts-likes-comments',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        author_id uuid NOT NULL,
        text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
        media_ids uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(media_ids) <= 4),
        like_count integer NOT NULL DEFAULT 0 CHECK (like_count >= 0),
        comment_count integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX posts_author_created_idx ON posts (author_id, created_at DESC, id DESC);

      CREATE TABLE likes (
        post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (post_id, user_id)
      );
      CREATE INDEX likes_post_created_idx ON likes (post_id, created_at DESC, user_id DESC);

      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        author_id uuid NOT NULL,
        text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 300),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX comments_post_created_idx ON comments (post_id, created_at, id);
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE comments, likes, posts');
  },
};
