import { mediaContentUrl, toAuthor as authorOf, type Author } from '@agora/mesh';
import type { PostMedia } from '../controllers/schemas.js';

/**
 * What a response embeds so a client renders a screen in one call: the author (from the `authors`
 * read model, kept by users' profile.updated) and a post's media (from `media_objects`, kept by
 * media's events). Both come from posts' own database in the same statement as the rows they
 * decorate, so embedding costs a primary-key probe per row and no call to another service.
 */

/** Select-list SQL for the author joined as `alias` (`LEFT JOIN authors <alias> ON …`). */
export function authorColumns(alias: string): string {
  return `${alias}.username AS "authorUsername", ${alias}.display_name AS "authorDisplayName", ${alias}.avatar_media_id::text AS "authorAvatarMediaId"`;
}

export interface AuthorColumns {
  authorUsername: string | null;
  authorDisplayName: string | null;
  authorAvatarMediaId: string | null;
}

/** A missing read-model row (the profile's event has not arrived yet) still gives the id, names null. */
export function toAuthor(id: string, row: AuthorColumns): Author {
  return authorOf(id, { username: row.authorUsername, displayName: row.authorDisplayName, avatarMediaId: row.authorAvatarMediaId });
}

/**
 * A media id of post `p` that was not deleted. media.deleted takes the id out of its owner's posts,
 * but a post attaching the object in a transaction concurrent with that event is not seen by it; the
 * tombstone is, whatever the order (one primary-key probe per attached id).
 */
const NOT_DELETED = 'NOT EXISTS (SELECT 1 FROM deleted_media d WHERE d.id = u.id)';

/** Select-list SQL: the post `p`'s attached media ids in the order attached, deleted ones left out. */
export const MEDIA_IDS_COLUMN = `
  ARRAY(SELECT u.id::text FROM unnest(p.media_ids) WITH ORDINALITY AS u(id, ord) WHERE ${NOT_DELETED} ORDER BY u.ord) AS "mediaIds"`;

/**
 * Select-list SQL: the post `p`'s media that posts knows of, as a JSON array in the order attached
 * (deleted or not-yet-known media are left out).
 */
export const MEDIA_COLUMN = `
  (SELECT coalesce(json_agg(json_build_object('id', m.id, 'contentType', m.content_type, 'width', m.width,
                                              'height', m.height, 'alt', m.alt) ORDER BY u.ord), '[]'::json)
     FROM unnest(p.media_ids) WITH ORDINALITY AS u(id, ord) JOIN media_objects m ON m.id = u.id
    WHERE ${NOT_DELETED}) AS "media"`;

export type MediaColumn = Omit<PostMedia, 'url'>[];

export function toMedia(media: MediaColumn | null): PostMedia[] {
  return (media ?? []).map((m) => ({
    id: m.id,
    url: mediaContentUrl(m.id),
    contentType: m.contentType,
    width: m.width ?? null,
    height: m.height ?? null,
    alt: m.alt ?? null,
  }));
}
