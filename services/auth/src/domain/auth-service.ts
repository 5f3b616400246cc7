import { randomUUID } from 'node:crypto';
import { problems } from '@agora/mesh';
import type { Accounts, NewAccount } from './accounts.js';
import type { AuditLog } from './audit.js';
import { MFA_CHALLENGE_TTL_SECONDS, type MfaChallenges } from './mfa-challenges.js';
import type { PasswordlessCodes } from './passwordless.js';
import { accountKey, type LoginAttempt, type RateLimits } from './rate-limits.js';
import type { IssuedSession, Sessions } from './sessions.js';
import type { TokenIssuer } from './token-issuer.js';
import type { TwoFactor } from './two-factor.js';
import type { User } from '../models/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

/** The answer to a correct password (or mail code) of an account with two-factor authentication on. */
export interface MfaRequired {
  mfaRequired: true;
  mfaToken: string;
  expiresIn: number;
}

export type LoginResult = TokenPair | MfaRequired;

export type LoginOutcome = 'success' | 'bad_credentials' | 'mfa_required' | 'suspended' | 'rate_limited';

export interface AuthCounters {
  registration(): void;
  login(result: LoginOutcome): void;
}

export interface AuthServiceDeps {
  accounts: Accounts;
  sessions: Sessions;
  tokens: TokenIssuer;
  audit: AuditLog;
  limits: RateLimits;
  twoFactor: TwoFactor;
  mfa: MfaChallenges;
  passwordless: PasswordlessCodes;
  counters?: AuthCounters;
}

const NO_COUNTERS: AuthCounters = { registration: () => undefined, login: () => undefined };

/** The account and session use cases the controllers expose. */
export class AuthService {
  private readonly counters: AuthCounters;

  constructor(private readonly d: AuthServiceDeps) {
    this.counters = d.counters ?? NO_COUNTERS;
  }

  async register(input: NewAccount, ip: string): Promise<{ id: string; username: string; email: string; createdAt: Date }> {
    await this.d.limits.consumeSignup(ip);
    const registration = await this.d.accounts.register(input);
    if (!registration.created) {
      // The email's owner was mailed; the caller gets what a new account gets (an id that names nothing).
      await this.d.audit.record({ action: 'register', outcome: 'failure', ip, details: { reason: 'email_taken' } });
      return { id: randomUUID(), username: registration.username, email: registration.email, createdAt: new Date() };
    }
    const { user } = registration;
    this.counters.registration();
    await this.d.audit.record({ action: 'register', outcome: 'success', actorId: user.id, targetId: user.id, ip });
    return { id: user.id, username: user.username, email: user.email, createdAt: user.createdAt };
  }

  /**
   * The attempt is reserved against the account's budget (its username and email alike) and the
   * address's before the password is verified, and refunded only when it was right.
   */
  async login(login: string, password: string, ip: string): Promise<LoginResult> {
    const found = await this.d.accounts.findByLogin(login);
    const attempt = await this.reserveLogin(accountKey(found?.id, login), ip, found?.id);
    const { user, reason } = await this.d.accounts.checkPassword(found, password);
    if (reason === 'suspended') {
      // The password was right: no guess to count, and only now may the answer say why.
      await attempt.succeeded();
      this.counters.login('suspended');
      await this.d.audit.record({ action: 'login', outcome: 'failure', targetId: found!.id, ip, details: { reason: 'suspended' } });
      throw problems.forbidden('This account is suspended.');
    }
    if (!user) {
      this.counters.login('bad_credentials');
      await this.d.audit.record({ action: 'login', outcome: 'failure', ip, details: { reason: 'bad_credentials' } });
      // Same answer for an unknown account and a wrong password.
      throw problems.unauthorized('The username/email or password is incorrect.');
    }
    await attempt.succeeded();
    return this.completeFirstFactor(user, ip, 'password');
  }

  /**
   * The password again, for the operations a stolen access token must not be enough for (enrolling or
   * removing a second factor). Counts against the same budget as sign-in.
   */
  async confirmPassword(userId: string, password: string, ip: string): Promise<void> {
    const found = await this.d.accounts.find(userId);
    const attempt = await this.reserveLogin(accountKey(userId, ''), ip, userId);
    const { user } = await this.d.accounts.checkPassword(found?.status === 'deleted' ? undefined : found, password);
    if (!user) {
      await this.d.audit.record({
        action: 'reauthenticate',
        outcome: 'failure',
        actorId: userId,
        targetId: userId,
        ip,
        details: { reason: 'bad_credentials' },
      });
      throw problems.forbidden('The password is not correct.');
    }
    await attempt.succeeded();
  }

  /** Second step of a 2FA sign-in: the challenge token plus a TOTP or backup code. */
  async loginMfa(mfaToken: string, code: string, ip: string): Promise<TokenPair> {
    let userId: string | undefined;
    try {
      userId = await this.d.mfa.attempt(mfaToken, (id) => {
        userId = id;
        return this.d.twoFactor.checkCode(id, code, 'sign_in', ip);
      });
    } catch (err) {
      this.counters.login('bad_credentials');
      await this.d.audit.record({ action: 'login', outcome: 'failure', targetId: userId ?? null, ip, details: { reason: 'bad_second_factor' } });
      throw err;
    }
    const user = await this.activeUser(userId);
    return this.startSession(user, ip, 'totp');
  }

