import type { Migration } from '@agora/mesh';

/** Profiles, the follow graph, and tombstones of deleted profiles. */
export const profilesFollows: Migration = {
  name: '0001-profiles-follows',
  async up({ context: db }) {
    await db.execute(`
      -- id = the user's id at auth (the token's sub); no default, users never invents ids.
      CREATE TABLE profiles (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        display_name text NOT NULL,
        bio text NOT NULL DEFAULT '',
        avatar_media_id uuid,
        -- Maintained in the same transaction as the follows rows (see domain/follows.ts).
        follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
        following_count integer NOT NULL DEFAULT 0 CHECK (following_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Case-insensitive uniqueness, as at auth: "Alice" and "alice" are the same name.
      CREATE UNIQUE INDEX profiles_username_lower_key ON profiles (lower(username));

      CREATE TABLE follows (
        follower_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        followee_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        -- clock_timestamp(): distinct, increasing times even within one transaction.
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (follower_id, followee_id),
        CHECK (follower_id <> followee_id)
      );
      -- Keyset pagination, newest first: one index range scan per page, whatever the depth.
      CREATE INDEX follows_followers_page_idx ON follows (followee_id, created_at DESC, follower_id DESC);
      CREATE INDEX follows_following_page_idx ON follows (follower_id, created_at DESC, followee_id DESC);

      -- A deleted user's access token stays valid for its remaining minutes; the tombstone stops
      -- "create the profile on first use" from bringing the profile back. Holds no personal data.
      CREATE TABLE deleted_profiles (
        id uuid PRIMARY KEY,
        deleted_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE deleted_profiles, follows, profiles');
  },
};
