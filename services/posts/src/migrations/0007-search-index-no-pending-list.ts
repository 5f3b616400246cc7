import type { Migration } from '@agora/mesh';

/**
 * Post search's GIN index (0003) without its pending list. With `fastupdate` on (PostgreSQL's
 * default) every new or edited post's words go to an unsorted pending list that every search reads
 * in full until a vacuum or a full list (gin_pending_list_limit, 4 MB) merges it, so a search for a
 * rare word costs more the more was posted since the last vacuum (docs/benchmarks.md, "Search: GIN
 * pending lists"). Off, each post puts its words into the index as it is written. The list that is
 * already there is merged now.
 */
export const searchIndexNoPendingList: Migration = {
  name: '0007-search-index-no-pending-list',
  async up({ context: db }) {
    await db.execute(`
      ALTER INDEX posts_search_idx SET (fastupdate = off);
      SELECT gin_clean_pending_list('posts_search_idx');
    `);
  },
  async down({ context: db }) {
    await db.execute('ALTER INDEX posts_search_idx SET (fastupdate = on)');
  },
};
