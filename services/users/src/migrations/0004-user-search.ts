import type { Migration } from '@agora/mesh';

/**
 * Finding people (domain/user-search.ts) and suggesting them (domain/public-users.ts).
 * pg_trgm is a trusted extension (PostgreSQL 13+), so the database's owner may create it.
 */
export const userSearch: Migration = {
  name: '0004-user-search',
  async up({ context: db }) {
    await db.execute(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      -- Near spellings (%, <%) and substrings, on what the search compares: the lower-cased text.
      CREATE INDEX profiles_username_trgm_idx ON profiles USING gin (lower(username) gin_trgm_ops);
      CREATE INDEX profiles_display_name_trgm_idx ON profiles USING gin (lower(display_name) gin_trgm_ops);
      -- Prefixes of one or two characters, where a trigram index has nothing to look up.
      CREATE INDEX profiles_username_prefix_idx ON profiles (lower(username) text_pattern_ops);
      CREATE INDEX profiles_display_name_prefix_idx ON profiles (lower(display_name) text_pattern_ops);
      -- Suggested people: the most followed first, suspended accounts left out.
      CREATE INDEX profiles_suggested_idx ON profiles (follower_count DESC, id DESC) WHERE suspended_at IS NULL;
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      DROP INDEX profiles_suggested_idx, profiles_display_name_prefix_idx, profiles_username_prefix_idx,
                 profiles_display_name_trgm_idx, profiles_username_trgm_idx;
    `);
  },
};
