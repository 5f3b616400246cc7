import { randomUUID } from 'node:crypto';
import { isUuid, problems, reauthenticationRequired, REAUTHENTICATION_WINDOW_SECONDS, type Queryable } from '@agora/mesh';
import type { Accounts, NewAccount } from './accounts.js';
import type { AuditLog } from './audit.js';
import { MFA_CHALLENGE_TTL_SECONDS, type MfaChallenges } from './mfa-challenges.js';
import type { PasswordlessCodes } from './passwordless.js';
import { accountKey, type LoginAttempt, type RateLimits } from './rate-limits.js';
import { newRefreshToken } from './refresh-tokens.js';
import type { IssuedSession, SessionClient, Sessions } from './sessions.js';
import type { TokenIssuer } from './token-issuer.js';
import type { TwoFactor } from './two-factor.js';
import type { User } from '../models/index.js';
import type { RegisteredAccount, TokenResponse } from '../controllers/schemas.js';

/** What proves the caller again: the password, or a current second-factor code. */
export interface ReauthenticationProof {
  password?: string;
  code?: string;
}

/** The answer to a correct password (or mail code) of an account with two-factor authentication on. */
export interface MfaRequired {
  mfaRequired: true;
  mfaToken: string;
  expiresIn: number;
}

export type LoginResult = TokenResponse | MfaRequired;

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
  /** Runs in a new account's transaction (its verification mail: EmailAddresses.queueVerification). */
  onSignUp?: (tx: Queryable, user: User) => Promise<void>;
}

const NO_COUNTERS: AuthCounters = { registration: () => undefined, login: () => undefined };

/** The account and session use cases the controllers expose. */
export class AuthService {
  private readonly counters: AuthCounters;

  constructor(private readonly d: AuthServiceDeps) {
    this.counters = d.counters ?? NO_COUNTERS;
  }

  /**
   * Creates the account and signs it in at once. A taken email gets the same answer — an id that
   * names nothing and decoy tokens every verifier refuses (TokenIssuer.issueDecoy, a refresh token
   * that is not stored) — while its owner is mailed (SECURITY.md, "Sign-up").
   */
  async register(input: NewAccount, ip: string, userAgent?: string): Promise<RegisteredAccount> {
    await this.d.limits.consumeSignup(ip);
    const registration = await this.d.accounts.register(input, async (tx, user) => {
      await this.d.onSignUp?.(tx, user);
      return this.d.sessions.create(user, tx, { ip, userAgent });
    });
    if (!registration.created) {
      await this.d.audit.record({ action: 'register', outcome: 'failure', ip, details: { reason: 'email_taken' } });
      return this.decoyRegistration(registration.username, registration.email);
    }
    const { user, also: session } = registration;
    this.counters.registration();
    await this.d.audit.record({ action: 'register', outcome: 'success', actorId: user.id, targetId: user.id, ip });
    // Audited as the session's start, but not a login in agora_logins_total (registrations count apart).
    await this.recordSignIn(session, ip, 'registration', false);
    return { id: user.id, username: user.username, email: user.email, createdAt: user.createdAt, ...(await this.pair(session)) };
  }

  /** Renames the caller's account (account.updated tells users); audited. */
  async changeUsername(userId: string, username: string, ip: string): Promise<string> {
    const before = await this.d.accounts.find(userId);
    const renamed = await this.d.accounts.changeUsername(userId, username);
    if (before && before.username !== renamed) {
      await this.d.audit.record({ action: 'username_changed', outcome: 'success', actorId: userId, targetId: userId, ip });
    }
    return renamed;
  }

  /** The account with this id, whatever its status. */
  account(userId: string): Promise<User | undefined> {
    return this.d.accounts.find(userId);
  }

