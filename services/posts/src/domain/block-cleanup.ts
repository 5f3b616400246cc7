import type { EventEnvelope, Queryable } from '@agora/mesh';
import type { PostEvents } from './post-events.js';

/**
 * After a `relationship.updated` is applied: if it is a block and still the pair's newest state (an
 * older block delivered after a newer unblock removes nothing), the blocked user's likes and
 * comments on the blocker's posts go, each post's count lowered by exactly the rows this statement
 * removed (the same shape as account erasure, event-consumer.ts). From then on the read model
 * refuses new ones (blocks.ts); each removed like and comment publishes post.unliked /
 * comment.deleted on the same transaction (notifications). The payload was validated by `applyRelationship` before this runs.
 */
export async function applyBlockToOwnersPosts(tx: Queryable, event: EventEnvelope, events: PostEvents): Promise<void> {
  const { ownerId, otherId } = event.payload as { ownerId: string; otherId: string };
  const pair = [ownerId.toLowerCase(), otherId.toLowerCase()];
  const [current] = await tx.query<{ blocked: boolean }>(
    'SELECT blocked FROM relationships WHERE owner_id = $1 AND other_id = $2 AND relationship_seq = $3',
    [...pair, event.sequence],
  );
  if (!current?.blocked) return;
  const unliked = await tx.query<{ postId: string }>(
    `WITH gone AS (DELETE FROM likes l USING posts p WHERE l.post_id = p.id AND p.author_id = $1 AND l.user_id = $2 RETURNING l.post_id),
          n AS (SELECT post_id, count(*)::int AS n FROM gone GROUP BY post_id),
          counted AS (UPDATE posts p SET like_count = p.like_count - n.n FROM n WHERE p.id = n.post_id)
     SELECT post_id AS "postId" FROM gone`,
    pair,
  );
  const uncommented = await tx.query<{ id: string; postId: string }>(
    `WITH gone AS (DELETE FROM comments c USING posts p WHERE c.post_id = p.id AND p.author_id = $1 AND c.author_id = $2 RETURNING c.id, c.post_id),
          n AS (SELECT post_id, count(*)::int AS n FROM gone GROUP BY post_id),
          counted AS (UPDATE posts p SET comment_count = p.comment_count - n.n FROM n WHERE p.id = n.post_id)
     SELECT id, post_id AS "postId" FROM gone`,
    pair,
  );
  // What went is announced like an unlike or a deleted comment, so the blocker's notifications of
  // it go too (and do not come back when the block is lifted, pointing at likes and comments that no longer exist).
  const blocked = pair[1]!;
  for (const { postId } of unliked) await events.unliked(tx, postId, blocked);
  for (const c of uncommented) await events.commentDeleted(tx, c.postId, { id: c.id, authorId: blocked });
}
