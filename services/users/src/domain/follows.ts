import { problems, type Database, type Page, type Queryable } from '@agora/mesh';
import type { FollowEntry, FollowState } from '../controllers/schemas.js';
import type { FollowEvents } from './follow-events.js';
import { listEdgeProfiles, type EdgeColumns } from './profile-edges.js';
import { followRefusal } from './relationships.js';

/**
 * The most accounts one user may follow. It keeps the feed's author list (posts asks for it on every
 * feed page) bounded, so `following-ids` is always complete, never truncated.
 */
export const MAX_FOLLOWING = 5000;

const FOLLOWERS: EdgeColumns = { table: 'follows', self: 'followee_id', other: 'follower_id' };
const FOLLOWING: EdgeColumns = { table: 'follows', self: 'follower_id', other: 'followee_id' };

/**
 * The follow graph. Counts on the profiles change in the same transaction as the follows rows, under
 * row locks taken in id order (so two people following each other at once cannot deadlock): profile
 * reads stay a primary-key lookup however many followers someone has.
 */
export class Follows {
  constructor(
    private readonly db: Database,
    private readonly events?: FollowEvents,
  ) {}

  /**
   * Idempotent; answers the state after it. 400 for yourself, 404 for an unknown user, 403 when either
   * blocks the other, 409 past MAX_FOLLOWING.
   */
  async follow(me: string, target: string): Promise<FollowState> {
    if (me === target) throw problems.validation('You cannot follow yourself.', [{ field: 'id', message: 'must not be your own id' }]);
    return this.db.transaction(async (tx) => {
      const locked = await tx.query<{ id: string; following_count: number }>(
        'SELECT id, following_count FROM profiles WHERE id IN ($1, $2) ORDER BY id FOR UPDATE',
        [me, target],
      );
      const mine = locked.find((r) => r.id === me);
      if (!locked.some((r) => r.id === target)) throw problems.notFound('No such user.');
      if (!mine) throw problems.unauthorized('This account has been deleted.');
      // Under the locks block() takes too: a block committed before this is seen, one after removes this follow.
      const refusal = await followRefusal(tx, me, target);
      if (refusal) throw problems.forbidden(refusal);
      const inserted = await tx.query<{ ok: number }>(
        `INSERT INTO follows (follower_id, followee_id)
         SELECT $1::uuid, $2::uuid WHERE $3::int < ${MAX_FOLLOWING}
         ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
        [me, target, mine.following_count],
      );
      if (inserted.length) {
        await adjustCounts(tx, me, target, +1);
        await this.events?.followed(tx, me, target);
        return stateAfter(tx, me, target);
      }
      const already = await tx.query('SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2', [me, target]);
      if (!already.length) throw problems.conflict(`You already follow ${MAX_FOLLOWING} accounts, the most allowed.`);
      return stateAfter(tx, me, target);
    });
  }

  /** Idempotent; answers the state after it. 404 for an unknown user. */
  async unfollow(me: string, target: string): Promise<FollowState> {
    return this.db.transaction(async (tx) => {
      const locked = await tx.query<{ id: string }>('SELECT id FROM profiles WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [me, target]);
      if (!locked.some((r) => r.id === target)) throw problems.notFound('No such user.');
      const deleted = await tx.execute('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [me, target]);
      if (deleted) await adjustCounts(tx, me, target, -1);
      return stateAfter(tx, me, target);
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
    const rows = await this.db.query<{ followee_id: string }>(
      `SELECT followee_id FROM follows WHERE follower_id = $1 ORDER BY created_at DESC, followee_id DESC LIMIT ${MAX_FOLLOWING}`,
      [userId],
    );
    return rows.map((r) => r.followee_id);
  }

  private async list(direction: 'followers' | 'following', userId: string, limit?: number, cursor?: string): Promise<Page<FollowEntry>> {
    const exists = await this.db.query('SELECT 1 FROM profiles WHERE id = $1', [userId]);
    if (!exists.length) throw problems.notFound('No such user.');
    // followers: rows where the user is followed, listing the follower; following: the reverse.
    const edge = direction === 'followers' ? FOLLOWERS : FOLLOWING;
    const page = await listEdgeProfiles(this.db, edge, userId, limit, cursor);
    return { ...page, items: page.items.map(({ at, ...profile }) => ({ ...profile, followedAt: at })) };
  }
}

/**
 * The relationship and the target's counts as this transaction leaves them. Both profiles are
 * row-locked by the caller, so no other follow of either can change them before the commit: the
 * answer is exact, not a read that races other followers.
 */
async function stateAfter(tx: Queryable, me: string, target: string): Promise<FollowState> {
  const [row] = await tx.query<FollowState>(
    `SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2) AS following,
            EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1) AS "followedBy",
            p.follower_count AS "followerCount", p.following_count AS "followingCount"
       FROM profiles p WHERE p.id = $2`,
    [me, target],
  );
  if (!row) throw problems.notFound('No such user.');
  return row;
}

async function adjustCounts(tx: Queryable, me: string, target: string, delta: 1 | -1): Promise<void> {
  await tx.execute(
    `UPDATE profiles SET
       following_count = following_count + CASE WHEN id = $1 THEN $3::int ELSE 0 END,
       follower_count = follower_count + CASE WHEN id = $2 THEN $3::int ELSE 0 END,
       updated_at = now()
     WHERE id IN ($1, $2)`,
    [me, target, delta],
  );
}
