import { NEWEST_FIRST, pageSize, type KeysetRow, type Page, type Queryable } from '@agora/mesh';

/** A profile at the other end of an edge (a follow, a block, a mute) and when the edge was made. */
export interface EdgeEntry {
  id: string;
  username: string;
  displayName: string;
  avatarMediaId: string | null;
  at: Date;
}

interface EdgeRow extends KeysetRow, EdgeEntry {}

/** An edge table and which of its columns holds the list's owner and which the profile listed. */
export interface EdgeColumns {
  table: 'follows' | 'blocks' | 'mutes';
  self: string;
  other: string;
}

/**
 * One page of the profiles `userId` is joined to through `edge` (followers, following, blocked,
 * muted), newest edge first: the one query shape every such list uses, with the keyset on the
 * edge's created_at and the other profile's id.
 */
export async function listEdgeProfiles(db: Queryable, edge: EdgeColumns, userId: string, limit?: number, cursor?: string): Promise<Page<EdgeEntry>> {
  const size = pageSize(limit);
  const after = NEWEST_FIRST.position(cursor);
  const other = `e.${edge.other}`;
  const rows = await db.query<EdgeRow>(
    `SELECT p.id, p.username, p.display_name AS "displayName", p.avatar_media_id AS "avatarMediaId", e.created_at AS at,
            ${NEWEST_FIRST.columns('e.created_at', other)}
       FROM ${edge.table} e JOIN profiles p ON p.id = ${other}
      WHERE e.${edge.self} = $1 AND ${NEWEST_FIRST.after('e.created_at', other, 2, 3)}
      ORDER BY ${NEWEST_FIRST.orderBy('e.created_at', other)}
      LIMIT $4`,
    [userId, after.t, after.id, size + 1],
  );
  return NEWEST_FIRST.page(rows, size, (r) => ({
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    avatarMediaId: r.avatarMediaId,
    at: r.at,
  }));
}
