import { problems, type Database } from '@agora/mesh';
import { newOpaqueToken, sha256 } from './one-time-tokens.js';

export const MFA_CHALLENGE_TTL_SECONDS = 300;
const MAX_ATTEMPTS = 5;

/**
 * The "second factor required" step: a password check yields this short-lived, single-purpose token
 * (useless anywhere but `login/mfa`), spent by the first correct code and dead after five wrong ones.
 */
export class MfaChallenges {
  constructor(private readonly db: Database) {}

  async create(userId: string): Promise<string> {
    const { token, hash } = newOpaqueToken('mfa');
    await this.db.execute('INSERT INTO mfa_challenges (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))', [
      userId,
      hash,
      MFA_CHALLENGE_TTL_SECONDS,
    ]);
    return token;
  }

  /**
   * Runs `check(userId)` for a live challenge; a true result spends it, a false one counts an
   * attempt. Unknown, expired, spent or exhausted challenges are refused with 401.
   */
  async attempt(token: string, check: (userId: string) => Promise<boolean>): Promise<string> {
    const [row] = await this.db.query<{ id: string; user_id: string }>(
      `UPDATE mfa_challenges SET attempts = attempts + 1
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND attempts < $2
        RETURNING id, user_id`,
      [sha256(token), MAX_ATTEMPTS],
    );
    if (!row) throw problems.unauthorized('The second-factor step expired or was already used; sign in again.');
    if (!(await check(row.user_id))) {
      throw problems.validation('The code is not valid (wrong, expired or already used).', [{ field: 'code', message: 'invalid' }]);
    }
    const [spent] = await this.db.query<{ id: string }>('UPDATE mfa_challenges SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id', [
      row.id,
    ]);
    if (!spent) throw problems.unauthorized('The second-factor step was already used; sign in again.');
    return row.user_id;
  }
}
