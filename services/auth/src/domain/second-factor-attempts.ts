import { ProblemError, problems, type Database } from '@agora/mesh';
import type { AuditLog } from './audit.js';
import { enqueueMail } from './mail.js';
import type { SecretBox } from './secret-box.js';

/** The second-factor operations whose failures share one per-account count (the metric's label). */
export const SECOND_FACTOR_OPERATIONS = ['sign_in', 'disable', 'verify_setup', 'backup_code', 'reauthenticate'] as const;
export type SecondFactorOperation = (typeof SECOND_FACTOR_OPERATIONS)[number];

/** Failures taken without delay; from then on each doubles the wait, and at LOCK_AT the account is locked. */
export const FREE_FAILURES = 3;
export const LOCK_AT = 10;
const FIRST_DELAY_SECONDS = 5;
export const LOCKOUT_SECONDS = 24 * 60 * 60;

/** Seconds to wait after the `n`-th consecutive failure before the next attempt is taken. */
export function delayAfter(n: number): number {
  if (n < FREE_FAILURES) return 0;
  if (n < LOCK_AT) return FIRST_DELAY_SECONDS * 2 ** (n - FREE_FAILURES);
  return LOCKOUT_SECONDS;
}

/**
 * One count of second-factor failures per account, across every challenge and operation: a new
 * password sign-in (a fresh challenge) starts nothing anew, and a password success never resets it —
 * only a correct second factor does. Each attempt is reserved (counted as a failure, with the backoff
 * it implies) in one statement before the code is checked, so concurrent guesses cannot share a slot;
 * a correct code then clears the count. At LOCK_AT failures the account's second factor is locked for
 * a day (and again for each further failure), the owner is mailed through the outbox and the lockout is
 * audited.
 */
export class SecondFactorAttempts {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly audit: AuditLog,
    private readonly onFailure: (operation: SecondFactorOperation) => void = () => undefined,
  ) {}

  /** Runs `check` if the account may try now; 429 with Retry-After otherwise. Returns what `check` said. */
  async check(userId: string, operation: SecondFactorOperation, check: () => Promise<boolean>, ip?: string): Promise<boolean> {
    const failures = await this.reserve(userId);
    if (await check()) {
      await this.db.execute('UPDATE second_factor_attempts SET failures = 0, next_attempt_at = now(), updated_at = now() WHERE user_id = $1', [
        userId,
      ]);
      return true;
    }
    this.onFailure(operation);
    if (failures >= LOCK_AT) await this.lockedOut(userId, failures, operation, ip);
    return false;
  }

  /** Counts one failure ahead (the attempt's slot) when the backoff allows it, else refuses. */
  private async reserve(userId: string): Promise<number> {
    const [row] = await this.db.query<{ failures: number }>(
      `INSERT INTO second_factor_attempts AS a (user_id, failures, next_attempt_at)
       VALUES ($1, 1, now() + make_interval(secs => $2::int))
       ON CONFLICT (user_id) DO UPDATE
          SET failures = a.failures + 1,
              next_attempt_at = now() + make_interval(secs => CASE
                WHEN a.failures + 1 < $3 THEN 0
                WHEN a.failures + 1 < $4 THEN $5::int * (2 ^ (a.failures + 1 - $3))::int
                ELSE $6::int END),
              updated_at = now()
        WHERE a.next_attempt_at <= now()
       RETURNING a.failures`,
      [userId, delayAfter(1), FREE_FAILURES, LOCK_AT, FIRST_DELAY_SECONDS, LOCKOUT_SECONDS],
    );
    if (row) return row.failures;
    const [waiting] = await this.db.query<{ failures: number; wait: number }>(
      'SELECT failures, ceil(extract(epoch FROM next_attempt_at - now()))::int AS wait FROM second_factor_attempts WHERE user_id = $1',
      [userId],
    );
    const retryAfter = Math.max(1, waiting?.wait ?? 1);
    if ((waiting?.failures ?? 0) >= LOCK_AT) {
      throw new ProblemError(
        429,
        'rate-limited',
        "Too many wrong second-factor codes: this account's second factor is locked; its owner was told by mail.",
        {
          headers: { 'Retry-After': String(retryAfter) },
          extensions: { retryAfter },
        },
      );
    }
    throw problems.rateLimited(retryAfter);
  }

  private async lockedOut(userId: string, failures: number, operation: SecondFactorOperation, ip?: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [user] = await tx.query<{ email: string }>(`SELECT email FROM users WHERE id = $1 AND status <> 'deleted'`, [userId]);
      if (!user) return;
      await enqueueMail(tx, this.box, {
        to: user.email,
        subject: 'Your Agora second factor is locked',
        text:
          `Someone entered ${failures} wrong two-factor codes for your account, so two-factor sign-in is locked for ` +
          `${LOCKOUT_SECONDS / 3600} hours. They knew your password (or held a signed-in session): change your password.\n\n` +
          'If it was you, wait for the lock to end and use a current code from your authenticator or a backup code.',
      });
    });
    await this.audit.record({
      action: 'second_factor_locked',
      outcome: 'failure',
      actorId: null,
      targetId: userId,
      ip,
      details: { failures, operation },
    });
  }
}
