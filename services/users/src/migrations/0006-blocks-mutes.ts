import type { Migration } from '@agora/mesh';

/**
 * Blocks and mutes (domain/relationships.ts): one row per (owner, other) pair, gone with either
 * profile. A block also removes the follows both ways and refuses new ones; a mute changes nothing
 * here, other services hide the muted user (docs/events.md, relationship.updated).
 */
export const blocksMutes: Migration = {
  name: '0006-blocks-mutes',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE blocks (
        blocker_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        blocked_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        -- clock_timestamp(): distinct, increasing times even within one transaction (keyset lists).
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (blocker_id, blocked_id),
        CHECK (blocker_id <> blocked_id)
      );
      -- The caller's own list, newest first; and "who blocked me" (search, suggestions, follow checks).
      CREATE INDEX blocks_page_idx ON blocks (blocker_id, created_at DESC, blocked_id DESC);
      CREATE INDEX blocks_blocked_idx ON blocks (blocked_id);

      CREATE TABLE mutes (
        muter_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        muted_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (muter_id, muted_id),
        CHECK (muter_id <> muted_id)
      );
      CREATE INDEX mutes_page_idx ON mutes (muter_id, created_at DESC, muted_id DESC);

      -- The sequence of relationship.updated per (owner, other) pair (domain/relationship-events.ts):
      -- kept when the block or mute row goes, so an unblock still outranks the block before it.
      CREATE TABLE relationship_seqs (
        owner_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        other_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        event_seq bigint NOT NULL,
        PRIMARY KEY (owner_id, other_id)
      );
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE relationship_seqs; DROP TABLE mutes; DROP TABLE blocks');
  },
};
