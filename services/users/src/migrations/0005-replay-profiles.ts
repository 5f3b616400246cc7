import { EventPublisher, type Migration } from '@agora/mesh';

/**
 * Requests a replay of `profile.updated` for every profile (issue 14): notifications, which started
 * consuming it after profiles existed, gets its actors read model (the embedded actor, the names
 * `@mentions` resolve against) for everyone, not only for those who change their profile later.
 * posts receives the replay too and applies it as the newer state it is (the same fields). One
 * transaction: requested completely or not at all; the worker delivers it after the service starts,
 * with the attempt limit of the default configuration.
 */
export const replayProfiles: Migration = {
  name: '0005-replay-profiles',
  async up({ context: db }) {
    const publisher = new EventPublisher('users', 12);
    await db.transaction(async (tx) => {
      const profiles = await tx.query<{ id: string; username: string; display_name: string; avatar_media_id: string | null; event_seq: string }>(
        'UPDATE profiles SET event_seq = event_seq + 1 RETURNING id, username, display_name, avatar_media_id, event_seq',
      );
      for (const p of profiles) {
        await publisher.publish(tx, {
          type: 'profile.updated',
          aggregateId: p.id,
          sequence: Number(p.event_seq),
          payload: { username: p.username, displayName: p.display_name, avatarMediaId: p.avatar_media_id },
        });
      }
    });
  },
};
