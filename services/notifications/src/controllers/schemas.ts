import type { Author, Uuid } from '@agora/mesh';

/** follow: someone followed you; like / comment: on your post; mention: `@you` in a post or comment. */
export type NotificationKind = 'follow' | 'like' | 'comment' | 'mention';

/**
 * One entry of your notifications. Likes of one post, comments on one post and new followers are
 * grouped while unread: "`actor` and `actorCount - 1` others liked your post".
 */
export interface Notification {
  id: Uuid;
  kind: NotificationKind;
  /** The post liked, commented on or mentioned in; null for a follow. */
  postId: Uuid | null;
  /** The comment (newest of a comment group, or the one that mentions you); null otherwise. */
  commentId: Uuid | null;
  /** Who did it most recently. */
  actor: Author;
  /** Up to the 3 most recent actors, newest first (`actor` is the first). */
  actors: Author[];
  /**
   * How many people the entry stands for (1 unless grouped).
   * @isInt
   */
  actorCount: number;
  read: boolean;
  createdAt: Date;
  /** When an actor last joined it: the list's order. */
  updatedAt: Date;
}

export interface NotificationPage {
  items: Notification[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface UnreadCount {
  /**
   * Unread entries (a group counts once).
   * @isInt
   */
  unread: number;
}

export interface StreamTicket {
  /** Pass as `ticket` to `GET /api/v1/notifications/stream` within its life; good for one stream. */
  ticket: string;
  expiresAt: Date;
}

/**
 * A stream ticket from `POST /api/v1/notifications/stream-tickets`.
 * @pattern ^[A-Za-z0-9_-]{43}$ is not a stream ticket
 */
export type Ticket = string;
