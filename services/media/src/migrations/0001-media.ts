import type { Migration } from '@agora/mesh';

/** Media metadata; the bytes live in the object store under object_key. */
export const media: Migration = {
  name: '0001-media',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE media (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL,
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif')),
        size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'uploaded')),
        object_key text NOT NULL UNIQUE,
        uploaded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'uploaded') = (uploaded_at IS NOT NULL))
      );
      CREATE INDEX media_owner_idx ON media (owner_id, created_at DESC);
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE media');
  },
};
