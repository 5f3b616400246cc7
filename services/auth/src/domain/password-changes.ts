import { problems, type Database, type Queryable } from '@agora/mesh';
import type { User } from '../models/index.js';
import { ACCOUNT_TOKEN_TTL_SECONDS, type AccountTokens } from './account-tokens.js';
import type { AuditLog } from './audit.js';
import type { AuthService } from './auth-service.js';
import { enqueueMail } from './mail.js';
import { mailLink } from './mail-links.js';
import { assertPasswordAllowed, hashPassword } from './passwords.js';
import type { RateLimits } from './rate-limits.js';
import type { SecretBox } from './secret-box.js';
import type { Sessions } from './sessions.js';

export interface PasswordChangesDeps {
  db: Database;
  box: SecretBox;
  auth: AuthService;
  sessions: Sessions;
  tokens: AccountTokens;
  limits: RateLimits;
  audit: AuditLog;
  appUrl: string;
}

const RESET_MINUTES = ACCOUNT_TOKEN_TTL_SECONDS.password_reset / 60;

/**
 * Setting a new password: by the signed-in user (the current password required; the user's other
 * sessions end) or through a mailed reset link (single use, hashed at rest, 30 minutes; every session
 * ends). Both mail the account a notice through the outbox, in the change's own transaction.
 */
export class PasswordChanges {
  constructor(private readonly d: PasswordChangesDeps) {}

  /** Changes the caller's password; returns how many other sessions were revoked. */
  async change(userId: string, sessionId: string, currentPassword: string, newPassword: string, ip: string): Promise<number> {
    await this.d.auth.confirmPassword(userId, currentPassword, ip);
    const user = await this.activeUser(userId);
    assertPasswordAllowed(user.username, newPassword, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const revoked = await this.d.db.transaction(async (tx) => {
      await tx.execute('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, passwordHash]);
      await this.voidPendingLinks(tx, userId);
      await enqueueMail(tx, this.d.box, {
        to: user.email,
        subject: 'Your Agora password was changed',
        text: 'The password of your Agora account was just changed, and your other sessions were signed out.\n\nIf this was not you, reset your password now and check your sessions.',
      });
      return this.d.sessions.revokeOthers(userId, sessionId, 'password_changed', tx);
    });
    await this.d.audit.record({
      action: 'password_changed',
      outcome: 'success',
      actorId: userId,
      targetId: userId,
      ip,
      details: { sessionsRevoked: revoked },
    });
    return revoked;
  }

  /** Mails a reset link when the address belongs to an active account; the caller cannot tell which. */
  async requestReset(email: string, ip: string): Promise<void> {
    await this.d.limits.consumeResetRequest(email, ip);
    const userId = await this.d.db.transaction(async (tx) => {
      const [user] = await tx.query<{ id: string; email: string }>(
        `SELECT id, email FROM users WHERE lower(email) = lower($1) AND status = 'active'`,
        [email.trim()],
      );
      if (!user) return undefined;
      const token = await this.d.tokens.issue(tx, user.id, 'password_reset');
      await enqueueMail(tx, this.d.box, {
        to: user.email,
        subject: 'Reset your Agora password',
        text:
          `Someone (hopefully you) asked to reset the password of your Agora account. Open this link within ${RESET_MINUTES} minutes to choose a new one; it works once:\n\n` +
          `${mailLink(this.d.appUrl, 'password_reset', token)}\n\n` +
          `(Or send the token ${token} to POST /api/v1/auth/password/reset.) Setting a new password signs out every session.\n\nIf you did not ask for this, ignore this mail: your password stays as it is.`,
      });
      return user.id;
    });
    await this.d.audit.record({ action: 'password_reset_requested', outcome: userId ? 'success' : 'failure', targetId: userId ?? null, ip });
  }

  /** Sets the password from a reset token and revokes every session; 400 for an unknown, used or expired token. */
  async reset(token: string, newPassword: string, ip: string): Promise<void> {
    const refused = () =>
      problems.validation('The reset link is invalid, expired or already used; ask for a new one.', [
        { field: 'token', message: 'is invalid, expired or already used' },
      ]);
    const pending = await this.d.tokens.find(this.d.db, token, ['password_reset']);
    if (!pending) throw refused();
    const user = await this.activeUser(pending.userId).catch(() => undefined);
    if (!user) throw refused();
    assertPasswordAllowed(user.username, newPassword, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const revoked = await this.d.db.transaction(async (tx) => {
      const spent = await this.d.tokens.spend(tx, token, ['password_reset']);
      if (!spent) return undefined;
      await this.voidPendingLinks(tx, user.id);
      // The link came through the mailbox: that proves the address as well as a verification would.
      await tx.execute(
        `UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
          WHERE id = $1 AND status = 'active'`,
        [user.id, passwordHash],
      );
      await enqueueMail(tx, this.d.box, {
        to: user.email,
        subject: 'Your Agora password was reset',
        text: 'The password of your Agora account was just reset from a mailed link, and every session was signed out.\n\nIf this was not you, reset it again now and contact us.',
      });
      return this.d.sessions.revokeAllForUser(user.id, 'password_reset', tx);
    });
    if (revoked === undefined) throw refused();
    await this.d.audit.record({
      action: 'password_reset',
      outcome: 'success',
      actorId: user.id,
      targetId: user.id,
      ip,
      details: { sessionsRevoked: revoked },
    });
  }

  /**
   * A new password voids the account's other pending links: a reset someone else asked for, and an
   * email change a thief may have started with the old credentials (its link goes to their mailbox).
   */
  private async voidPendingLinks(tx: Queryable, userId: string): Promise<void> {
    await this.d.tokens.voidAll(tx, userId, 'password_reset');
    await this.d.tokens.voidAll(tx, userId, 'email_change');
  }

  private async activeUser(userId: string): Promise<User> {
    const user = await this.d.auth.account(userId);
    if (!user || user.status !== 'active') throw problems.unauthorized('The account cannot sign in.');
    return user;
  }
}
