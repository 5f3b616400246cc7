import type { EventPublisher, Queryable } from '@agora/mesh';

/**
 * Publishes `profile.updated` (what other services show of a user: username, display name, avatar)
 * on the transaction of the change, numbered by the profile's own event sequence.
 */
export class ProfileEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async updated(tx: Queryable, profileId: string): Promise<void> {
    const [p] = await tx.query<{ id: string; username: string; display_name: string; avatar_media_id: string | null; event_seq: string }>(
      'UPDATE profiles SET event_seq = event_seq + 1 WHERE id = $1 RETURNING id, username, display_name, avatar_media_id, event_seq',
      [profileId],
    );
    if (!p) return; // erased in the meantime: account.deleted tells the others
    await this.publisher.publish(tx, {
      type: 'profile.updated',
      aggregateId: p.id,
      sequence: Number(p.event_seq),
      payload: { username: p.username, displayName: p.display_name, avatarMediaId: p.avatar_media_id },
    });
  }
}
