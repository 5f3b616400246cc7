import type { Migration } from '@agora/mesh';

/**
 * The trigram indexes of people search (0004) without GIN's pending list. With `fastupdate` on
 * (PostgreSQL's default) a new or renamed profile's trigrams go to an unsorted pending list that
 * every search reads in full until a vacuum or a full list (gin_pending_list_limit, 4 MB) merges
 * it — so search slows down between vacuums, most right after many sign-ups (docs/benchmarks.md,
 * "Search: GIN pending lists"). Off, each write puts its trigrams into the index at once; profiles
 * are written far less often than searched. The list that is already there is merged now.
 */
export const searchIndexNoPendingList: Migration = {
  name: '0010-search-index-no-pending-list',
  async up({ context: db }) {
    await db.execute(`
      ALTER INDEX profiles_username_trgm_idx SET (fastupdate = off);
      ALTER INDEX profiles_display_name_trgm_idx SET (fastupdate = off);
      SELECT gin_clean_pending_list('profiles_username_trgm_idx'), gin_clean_pending_list('profiles_display_name_trgm_idx');
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      ALTER INDEX profiles_username_trgm_idx SET (fastupdate = on);
      ALTER INDEX profiles_display_name_trgm_idx SET (fastupdate = on);
    `);
  },
};
