import { QueryTypes, type Sequelize } from 'sequelize';
import { decodeCursor, pageSize, problems, toPage, type Page } from '@agora/mesh';
import type { FollowEntry } from '../controllers/schemas.js';
import { UUID } from './profiles.js';

/**
 * The most accounts one user may follow. It keeps the feed's author list (posts asks for it on every
 * feed page) bounded, so `following-ids` is always complete, never truncated.
 */
export const MAX_FOLLOWING = 5000;

interface EntryRow {
  id: string;
  username: string;
  display_name: string;
  avatar_media_id: string | null;
  followed_at: Date;
  /** created_at with full microsecond precision (a JS Date would drop it and break the cursor). */
  cursor_at: string;
}

const ISO_MICROS = `to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * The follow graph. Counts on the profiles change in the same transaction as the follows rows, under
 * row locks taken in id order (so two people following each other at once cannot deadlock): profile
 * reads stay a primary-key lookup however many followers someone has.
 */
export class Follows {
  constructor(private readonly sequelize: Sequelize) {}

  /** Idempotent. 400 for yourself, 404 for an unknown user, 409 past MAX_FOLLOWING. */
  async follow(me: string, target: string): Promise<void> {
    if (me === target) throw problems.validation('You cannot follow yourself.', [{ field: 'id', message: 'must not be your own id' }]);
    await this.sequelize.transaction(async (transaction) => {
      const locked = await this.sequelize.query<{ id: string; following_count: number }>(
        'SELECT id, following_count FROM profiles WHERE id IN (:me, :target) ORDER BY id FOR UPDATE',
        { replacements: { me, target }, transaction, type: QueryTypes.SELECT },
      );
      const mine = locked.find((r) => r.id === me);
      if (!locked.some((r) => r.id === target)) throw problems.notFound('No such user.');
      if (!mine) throw problems.unauthorized('This account has been deleted.');
      const inserted = await this.sequelize.query<{ ok: number }>(
        `INSERT INTO follows (follower_id, followee_id)
         SELECT :me, :target WHERE :count < ${MAX_FOLLOWING}
         ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
        { replacements: { me, target, count: mine.following_count }, transaction, type: QueryTypes.SELECT },
      );
      if (inserted.length) {
        await this.adjustCounts(me, target, +1, transaction);
        return;
      }
      const already = await this.isFollowing(me, target, transaction);
      if (!already) throw problems.conflict(`You already follow ${MAX_FOLLOWING} accounts, the most allowed.`);
    });
  }

  /** Idempotent. 404 for an unknown user. */
  async unfollow(me: string, target: string): Promise<void> {
    await this.sequelize.transaction(async (transaction) => {
      const locked = await this.sequelize.query<{ id: string }>(
        'SELECT id FROM profiles WHERE id IN (:me, :target) ORDER BY id FOR UPDATE',
        { replacements: { me, target }, transaction, type: QueryTypes.SELECT },
      );
      if (!locked.some((r) => r.id === target)) throw problems.notFound('No such user.');
      const deleted = await this.sequelize.query<{ ok: number }>(
        'DELETE FROM follows WHERE follower_id = :me AND followee_id = :target RETURNING 1 AS ok',
        { replacements: { me, target }, transaction, type: QueryTypes.SELECT },
      );
      if (deleted.length) await this.adjustCounts(me, target, -1, transaction);
    });
  }

  /** Who follows `userId`, newest follow first. */
  followers(userId: string, limit?: number, cursor?: string): Promise<Page<FollowEntry>> {
    return this.list('followers', userId, limit, cursor);
  }

  /** Whom `userId` follows, newest follow first. */
  following(userId: string, limit?: number, cursor?: string): Promise<Page<FollowEntry>> {
    return this.list('following', userId, limit, cursor);
  }

  /** Every id `userId` follows (at most MAX_FOLLOWING by construction), newest first; [] for no profile. */
  async followingIds(userId: string): Promise<string[]> {
    const rows = await this.sequelize.query<{ followee_id: string }>(
      `SELECT followee_id FROM follows WHERE follower_id = :userId ORDER BY created_at DESC, followee_id DESC LIMIT ${MAX_FOLLOWING}`,
      { replacements: { userId }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => r.followee_id);
  }

  private async list(direction: 'followers' | 'following', userId: string, limit?: number, cursor?: string): Promise<Page<FollowEntry>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['t', 'id'] as const);
    if (after && (!TIMESTAMP.test(after.t) || Number.isNaN(Date.parse(after.t)) || !UUID.test(after.id))) {
      throw problems.validation('cursor is not valid; use nextCursor from a previous page.', [{ field: 'cursor', message: 'invalid' }]);
    }
    const exists = await this.sequelize.query('SELECT 1 FROM profiles WHERE id = :userId', {
      replacements: { userId },
      type: QueryTypes.SELECT,
    });
    if (!exists.length) throw problems.notFound('No such user.');
    // followers: rows where the user is followed, listing the follower; following: the reverse.
    const [self, other] = direction === 'followers' ? ['followee_id', 'follower_id'] : ['follower_id', 'followee_id'];
    const rows = await this.sequelize.query<EntryRow>(
      `SELECT p.id, p.username, p.display_name, p.avatar_media_id, f.created_at AS followed_at, ${ISO_MICROS} AS cursor_at
         FROM follows f JOIN profiles p ON p.id = f.${other}
        WHERE f.${self} = :userId
          ${after ? `AND (f.created_at, f.${other}) < (CAST(:t AS timestamptz), CAST(:id AS uuid))` : ''}
        ORDER BY f.created_at DESC, f.${other} DESC
        LIMIT :n`,
      { replacements: { userId, n: size + 1, t: after?.t ?? null, id: after?.id ?? null }, type: QueryTypes.SELECT },
    );
    return toPage(
      rows,
      size,
      (r) => ({ id: r.id, username: r.username, displayName: r.display_name, avatarMediaId: r.avatar_media_id, followedAt: new Date(r.followed_at) }),
      (r) => ({ t: r.cursor_at, id: r.id }),
    );
  }

  private async isFollowing(me: string, target: string, transaction: import('sequelize').Transaction): Promise<boolean> {
    const rows = await this.sequelize.query('SELECT 1 FROM follows WHERE follower_id = :me AND followee_id = :target', {
      replacements: { me, target },
      transaction,
      type: QueryTypes.SELECT,
    });
    return rows.length > 0;
  }

  private async adjustCounts(me: string, target: string, delta: 1 | -1, transaction: import('sequelize').Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE profiles SET
         following_count = following_count + CASE WHEN id = :me THEN :delta ELSE 0 END,
         follower_count = follower_count + CASE WHEN id = :target THEN :delta ELSE 0 END,
         updated_at = now()
       WHERE id IN (:me, :target)`,
      { replacements: { me, target, delta }, transaction },
    );
  }
}
