import type { EventPublisher, Queryable } from '@agora/mesh';

/**
 * Publishes `content.removed` (posts deletes the post or comment and audits it there) on the
 * transaction that resolves the report: the resolution, its audit event and the removal commit
 * together or not at all, and the outbox delivers the removal however long posts is away.
 * Removal is terminal, so the sequence carries no order (1).
 */
export class ContentEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async removed(tx: Queryable, kind: 'post' | 'comment', contentId: string, actorId: string, reportId: string): Promise<void> {
    await this.publisher.publish(tx, { type: 'content.removed', aggregateId: contentId, sequence: 1, payload: { kind, actorId, reportId } });
  }
}
