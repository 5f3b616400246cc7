import * as z from 'zod';
import { applyProfileState, applyRelationship, eraseRelationships, type EventHandler, type EventType, type Queryable } from '@agora/mesh';
import { mentionedUsernames } from './mentions.js';
import type { Notifier } from './notifier.js';
import { applyLikeState, removeComment, removeLike, removePost } from './removals.js';

const uuid = z.string().uuid();
const followed = z.object({ followeeId: uuid });
const postCreated = z.object({ authorId: uuid, text: z.string().max(10_000) });
const postLiked = z.object({ authorId: uuid, likerId: uuid });
const commentCreated = z.object({ authorId: uuid, commentId: uuid, commenterId: uuid, text: z.string().max(10_000) });
const postUnliked = postLiked;
const postDeleted = z.object({ authorId: uuid });
const commentDeleted = z.object({ authorId: uuid, commentId: uuid, commenterId: uuid });

/**
 * How notifications applies the events it receives (docs/events.md). Each runs on the inbox's
 * transaction, so a redelivery changes nothing. The text of posts and comments is read for
 * `@mentions` here and nowhere else: it is neither stored nor logged.
 *  - profile.updated keeps `actors` (unless a later event already did, or the user was erased);
 *  - account.deleted erases everything of the user: their notifications, their place in others'
 *    groups (a group left with nobody goes), their tickets, their actor row; a tombstone stays;
 *  - relationship.updated keeps the read model of blocks and mutes: the notifier records nothing
 *    from an actor the recipient blocks or mutes;
 *  - user.followed → a `follow` for the followee; post.liked → a `like` for the post's author;
 *    comment.created → a `comment` for the post's author; post.created and comment.created → a
 *    `mention` for each `@username` that names a known user (not the writer; not the post's author
 *    on a comment, whom the comment notification already tells);
 *  - post.deleted, comment.deleted, post.unliked take back what pointed at the content that went
 *    (removals.ts); a tombstone of a deleted post or comment, and each (post, liker)'s latest like
 *    state by sequence, keep a late event from bringing it back.
 */
export function notificationHandlers(notifier: Notifier): Partial<Record<EventType, EventHandler>> {
  return {
    'profile.updated': (tx, event) => applyProfileState(tx, event, { table: 'actors', tombstones: 'deleted_actors' }),
    'relationship.updated': applyRelationship,
    'account.deleted': (tx, event) => eraseUser(tx, event.aggregateId),
    'user.followed': async (tx, event) => {
      const { followeeId } = followed.parse(event.payload);
      await notifier.record(tx, {
        recipientId: followeeId.toLowerCase(),
        kind: 'follow',
        actorId: event.aggregateId,
        subjectId: followeeId.toLowerCase(),
      });
    },
    'post.liked': async (tx, event) => {
      const p = postLiked.parse(event.payload);
      // A like older than an unlike already applied (deliveries are not ordered) notifies nobody.
      if (!(await applyLikeState(tx, event.aggregateId, p.likerId.toLowerCase(), true, event.sequence))) return;
      await notifier.record(tx, {
        recipientId: p.authorId.toLowerCase(),
        kind: 'like',
        actorId: p.likerId.toLowerCase(),
        postId: event.aggregateId,
        subjectId: event.aggregateId,
      });
    },
    'post.unliked': async (tx, event) => {
      const p = postUnliked.parse(event.payload);
      await removeLike(tx, {
        postId: event.aggregateId,
        authorId: p.authorId.toLowerCase(),
        likerId: p.likerId.toLowerCase(),
        sequence: event.sequence,
      });
    },
    'post.deleted': async (tx, event) => {
      postDeleted.parse(event.payload);
      await removePost(tx, event.aggregateId);
    },
    'comment.deleted': async (tx, event) => {
      const p = commentDeleted.parse(event.payload);
      await removeComment(tx, p.commentId.toLowerCase());
    },
    'post.created': async (tx, event) => {
      const p = postCreated.parse(event.payload);
      await mention(tx, notifier, p.text, { actorId: p.authorId.toLowerCase(), postId: event.aggregateId, subjectId: event.aggregateId });
    },
    'comment.created': async (tx, event) => {
      const p = commentCreated.parse(event.payload);
      const [postAuthor, commenter, commentId] = [p.authorId.toLowerCase(), p.commenterId.toLowerCase(), p.commentId.toLowerCase()];
      await notifier.record(tx, {
        recipientId: postAuthor,
        kind: 'comment',
        actorId: commenter,
        postId: event.aggregateId,
        commentId,
        subjectId: commentId,
      });
      await mention(tx, notifier, p.text, { actorId: commenter, postId: event.aggregateId, commentId, subjectId: commentId }, postAuthor);
    },
  };
}

async function mention(
  tx: Queryable,
  notifier: Notifier,
  text: string,
  where: { actorId: string; postId: string; commentId?: string; subjectId: string },
  alreadyTold?: string,
): Promise<void> {
  const names = mentionedUsernames(text);
  if (!names.length) return;
  // The most recently updated holder of each name: two renames delivered out of order may briefly share one.
  const rows = await tx.query<{ id: string }>(
    `SELECT DISTINCT ON (lower(username)) id FROM actors WHERE lower(username) = ANY($1::text[]) ORDER BY lower(username), updated_at DESC`,
    [names],
  );
  for (const { id } of rows) {
    if (id === alreadyTold) continue;
    await notifier.record(tx, { recipientId: id, kind: 'mention', ...where });
  }
}

export async function eraseUser(tx: Queryable, userId: string): Promise<void> {
  const q = (sql: string) => tx.execute(sql, [userId]);
  await q('DELETE FROM notifications WHERE recipient_id = $1');
  // Out of other people's groups: each count lowered by one, and a row left with nobody removed
  // (two statements: one statement must not both update and delete the same row).
  const emptied = await tx.query<{ id: string; actor_count: number }>(
    `WITH gone AS (DELETE FROM notification_actors WHERE actor_id = $1 RETURNING notification_id)
     UPDATE notifications n SET actor_count = n.actor_count - 1 FROM gone WHERE n.id = gone.notification_id
     RETURNING n.id, n.actor_count`,
    [userId],
  );
  const empty = emptied.filter((r) => Number(r.actor_count) === 0).map((r) => r.id);
  if (empty.length) await tx.execute('DELETE FROM notifications WHERE id = ANY($1::uuid[])', [empty]);
  await q('DELETE FROM notified WHERE recipient_id = $1 OR actor_id = $1');
  await q('DELETE FROM notification_comments WHERE actor_id = $1');
  await q('DELETE FROM like_states WHERE liker_id = $1');
  await q('DELETE FROM stream_tickets WHERE user_id = $1');
  await q('DELETE FROM actors WHERE id = $1');
  await eraseRelationships(tx, userId);
  await q('INSERT INTO deleted_actors (id) VALUES ($1) ON CONFLICT DO NOTHING');
}
