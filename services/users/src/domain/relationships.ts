import { problems, type Database, type Page, type Queryable } from '@agora/mesh';
import { listEdgeProfiles } from './profile-edges.js';
import type { RelatedUserEntry, Relationship } from '../controllers/schemas.js';
import type { RelationshipEvents } from './relationship-events.js';

/** The two kinds of one-sided relationship a user keeps about another, and their tables. */
export type RelationKind = 'block' | 'mute';

const TABLES: Record<RelationKind, { table: 'blocks' | 'mutes'; owner: string; other: string }> = {
  block: { table: 'blocks', owner: 'blocker_id', other: 'blocked_id' },
  mute: { table: 'mutes', owner: 'muter_id', other: 'muted_id' },
};

/**
 * Blocks and mutes. A block removes the follows in both directions (with both profiles' counts) in
 * the transaction that stores it, under the same id-ordered row locks follow() takes, so a follow
 * racing a block either lands before it (and is removed) or sees the block (and is refused).
 */
export class Relationships {
  constructor(
    private readonly db: Database,
    private readonly events?: RelationshipEvents,
  ) {}

  /** Idempotent; 400 for yourself, 404 for an unknown user. Answers the relationship after it. */
  async set(kind: RelationKind, me: string, target: string, on: boolean): Promise<Relationship> {
    if (me === target) throw problems.validation(`You cannot ${kind} yourself.`, [{ field: 'id', message: 'must not be your own id' }]);
    const { table, owner, other } = TABLES[kind];
    return this.db.transaction(async (tx) => {
      const locked = await tx.query<{ id: string }>('SELECT id FROM profiles WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [me, target]);
      if (!locked.some((r) => r.id === target)) throw problems.notFound('No such user.');
      if (!locked.some((r) => r.id === me)) throw problems.unauthorized('This account has been deleted.');
      const changed = on
        ? await tx.execute(`INSERT INTO ${table} (${owner}, ${other}) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [me, target])
        : await tx.execute(`DELETE FROM ${table} WHERE ${owner} = $1 AND ${other} = $2`, [me, target]);
      if (on && kind === 'block') await removeFollowsBetween(tx, me, target);
      // A repeat changes nothing, so it tells nobody anything.
      if (changed) await this.events?.updated(tx, me, target);
      return relationship(tx, me, target);
    });
  }

  /** The users `me` blocks or mutes, newest first. */
  async list(kind: RelationKind, me: string, limit?: number, cursor?: string): Promise<Page<RelatedUserEntry>> {
    const { table, owner, other } = TABLES[kind];
    const page = await listEdgeProfiles(this.db, { table, self: owner, other }, me, limit, cursor);
    return { ...page, items: page.items.map(({ at, ...profile }) => ({ ...profile, since: at })) };
  }
}

/**
 * Why `me` may not follow `target`, if a block stands between them either way (checked by follow()
 * under its row locks on both profiles).
 */
export async function followRefusal(tx: Queryable, me: string, target: string): Promise<string | undefined> {
  const rows = await tx.query<{ blocker_id: string }>(
    'SELECT blocker_id FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)',
    [me, target],
  );
  if (rows.some((r) => r.blocker_id === me)) return 'You have blocked this user: unblock them to follow them.';
  if (rows.length) return 'This user has blocked you, so you cannot follow them.';
  return undefined;
}

/** Deletes the follows between two locked profiles, both ways, with the counts they held. */
async function removeFollowsBetween(tx: Queryable, a: string, b: string): Promise<void> {
  const removed = await tx.query<{ follower_id: string; followee_id: string }>(
    `DELETE FROM follows WHERE (follower_id = $1 AND followee_id = $2) OR (follower_id = $2 AND followee_id = $1)
     RETURNING follower_id, followee_id`,
    [a, b],
  );
  for (const f of removed) {
    await tx.execute(
      `UPDATE profiles SET
         following_count = following_count - CASE WHEN id = $1 THEN 1 ELSE 0 END,
         follower_count = follower_count - CASE WHEN id = $2 THEN 1 ELSE 0 END,
         updated_at = now()
       WHERE id IN ($1, $2)`,
      [f.follower_id, f.followee_id],
    );
  }
}

async function relationship(tx: Queryable, me: string, target: string): Promise<Relationship> {
  const [row] = await tx.query<Relationship>(
    `SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocking,
            EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = $2) AS muting,
            EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2) AS following,
            EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1) AS "followedBy"`,
    [me, target],
  );
  return row!;
}
