import { problems, type Queryable } from '@agora/mesh';
import type { Post } from '../controllers/schemas.js';
import { authorColumns, MEDIA_COLUMN, MEDIA_IDS_COLUMN, toAuthor, toMedia, type AuthorColumns, type MediaColumn } from './embedding.js';

export interface PostRow extends AuthorColumns {
  id: string;
  authorId: string;
  text: string;
  mediaIds: string[] | string;
  media: MediaColumn | null;
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The columns of a Post as the API shows it, for the caller `$me` (always bind parameter 1), with
 * its author and media embedded. The FROM clause must be `posts p ${POST_JOINS}`.
 */
const postColumns = (author: string) => `
  p.id, p.author_id AS "authorId", ${author}, p.text, ${MEDIA_IDS_COLUMN}, ${MEDIA_COLUMN},
  p.like_count AS "likeCount", p.comment_count AS "commentCount",
  EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = $1) AS "likedByMe",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

export const POST_COLUMNS = postColumns(authorColumns('a'));

/** The author of `p` from the read model; a missing row is a null author row, never a missing post. */
export const POST_JOINS = 'LEFT JOIN authors a ON a.id = p.author_id';

/**
 * POST_COLUMNS without the author's names (null, as for an author the read model has not heard of),
 * for a FROM clause without POST_JOINS: the feed without its authors (FEED_EMBED_AUTHORS=false),
 * the baseline bench row 10 holds the embedding against.
 */
export const POST_COLUMNS_WITHOUT_AUTHOR = postColumns(
  'NULL::text AS "authorUsername", NULL::text AS "authorDisplayName", NULL::text AS "authorAvatarMediaId"',
);

export function toPost(r: PostRow): Post {
  return {
    id: r.id,
    authorId: r.authorId,
    author: toAuthor(r.authorId, r),
    text: r.text,
    mediaIds: textArray(r.mediaIds),
    media: toMedia(r.media),
    likeCount: Number(r.likeCount),
    commentCount: Number(r.commentCount),
    likedByMe: Boolean(r.likedByMe),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** `{a,b}` → ['a','b'] (uuids need no quoting), for drivers that hand arrays back as text. */
export function textArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}

/** 404 problem unless the post exists (lists of a post's comments or likes say so rather than answer empty). */
export async function assertPostExists(db: Queryable, id: string): Promise<void> {
  const found = await db.query<{ one: number }>('SELECT 1 AS one FROM posts WHERE id = $1', [id]);
  if (found.length === 0) throw problems.notFound('No such post.');
}