  /**
   * The attempt is reserved against the account's budget (its username and email alike) and the
   * address's before the password is verified, and refunded only when it was right.
   */
  async login(login: string, password: string, ip: string, userAgent?: string): Promise<LoginResult> {
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
    return this.completeFirstFactor(user, { ip, userAgent }, 'password');
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
      await this.auditReauthenticationFailure(userId, ip, 'bad_credentials');
      throw problems.forbidden('The password is not correct.');
    }
    await attempt.succeeded();
  }

  /**
   * For the operations a stolen access token must not be enough for (change email, …): the password
   * or a second-factor code in the request, or else a sign-in or re-authentication of this session
   * within REAUTHENTICATION_WINDOW_SECONDS. Refused with a 403 that says what to send.
   */
  async requireRecentAuthentication(userId: string, sessionId: string, proof: ReauthenticationProof, ip: string): Promise<void> {
    if (proof.password !== undefined) return this.confirmPassword(userId, proof.password, ip);
    if (proof.code !== undefined) return this.confirmSecondFactor(userId, proof.code, ip);
    const at = await this.d.sessions.authenticatedAt(userId, sessionId);
    if (at && Date.now() - at.getTime() <= REAUTHENTICATION_WINDOW_SECONDS * 1000) return;
    throw reauthenticationRequired(
      `This needs a sign-in from the last ${REAUTHENTICATION_WINDOW_SECONDS / 60} minutes: send your password (or a current two-factor code) with the request, or call POST /api/v1/auth/reauthenticate first.`,
    );
  }

  /**
   * Re-authentication of the caller's session with the password or a second-factor code: the
   * session counts as freshly signed in (its `auth_time`) and a new access token says so.
   */
  async reauthenticate(
    userId: string,
    sessionId: string,
    proof: ReauthenticationProof,
    ip: string,
  ): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number; authTime: number }> {
    if (proof.password === undefined && proof.code === undefined) {
      throw problems.validation('Send the password or a two-factor code.', [{ field: 'password', message: 'send the password or a code' }]);
    }
    await this.requireRecentAuthentication(userId, sessionId, proof, ip);
    const user = await this.activeUser(userId);
    const at = await this.d.sessions.reauthenticated(userId, sessionId);
    if (!at) throw problems.unauthorized('This session has ended; sign in again.');
    const authTime = Math.floor(at.getTime() / 1000);
    await this.d.audit.record({
      action: 'reauthenticate',
      outcome: 'success',
      actorId: userId,
      targetId: userId,
      ip,
      details: { sessionId, method: proof.password !== undefined ? 'password' : 'second_factor' },
    });
    const accessToken = await this.d.tokens.issue({ userId, username: user.username, roles: user.roles, sessionId, authTime });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.d.tokens.ttlSeconds, authTime };
  }

  /** Second step of a 2FA sign-in: the challenge token plus a TOTP or backup code. */
  async loginMfa(mfaToken: string, code: string, ip: string, userAgent?: string): Promise<TokenResponse> {
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
    return this.startSession(user, { ip, userAgent }, 'totp');
  }

  /** Mails a sign-in code when the address belongs to an active account; answers the same either way. */
  async requestCode(email: string, ip: string): Promise<void> {
    await this.d.limits.consumeCodeRequest(email, ip);
    const sent = await this.d.passwordless.request(email);
    await this.d.audit.record({ action: 'login_code_requested', outcome: sent ? 'success' : 'failure', ip });
  }

  async loginWithCode(email: string, code: string, ip: string, userAgent?: string): Promise<LoginResult> {
    let userId: string;
    try {
      userId = await this.d.passwordless.redeem(email, code);
    } catch (err) {
      this.counters.login('bad_credentials');
      await this.d.audit.record({ action: 'login', outcome: 'failure', ip, details: { reason: 'bad_login_code' } });
      throw err;
    }
    return this.completeFirstFactor(await this.activeUser(userId), { ip, userAgent }, 'mail_code');
  }

  async refresh(refreshToken: string, ip?: string): Promise<TokenResponse> {
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
    if (!isUuid(userId)) throw problems.notFound('No such account.');
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
    if (!isUuid(userId)) throw problems.notFound('No such account.');
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

  private async auditReauthenticationFailure(userId: string, ip: string, reason: 'bad_credentials' | 'bad_second_factor'): Promise<void> {
    await this.d.audit.record({ action: 'reauthenticate', outcome: 'failure', actorId: userId, targetId: userId, ip, details: { reason } });
  }

  private async confirmSecondFactor(userId: string, code: string, ip: string): Promise<void> {
    if (!(await this.d.twoFactor.isEnabled(userId))) throw problems.forbidden('This account has no second factor: send the password instead.');
    if (!(await this.d.twoFactor.checkCode(userId, code, 'reauthenticate', ip))) {
      await this.auditReauthenticationFailure(userId, ip, 'bad_second_factor');
      throw problems.forbidden('The code is not correct.');
    }
  }

  private async completeFirstFactor(user: User, client: SessionClient & { ip: string }, method: string): Promise<LoginResult> {
    const { ip } = client;
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
    return this.startSession(user, client, method);
  }

  private async startSession(user: User, client: SessionClient & { ip: string }, method: string): Promise<TokenResponse> {
    const session = await this.d.sessions.create(user, undefined, client);
    await this.recordSignIn(session, client.ip, method);
    return this.pair(session);
  }

  private async recordSignIn(session: IssuedSession, ip: string, method: string, countAsLogin = true): Promise<void> {
    if (countAsLogin) this.counters.login('success');
    await this.d.audit.record({
      action: 'login',
      outcome: 'success',
      actorId: session.userId,
      targetId: session.userId,
      ip,
      details: { sessionId: session.sessionId, method },
    });
  }

  private async decoyRegistration(username: string, email: string): Promise<RegisteredAccount> {
    const id = randomUUID();
    const subject = { userId: id, username, roles: ['user'], sessionId: randomUUID(), authTime: Math.floor(Date.now() / 1000) };
    return {
      id,
      username,
      email,
      createdAt: new Date(),
      accessToken: await this.d.tokens.issueDecoy(subject),
      tokenType: 'Bearer',
      expiresIn: this.d.tokens.ttlSeconds,
      refreshToken: newRefreshToken().token,
      refreshExpiresIn: this.d.sessions.ttlSeconds,
      user: { id, username, email, emailVerified: false, roles: subject.roles },
    };
  }

  private async activeUser(userId: string): Promise<User> {
    const user = await this.d.accounts.find(userId);
    if (!user || user.status !== 'active') throw problems.unauthorized('The account cannot sign in.');
    return user;
  }

  private async pair(session: IssuedSession): Promise<TokenResponse> {
    const accessToken = await this.d.tokens.issue(session);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.d.tokens.ttlSeconds,
      refreshToken: session.refreshToken,
      refreshExpiresIn: session.refreshExpiresIn,
      user: { id: session.userId, username: session.username, email: session.email, emailVerified: session.emailVerified, roles: session.roles },
    };
  }
}
