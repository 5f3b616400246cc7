import { ProblemError, problems, type ServiceClient } from '@agora/mesh';
import type { AccountRevoker, AvatarCheck } from './profiles.js';

/** What media's `GET /internal/v1/media/{id}` answers (conventions.md, internal operations). */
export interface MediaInfo {
  id: string;
  ownerId: string;
  status: string;
  contentType: string;
}

/** Avatar check against media: the media must exist, be the caller's, be fully uploaded and an image. */
export class MediaAvatarCheck implements AvatarCheck {
  constructor(private readonly media: ServiceClient) {}

  async assertAttachable(mediaId: string, ownerId: string): Promise<void> {
    const invalid = (message: string) => problems.validation(`avatarMediaId ${message}.`, [{ field: 'avatarMediaId', message }]);
    let info: MediaInfo;
    try {
      info = await this.media.call<MediaInfo>(`/internal/v1/media/${encodeURIComponent(mediaId)}`);
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw invalid('is not a media id you uploaded');
      throw err;
    }
    if (!info || typeof info !== 'object' || typeof info.ownerId !== 'string') {
      throw problems.unavailable('The media service answered unexpectedly; try again shortly.');
    }
    if (info.ownerId.toLowerCase() !== ownerId.toLowerCase()) {
      throw problems.forbidden('Only media you uploaded can be your avatar.');
    }
    if (info.status !== 'uploaded') throw invalid('is not fully uploaded yet');
    if (typeof info.contentType !== 'string' || !info.contentType.startsWith('image/')) throw invalid('is not an image');
  }
}

/** Suspension at auth: `PUT /internal/v1/auth/accounts/{id}/suspension` (sessions revoked, sign-in blocked). */
export class AuthSuspension {
  constructor(private readonly auth: ServiceClient) {}

  async set(userId: string, suspended: boolean, actorId: string): Promise<void> {
    await this.auth.call<void>(`/internal/v1/auth/accounts/${encodeURIComponent(userId)}/suspension`, {
      method: 'PUT',
      body: { suspended, actorId },
    });
  }
}

/** Account deletion at auth: `DELETE /internal/v1/auth/accounts/{id}` (idempotent; 404 = never existed there). */
export class AuthAccountRevoker implements AccountRevoker {
  constructor(private readonly auth: ServiceClient) {}

  async deleteAccount(userId: string): Promise<void> {
    try {
      await this.auth.call<void>(`/internal/v1/auth/accounts/${encodeURIComponent(userId)}`, { method: 'DELETE' });
    } catch (err) {
      // auth does not know the account: nothing to revoke there, the local deletion may proceed.
      if (err instanceof ProblemError && err.status === 404) return;
      throw err;
    }
  }
}

/** What posts' `GET /internal/v1/posts/content/{kind}/{id}` answers. */
export interface ReportableContent {
  kind: 'post' | 'comment';
  id: string;
  authorId: string;
  postId: string;
}

/**
 * Reported content at posts: users cannot read posts' tables, so it asks whether the post or
 * comment exists (404 if not) when a report is filed. A report is rare and the lookup is one
 * indexed row, so a call beats a read model of every post and comment kept here.
 */
export class PostsContent {
  constructor(private readonly posts: ServiceClient) {}

  async find(kind: 'post' | 'comment', id: string): Promise<ReportableContent> {
    try {
      const found = await this.posts.call<ReportableContent>(`/internal/v1/posts/content/${kind}/${encodeURIComponent(id)}`);
      if (!found || typeof found.authorId !== 'string') throw problems.unavailable('The posts service answered unexpectedly; try again shortly.');
      return found;
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw problems.notFound(kind === 'post' ? 'No such post.' : 'No such comment.');
      throw err;
    }
  }
}
