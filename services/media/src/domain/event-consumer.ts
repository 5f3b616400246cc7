import type { EventHandler, EventType } from '@agora/mesh';
import type { ObjectStore } from './object-store.js';

/** Object deletions in flight at once while erasing one user. */
const PARALLEL_DELETES = 8;

/**
 * How media applies the events it receives. account.deleted erases the user's media: the rows are
 * locked, the objects removed from the store, then the rows deleted, all before the inbox record
 * commits. If the store fails, everything rolls back and the producer redelivers; objects already
 * removed stay removed, and removing them again is harmless (a missing key is success).
 */
export function mediaHandlers(store: ObjectStore): Partial<Record<EventType, EventHandler>> {
  return {
    'account.deleted': async (tx, event) => {
      const rows = await tx.query<{ object_key: string }>('SELECT object_key FROM media WHERE owner_id = $1 ORDER BY id FOR UPDATE', [
        event.aggregateId,
      ]);
      for (let i = 0; i < rows.length; i += PARALLEL_DELETES) {
        await Promise.all(rows.slice(i, i + PARALLEL_DELETES).map((r) => store.delete(r.object_key)));
      }
      await tx.execute('DELETE FROM media WHERE owner_id = $1', [event.aggregateId]);
    },
  };
}
