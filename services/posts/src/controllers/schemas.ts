/**
 * Request and response shapes of the posts API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */

import type { Page, Uuid } from '@agora/mesh';

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

export interface Post {
  /** @format uuid */
  id: string;
  /** @format uuid */
  authorId: string;
  text: string;
  mediaIds: string[];
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
  text: string;
  createdAt: Date;
}

export type CommentPage = Page<Comment>;
