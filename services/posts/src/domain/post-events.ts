import type { EventPublisher, Queryable } from '@agora/mesh';

/** What a `DELETE FROM posts … RETURNING ${DELETED_POST}` gives `PostEvents.deleted`. */
export const DELETED_POST = 'id, author_id AS "authorId", event_seq AS "eventSeq"';
export interface DeletedPost {
  id: string;
  authorId: string;
  eventSeq: number | string;
}

/**
 * Publishes what notifications needs to know about a post (post.created, post.liked, post.unliked,
 * comment.created, comment.deleted, post.deleted; docs/events.md) on the transaction of the change,
 * numbered by the post's event_seq. The text of a post or comment travels for `@mentions` only; it
 * is never logged. The removals let notifications take back what points at content that is gone.
 */
export class PostEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async created(tx: Queryable, postId: string, text: string): Promise<void> {
    const p = await this.next(tx, postId);
    if (p) await this.publisher.publish(tx, { type: 'post.created', aggregateId: postId, sequence: p.seq, payload: { authorId: p.authorId, text } });
  }

  async liked(tx: Queryable, postId: string, likerId: string): Promise<void> {
    const p = await this.next(tx, postId);
    if (p) await this.publisher.publish(tx, { type: 'post.liked', aggregateId: postId, sequence: p.seq, payload: { authorId: p.authorId, likerId } });
  }

  async commented(tx: Queryable, postId: string, comment: { id: string; authorId: string; text: string }): Promise<void> {
    const p = await this.next(tx, postId);
    if (!p) return;
    await this.publisher.publish(tx, {
      type: 'comment.created',
      aggregateId: postId,
      sequence: p.seq,
      payload: { authorId: p.authorId, commentId: comment.id, commenterId: comment.authorId, text: comment.text },
    });
  }

  /** A like went (unliked, or removed by a block): the liker leaves the author's like notification. */
  async unliked(tx: Queryable, postId: string, likerId: string): Promise<void> {
    const p = await this.next(tx, postId);
    if (p)
      await this.publisher.publish(tx, { type: 'post.unliked', aggregateId: postId, sequence: p.seq, payload: { authorId: p.authorId, likerId } });
  }

  /** A comment went (its author, the post's author, moderation, a block), its post still there. */
  async commentDeleted(tx: Queryable, postId: string, comment: { id: string; authorId: string }): Promise<void> {
    const p = await this.next(tx, postId);
    if (!p) return;
    await this.publisher.publish(tx, {
      type: 'comment.deleted',
      aggregateId: postId,
      sequence: p.seq,
      payload: { authorId: p.authorId, commentId: comment.id, commenterId: comment.authorId },
    });
  }

  /**
   * The post went (with its likes and comments: one event covers them). Called with what the
   * DELETE returned, since the row, and so its event_seq, is gone: the sequence is the last one plus one.
   */
  async deleted(tx: Queryable, gone: DeletedPost): Promise<void> {
    await this.publisher.publish(tx, {
      type: 'post.deleted',
      aggregateId: gone.id,
      sequence: Number(gone.eventSeq) + 1,
      payload: { authorId: gone.authorId },
    });
  }

  private async next(tx: Queryable, postId: string): Promise<{ seq: number; authorId: string } | undefined> {
    const [row] = await tx.query<{ event_seq: string; author_id: string }>(
      'UPDATE posts SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq, author_id',
      [postId],
    );
    return row ? { seq: Number(row.event_seq), authorId: row.author_id } : undefined;
  }
}
