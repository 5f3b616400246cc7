/**
 * The author (or actor) a response embeds, so a client renders a name and an avatar without another
 * call. One shape for every service that embeds one (posts, notifications): each keeps a read model
 * of profiles fed by users' `profile.updated`, and a row that has not arrived yet still gives the id.
 */
export interface Author {
  /** @format uuid */
  id: string;
  /** Null for the moment between a user's first action and the arrival of their profile (normally milliseconds). */
  username: string | null;
  displayName: string | null;
  /** `/api/v1/media/{avatarMediaId}/content` (relative to the API origin), or null without an avatar. */
  avatarUrl: string | null;
}

/** The stable, cacheable URL of a media object's bytes (media's `GET /api/v1/media/{id}/content`). */
export function mediaContentUrl(mediaId: string): string {
  return `/api/v1/media/${mediaId}/content`;
}

/** An `Author` from a read-model row (all fields null when the row is missing). */
export function toAuthor(id: string, profile: { username?: string | null; displayName?: string | null; avatarMediaId?: string | null }): Author {
  return {
    id,
    username: profile.username ?? null,
    displayName: profile.displayName ?? null,
    avatarUrl: profile.avatarMediaId ? mediaContentUrl(profile.avatarMediaId) : null,
  };
}
