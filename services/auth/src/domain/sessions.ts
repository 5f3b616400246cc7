import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { problems } from '@agora/mesh';
import { RefreshFamily, RefreshToken } from '../models/index.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';
import type { AuditLog } from './audit.js';

export interface IssuedSession {
  sessionId: string;
  userId: string;
  username: string;
  roles: string[];
  refreshToken: string;
  refreshExpiresIn: number;
}

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
}

export interface SessionUser {
  id: string;
  username: string;
  roles: string[];
}

type RotateOutcome =
  | { kind: 'rotated'; session: IssuedSession }
  | { kind: 'reused'; familyId: string; userId: string }
  | { kind: 'invalid' };

/**
 * Refresh-token families: one per login. Each refresh rotates the token; presenting a token that was
 * already rotated means it leaked (or a client raced itself), so the whole family is revoked and the
 * attempt refused — the legitimate holder must log in again, and so must the thief.
 */
export class Sessions {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly ttlSeconds: number,
    private readonly audit: AuditLog,
    private readonly onReuse: () => void = () => undefined,
  ) {}

  async create(user: SessionUser, transaction?: Transaction): Promise<IssuedSession> {
    const family = await RefreshFamily.create({ userId: user.id, revokedAt: null, revokedReason: null }, { transaction });
    return this.issueInFamily(family.id, user, transaction);
  }

  async rotate(refreshToken: string, ip: string | undefined): Promise<IssuedSession> {
    const outcome = await this.sequelize.transaction(async (transaction): Promise<RotateOutcome> => {
      const [row] = await this.sequelize.query<TokenRow>(
        `SELECT t.id, t.family_id, t.expires_at, t.rotated_at, f.revoked_at AS family_revoked_at,
                f.user_id, u.username, u.roles, u.status
           FROM refresh_tokens t
           JOIN refresh_families f ON f.id = t.family_id
           JOIN users u ON u.id = f.user_id
          WHERE t.token_hash = :hash
          FOR UPDATE OF t, f`,
        { replacements: { hash: hashRefreshToken(refreshToken) }, type: QueryTypes.SELECT, transaction },
      );
      if (!row || row.family_revoked_at || row.status !== 'active') return { kind: 'invalid' };
      if (row.rotated_at) {
        await this.revokeFamily(row.family_id, 'refresh_token_reuse', transaction);
        return { kind: 'reused', familyId: row.family_id, userId: row.user_id };
      }
      if (row.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
      await RefreshToken.update({ rotatedAt: new Date() }, { where: { id: row.id }, transaction });
      return { kind: 'rotated', session: await this.issueInFamily(row.family_id, { id: row.user_id, username: row.username, roles: row.roles }, transaction) };
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
    const token = await RefreshToken.findOne({
      where: { tokenHash: hashRefreshToken(refreshToken) },
      include: [{ model: RefreshFamily, as: 'family' }],
    });
    const family = (token as (RefreshToken & { family?: RefreshFamily }) | null)?.family;
    if (!token || !family) return undefined;
    await this.revokeFamily(family.id, 'logout');
    return { userId: family.userId, sessionId: family.id };
  }

  async revokeAllForUser(userId: string, reason: string, transaction?: Transaction): Promise<number> {
    const [count] = await RefreshFamily.update(
      { revokedAt: new Date(), revokedReason: reason },
      { where: { userId, revokedAt: null }, transaction },
    );
    return count;
  }

  private async revokeFamily(familyId: string, reason: string, transaction?: Transaction): Promise<void> {
    await RefreshFamily.update({ revokedAt: new Date(), revokedReason: reason }, { where: { id: familyId, revokedAt: null }, transaction });
  }

  private async issueInFamily(familyId: string, user: SessionUser, transaction?: Transaction): Promise<IssuedSession> {
    const { token, hash } = newRefreshToken();
    await RefreshToken.create(
      { familyId, tokenHash: hash, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000), rotatedAt: null },
      { transaction },
    );
    return { sessionId: familyId, userId: user.id, username: user.username, roles: user.roles, refreshToken: token, refreshExpiresIn: this.ttlSeconds };
  }
}
