import type { Queryable } from '@agora/mesh';

/** What posts keeps of one media object (media's `media.updated` payload, or its internal answer). */
export interface MediaState {
  ownerId: string;
  contentType: string;
  width: number | null;
  height: number | null;
  alt: string | null;
}

/**
 * Media's internal answer at attach time carries no sequence; it is stored as sequence 0, which any
 * event supersedes and a later internal answer refreshes.
 */
export const FROM_INTERNAL_ANSWER = 0;

/**
 * Upserts one media object's state unless a later event already did (media_seq) or the object was
 * deleted (the tombstone), so events applied in any order and any number of times end in the state
 * of the latest one.
 */
export async function applyMediaState(tx: Queryable, id: string, s: MediaState, sequence: number): Promise<void> {
  await tx.execute(
    `INSERT INTO media_objects AS m (id, owner_id, content_type, width, height, alt, media_seq)
     SELECT $1::uuid, $2::uuid, $3::text, $4::int, $5::int, $6::text, $7::bigint
      WHERE NOT EXISTS (SELECT 1 FROM deleted_media WHERE id = $1::uuid)
     ON CONFLICT (id) DO UPDATE SET owner_id = EXCLUDED.owner_id, content_type = EXCLUDED.content_type, width = EXCLUDED.width,
       height = EXCLUDED.height, alt = EXCLUDED.alt, media_seq = EXCLUDED.media_seq, updated_at = now()
     WHERE m.media_seq < EXCLUDED.media_seq OR (m.media_seq = ${FROM_INTERNAL_ANSWER} AND EXCLUDED.media_seq = ${FROM_INTERNAL_ANSWER})`,
    [id, s.ownerId, s.contentType, s.width, s.height, s.alt, sequence],
  );
}

/**
 * A deleted media object leaves the read model for good (tombstone) and the media lists of its
 * owner's posts (only the owner can attach it, so only their posts can hold it: one range of
 * posts_author_created_idx).
 */
export async function eraseMedia(tx: Queryable, id: string, ownerId: string): Promise<void> {
  await tx.execute('DELETE FROM media_objects WHERE id = $1', [id]);
  await tx.execute('INSERT INTO deleted_media (id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
  await tx.execute('UPDATE posts SET media_ids = array_remove(media_ids, $1::uuid) WHERE author_id = $2 AND $1::uuid = ANY(media_ids)', [
    id,
    ownerId,
  ]);
}
