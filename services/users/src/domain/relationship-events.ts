import type { EventPublisher, Queryable } from '@agora/mesh';

/**
 * Publishes `relationship.updated` (posts and notifications keep a read model of it) on the
 * transaction of a block, unblock, mute or unmute: the pair's whole state after the change, not the
 * change, numbered per (owner, other) pair, so a consumer applies whichever is newest.
 */
export class RelationshipEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async updated(tx: Queryable, ownerId: string, otherId: string): Promise<void> {
    const [row] = await tx.query<{ event_seq: string; blocked: boolean; muted: boolean }>(
      `INSERT INTO relationship_seqs AS s (owner_id, other_id, event_seq) VALUES ($1, $2, 1)
       ON CONFLICT (owner_id, other_id) DO UPDATE SET event_seq = s.event_seq + 1
       RETURNING event_seq,
         EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocked,
         EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = $2) AS muted`,
      [ownerId, otherId],
    );
    await this.publisher.publish(tx, {
      type: 'relationship.updated',
      aggregateId: ownerId,
      sequence: Number(row!.event_seq),
      payload: { ownerId, otherId, blocked: row!.blocked, muted: row!.muted },
    });
  }
}
