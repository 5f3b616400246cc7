import { problems, recordModeration, type Logger, type Queryable, type Database } from '@agora/mesh';
import type { ContentKind, ReportableContent } from '../controllers/schemas.js';
import { DELETED_POST, type DeletedPost, type PostEvents } from './post-events.js';

/**
 * The posts side of users' report queue (services/users/src/domain/reports.ts):
 *  - `find`: whether a reported post or comment exists (users refuses a report of one that does not,
 *    with a 404), and whose it is;
 *  - `remove`: an admin resolved a report with `remove_content` (the `content.removed` event).
 *    Removes the post (its likes and comments go with it) or the comment (its post's count lowered
 *    by exactly the row removed, in the same statement), with the same audit event as posts' own
 *    admin removal. Content already gone changes nothing: the event may come again, or the author
 *    may have deleted it first. A removal publishes post.deleted / comment.deleted like the
 *    author's own deletion, so notifications stops pointing at it.
 */
export class ReportedContent {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  async find(kind: ContentKind, id: string): Promise<ReportableContent> {
    const sql =
      kind === 'post'
        ? 'SELECT author_id AS "authorId" FROM posts WHERE id = $1'
        : 'SELECT author_id AS "authorId", post_id AS "postId" FROM comments WHERE id = $1';
    const [row] = await this.db.query<{ authorId: string; postId?: string }>(sql, [id]);
    if (!row) throw problems.notFound(kind === 'post' ? 'No such post.' : 'No such comment.');
    return { kind, id, authorId: row.authorId, postId: row.postId ?? id };
  }

  /** `events` publishes post.deleted / comment.deleted on the same transaction (the handler's publisher). */
  async remove(tx: Queryable, removal: { kind: ContentKind; id: string; actorId: string; reportId: string }, events: PostEvents): Promise<void> {
    if (removal.kind === 'post') {
      const [gone] = await tx.query<DeletedPost>(`DELETE FROM posts WHERE id = $1 RETURNING ${DELETED_POST}`, [removal.id]);
      if (!gone) return;
      await events.deleted(tx, gone);
      await recordModeration(tx, this.logger, {
        action: 'post_removed',
        actorId: removal.actorId,
        targetId: gone.authorId,
        details: { postId: removal.id, reportId: removal.reportId },
      });
      return;
    }
    const [gone] = await tx.query<{ authorId: string; postId: string }>(
      `WITH del AS (DELETE FROM comments WHERE id = $1 RETURNING post_id, author_id),
            counted AS (UPDATE posts p SET comment_count = p.comment_count - 1 FROM del WHERE p.id = del.post_id)
       SELECT author_id AS "authorId", post_id AS "postId" FROM del`,
      [removal.id],
    );
    if (!gone) return;
    await events.commentDeleted(tx, gone.postId, { id: removal.id, authorId: gone.authorId });
    await recordModeration(tx, this.logger, {
      action: 'comment_removed',
      actorId: removal.actorId,
      targetId: gone.authorId,
      details: { postId: gone.postId, commentId: removal.id, reportId: removal.reportId },
    });
  }
}
