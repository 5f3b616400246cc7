/**
 * Row types of the users database (tables come from the migrations), as the domain's SQL selects
 * them: `PROFILE_COLUMNS` names each column in camelCase.
 */
export interface Profile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarMediaId: string | null;
  followerCount: number;
  followingCount: number;
  suspendedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The select list that reads a `profiles` row into a `Profile` (alias `p`). */
export const PROFILE_COLUMNS = `p.id, p.username, p.display_name AS "displayName", p.bio, p.avatar_media_id AS "avatarMediaId",
  p.follower_count AS "followerCount", p.following_count AS "followingCount", p.suspended_at AS "suspendedAt",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
