import type { Queryable } from '@agora/mesh';
import { announce } from './notifier.js';

/**
 * Takes back notifications whose content is gone (post.deleted, comment.deleted, post.unliked;
 * services/notifications/README.md "Removed content"), on the event's transaction. Every step is
 * idempotent (a second delivery finds nothing left to remove) and an event about a notification
 * that does not exist changes nothing. The unread count needs no bookkeeping: it is counted from
 * the rows, so a removed row stops counting when the transaction commits.
 */

/** A deleted post: every notification about it (likes, comments, mentions in it and in its comments) goes. */
export async function removePost(tx: Queryable, postId: string): Promise<void> {
  await tx.execute(`INSERT INTO removed_content (id, kind) VALUES ($1, 'post') ON CONFLICT DO NOTHING`, [postId]);
  const gone = await tx.query<{ id: string; recipient_id: string }>('DELETE FROM notifications WHERE post_id = $1 RETURNING id, recipient_id', [
    postId,
  ]);
  for (const n of gone) await announce(tx, { recipientId: n.recipient_id, notificationId: n.id, change: 'removed' });
  // The tombstone now stops any late like; the per-liker order is no longer needed.
  await tx.execute('DELETE FROM like_states WHERE post_id = $1', [postId]);
}

/**
 * A deleted comment: a mention in it goes; its writer leaves the post author's comment
 * notification unless another comment of theirs still stands behind it, and the notification's
 * `commentId` moves to the newest comment left.
 */
export async function removeComment(tx: Queryable, commentId: string): Promise<void> {
  await tx.execute(`INSERT INTO removed_content (id, kind) VALUES ($1, 'comment') ON CONFLICT DO NOTHING`, [commentId]);
  const mentions = await tx.query<{ id: string; recipient_id: string }>(
    `DELETE FROM notifications WHERE comment_id = $1 AND kind = 'mention' RETURNING id, recipient_id`,
    [commentId],
  );
  for (const n of mentions) await announce(tx, { recipientId: n.recipient_id, notificationId: n.id, change: 'removed' });
  const untracked = await tx.query<{ notification_id: string; actor_id: string }>(
    'DELETE FROM notification_comments WHERE comment_id = $1 RETURNING notification_id, actor_id',
    [commentId],
  );
  for (const { notification_id: id, actor_id: actor } of untracked) {
    const [another] = await tx.query('SELECT 1 FROM notification_comments WHERE notification_id = $1 AND actor_id = $2 LIMIT 1', [id, actor]);
    const left = another ? undefined : await leaveGroup(tx, id, actor);
    if (left === 'removed') continue;
    const [moved] = await tx.query<{ recipient_id: string }>(
      `UPDATE notifications n
          SET comment_id = (SELECT nc.comment_id FROM notification_comments nc WHERE nc.notification_id = n.id ORDER BY nc.at DESC LIMIT 1)
        WHERE n.id = $1 AND n.comment_id = $2 RETURNING n.recipient_id`,
      [id, commentId],
    );
    if (moved && left !== 'updated') await announce(tx, { recipientId: moved.recipient_id, notificationId: id, change: 'updated' });
  }
}

/**
 * An unlike (the liker's, or a block's cleanup at posts): unless a newer like of the same liker
 * was already applied, the liker leaves the author's like notification of the post, and a later
 * like may notify again.
 */
export async function removeLike(tx: Queryable, like: { postId: string; authorId: string; likerId: string; sequence: number }): Promise<void> {
  const [gone] = await tx.query('SELECT 1 FROM removed_content WHERE id = $1', [like.postId]);
  if (gone || !(await applyLikeState(tx, like.postId, like.likerId, false, like.sequence))) return;
  await tx.execute(`DELETE FROM notified WHERE recipient_id = $1 AND kind = 'like' AND actor_id = $2 AND subject_id = $3`, [
    like.authorId,
    like.likerId,
    like.postId,
  ]);
  const rows = await tx.query<{ id: string }>(
    `SELECT n.id FROM notifications n JOIN notification_actors na ON na.notification_id = n.id
      WHERE n.kind = 'like' AND n.post_id = $1 AND na.actor_id = $2`,
    [like.postId, like.likerId],
  );
  for (const { id } of rows) await leaveGroup(tx, id, like.likerId);
}

/**
 * Records a (post, liker)'s like state if `sequence` is newer than the one applied; false when an
 * equal or newer one was (then the event is stale: a like after its unlike, or a redelivery).
 */
export async function applyLikeState(tx: Queryable, postId: string, likerId: string, liked: boolean, sequence: number): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO like_states (post_id, liker_id, liked, seq) VALUES ($1, $2, $3, $4)
     ON CONFLICT (post_id, liker_id) DO UPDATE SET liked = EXCLUDED.liked, seq = EXCLUDED.seq WHERE like_states.seq < EXCLUDED.seq
     RETURNING 1`,
    [postId, likerId, liked, sequence],
  );
  return rows.length > 0;
}

/**
 * Takes `actorId` out of notification `id`: its count lowered by one, the row removed when nobody
 * is left ("ada and 3 others" becomes "ada and 2 others"). Announced on the stream either way.
 */
async function leaveGroup(tx: Queryable, id: string, actorId: string): Promise<'removed' | 'updated' | undefined> {
  const [row] = await tx.query<{ recipient_id: string; actor_count: number }>(
    `WITH gone AS (DELETE FROM notification_actors WHERE notification_id = $1 AND actor_id = $2 RETURNING notification_id)
     UPDATE notifications n SET actor_count = n.actor_count - 1 FROM gone WHERE n.id = gone.notification_id
     RETURNING n.recipient_id, n.actor_count`,
    [id, actorId],
  );
  if (!row) return undefined;
  if (Number(row.actor_count) > 0) {
    await announce(tx, { recipientId: row.recipient_id, notificationId: id, change: 'updated' });
    return 'updated';
  }
  await tx.execute('DELETE FROM notifications WHERE id = $1', [id]);
  await announce(tx, { recipientId: row.recipient_id, notificationId: id, change: 'removed' });
  return 'removed';
}
