import type { EventPublisher, Queryable } from '@agora/mesh';

/**
 * Publishes `user.followed` (notifications tells the followee) on the transaction of the follow,
 * numbered by the follower's profile event sequence (the one profile.updated uses: consumers only
 * compare sequences, so the gaps this leaves in either event's numbers are harmless).
 */
export class FollowEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async followed(tx: Queryable, followerId: string, followeeId: string): Promise<void> {
    const [p] = await tx.query<{ event_seq: string }>('UPDATE profiles SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq', [
      followerId,
    ]);
    if (!p) return;
    await this.publisher.publish(tx, { type: 'user.followed', aggregateId: followerId, sequence: Number(p.event_seq), payload: { followeeId } });
  }
}
