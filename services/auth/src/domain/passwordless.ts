import { timingSafeEqual } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { problems } from '@agora/mesh';
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
    private readonly sequelize: Sequelize,
    private readonly box: SecretBox,
  ) {}

  /** Issues a code for the active account with this email, if any; returns whether one was sent. */
  async request(email: string): Promise<boolean> {
    return this.sequelize.transaction(async (transaction) => {
      const [user] = await this.sequelize.query<{ id: string; email: string }>(
        `SELECT id, email FROM users WHERE lower(email) = lower(:email) AND status = 'active'`,
        { replacements: { email: email.trim() }, type: QueryTypes.SELECT, transaction },
      );
      if (!user) return false;
      const code = newNumericCode();
      await this.sequelize.query('UPDATE login_codes SET used_at = now() WHERE user_id = :id AND used_at IS NULL', {
        replacements: { id: user.id },
        transaction,
      });
      await this.sequelize.query(
        `INSERT INTO login_codes (user_id, code_hash, expires_at) VALUES (:id, :hash, now() + make_interval(secs => :ttl))`,
        { replacements: { id: user.id, hash: hashCode(user.id, code), ttl: LOGIN_CODE_TTL_SECONDS }, transaction },
      );
      await enqueueMail(
        this.sequelize,
        this.box,
        {
          to: user.email,
          subject: 'Your Agora sign-in code',
          text: `Your sign-in code is ${code}. It expires in ${LOGIN_CODE_TTL_SECONDS / 60} minutes and works once.\n\nIf you did not ask for it, ignore this mail.`,
        },
        transaction,
      );
      return true;
    });
  }

  /** The user id the code belongs to; 401 for a wrong, expired, used or exhausted code. */
  async redeem(email: string, code: string): Promise<string> {
    const refused = () => problems.unauthorized('The code is wrong, expired or already used; request a new one.');
    const [row] = await this.sequelize.query<CodeRow>(
      `UPDATE login_codes c SET attempts = attempts + 1
         FROM users u
        WHERE c.user_id = u.id AND lower(u.email) = lower(:email) AND u.status = 'active'
          AND c.used_at IS NULL AND c.expires_at > now() AND c.attempts < :max
        RETURNING c.id, c.user_id, c.code_hash`,
      { replacements: { email: email.trim(), max: MAX_ATTEMPTS }, type: QueryTypes.SELECT },
    );
    if (!row || !/^\d{6}$/.test(code)) throw refused();
    const expected = Buffer.from(row.code_hash);
    const given = Buffer.from(hashCode(row.user_id, code));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused();
    const [spent] = await this.sequelize.query<{ id: string }>(
      'UPDATE login_codes SET used_at = now() WHERE id = :id AND used_at IS NULL RETURNING id',
      { replacements: { id: row.id }, type: QueryTypes.SELECT },
    );
    if (!spent) throw refused();
    return row.user_id;
  }
}
