import { timingSafeEqual } from 'node:crypto';
import { problems, type Database } from '@agora/mesh';
import { enqueueMail } from './mail.js';
import { hashCode, newNumericCode } from './one-time-tokens.js';
import type { SecretBox } from './secret-box.js';

export const LOGIN_CODE_TTL_SECONDS = 600;
const MAX_ATTEMPTS = 5;

interface CodeRow {
  id: string;
  user_id: string;
  code_hash: string;
}

/**
 * Passwordless sign-in: a 6-digit code sent by mail (through the outbox), valid 10 minutes, single
 * use, five attempts, stored hashed. Requesting a new code voids the previous one. The request never
 * says whether the address has an account.
 */
export class PasswordlessCodes {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
  ) {}

  /** Issues a code for the active account with this email, if any; returns whether one was sent. */
  async request(email: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [user] = await tx.query<{ id: string; email: string }>(
        `SELECT id, email FROM users WHERE lower(email) = lower($1) AND status = 'active'`,
        [email.trim()],
      );
      if (!user) return false;
      const code = newNumericCode();
      await tx.execute('UPDATE login_codes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [user.id]);
      await tx.execute('INSERT INTO login_codes (user_id, code_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))', [
        user.id,
        hashCode(user.id, code),
        LOGIN_CODE_TTL_SECONDS,
      ]);
      await enqueueMail(tx, this.box, {
        to: user.email,
        subject: 'Your Agora sign-in code',
        text: `Your sign-in code is ${code}. It expires in ${LOGIN_CODE_TTL_SECONDS / 60} minutes and works once.\n\nIf you did not ask for it, ignore this mail.`,
      });
      return true;
    });
  }

  /** The user id the code belongs to; 401 for a wrong, expired, used or exhausted code. */
  async redeem(email: string, code: string): Promise<string> {
    const refused = () => problems.unauthorized('The code is wrong, expired or already used; request a new one.');
    const [row] = await this.db.query<CodeRow>(
      `UPDATE login_codes c SET attempts = attempts + 1
         FROM users u
        WHERE c.user_id = u.id AND lower(u.email) = lower($1) AND u.status = 'active'
          AND c.used_at IS NULL AND c.expires_at > now() AND c.attempts < $2
        RETURNING c.id, c.user_id, c.code_hash`,
      [email.trim(), MAX_ATTEMPTS],
    );
    if (!row || !/^\d{6}$/.test(code)) throw refused();
    const expected = Buffer.from(row.code_hash);
    const given = Buffer.from(hashCode(row.user_id, code));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused();
    const [spent] = await this.db.query<{ id: string }>('UPDATE login_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id', [
      row.id,
    ]);
    if (!spent) throw refused();
    return row.user_id;
  }
}
