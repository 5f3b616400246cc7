import type { Migration } from '@agora/mesh';

/** TOTP second factor, backup codes, MFA challenges, passwordless codes, the mail outbox, rate-limit counters. */
export const secondFactorCodesLimits: Migration = {
  name: '0002-second-factor-codes-limits',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE totp_credentials (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        secret_ciphertext text NOT NULL,          -- sealed with SIGNING_KEY_ENCRYPTION_KEY, bound to the user id
        enabled_at timestamptz,                   -- null while setup is pending
        last_time_step bigint,                    -- the last accepted TOTP step: a code is never accepted twice
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE backup_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX backup_codes_user_idx ON backup_codes (user_id) WHERE used_at IS NULL;

      -- "Second factor required": a short-lived, single-purpose token between password and code.
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Passwordless sign-in codes (sent by mail), stored hashed.
      CREATE TABLE login_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX login_codes_user_idx ON login_codes (user_id, created_at DESC);

      -- Transactional outbox: a mail is written in the same transaction as what caused it and sent
      -- by the mail worker afterwards, so no mail is lost when the process dies.
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient text NOT NULL,
        subject text NOT NULL,
        body_ciphertext text NOT NULL,            -- may carry a code: sealed at rest
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

      -- rate-limiter-flexible's table (created here so the service never runs DDL at request time).
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE rate_limits, mail_outbox, login_codes, mfa_challenges, backup_codes, totp_credentials');
  },
};
