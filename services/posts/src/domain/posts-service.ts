import {
  NEWEST_FIRST,
  pageSize,
  problems,
  recordModeration,
  type Database,
  type KeysetRow,
  type Logger,
  type Page,
  type Queryable,
} from '@agora/mesh';
import type { PostsMetrics } from '../metrics.js';
import type { Like, LikeState, Post } from '../controllers/schemas.js';
import { authorColumns, toAuthor, type AuthorColumns } from './embedding.js';
import { assertNotBlockedByAuthor, notSilencedBy } from './blocks.js';
import type { FollowGraph } from './follow-graph.js';
import type { AttachableMedia, MediaCatalog } from './media-catalog.js';
import { applyMediaState, FROM_INTERNAL_ANSWER } from './media-read-model.js';
import { assertPostExists, POST_COLUMNS, POST_COLUMNS_WITHOUT_AUTHOR, POST_JOINS, textArray, toPost, type PostRow } from './post-rows.js';
import { DELETED_POST, type DeletedPost, type PostEvents } from './post-events.js';

export interface NewPost {
  text: string;
  mediaIds?: string[];
}

export interface PostChanges {
  text?: string;
  mediaIds?: string[];
}

/**
 * Posts, likes, comments and the feed. Every write that changes a counter changes it in the same
 * statement as the row it counts, so counts never drift; every mutation is conditioned on the
 * caller's ownership inside the statement itself, so a refused request changes nothing.
 */
export class PostsService {
  constructor(
    private readonly db: Database,
    private readonly follows: FollowGraph,
    private readonly media: MediaCatalog,
    private readonly counters: PostsMetrics,
    private readonly events?: PostEvents,
    /** FEED_EMBED_AUTHORS: false only for bench row 10's baseline process (config.ts). */
    private readonly feedEmbedsAuthors = true,
  ) {}

  private async postRow(me: string | null, id: string): Promise<Post | undefined> {
    const [row] = await this.db.query<PostRow>(`SELECT ${POST_COLUMNS} FROM posts p ${POST_JOINS} WHERE p.id = $2`, [me, id]);
    return row ? toPost(row) : undefined;
  }

  async get(me: string | null, id: string): Promise<Post> {
    const post = await this.postRow(me, id);
    if (!post) throw problems.notFound('No such post.');
    return post;
  }

  async create(me: string, input: NewPost): Promise<Post> {
    const mediaIds = normalizeIds(input.mediaIds ?? []);
    const media = await this.media.assertAttachable(me, mediaIds);
    const row = await this.db.transaction(async (tx) => {
      const [inserted] = await tx.query<{ id: string }>('INSERT INTO posts (author_id, text, media_ids) VALUES ($1, $2, $3::uuid[]) RETURNING id', [
        me,
        input.text,
        mediaIds,
      ]);
      await recordMedia(tx, media);
      await this.events?.created(tx, inserted!.id, input.text);
      return inserted;
    });
    this.counters.postsCreated.inc();
    return this.get(me, row!.id);
  }

  /** 404 when the post does not exist, 403 when it is not the caller's. */
  private async assertAuthor(me: string, id: string): Promise<{ mediaIds: string[] }> {
    const [row] = await this.db.query<{ authorId: string; mediaIds: string[] | string }>(
      'SELECT author_id AS "authorId", media_ids::text[] AS "mediaIds" FROM posts WHERE id = $1',
      [id],
    );
    if (!row) throw problems.notFound('No such post.');
    if (row.authorId !== me) throw problems.forbidden('Only the author may change or delete this post.');
    return { mediaIds: textArray(row.mediaIds) };
  }

