import * as z from 'zod';
import { applyProfileState, applyRelationship, eraseRelationships, type EventHandler, type EventType, type Queryable } from '@agora/mesh';
import { applyMediaState, eraseMedia } from './media-read-model.js';
import { applyBlockToOwnersPosts } from './block-cleanup.js';
import type { ReportedContent } from './reported-content.js';
import { DELETED_POST, type DeletedPost, type PostEvents } from './post-events.js';

const mediaState = z.object({
  ownerId: z.string().uuid(),
  contentType: z.string().min(1).max(255),
  width: z.number().int().positive().nullable().optional(),
  height: z.number().int().positive().nullable().optional(),
  alt: z.string().max(2000).nullable().optional(),
});

const mediaDeleted = z.object({ ownerId: z.string().uuid() });

const contentRemoved = z.object({
  kind: z.enum(['post', 'comment']),
  actorId: z.string().uuid(),
  reportId: z.string().uuid(),
});

/**
 * How posts applies the events it receives:
 *  - profile.updated keeps the authors read model (unless a later event already did, or the author
 *    was erased);
 *  - media.updated keeps the media read model (unless a later event already did, or the media was
 *    deleted); media.deleted removes it for good and takes it out of its owner's posts;
 *  - relationship.updated keeps the read model of blocks and mutes (unless a later event already did),
 *    and a block removes the blocked user's likes and comments on the blocker's posts (block-cleanup.ts,
 *    publishing post.unliked / comment.deleted for notifications);
 *  - content.removed (an admin resolved a report by removing the content) deletes the post or
 *    comment with posts' moderation audit event and post.deleted / comment.deleted (reported-content.ts);
 *    gone already changes nothing;
 *  - account.deleted erases everything of the user here: their likes and comments on other people's
 *    posts (each post's count lowered by exactly the rows this statement removed, so a concurrent
 *    unlike cannot be counted twice), then their posts with the likes and comments on them (a
 *    post.deleted for each, so others' notifications about them go too).
 */
export function postsHandlers(reported: ReportedContent, events: PostEvents): Partial<Record<EventType, EventHandler>> {
  return {
    'profile.updated': (tx, event) => applyProfileState(tx, event, { table: 'authors', tombstones: 'deleted_authors' }),
    'media.updated': async (tx, event) => {
      const m = mediaState.parse(event.payload);
      await applyMediaState(
        tx,
        event.aggregateId,
        { ownerId: m.ownerId, contentType: m.contentType, width: m.width ?? null, height: m.height ?? null, alt: m.alt ?? null },
        event.sequence,
      );
    },
    'media.deleted': async (tx, event) => eraseMedia(tx, event.aggregateId, mediaDeleted.parse(event.payload).ownerId),
    'relationship.updated': async (tx, event) => {
      await applyRelationship(tx, event);
      await applyBlockToOwnersPosts(tx, event, events);
    },
    'content.removed': async (tx, event) => {
      const removal = contentRemoved.parse(event.payload);
      await reported.remove(tx, { ...removal, id: event.aggregateId }, events);
    },
    'account.deleted': (tx, event) => eraseAuthor(tx, event.aggregateId, events),
  };
}

export async function eraseAuthor(tx: Queryable, userId: string, events: PostEvents): Promise<void> {
  const q = (sql: string) => tx.execute(sql, [userId]);
  await q(`WITH gone AS (DELETE FROM likes WHERE user_id = $1 RETURNING post_id),
                n AS (SELECT post_id, count(*)::int AS n FROM gone GROUP BY post_id)
           UPDATE posts p SET like_count = p.like_count - n.n FROM n WHERE p.id = n.post_id`);
  await q(`WITH gone AS (DELETE FROM comments WHERE author_id = $1 RETURNING post_id),
                n AS (SELECT post_id, count(*)::int AS n FROM gone GROUP BY post_id)
           UPDATE posts p SET comment_count = p.comment_count - n.n FROM n WHERE p.id = n.post_id`);
  // Their own posts last: the likes and comments others left on them go with them (ON DELETE CASCADE).
  // Each is announced: notifications erases the user's own notifications itself, but others' mentions
  // in comments on these posts would otherwise still point at them.
  const posts = await tx.query<DeletedPost>(`DELETE FROM posts WHERE author_id = $1 RETURNING ${DELETED_POST}`, [userId]);
  for (const post of posts) await events.deleted(tx, post);
  await q('DELETE FROM authors WHERE id = $1');
  await eraseRelationships(tx, userId);
  // Media leaves with its owner (media erases the objects themselves); no post of theirs is left to show it.
  await q('DELETE FROM media_objects WHERE owner_id = $1');
  await q('INSERT INTO deleted_authors (id) VALUES ($1) ON CONFLICT DO NOTHING');
}
