import type { Migration } from '@agora/mesh';

/**
 * The account lifecycle (password change and reset, email verification and change, the session list,
 * re-authentication):
 *  - refresh_families: when the session last proved who it is (`authenticated_at`: the sign-in or a
 *    re-authentication, the `auth_time` of its access tokens), when it was last refreshed, and what
 *    the user sees in the session list — the client's user agent and a coarse address prefix (never
 *    the full address);
 *  - users.email_verified_at: null until the address is confirmed from its mailbox;
 *  - account_tokens: single-use links sent by mail (password reset, email verification, email
 *    change), stored as SHA-256 only, with their own life.
 */
export const accountLifecycle: Migration = {
  name: '0006-account-lifecycle',
  async up({ context: db }) {
    await db.execute(`
      ALTER TABLE refresh_families
        ADD COLUMN authenticated_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN user_agent text,
        ADD COLUMN ip_prefix text;
      UPDATE refresh_families SET authenticated_at = created_at, last_used_at = updated_at;

      ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

      CREATE TABLE account_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification', 'email_change')),
        token_hash text NOT NULL UNIQUE,
        email text,                               -- the address a verification or change confirms
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose) WHERE used_at IS NULL;
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      DROP TABLE account_tokens;
      ALTER TABLE users DROP COLUMN email_verified_at;
      ALTER TABLE refresh_families DROP COLUMN authenticated_at, DROP COLUMN last_used_at, DROP COLUMN user_agent, DROP COLUMN ip_prefix;
    `);
  },
};
