import { problems, type Database, type Queryable } from '@agora/mesh';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';
import type { AuditLog } from './audit.js';
import type { SessionRevocations } from './session-revocations.js';
import { ipPrefix, sessionUserAgent } from './ip-prefix.js';

export interface IssuedSession {
  sessionId: string;
  userId: string;
  username: string;
  roles: string[];
  refreshToken: string;
  refreshExpiresIn: number;
  email: string;
  emailVerified: boolean;
  /** When the session last proved who it is (sign-in or re-authentication): `auth_time`, epoch seconds. */
  authTime: number;
}

/** Where a session signs in from, as the session list shows it (src/domain/ip-prefix.ts). */
export interface SessionClient {
  userAgent?: string;
  ip?: string;
}

/** One live session of the session list. */
export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ipPrefix: string | null;
}

/** The most sessions the list answers (the most recently used first). */
export const SESSION_LIST_LIMIT = 100;

interface TokenRow {
  id: string;
  family_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  family_revoked_at: Date | null;
  user_id: string;
  username: string;
  roles: string[];
  status: string;
  email: string;
  email_verified_at: Date | null;
  authenticated_at: Date;
}

export interface SessionUser {
  id: string;
  username: string;
  roles: string[];
  email: string;
  emailVerifiedAt: Date | null;
}

type RotateOutcome = { kind: 'rotated'; session: IssuedSession } | { kind: 'reused'; familyId: string; userId: string } | { kind: 'invalid' };

/**
 * Refresh-token families: one per login. Each refresh rotates the token; presenting a token that was
 * already rotated means it leaked (or a client raced itself), so the whole family is revoked and the
 * attempt refused — the legitimate holder must log in again, and so must the thief.
 */
export class Sessions {
  constructor(
    private readonly db: Database,
    readonly ttlSeconds: number,
    private readonly audit: AuditLog,
    /** Every revocation goes through revokeFamily / revokeAllForUser, which tell the other services here. */
    private readonly revocations: SessionRevocations,
    private readonly onReuse: () => void = () => undefined,
  ) {}

  /** A new family with its first token; on `tx` to join the caller's transaction. */
  async create(user: SessionUser, tx: Queryable = this.db, client: SessionClient = {}): Promise<IssuedSession> {
    const [family] = await tx.query<{ id: string; authenticated_at: Date }>(
      'INSERT INTO refresh_families (user_id, user_agent, ip_prefix) VALUES ($1, $2, $3) RETURNING id, authenticated_at',
      [user.id, sessionUserAgent(client.userAgent), ipPrefix(client.ip)],
    );
    return this.issueInFamily(family!.id, user, family!.authenticated_at, tx);
  }

