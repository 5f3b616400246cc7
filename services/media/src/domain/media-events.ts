import type { EventPublisher, Queryable } from '@agora/mesh';

/** The columns a media event is built from (snake case: straight from `RETURNING`). */
export interface MediaEventRow {
  id: string;
  owner_id: string;
  content_type: string;
  width: number | null;
  height: number | null;
  alt: string | null;
  event_seq: string;
}

/** `media.updated`'s payload: the object's state after the change, not a delta (docs/events.md). */
export function mediaUpdatedPayload(row: MediaEventRow): Record<string, unknown> {
  return { ownerId: row.owner_id, contentType: row.content_type, width: row.width, height: row.height, alt: row.alt };
}

/**
 * Publishes what posts must know of a media object, on the transaction of the change, numbered by
 * the object's own `event_seq` (raised here, in that transaction). Only uploaded objects are
 * published: posts never embeds a pending one, so it has nothing to learn before completion.
 */
export class MediaEvents {
  constructor(private readonly publisher: EventPublisher) {}

  /** Completion, or a new alt text, of an uploaded object. */
  async updated(tx: Queryable, mediaId: string): Promise<void> {
    const [row] = await tx.query<MediaEventRow>(
      `UPDATE media SET event_seq = event_seq + 1 WHERE id = $1 AND status = 'uploaded'
       RETURNING id, owner_id, content_type, width, height, alt, event_seq`,
      [mediaId],
    );
    if (!row) return;
    await this.publisher.publish(tx, {
      type: 'media.updated',
      aggregateId: row.id,
      sequence: Number(row.event_seq),
      payload: mediaUpdatedPayload(row),
    });
  }

  /**
   * The object is gone: called with the row as it was, before the DELETE in the same transaction.
   * Its sequence follows the last `media.updated`, so posts can tell a late update from the deletion.
   */
  async deleted(tx: Queryable, row: { id: string; ownerId: string; eventSeq: number }): Promise<void> {
    await this.publisher.publish(tx, { type: 'media.deleted', aggregateId: row.id, sequence: row.eventSeq + 1, payload: { ownerId: row.ownerId } });
  }
}