  /** Mails a sign-in code when the address belongs to an active account; answers the same either way. */
  async requestCode(email: string, ip: string): Promise<void> {
    await this.d.limits.consumeCodeRequest(email, ip);
    const sent = await this.d.passwordless.request(email);
    await this.d.audit.record({ action: 'login_code_requested', outcome: sent ? 'success' : 'failure', ip });
  }

  async loginWithCode(email: string, code: string, ip: string): Promise<LoginResult> {
    let userId: string;
    try {
      userId = await this.d.passwordless.redeem(email, code);
    } catch (err) {
      this.counters.login('bad_credentials');
      await this.d.audit.record({ action: 'login', outcome: 'failure', ip, details: { reason: 'bad_login_code' } });
      throw err;
    }
    return this.completeFirstFactor(await this.activeUser(userId), ip, 'mail_code');
  }

  async refresh(refreshToken: string, ip?: string): Promise<TokenPair> {
    return this.pair(await this.d.sessions.rotate(refreshToken, ip));
  }

  async logout(refreshToken: string, ip?: string): Promise<void> {
    const revoked = await this.d.sessions.revokeByToken(refreshToken);
    if (revoked) {
      await this.d.audit.record({
        action: 'logout',
        outcome: 'success',
        actorId: revoked.userId,
        targetId: revoked.userId,
        ip,
        details: { sessionId: revoked.sessionId },
      });
    }
  }

  /** Marks the account deleted, releases its email and revokes every session; idempotent. */
  async deleteAccount(userId: string, requestedBy: string): Promise<void> {
    if (!UUID.test(userId)) throw problems.notFound('No such account.');
    const revoked = await this.d.accounts.markDeleted(userId, (tx) => this.d.sessions.revokeAllForUser(userId, 'account_deleted', tx));
    if (revoked === undefined) throw problems.notFound('No such account.');
    await this.d.audit.record({
      action: 'account_deleted',
      outcome: 'success',
      actorId: userId,
      targetId: userId,
      details: { requestedBy, sessionsRevoked: revoked },
    });
  }

  /** Suspends (revoking every session at once) or reinstates an account; called for an admin by users. */
  async setSuspended(userId: string, suspended: boolean, actorId: string | null, requestedBy: string): Promise<void> {
    if (!UUID.test(userId)) throw problems.notFound('No such account.');
    const changed = await this.d.accounts.setStatus(userId, suspended ? 'suspended' : 'active', (tx) =>
      suspended ? this.d.sessions.revokeAllForUser(userId, 'suspended', tx) : Promise.resolve(0),
    );
    if (changed === undefined) throw problems.notFound('No such account.');
    await this.d.audit.record({
      action: suspended ? 'account_suspended' : 'account_reinstated',
      outcome: 'success',
      actorId,
      targetId: userId,
      details: { requestedBy, sessionsRevoked: changed },
    });
  }

  private async reserveLogin(key: string, ip: string, targetId?: string): Promise<LoginAttempt> {
    try {
      return await this.d.limits.reserveLogin(key, ip);
    } catch (err) {
      this.counters.login('rate_limited');
      await this.d.audit.record({ action: 'login', outcome: 'failure', targetId: targetId ?? null, ip, details: { reason: 'rate_limited' } });
      throw err;
    }
  }

  private async completeFirstFactor(user: User, ip: string, method: string): Promise<LoginResult> {
    if (await this.d.twoFactor.isEnabled(user.id)) {
      this.counters.login('mfa_required');
      await this.d.audit.record({
        action: 'login',
        outcome: 'success',
        actorId: user.id,
        targetId: user.id,
        ip,
        details: { step: 'first_factor', method },
      });
      return { mfaRequired: true, mfaToken: await this.d.mfa.create(user.id), expiresIn: MFA_CHALLENGE_TTL_SECONDS };
    }
    return this.startSession(user, ip, method);
  }

  private async startSession(user: User, ip: string, method: string): Promise<TokenPair> {
    const session = await this.d.sessions.create(user);
    this.counters.login('success');
    await this.d.audit.record({
      action: 'login',
      outcome: 'success',
      actorId: user.id,
      targetId: user.id,
      ip,
      details: { sessionId: session.sessionId, method },
    });
    return this.pair(session);
  }

  private async activeUser(userId: string): Promise<User> {
    const user = await this.d.accounts.find(userId);
    if (!user || user.status !== 'active') throw problems.unauthorized('The account cannot sign in.');
    return user;
  }

  private async pair(session: IssuedSession): Promise<TokenPair> {
    const accessToken = await this.d.tokens.issue(session);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.d.tokens.ttlSeconds,
      refreshToken: session.refreshToken,
      refreshExpiresIn: session.refreshExpiresIn,
    };
  }
}
