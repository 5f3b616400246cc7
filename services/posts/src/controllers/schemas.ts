/**
 * Request and response shapes of the posts API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */

import type { Author, Page, Uuid } from '@agora/mesh';

/**
 * 1–500 characters, at least one of them not white space.
 * @minLength 1
 * @maxLength 500
 * @pattern \S must contain a character other than white space
 * @example "First light over the harbour."
 */
export type PostText = string;

/**
 * 1–300 characters, at least one of them not white space.
 * @minLength 1
 * @maxLength 300
 * @pattern \S must contain a character other than white space
 * @example "Lovely!"
 */
export type CommentText = string;

/**
 * Media ids from `POST /api/v1/media/uploads`, uploaded by the caller; at most 4, no repeats.
 * @maxItems 4
 */
export type MediaIds = Uuid[];

export interface CreatePostRequest {
  text: PostText;
  /** Optional; only media you uploaded (status `uploaded`) can be attached. */
  mediaIds?: MediaIds;
}

/** Changes a post; send at least one field. `mediaIds` replaces the whole list (`[]` removes all). */
export interface UpdatePostRequest {
  text?: PostText;
  mediaIds?: MediaIds;
}

export interface CreateCommentRequest {
  text: CommentText;
}

/** A comment's new text (plain text, the same limits as a new comment). */
export interface UpdateCommentRequest {
  text: CommentText;
}

/**
 * Words to find in posts: 1–100 characters with at least one word (letters or digits). Every word
 * must occur (whole words, any case); `"two words"` in quotes finds them side by side, `-word` leaves
 * out posts with that word.
 * @minLength 1
 * @maxLength 100
 * @pattern \S must contain a word
 * @example "harbour"
 */
export type SearchText = string;

/** A media object attached to a post, as media last described it. */
export interface PostMedia {
  /** @format uuid */
  id: string;
  /** `/api/v1/media/{id}/content` (relative to the API origin): a stable URL that redirects to the bytes. */
  url: string;
  contentType: string;
  /** Pixels, from the bytes; null when media has not measured them. */
  width: number | null;
  height: number | null;
  alt: string | null;
}

export interface Post {
  /** @format uuid */
  id: string;
  /** @format uuid */
  authorId: string;
  author: Author;
  text: string;
  /** The attached media ids in the order attached; a media object its owner deleted is no longer listed. */
  mediaIds: string[];
  /** The attached media that posts knows of, in the order attached (deleted media are left out). */
  media: PostMedia[];
  likeCount: number;
  commentCount: number;
  /** Whether the caller likes this post. */
  likedByMe: boolean;
  createdAt: Date;
  /** Equals createdAt until the author edits the post. */
  updatedAt: Date;
}

export type PostPage = Page<Post>;

export interface LikeState {
  /** @format uuid */
  postId: string;
  likedByMe: boolean;
  likeCount: number;
}

export interface Like {
  /** @format uuid */
  userId: string;
  author: Author;
  likedAt: Date;
}

export type LikePage = Page<Like>;

export interface Comment {
  /** @format uuid */
  id: string;
  /** @format uuid */
  postId: string;
  /** @format uuid */
  authorId: string;
  author: Author;
  text: string;
  createdAt: Date;
  /** When its author last edited it; null if never. */
  editedAt: Date | null;
}

export type CommentPage = Page<Comment>;

/** What users' reports can name in posts. */
export type ContentKind = 'post' | 'comment';

/** A reported post or comment as posts knows it (internal: users' check that a report names something real). */
export interface ReportableContent {
  kind: ContentKind;
  /** @format uuid */
  id: string;
  /** The content's author. @format uuid */
  authorId: string;
  /** The post (for a comment: the post it is on). @format uuid */
  postId: string;
}
