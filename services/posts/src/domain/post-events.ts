import type { EventPublisher, Queryable } from '@agora/mesh';

/**
 * Publishes what notifications needs to know about a post (post.created, post.liked,
 * comment.created; docs/events.md) on the transaction of the change, numbered by the post's
 * event_seq. The text of a post or comment travels for `@mentions` only; it is never logged.
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

  private async next(tx: Queryable, postId: string): Promise<{ seq: number; authorId: string } | undefined> {
    const [row] = await tx.query<{ event_seq: string; author_id: string }>(
      'UPDATE posts SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq, author_id',
      [postId],
    );
    return row ? { seq: Number(row.event_seq), authorId: row.author_id } : undefined;
  }
}
