import { problems, type Queryable } from '@agora/mesh';

/**
 * 403 when the author of post `postId` blocks `me` (the read model of relationship.updated). An
 * unknown post passes: the caller's own statement answers its 404.
 */
export async function assertNotBlockedByAuthor(tx: Queryable, me: string, postId: string, action: 'like' | 'comment on'): Promise<void> {
  const blocked = await tx.query(
    `SELECT 1 FROM posts p JOIN relationships r ON r.owner_id = p.author_id AND r.other_id = $2 AND r.blocked WHERE p.id = $1`,
    [postId, me],
  );
  if (blocked.length) throw problems.forbidden(`The author of this post has blocked you, so you cannot ${action} it.`);
}

/** SQL: author `authorColumn` is not blocked or muted by the viewer bound to `$viewerParam`. */
export function notSilencedBy(viewerParam: number, authorColumn: string): string {
  return `NOT EXISTS (SELECT 1 FROM relationships r WHERE r.owner_id = $${viewerParam} AND r.other_id = ${authorColumn} AND (r.blocked OR r.muted))`;
}

/** SQL: neither the viewer bound to `$viewerParam` nor author `authorColumn` blocks the other (search). */
export function notBlockedEitherWay(viewerParam: number, authorColumn: string): string {
  return `NOT EXISTS (SELECT 1 FROM relationships r WHERE r.blocked AND ((r.owner_id = $${viewerParam} AND r.other_id = ${authorColumn}) OR (r.owner_id = ${authorColumn} AND r.other_id = $${viewerParam})))`;
}
