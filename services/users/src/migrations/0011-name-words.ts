import type { Migration } from '@agora/mesh';

/**
 * The words of people's names, for the near-spelling tier of people search (domain/user-search.ts).
 *
 * Matching a typo against whole names (0004's trigram indexes) finds every person who shares the
 * misspelt word — everyone named Lovelace for "lovelase" — and ranks each one to keep a page
 * (docs/benchmarks.md, "Search: name words and a time window"). Here a typo is first matched
 * against the distinct words of all names (`name_words`, a few thousand rows, trigram index), then
 * each matching word's people are read newest id first from a b-tree (`profile_name_words`, primary
 * key `(word, profile_id)` scanned backwards), so a page costs O(matching words × page size).
 *
 * A word is a run of letters and digits of the lower-cased username or display name (pg_trgm splits
 * words the same way) with at least one letter: a number is nobody's name, and usernames with
 * distinct numbers would turn the dictionary into a list of numbers.
 *
 * Triggers keep `profile_name_words` equal to the profiles' words in the same transaction as the
 * change: inserts per statement (the bench and a replay insert many rows at once), renames per row
 * (only when a name changed: follower counts update profiles on every follow), deletions per
 * statement. `name_words` only grows: a word nobody has any more costs one empty index probe, and
 * deleting it safely would race with a concurrent sign-up that reuses it.
 */
export const nameWords: Migration = {
  name: '0011-name-words',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE profile_name_words (
        word text NOT NULL,
        profile_id uuid NOT NULL,
        PRIMARY KEY (word, profile_id)
      );
      CREATE INDEX profile_name_words_profile_idx ON profile_name_words (profile_id);
      CREATE TABLE name_words (word text PRIMARY KEY);
      CREATE INDEX name_words_trgm_idx ON name_words USING gin (word gin_trgm_ops) WITH (fastupdate = off);

      CREATE FUNCTION name_words_of(username text, display_name text) RETURNS SETOF text
        LANGUAGE sql STABLE AS $$
          SELECT DISTINCT w FROM regexp_split_to_table(lower(username || ' ' || display_name), '[^[:alnum:]]+') w
           WHERE w ~ '[[:alpha:]]'
        $$;

      CREATE FUNCTION profile_name_words_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO profile_name_words (word, profile_id)
            SELECT w, a.id FROM added a, name_words_of(a.username, a.display_name) w
            ON CONFLICT DO NOTHING;
          INSERT INTO name_words (word)
            SELECT DISTINCT w FROM added a, name_words_of(a.username, a.display_name) w
            ON CONFLICT DO NOTHING;
          RETURN NULL;
        END
      $$;
      CREATE TRIGGER profiles_name_words_added AFTER INSERT ON profiles
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION profile_name_words_added();

      CREATE FUNCTION profile_name_words_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM profile_name_words WHERE profile_id = NEW.id;
          INSERT INTO profile_name_words (word, profile_id)
            SELECT w, NEW.id FROM name_words_of(NEW.username, NEW.display_name) w;
          INSERT INTO name_words (word)
            SELECT w FROM name_words_of(NEW.username, NEW.display_name) w
            ON CONFLICT DO NOTHING;
          RETURN NULL;
        END
      $$;
      CREATE TRIGGER profiles_name_words_renamed AFTER UPDATE OF username, display_name ON profiles
        FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name)
        EXECUTE FUNCTION profile_name_words_renamed();

      CREATE FUNCTION profile_name_words_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM profile_name_words pw USING removed r WHERE pw.profile_id = r.id;
          RETURN NULL;
        END
      $$;
      CREATE TRIGGER profiles_name_words_removed AFTER DELETE ON profiles
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION profile_name_words_removed();

      INSERT INTO profile_name_words (word, profile_id)
        SELECT w, p.id FROM profiles p, name_words_of(p.username, p.display_name) w;
      INSERT INTO name_words (word) SELECT DISTINCT word FROM profile_name_words;
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      DROP TRIGGER profiles_name_words_removed ON profiles;
      DROP TRIGGER profiles_name_words_renamed ON profiles;
      DROP TRIGGER profiles_name_words_added ON profiles;
      DROP FUNCTION profile_name_words_removed(), profile_name_words_renamed(), profile_name_words_added(), name_words_of(text, text);
      DROP TABLE name_words, profile_name_words;
    `);
  },
};
