import { isUniqueViolation, problems, type Database, type Queryable } from '@agora/mesh';
import type { User } from '../models/index.js';
import type { AccountTokens } from './account-tokens.js';
import type { AuditLog } from './audit.js';
import type { AuthService, ReauthenticationProof } from './auth-service.js';
import { enqueueMail } from './mail.js';
import { mailLink } from './mail-links.js';
import type { RateLimits } from './rate-limits.js';
import type { SecretBox } from './secret-box.js';

export interface EmailAddressesDeps {
  db: Database;
  box: SecretBox;
  auth: AuthService;
  tokens: AccountTokens;
  limits: RateLimits;
  audit: AuditLog;
  appUrl: string;
}

/**
 * The operator's verification (verify-email command): marks the current address of the active
 * account `username` verified. Returns whether it was unverified before; undefined for no such account.
 */
export async function markEmailVerified(db: Queryable, audit: AuditLog, input: { username: string; actor: string }): Promise<boolean | undefined> {
  const [row] = await db.query<{ id: string; was_verified: boolean }>(
    `UPDATE users u SET email_verified_at = coalesce(u.email_verified_at, now()), updated_at = now()
       FROM users before
      WHERE u.id = before.id AND lower(u.username) = lower($1) AND u.status = 'active'
      RETURNING u.id, before.email_verified_at IS NOT NULL AS was_verified`,
    [input.username],
  );
  if (!row) return undefined;
  if (!row.was_verified) {
    await audit.record({ action: 'email_verified', outcome: 'success', targetId: row.id, details: { by: input.actor } });
  }
  return !row.was_verified;
}

/** `ada@example.com` → `a***@example.com`: enough for the owner to recognise, little for anyone else. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * Email addresses: verification of the address given at sign-up, and change of address — the new
 * address is used only once a link mailed to it is opened (so nobody can move an account to a mailbox
 * they do not read), and the old address is told when it happens. Links are single use and hashed at
 * rest (AccountTokens), 24 hours.
 */
export class EmailAddresses {
  constructor(private readonly d: EmailAddressesDeps) {}

  /** Queues the verification mail of `email` on `tx` (the transaction that created the account). */
  async queueVerification(tx: Queryable, userId: string, email: string): Promise<void> {
    const token = await this.d.tokens.issue(tx, userId, 'email_verification', email);
    await enqueueMail(tx, this.d.box, {
      to: email,
      subject: 'Confirm your Agora email address',
      text:
        `Welcome to Agora! Open this link within 24 hours to confirm that this address is yours; it works once:\n\n` +
        `${mailLink(this.d.appUrl, 'email_verification', token)}\n\n` +
        `(Or send the token ${token} to POST /api/v1/auth/email/verify.)\n\nIf you did not create an account, ignore this mail.`,
    });
  }

  /** A new verification link for the caller's unverified address (the previous one stops working). */
  async resendVerification(userId: string, ip: string): Promise<void> {
    const user = await this.activeUser(userId);
    if (user.emailVerifiedAt) throw problems.conflict('The address is already verified.');
    await this.d.limits.consumeVerificationMail(user.email, ip);
    await this.d.db.transaction((tx) => this.queueVerification(tx, user.id, user.email));
  }

