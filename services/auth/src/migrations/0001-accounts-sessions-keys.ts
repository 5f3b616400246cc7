import { AUDIT_EVENTS_TABLE_SQL, type Migration } from '@agora/mesh';

/** Accounts, refresh-token families, signing keys and the audit log. */
export const accountsSessionsKeys: Migration = {
  name: '0001-accounts-sessions-keys',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        email text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT ARRAY['user'],
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Case-insensitive uniqueness: "Alice" and "alice" are the same account.
      CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
      CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

      CREATE TABLE refresh_families (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason text
      );
      CREATE INDEX refresh_families_user_idx ON refresh_families (user_id) WHERE revoked_at IS NULL;

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        algorithm text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_key_ciphertext text NOT NULL,
        activated_at timestamptz NOT NULL,
        retired_at timestamptz,
        published_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ${AUDIT_EVENTS_TABLE_SQL}
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE audit_events, signing_keys, refresh_tokens, refresh_families, users');
  },
};
