import { decodeCursor, problems } from '@agora/mesh';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sort key of a (created_at, id) keyset: the timestamp as ISO-8601 (milliseconds) and the tie-breaker id. */
export interface Keyset {
  t: string;
  id: string;
}

/** Sentinels so the first page runs the very same (index-friendly) row comparison as any other page. */
export const NEWEST: Keyset = { t: 'infinity', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
export const OLDEST: Keyset = { t: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/** Decodes `cursor` (mesh's opaque base64url JSON) into a checked keyset, or `start` when absent; 400 when forged. */
export function keysetFrom(cursor: string | undefined, start: Keyset): Keyset {
  const key = decodeCursor(cursor, ['t', 'id'] as const);
  if (!key) return start;
  if (!UUID.test(key.id) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(key.t) || Number.isNaN(Date.parse(key.t))) {
    throw problems.validation('cursor is not valid; use nextCursor from a previous page.', [{ field: 'cursor', message: 'invalid' }]);
  }
  return key;
}

export function keyOf(createdAt: Date, id: string): Record<string, string> {
  return { t: createdAt.toISOString(), id };
}
