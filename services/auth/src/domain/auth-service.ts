import { problems } from '@agora/mesh';
import type { Accounts, NewAccount } from './accounts.js';
import type { AuditLog } from './audit.js';
import type { IssuedSession, Sessions } from './sessions.js';
import type { TokenIssuer } from './token-issuer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

export interface AuthCounters {
  registration(): void;
  login(result: 'success' | 'bad_credentials' | 'suspended'): void;
}

/** The account and session use cases the controllers expose. */
export class AuthService {
  constructor(
    private readonly accounts: Accounts,
    private readonly sessions: Sessions,
    private readonly tokens: TokenIssuer,
    private readonly audit: AuditLog,
    private readonly counters: AuthCounters = { registration: () => undefined, login: () => undefined },
  ) {}

  async register(input: NewAccount, ip?: string): Promise<{ id: string; username: string; email: string; createdAt: Date }> {
    const user = await this.accounts.register(input);
    this.counters.registration();
    await this.audit.record({ action: 'register', outcome: 'success', actorId: user.id, targetId: user.id, ip });
    return { id: user.id, username: user.username, email: user.email, createdAt: user.createdAt };
  }

  async login(login: string, password: string, ip?: string): Promise<TokenPair> {
    const { user, reason } = await this.accounts.authenticate(login, password);
    if (!user) {
      this.counters.login(reason ?? 'bad_credentials');
      await this.audit.record({ action: 'login', outcome: 'failure', targetId: null, ip, details: { reason: reason ?? 'bad_credentials' } });
      // Same answer for unknown account, wrong password and suspended account.
      throw problems.unauthorized('The username/email or password is incorrect, or the account cannot sign in.');
    }
    const session = await this.sessions.create(user);
    this.counters.login('success');
    await this.audit.record({ action: 'login', outcome: 'success', actorId: user.id, targetId: user.id, ip, details: { sessionId: session.sessionId } });
    return this.pair(session);
  }

  async refresh(refreshToken: string, ip?: string): Promise<TokenPair> {
    return this.pair(await this.sessions.rotate(refreshToken, ip));
  }

  async logout(refreshToken: string, ip?: string): Promise<void> {
    const revoked = await this.sessions.revokeByToken(refreshToken);
    if (revoked) {
      await this.audit.record({ action: 'logout', outcome: 'success', actorId: revoked.userId, targetId: revoked.userId, ip, details: { sessionId: revoked.sessionId } });
    }
  }

  /** Marks the account deleted, releases its email and revokes every session; idempotent. */
  async deleteAccount(userId: string, requestedBy: string): Promise<void> {
    if (!UUID.test(userId)) throw problems.notFound('No such account.');
    const revoked = await this.accounts.markDeleted(userId, (transaction) => this.sessions.revokeAllForUser(userId, 'account_deleted', transaction));
    if (revoked === undefined) throw problems.notFound('No such account.');
    await this.audit.record({ action: 'account_deleted', outcome: 'success', actorId: userId, targetId: userId, details: { requestedBy, sessionsRevoked: revoked } });
  }

  private async pair(session: IssuedSession): Promise<TokenPair> {
    const accessToken = await this.tokens.issue(session);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      refreshToken: session.refreshToken,
      refreshExpiresIn: session.refreshExpiresIn,
    };
  }
}
