import { EventPublisher, type Migration } from '@agora/mesh';
import { mediaUpdatedPayload, type MediaEventRow } from '../domain/media-events.js';

/**
 * posts learns every media object already uploaded before media published events: one
 * `media.updated` each, in one transaction (the replay is requested completely or not at all), as
 * auth's 0005-replay-accounts does for accounts. Width and height are null for these (0002); pending
 * objects are not published (posts only embeds uploaded media). The worker delivers the replay after
 * the service starts; the events carry the attempt limit of the default configuration.
 */
export const replayMedia: Migration = {
  name: '0003-replay-media',
  async up({ context: db }) {
    const publisher = new EventPublisher('media', 12);
    await db.transaction(async (tx) => {
      const rows = await tx.query<MediaEventRow>(
        `UPDATE media SET event_seq = event_seq + 1 WHERE status = 'uploaded'
         RETURNING id, owner_id, content_type, width, height, alt, event_seq`,
      );
      for (const row of rows) {
        await publisher.publish(tx, {
          type: 'media.updated',
          aggregateId: row.id,
          sequence: Number(row.event_seq),
          payload: mediaUpdatedPayload(row),
        });
      }
    });
  },
};