  async update(me: string, id: string, changes: PostChanges): Promise<Post> {
    if (changes.text === undefined && changes.mediaIds === undefined) {
      throw problems.validation('Send text and/or mediaIds.', [{ field: 'body', message: 'no change given' }]);
    }
    const current = await this.assertAuthor(me, id);
    const mediaIds = changes.mediaIds === undefined ? undefined : normalizeIds(changes.mediaIds);
    const added = mediaIds
      ? await this.media.assertAttachable(
          me,
          mediaIds.filter((m) => !current.mediaIds.includes(m)),
        )
      : [];
    const updated = await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `UPDATE posts SET text = COALESCE($3, text), media_ids = COALESCE($4::uuid[], media_ids), updated_at = now()
          WHERE id = $1 AND author_id = $2 RETURNING id`,
        [id, me, changes.text ?? null, mediaIds ?? null],
      );
      await recordMedia(tx, added);
      return rows;
    });
    if (updated.length === 0) throw problems.notFound('No such post.'); // deleted in the meantime
    return this.get(me, id);
  }

  async remove(me: string, id: string): Promise<void> {
    await this.assertAuthor(me, id);
    await this.db.transaction(async (tx) => {
      // Likes and comments go with it (ON DELETE CASCADE), in the same statement; post.deleted tells notifications.
      const [gone] = await tx.query<DeletedPost>(`DELETE FROM posts WHERE id = $1 AND author_id = $2 RETURNING ${DELETED_POST}`, [id, me]);
      if (gone) await this.events?.deleted(tx, gone);
    });
  }

  /** An author's posts, newest first: one range scan of posts_author_created_idx per page. */
  async listByAuthor(me: string | null, authorId: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Post>> {
    const n = pageSize(limit);
    const after = NEWEST_FIRST.position(cursor);
    const rows = await this.db.query<PostRow & KeysetRow>(
      `SELECT ${POST_COLUMNS}, ${NEWEST_FIRST.columns('p.created_at', 'p.id')} FROM posts p ${POST_JOINS}
        WHERE p.author_id = $2 AND ${NEWEST_FIRST.after('p.created_at', 'p.id', 3, 4)}
        ORDER BY ${NEWEST_FIRST.orderBy('p.created_at', 'p.id')} LIMIT $5`,
      [me, authorId, after.t, after.id, n + 1],
    );
    return NEWEST_FIRST.page(rows, n, toPost);
  }

  /**
   * The caller's own posts and those of the authors the caller follows (less those the caller mutes
   * or blocks), newest first. For each author, the top n+1
   * entries below the cursor are read from posts_author_created_idx (index-only, LATERAL ... LIMIT);
   * the n+1 newest of those (at most F × (n+1) index entries, whatever the table size and however
   * prolific an author) are then joined to their rows. No OFFSET, no sort of all followees' posts.
   */
  async feed(me: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Post>> {
    const n = pageSize(limit);
    const after = NEWEST_FIRST.position(cursor);
    const authors = [...new Set([me, ...(await this.follows.followingIds(me))])];
    const [columns, joins] = this.feedEmbedsAuthors ? [POST_COLUMNS, POST_JOINS] : [POST_COLUMNS_WITHOUT_AUTHOR, ''];
    const rows = await this.db.query<PostRow & KeysetRow>(
      `SELECT ${columns}, ${NEWEST_FIRST.columns('p.created_at', 'p.id')}
         FROM (SELECT top.id
                 FROM unnest($2::uuid[]) AS f(author_id)
                 CROSS JOIN LATERAL (
                   SELECT x.id, x.created_at FROM posts x
                    WHERE x.author_id = f.author_id AND ${NEWEST_FIRST.after('x.created_at', 'x.id', 3, 4)}
                    ORDER BY ${NEWEST_FIRST.orderBy('x.created_at', 'x.id')} LIMIT $5) top
                WHERE ${notSilencedBy(1, 'f.author_id')}
                ORDER BY ${NEWEST_FIRST.orderBy('top.created_at', 'top.id')} LIMIT $5) page
         JOIN posts p ON p.id = page.id ${joins}
        ORDER BY ${NEWEST_FIRST.orderBy('p.created_at', 'p.id')}`,
      [me, authors, after.t, after.id, n + 1],
    );
    return NEWEST_FIRST.page(rows, n, toPost);
  }

  /** Idempotent: liking twice is one like. */
  async like(me: string, id: string): Promise<LikeState> {
    const row = await this.db.transaction(async (tx) => {
      await assertNotBlockedByAuthor(tx, me, id, 'like');
      const [liked] = await tx.query<{ likeCount: number; inserted: number }>(
        `WITH ins AS (
           INSERT INTO likes (post_id, user_id) SELECT id, $2::uuid FROM posts WHERE id = $1
           ON CONFLICT (post_id, user_id) DO NOTHING RETURNING post_id)
         UPDATE posts SET like_count = like_count + (SELECT count(*) FROM ins)::int WHERE id = $1
         RETURNING like_count AS "likeCount", (SELECT count(*) FROM ins)::int AS "inserted"`,
        [id, me],
      );
      if (liked && Number(liked.inserted) > 0) await this.events?.liked(tx, id, me);
      return liked;
    });
    if (!row) throw problems.notFound('No such post.');
    if (Number(row.inserted) > 0) this.counters.likes.inc();
    return { postId: id, likedByMe: true, likeCount: Number(row.likeCount) };
  }

  /** Idempotent: unliking a post you do not like changes nothing. */
  async unlike(me: string, id: string): Promise<LikeState> {
    const row = await this.db.transaction(async (tx) => {
      const [unliked] = await tx.query<{ likeCount: number; deleted: number }>(
        `WITH del AS (DELETE FROM likes WHERE post_id = $1 AND user_id = $2 RETURNING post_id)
         UPDATE posts SET like_count = like_count - (SELECT count(*) FROM del)::int WHERE id = $1
         RETURNING like_count AS "likeCount", (SELECT count(*) FROM del)::int AS "deleted"`,
        [id, me],
      );
      // Only a like that existed is announced: unliking twice publishes once.
      if (unliked && Number(unliked.deleted) > 0) await this.events?.unliked(tx, id, me);
      return unliked;
    });
    if (!row) throw problems.notFound('No such post.');
    return { postId: id, likedByMe: false, likeCount: Number(row.likeCount) };
  }

  /** Who liked a post, newest first. */
  async likes(id: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Like>> {
    const n = pageSize(limit);
    const after = NEWEST_FIRST.position(cursor);
    await assertPostExists(this.db, id);
    const rows = await this.db.query<{ userId: string; likedAt: Date } & AuthorColumns & KeysetRow>(
      `SELECT l.user_id AS "userId", l.created_at AS "likedAt", ${authorColumns('a')}, ${NEWEST_FIRST.columns('l.created_at', 'l.user_id')}
         FROM likes l LEFT JOIN authors a ON a.id = l.user_id
        WHERE l.post_id = $1 AND ${NEWEST_FIRST.after('l.created_at', 'l.user_id', 2, 3)}
        ORDER BY ${NEWEST_FIRST.orderBy('l.created_at', 'l.user_id')} LIMIT $4`,
      [id, after.t, after.id, n + 1],
    );
    return NEWEST_FIRST.page(rows, n, (r): Like => ({ userId: r.userId, author: toAuthor(r.userId, r), likedAt: r.likedAt }));
  }
}

/**
 * Moderation: admins delete any post or comment (the contract marks these operations admin-only, so
 * the sidecar and the service both require the role). Each removal writes its audit event (who,
 * what, whose) in the transaction of the deletion.
 */
export class Moderation {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly events?: PostEvents,
  ) {}

  async removePost(id: string, adminId: string, ip: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.query<DeletedPost>(`DELETE FROM posts WHERE id = $1 RETURNING ${DELETED_POST}`, [id]);
      if (rows.length === 0) throw problems.notFound('No such post.');
      await this.events?.deleted(tx, rows[0]!);
      await recordModeration(tx, this.logger, { action: 'post_removed', actorId: adminId, targetId: rows[0]!.authorId, ip, details: { postId: id } });
    });
  }

  async removeComment(id: string, commentId: string, adminId: string, ip: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ authorId: string }>(
        `WITH del AS (DELETE FROM comments WHERE id = $1 AND post_id = $2 RETURNING post_id, author_id),
              counted AS (UPDATE posts SET comment_count = comment_count - (SELECT count(*) FROM del)::int WHERE id = $2)
         SELECT author_id AS "authorId" FROM del`,
        [commentId, id],
      );
      if (rows.length === 0) throw problems.notFound('No such comment on this post.');
      await this.events?.commentDeleted(tx, id, { id: commentId, authorId: rows[0]!.authorId });
      await recordModeration(tx, this.logger, {
        action: 'comment_removed',
        actorId: adminId,
        targetId: rows[0]!.authorId,
        ip,
        details: { postId: id, commentId },
      });
    });
  }
}

function normalizeIds(ids: readonly string[]): string[] {
  const lower = ids.map((id) => id.toLowerCase());
  if (new Set(lower).size !== lower.length) {
    throw problems.validation('mediaIds must not repeat an id.', [{ field: 'mediaIds', message: 'duplicate id' }]);
  }
  return lower;
}

/** The media attached in this change, into posts' read model (media's events refresh it later). */
async function recordMedia(tx: Queryable, media: readonly AttachableMedia[]): Promise<void> {
  for (const m of media) await applyMediaState(tx, m.id, m, FROM_INTERNAL_ANSWER);
}
