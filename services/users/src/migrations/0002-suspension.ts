import type { Migration } from '@agora/mesh';

/** Suspension by an admin: the profile stays, the user is refused by users (and cannot sign in at auth). */
export const suspension: Migration = {
  name: '0002-suspension',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE profiles ADD COLUMN suspended_at timestamptz;
      -- The admin's user list: keyset-paginated, newest profile first.
      CREATE INDEX profiles_list_page_idx ON profiles (created_at DESC, id DESC);
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP INDEX profiles_list_page_idx; ALTER TABLE profiles DROP COLUMN suspended_at');
  },
};