  /**
   * Starts a change of address: a link to the new address (or, when another account has it, a mail
   * telling that address's owner that nothing changed: the caller gets the same answer either way).
   * Needs a recent sign-in or the password / a second-factor code.
   */
  async requestChange(userId: string, sessionId: string, newEmail: string, proof: ReauthenticationProof, ip: string): Promise<void> {
    await this.d.auth.requireRecentAuthentication(userId, sessionId, proof, ip);
    const user = await this.activeUser(userId);
    const email = newEmail.trim().toLowerCase();
    if (email === user.email.toLowerCase()) {
      throw problems.validation('That is already the address of the account.', [
        { field: 'email', message: 'is already the address of the account' },
      ]);
    }
    await this.d.limits.consumeVerificationMail(email, ip);
    await this.d.db.transaction(async (tx) => {
      const [taken] = await tx.query<{ id: string }>(`SELECT id FROM users WHERE lower(email) = $1 AND status <> 'deleted'`, [email]);
      if (taken) {
        await enqueueMail(tx, this.d.box, {
          to: email,
          subject: 'Someone tried to move an Agora account to your address',
          text: 'Someone asked to change the address of an Agora account to this one, which already belongs to an account. Nothing was changed.\n\nIf it was you, sign in to the account that has this address instead.',
        });
        return;
      }
      const token = await this.d.tokens.issue(tx, user.id, 'email_change', email);
      await enqueueMail(tx, this.d.box, {
        to: email,
        subject: 'Confirm your new Agora email address',
        text:
          `Open this link within 24 hours to make this the address of your Agora account (${user.username}); it works once:\n\n` +
          `${mailLink(this.d.appUrl, 'email_change', token)}\n\n` +
          `(Or send the token ${token} to POST /api/v1/auth/email/verify.)\n\nIf you did not ask for this, ignore this mail: nothing changes.`,
      });
    });
    await this.d.audit.record({ action: 'email_change_requested', outcome: 'success', actorId: userId, targetId: userId, ip });
  }

  /**
   * Opens a mailed link: verifies the address, or completes a change of address (and tells the old
   * one). 400 for an unknown, used or expired link, or one whose address is no longer the account's;
   * 409 when another account took the new address meanwhile.
   */
  async confirm(token: string, ip: string): Promise<{ email: string }> {
    const refused = () =>
      problems.validation('The link is invalid, expired or already used; ask for a new one.', [
        { field: 'token', message: 'is invalid, expired or already used' },
      ]);
    let outcome: { userId: string; email: string; previous?: string } | undefined;
    try {
      outcome = await this.d.db.transaction(async (tx) => {
        const spent = await this.d.tokens.spend(tx, token, ['email_verification', 'email_change']);
        if (!spent?.email) return undefined;
        const [user] = await tx.query<{ email: string; status: string }>('SELECT email, status FROM users WHERE id = $1 FOR UPDATE', [spent.userId]);
        if (!user || user.status !== 'active') return undefined;
        if (spent.purpose === 'email_verification') {
          if (user.email.toLowerCase() !== spent.email.toLowerCase()) return undefined; // the address changed since
          await tx.execute('UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1', [
            spent.userId,
          ]);
          return { userId: spent.userId, email: user.email };
        }
        const [taken] = await tx.query<{ id: string }>(`SELECT id FROM users WHERE lower(email) = lower($1) AND id <> $2`, [
          spent.email,
          spent.userId,
        ]);
        if (taken) throw problems.conflict('Another account has taken that address meanwhile.');
        await tx.execute('UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() WHERE id = $1', [spent.userId, spent.email]);
        await this.d.tokens.voidAll(tx, spent.userId, 'email_verification');
        await enqueueMail(tx, this.d.box, {
          to: user.email,
          subject: 'Your Agora email address was changed',
          text: `The address of your Agora account was changed to ${maskEmail(spent.email)}. Mail about the account now goes there.\n\nIf this was not you, reset your password and contact us.`,
        });
        return { userId: spent.userId, email: spent.email, previous: user.email };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw problems.conflict('Another account has taken that address meanwhile.');
      throw err;
    }
    if (!outcome) throw refused();
    await this.d.audit.record({
      action: outcome.previous ? 'email_changed' : 'email_verified',
      outcome: 'success',
      actorId: outcome.userId,
      targetId: outcome.userId,
      ip,
    });
    return { email: outcome.email };
  }

  private async activeUser(userId: string): Promise<User> {
    const user = await this.d.auth.account(userId);
    if (!user || user.status !== 'active') throw problems.unauthorized('The account cannot sign in.');
    return user;
  }
}
