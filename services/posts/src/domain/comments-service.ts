import { OLDEST_FIRST, pageSize, problems, type Database, type KeysetRow, type Page } from '@agora/mesh';
import type { PostsMetrics } from '../metrics.js';
import type { Comment } from '../controllers/schemas.js';
import { authorColumns, toAuthor, type AuthorColumns } from './embedding.js';
import type { PostEvents } from './post-events.js';
import { assertPostExists } from './post-rows.js';
import { assertNotBlockedByAuthor } from './blocks.js';

interface CommentRow extends AuthorColumns {
  id: string;
  postId: string;
  authorId: string;
  text: string;
  createdAt: Date;
  editedAt: Date | null;
}

/** The columns of a Comment as the API shows it; the FROM clause must be `comments c LEFT JOIN authors a ON a.id = c.author_id`. */
const COMMENT_COLUMNS = `c.id, c.post_id AS "postId", c.author_id AS "authorId", ${authorColumns('a')}, c.text,
  c.created_at AS "createdAt", c.edited_at AS "editedAt"`;

function toComment(r: CommentRow): Comment {
  return {
    id: r.id,
    postId: r.postId,
    authorId: r.authorId,
    author: toAuthor(r.authorId, r),
    text: r.text,
    createdAt: r.createdAt,
    editedAt: r.editedAt ?? null,
  };
}

/**
 * Comments on posts. A comment's author may edit or delete it; the post's author may delete any
 * comment on their post (not edit it). Every write that changes a post's comment_count changes it
 * in the same statement as the comment row and by the rows that statement actually removed, so
 * concurrent deletions of one comment lower the count once.
 */
export class CommentsService {
  constructor(
    private readonly db: Database,
    private readonly counters: PostsMetrics,
    private readonly events?: PostEvents,
  ) {}

  /** A post's comments, oldest first (reading order of a conversation). */
  async list(id: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Comment>> {
    const n = pageSize(limit);
    const after = OLDEST_FIRST.position(cursor);
    await assertPostExists(this.db, id);
    const rows = await this.db.query<CommentRow & KeysetRow>(
      `SELECT ${COMMENT_COLUMNS}, ${OLDEST_FIRST.columns('c.created_at', 'c.id')}
         FROM comments c LEFT JOIN authors a ON a.id = c.author_id
        WHERE c.post_id = $1 AND ${OLDEST_FIRST.after('c.created_at', 'c.id', 2, 3)}
        ORDER BY ${OLDEST_FIRST.orderBy('c.created_at', 'c.id')} LIMIT $4`,
      [id, after.t, after.id, n + 1],
    );
    return OLDEST_FIRST.page(rows, n, toComment);
  }

  private async one(commentId: string): Promise<Comment> {
    const [row] = await this.db.query<CommentRow>(
      `SELECT ${COMMENT_COLUMNS} FROM comments c LEFT JOIN authors a ON a.id = c.author_id WHERE c.id = $1`,
      [commentId],
    );
    if (!row) throw problems.notFound('No such comment on this post.');
    return toComment(row);
  }

  /** Adds a comment and, in the same transaction, publishes comment.created (notifications, @mentions). */
  async add(me: string, id: string, text: string): Promise<Comment> {
    const row = await this.db.transaction(async (tx) => {
      await assertNotBlockedByAuthor(tx, me, id, 'comment on');
      const [inserted] = await tx.query<{ id: string }>(
        `WITH c AS (
           INSERT INTO comments (post_id, author_id, text) SELECT id, $2::uuid, $3::text FROM posts WHERE id = $1
           RETURNING id),
         counted AS (UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM c))
         SELECT id FROM c`,
        [id, me, text],
      );
      if (inserted) await this.events?.commented(tx, id, { id: inserted.id, authorId: me, text });
      return inserted;
    });
    if (!row) throw problems.notFound('No such post.');
    this.counters.comments.inc();
    return this.one(row.id);
  }

  /** 404 when there is no such comment on that post; otherwise who may act on it. */
  private async roles(me: string, id: string, commentId: string): Promise<{ commentAuthor: boolean; postAuthor: boolean }> {
    const [row] = await this.db.query<{ commentAuthor: string; postAuthor: string }>(
      `SELECT c.author_id AS "commentAuthor", p.author_id AS "postAuthor"
         FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = $1 AND c.post_id = $2`,
      [commentId, id],
    );
    if (!row) throw problems.notFound('No such comment on this post.');
    return { commentAuthor: row.commentAuthor === me, postAuthor: row.postAuthor === me };
  }

  /** Only the comment's author may edit it (plain text, the same limits as a new comment). */
  async edit(me: string, id: string, commentId: string, text: string): Promise<Comment> {
    const { commentAuthor } = await this.roles(me, id, commentId);
    if (!commentAuthor) throw problems.forbidden('Only the author of a comment may edit it.');
    const updated = await this.db.execute('UPDATE comments SET text = $4, edited_at = now() WHERE id = $1 AND post_id = $2 AND author_id = $3', [
      commentId,
      id,
      me,
      text,
    ]);
    if (updated === 0) throw problems.notFound('No such comment on this post.'); // deleted in the meantime
    return this.one(commentId);
  }

  /** The comment's author or the post's author may delete it: 404 when there is no such comment on that post, 403 for anyone else. */
  async remove(me: string, id: string, commentId: string): Promise<void> {
    const { commentAuthor, postAuthor } = await this.roles(me, id, commentId);
    if (!commentAuthor && !postAuthor) throw problems.forbidden('Only the author of a comment or of the post may delete it.');
    // The permission is checked again inside the statement, so a refused request changes nothing.
    await this.db.transaction(async (tx) => {
      const [gone] = await tx.query<{ authorId: string }>(
        `WITH del AS (
           DELETE FROM comments c USING posts p
            WHERE c.id = $1 AND c.post_id = $2 AND p.id = c.post_id AND (c.author_id = $3 OR p.author_id = $3)
            RETURNING c.post_id, c.author_id),
         counted AS (UPDATE posts SET comment_count = comment_count - (SELECT count(*) FROM del)::int WHERE id = $2)
         SELECT author_id AS "authorId" FROM del`,
        [commentId, id, me],
      );
      // comment.deleted on the deletion's transaction: notifications takes back what pointed at it.
      if (gone) await this.events?.commentDeleted(tx, id, { id: commentId, authorId: gone.authorId });
    });
  }
}