  async rotate(refreshToken: string, ip: string | undefined): Promise<IssuedSession> {
    const outcome = await this.db.transaction(async (tx): Promise<RotateOutcome> => {
      const [row] = await tx.query<TokenRow>(
        `SELECT t.id, t.family_id, t.expires_at, t.rotated_at, f.revoked_at AS family_revoked_at,
                f.user_id, f.authenticated_at, u.username, u.roles, u.status, u.email, u.email_verified_at
           FROM refresh_tokens t
           JOIN refresh_families f ON f.id = t.family_id
           JOIN users u ON u.id = f.user_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, f`,
        [hashRefreshToken(refreshToken)],
      );
      if (!row || row.family_revoked_at || row.status !== 'active') return { kind: 'invalid' };
      if (row.rotated_at) {
        await this.revokeFamily(row.family_id, 'refresh_token_reuse', tx);
        return { kind: 'reused', familyId: row.family_id, userId: row.user_id };
      }
      if (row.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
      await tx.execute('UPDATE refresh_tokens SET rotated_at = now(), updated_at = now() WHERE id = $1', [row.id]);
      await tx.execute('UPDATE refresh_families SET last_used_at = now(), ip_prefix = coalesce($2, ip_prefix) WHERE id = $1', [
        row.family_id,
        ipPrefix(ip),
      ]);
      const user = { id: row.user_id, username: row.username, roles: row.roles, email: row.email, emailVerifiedAt: row.email_verified_at };
      return { kind: 'rotated', session: await this.issueInFamily(row.family_id, user, row.authenticated_at, tx) };
    });

    if (outcome.kind === 'rotated') return outcome.session;
    if (outcome.kind === 'reused') {
      this.onReuse();
      await this.audit.record({
        action: 'refresh_reuse',
        outcome: 'failure',
        targetId: outcome.userId,
        ip,
        details: { sessionId: outcome.familyId },
      });
    }
    throw problems.unauthorized('The refresh token is invalid, expired or revoked; log in again.');
  }

  /** Logout: revokes the family of the presented token. Unknown tokens are ignored (idempotent). */
  async revokeByToken(refreshToken: string): Promise<{ userId: string; sessionId: string } | undefined> {
    const [family] = await this.db.query<{ id: string; userId: string }>(
      `SELECT f.id, f.user_id AS "userId" FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = $1`,
      [hashRefreshToken(refreshToken)],
    );
    if (!family) return undefined;
    await this.db.transaction((tx) => this.revokeFamily(family.id, 'logout', tx));
    return { userId: family.userId, sessionId: family.id };
  }

  /**
   * Revokes every live family of the user and publishes `session.revoked` for them, in one
   * transaction (`tx` to join the caller's). Returns how many.
   */
  async revokeAllForUser(userId: string, reason: string, tx?: Queryable): Promise<number> {
    if (!tx) return this.db.transaction((t) => this.revokeAllForUser(userId, reason, t));
    const rows = await tx.query<{ id: string; revoked_at: Date }>(
      `UPDATE refresh_families SET revoked_at = now(), revoked_reason = $2, updated_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, revoked_at`,
      [userId, reason],
    );
    if (rows.length > 0)
      await this.revocations.revoked(
        tx,
        userId,
        rows.map((r) => r.id),
        rows[0]!.revoked_at,
      );
    return rows.length;
  }

  /** Revokes one family and publishes `session.revoked` for it, on `tx` (the caller's transaction). */
  private async revokeFamily(familyId: string, reason: string, tx: Queryable): Promise<void> {
    const [family] = await tx.query<{ user_id: string; revoked_at: Date }>(
      `UPDATE refresh_families SET revoked_at = now(), revoked_reason = $2, updated_at = now()
        WHERE id = $1 AND revoked_at IS NULL RETURNING user_id, revoked_at`,
      [familyId, reason],
    );
    if (family) await this.revocations.revoked(tx, family.user_id, [familyId], family.revoked_at);
  }

  /** The user's live sessions (not revoked, with an unexpired current token), most recently used first. */
  async list(userId: string): Promise<SessionView[]> {
    return this.db.query<SessionView>(
      `SELECT f.id, f.created_at AS "createdAt", f.last_used_at AS "lastUsedAt", f.user_agent AS "userAgent", f.ip_prefix AS "ipPrefix"
         FROM refresh_families f
        WHERE f.user_id = $1 AND f.revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id AND t.rotated_at IS NULL AND t.expires_at > now())
        ORDER BY f.last_used_at DESC, f.id
        LIMIT $2`,
      [userId, SESSION_LIST_LIMIT],
    );
  }

  /** Revokes one of the user's sessions (through revokeFamily); false when the user has no such live session. */
  async revokeOwn(userId: string, sessionId: string, reason: string): Promise<boolean> {
    const [family] = await this.db.query<{ id: string }>('SELECT id FROM refresh_families WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [
      sessionId,
      userId,
    ]);
    if (!family) return false;
    await this.db.transaction((tx) => this.revokeFamily(family.id, reason, tx));
    return true;
  }

  /**
   * Revokes every live session of the user except `keepSessionId` (the caller's own), each through
   * revokeFamily; on `tx` to join the caller's transaction. Returns how many.
   */
  async revokeOthers(userId: string, keepSessionId: string, reason: string, tx?: Queryable): Promise<number> {
    // One transaction, so the lock holds and each session.revoked commits with its revocation.
    if (!tx) return this.db.transaction((t) => this.revokeOthers(userId, keepSessionId, reason, t));
    const families = await tx.query<{ id: string }>(
      'SELECT id FROM refresh_families WHERE user_id = $1 AND revoked_at IS NULL AND id <> $2 ORDER BY id FOR UPDATE',
      [userId, keepSessionId],
    );
    for (const family of families) await this.revokeFamily(family.id, reason, tx);
    return families.length;
  }

  /**
   * When the user's live session `sessionId` last proved who it is (sign-in or re-authentication);
   * undefined for a revoked or foreign session.
   */
  async authenticatedAt(userId: string, sessionId: string): Promise<Date | undefined> {
    const [family] = await this.db.query<{ authenticated_at: Date }>(
      'SELECT authenticated_at FROM refresh_families WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
      [sessionId, userId],
    );
    return family?.authenticated_at;
  }

  /** Records a re-authentication of the user's live session; returns the new time, undefined when the session is gone. */
  async reauthenticated(userId: string, sessionId: string): Promise<Date | undefined> {
    const [family] = await this.db.query<{ authenticated_at: Date }>(
      `UPDATE refresh_families SET authenticated_at = now(), updated_at = now()
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING authenticated_at`,
      [sessionId, userId],
    );
    return family?.authenticated_at;
  }

  private async issueInFamily(familyId: string, user: SessionUser, authenticatedAt: Date, tx: Queryable): Promise<IssuedSession> {
    const { token, hash } = newRefreshToken();
    await tx.execute('INSERT INTO refresh_tokens (family_id, token_hash, expires_at) VALUES ($1, $2, $3)', [
      familyId,
      hash,
      new Date(Date.now() + this.ttlSeconds * 1000),
    ]);
    return {
      sessionId: familyId,
      userId: user.id,
      username: user.username,
      roles: user.roles,
      refreshToken: token,
      refreshExpiresIn: this.ttlSeconds,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      authTime: Math.floor(authenticatedAt.getTime() / 1000),
    };
  }
}
