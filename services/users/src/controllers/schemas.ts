/**
 * Request and response shapes of the users API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */

import type { MediaId, Page, UserId } from '@agora/mesh';

/** A media id from media's uploads (an image whose upload is complete). */
export type AvatarMediaId = MediaId;

/**
 * 3–30 letters, digits or underscores (the rule auth registers usernames with).
 * @pattern ^[A-Za-z0-9_]{3,30}$ must be 3–30 letters, digits or underscores
 * @example "alice_92"
 */
export type Username = string;

export interface UserProfile {
  /** The user's id (the same as at auth and in tokens). */
  id: UserId;
  /** Unique, case-insensitive; from registration. */
  username: string;
  displayName: string;
  bio: string;
  /** Media id of the avatar (see media), or null. */
  avatarMediaId: AvatarMediaId | null;
  followerCount: number;
  followingCount: number;
  createdAt: Date;
}

/** Only the fields present change; `avatarMediaId: null` removes the avatar. */
export interface UpdateProfileRequest {
  /**
   * 1–50 characters, no control characters.
   * @minLength 1
   * @maxLength 50
   * @pattern ^[^\u0000-\u001f\u007f]+$ must not contain control characters
   */
  displayName?: string;
  /**
   * At most 280 characters (UTF-16 code units); may be empty.
   * @maxLength 280
   */
  bio?: string;
  /** A media id you uploaded (an image whose upload is complete), or null to remove the avatar. */
  avatarMediaId?: AvatarMediaId | null;
}

/** One entry of a followers/following list. */
export interface FollowEntry {
  id: UserId;
  username: string;
  displayName: string;
  avatarMediaId: AvatarMediaId | null;
  /** When this follow was made. */
  followedAt: Date;
}

export type FollowPage = Page<FollowEntry>;

/** Every id the user follows (at most 5000: the follow limit, so the list is always complete). */
export interface FollowingIds {
  ids: string[];
}

/** A user as admins see them. */
export interface AdminUserEntry extends UserProfile {
  suspended: boolean;
}

export type AdminUserPage = Page<AdminUserEntry>;

export interface SuspensionChange {
  /** true suspends (sessions revoked at once, sign-in blocked); false reinstates. */
  suspended: boolean;
}
