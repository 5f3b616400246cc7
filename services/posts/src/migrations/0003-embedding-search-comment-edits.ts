import type { Migration } from '@agora/mesh';

/**
 * Responses a screen renders in one call, comment edits, and full-text search (issue #12):
 *  - media_objects: what media's `media.updated` events (and media's internal answer at attach time)
 *    say of each media object a post may embed; media_seq drops an older event (0 = from the
 *    internal answer, which any event supersedes);
 *    (owner_id indexed: an account's erasure removes its media here too);
 *  - deleted_media: media erased by `media.deleted` (a late media.updated cannot bring one back);
 *  - comments.edited_at: null until the comment's author edits it;
 *  - posts.search: the text as a `simple`-configuration tsvector (no stemming, no stop words: posts
 *    are written in any language), kept by PostgreSQL itself (a stored generated column), with a GIN
 *    index for rare words; posts (created_at DESC, id DESC) lets a search for a common word walk
 *    the newest posts and stop after one page instead of sorting every match.
 */
export const embeddingSearchCommentEdits: Migration = {
  name: '0003-embedding-search-comment-edits',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE media_objects (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL,
        content_type text NOT NULL,
        width integer,
        height integer,
        alt text,
        media_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX media_objects_owner_idx ON media_objects (owner_id);
      CREATE TABLE deleted_media (
        id uuid PRIMARY KEY,
        deleted_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE comments ADD COLUMN edited_at timestamptz(3);
      ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED;
      CREATE INDEX posts_search_idx ON posts USING gin (search);
      CREATE INDEX posts_created_idx ON posts (created_at DESC, id DESC);
    `);
  },
};
