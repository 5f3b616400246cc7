/**
 * Request and response shapes of the users API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */

import type { MediaId, Page, UserId, Uuid } from '@agora/mesh';

/** A media id from media's uploads (an image whose upload is complete). */
export type AvatarMediaId = MediaId;

/**
 * 3–30 letters, digits or underscores (the rule auth registers usernames with).
 * @pattern ^[A-Za-z0-9_]{3,30}$ must be 3–30 letters, digits or underscores
 * @example "alice_92"
 */
export type Username = string;

/** What every profile answer carries (the caller's own, another user's, an admin's list entry). */
export interface ProfileFields {
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

/** A profile as the caller sees it: with the follow relationship between the caller and the user. */
export interface UserProfile extends ProfileFields {
  /** Whether you follow this user (false on your own profile). */
  following: boolean;
  /** Whether this user follows you (false on your own profile). */
  followedBy: boolean;
  /** Whether you block this user (false on your own profile and for an anonymous reader). */
  blocking: boolean;
  /** Whether you mute this user (false on your own profile and for an anonymous reader). */
  muting: boolean;
}

/** The relationship between you and a user after a block, unblock, mute or unmute. */
export interface Relationship {
  /** Whether you block the user (a block removes the follows both ways and refuses new ones). */
  blocking: boolean;
  /** Whether you mute the user (hidden from your feed and notifications). */
  muting: boolean;
  /** Whether you follow the user. */
  following: boolean;
  /** Whether the user follows you. */
  followedBy: boolean;
}

/** One entry of your list of blocked or muted users. */
export interface RelatedUserEntry {
  id: UserId;
  username: string;
  displayName: string;
  avatarMediaId: AvatarMediaId | null;
  /** When you blocked or muted the user. */
  since: Date;
}

export type RelatedUserPage = Page<RelatedUserEntry>;

/**
 * The relationship after a follow or unfollow, and the followed user's counts, all read in the
 * transaction that made the change (so they are exact however many follow at once).
 */
export interface FollowState {
  /** Whether you follow the user now. */
  following: boolean;
  /** Whether the user follows you. */
  followedBy: boolean;
  /** The user's follower count, your follow included. */
  followerCount: number;
  /** How many accounts the user follows. */
  followingCount: number;
}

/**
 * A user's public fields, for lists that show people (batch lookup, search, suggestions).
 * `avatarUrl` is the stable media URL `/api/v1/media/{id}/content` (relative to the API origin).
 */
export interface PublicUser {
  id: UserId;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  followerCount: number;
  followingCount: number;
}

/** The users found, in the order their ids were asked for; unknown ids are simply absent. */
export interface PublicUserList {
  items: PublicUser[];
}

export type PublicUserPage = Page<PublicUser>;

/**
 * Comma-separated user ids (UUIDs), at most 100.
 * @minLength 1
 * @maxLength 3700 must list at most 100 ids
 * @example "7c9e6679-7425-40de-944b-e07fc1f90ae7,16fd2706-8baf-433b-82eb-8c7fada847da"
 */
export type UserIdList = string;

/**
 * What to look for: the start of a username or display name, or a near spelling (1–50 characters).
 * @minLength 1 must not be empty
 * @maxLength 50 must be at most 50 characters
 * @pattern ^[^\u0000-\u001f\u007f]*\S[^\u0000-\u001f\u007f]*$ must contain a visible character and no control characters
 * @example "ada"
 */
export type UserSearchQuery = string;

/**
 * How many suggestions (1–50, default 10).
 * @isInt must be a whole number
 * @minimum 1 must be at least 1
 * @maximum 50 must be at most 50
 */
export type SuggestionLimit = number;

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
export interface AdminUserEntry extends ProfileFields {
  suspended: boolean;
}

export type AdminUserPage = Page<AdminUserEntry>;

export interface SuspensionChange {
  /** true suspends (sessions revoked at once, sign-in blocked); false reinstates. */
  suspended: boolean;
}

/** What a report is about. */
export type ReportTargetKind = 'post' | 'comment' | 'user';

/** Why it is reported. */
export type ReportReason = 'spam' | 'harassment' | 'hate' | 'violence' | 'sexual_content' | 'self_harm' | 'misinformation' | 'other';

export interface NewReport {
  targetKind: ReportTargetKind;
  /** The post's, comment's or user's id; it must exist (404 otherwise). */
  targetId: Uuid;
  reason: ReportReason;
  /**
   * Anything the admins should know (at most 1000 characters).
   * @maxLength 1000 must be at most 1000 characters
   */
  note?: string;
}

/** open until an admin resolves it; then what they did. */
export type ReportStatus = 'open' | 'dismissed' | 'suspended' | 'content_removed';

export interface Report {
  id: Uuid;
  reporterId: UserId;
  targetKind: ReportTargetKind;
  targetId: Uuid;
  reason: ReportReason;
  note: string | null;
  status: ReportStatus;
  createdAt: Date;
  resolvedAt: Date | null;
  /** The admin who resolved it. */
  resolvedBy: UserId | null;
}

export type ReportPage = Page<Report>;

export interface ReportResolution {
  /**
   * dismiss: nothing is wrong; suspend: suspend the reported user (user reports only);
   * remove_content: delete the reported post or comment (post and comment reports only).
   */
  action: 'dismiss' | 'suspend' | 'remove_content';
}
