import { mediaContentUrl, type Database } from '@agora/mesh';
import type { PublicUser } from '../controllers/schemas.js';
import { UUID } from './profiles.js';

/** The most ids one batch lookup may ask for. */
export const MAX_LOOKUP_IDS = 100;

/** The select list of a public user (alias `p`); `PublicUserRow` is what it reads. */
export const PUBLIC_USER_COLUMNS = `p.id, p.username, p.display_name AS "displayName", p.avatar_media_id AS "avatarMediaId",
  p.follower_count AS "followerCount", p.following_count AS "followingCount"`;

export interface PublicUserRow {
  id: string;
  username: string;
  displayName: string;
  avatarMediaId: string | null;
  followerCount: number;
  followingCount: number;
}

/** The stable, cacheable URL media serves an avatar at (relative to the API origin), or null. */
export function avatarUrl(mediaId: string | null): string | null {
  return mediaId ? mediaContentUrl(mediaId) : null;
}

export function toPublicUser(r: PublicUserRow): PublicUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    avatarUrl: avatarUrl(r.avatarMediaId),
    followerCount: r.followerCount,
    followingCount: r.followingCount,
  };
}

/**
 * Parses `ids=a,b,…`: every entry a UUID (lower-cased), at most MAX_LOOKUP_IDS, duplicates kept
 * once. Returns the problem fields of what is wrong instead (each entry named by its position).
 */
export function parseIdList(raw: string): { ids: string[] } | { errors: { field: string; message: string }[] } {
  const parts = raw.split(',');
  if (parts.length > MAX_LOOKUP_IDS) return { errors: [{ field: 'ids', message: `must list at most ${MAX_LOOKUP_IDS} ids` }] };
  const errors = parts.flatMap((part, i) => (UUID.test(part) ? [] : [{ field: `ids[${i}]`, message: 'is not a user id (a UUID)' }]));
  if (errors.length) return { errors };
  return { ids: [...new Set(parts.map((p) => p.toLowerCase()))] };
}

/** Public fields of many users at once, for clients rendering lists of people. */
export class PublicUsers {
  constructor(private readonly db: Database) {}

  /** The users with these ids, in the order asked; ids without a profile are left out. */
  async byIds(ids: readonly string[]): Promise<PublicUser[]> {
    if (!ids.length) return [];
    const rows = await this.db.query<PublicUserRow>(`SELECT ${PUBLIC_USER_COLUMNS} FROM profiles p WHERE p.id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toPublicUser(row)] : [];
    });
  }

  /**
   * People a user might follow: the most followed accounts they do not follow yet, never
   * themselves, a suspended account, or anyone either side of a block with them. Walks profiles_suggested_idx in order, so the cost is
   * bounded by `limit` plus the accounts the user already follows (at most 5000).
   */
  async suggestedFor(me: string, limit: number): Promise<PublicUser[]> {
    const rows = await this.db.query<PublicUserRow>(
      `SELECT ${PUBLIC_USER_COLUMNS} FROM profiles p
        WHERE p.suspended_at IS NULL AND p.id <> $1
          AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = p.id) OR (b.blocker_id = p.id AND b.blocked_id = $1))
        ORDER BY p.follower_count DESC, p.id DESC
        LIMIT $2`,
      [me, limit],
    );
    return rows.map(toPublicUser);
  }
}
