import type { Queryable } from '@agora/mesh';
import { newOpaqueToken, sha256 } from './one-time-tokens.js';

export type AccountTokenPurpose = 'password_reset' | 'email_verification' | 'email_change';

/** How long a mailed link works: a reset is short (whoever reads the mail later should not find it live). */
export const ACCOUNT_TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  password_reset: 30 * 60,
  email_verification: 24 * 60 * 60,
  email_change: 24 * 60 * 60,
};

const PREFIX: Record<AccountTokenPurpose, string> = { password_reset: 'pr', email_verification: 'ev', email_change: 'ev' };

export interface AccountTokenRow {
  id: string;
  userId: string;
  purpose: AccountTokenPurpose;
  email: string | null;
}

/**
 * The single-use tokens of mailed links (password reset, email verification and change): 256 random
 * bits, only their SHA-256 stored, a life per purpose; a new one voids the user's earlier ones of the
 * same purpose, and spending one is a single conditional UPDATE, so two uses cannot both succeed.
 */
export class AccountTokens {
  /** Issues a token on `tx` (the transaction that also queues its mail). */
  async issue(tx: Queryable, userId: string, purpose: AccountTokenPurpose, email: string | null = null): Promise<string> {
    const { token, hash } = newOpaqueToken(PREFIX[purpose]);
    await tx.execute('UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [userId, purpose]);
    await tx.execute(
      `INSERT INTO account_tokens (user_id, purpose, token_hash, email, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [userId, purpose, hash, email, ACCOUNT_TOKEN_TTL_SECONDS[purpose]],
    );
    return token;
  }

  /** The live token (unused, unexpired, one of `purposes`) without spending it. */
  async find(db: Queryable, token: string, purposes: AccountTokenPurpose[]): Promise<AccountTokenRow | undefined> {
    const [row] = await db.query<AccountTokenRow>(
      `SELECT id, user_id AS "userId", purpose, email FROM account_tokens
        WHERE token_hash = $1 AND purpose = ANY($2) AND used_at IS NULL AND expires_at > now()`,
      [sha256(token), purposes],
    );
    return row;
  }

  /** Spends the live token on `tx`; undefined when it is unknown, used, expired or of another purpose. */
  async spend(tx: Queryable, token: string, purposes: AccountTokenPurpose[]): Promise<AccountTokenRow | undefined> {
    const [row] = await tx.query<AccountTokenRow>(
      `UPDATE account_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = ANY($2) AND used_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId", purpose, email`,
      [sha256(token), purposes],
    );
    return row;
  }

  /** Voids the user's live tokens of `purpose` (a password change voids pending resets). */
  async voidAll(tx: Queryable, userId: string, purpose: AccountTokenPurpose): Promise<void> {
    await tx.execute('UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [userId, purpose]);
  }
}
