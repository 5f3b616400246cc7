import type { EventEnvelope, Queryable } from '@agora/mesh';

/**
 * After a `relationship.updated` is applied: if it is a block and still the pair's newest state (an
 * older block delivered after a newer unblock removes nothing), the blocked user's likes and
 * comments on the blocker's posts go, each post's count lowered by exactly the rows this statement
 * removed (the same shape as account erasure, event-consumer.ts). From then on the read model
 * refuses new ones (blocks.ts). The payload was validated by `applyRelationship` before this runs.
 */
export async function applyBlockToOwnersPosts(tx: Queryable, event: EventEnvelope): Promise<void> {
  const { ownerId, otherId } = event.payload as { ownerId: string; otherId: string };
  const pair = [ownerId.toLowerCase(), otherId.toLowerCase()];
  const [current] = await tx.query<{ blocked: boolean }>(
    'SELECT blocked FROM relationships WHERE owner_id = $1 AND other_id = $2 AND relationship_seq = $3',
    [...pair, event.sequence],
  );
  if (!current?.blocked) return;
  await tx.execute(
    `WITH gone AS (DELETE FROM likes l USING posts p WHERE l.post_id = p.id AND p.author_id = $1 AND l.user_id = $2 RETURNING l.post_id),
          n AS (SELECT post_id, count(*)::int AS n FROM gone GROUP BY post_id)
     UPDATE posts p SET like_count = p.like_count - n.n FROM n WHERE p.id = n.post_id`,
    pair,
  );
  await tx.execute(
    `WITH gone AS (DELETE FROM comments c USING posts p WHERE c.post_id = p.id AND p.author_id = $1 AND c.author_id = $2 RETURNING c.post_id),
          n AS (SELECT post_id, count(*)::int AS n FROM gone GROUP BY post_id)
     UPDATE posts p SET comment_count = p.comment_count - n.n FROM n WHERE p.id = n.post_id`,
    pair,
  );
}
