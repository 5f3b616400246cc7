import { ProblemError, problems, type FieldError, type ServiceClient } from '@agora/mesh';

/** media's internal view of one object: `GET /internal/v1/media/{id}` (callers: posts, users). */
export interface MediaInfo {
  id: string;
  ownerId: string;
  status: string;
  contentType: string;
}

/**
 * Only the uploader may attach a media id to a post, and only once its bytes are uploaded. Unknown,
 * someone else's and not-yet-uploaded media get the same 400 answer, so the check reveals nothing
 * about other people's media. A down media service is a 503 (nothing is written).
 */
export class MediaCatalog {
  constructor(private readonly media: ServiceClient) {}

  async assertAttachable(userId: string, mediaIds: readonly string[]): Promise<void> {
    if (mediaIds.length === 0) return;
    const results = await Promise.allSettled(mediaIds.map((id) => this.media.call<MediaInfo>(`/internal/v1/media/${encodeURIComponent(id)}`)));
    const errors: FieldError[] = [];
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        const err = result.reason as unknown;
        if (err instanceof ProblemError && err.status >= 400 && err.status < 500) {
          errors.push({ field: `mediaIds.${i}`, message: 'is not an uploaded media object of yours' });
          return;
        }
        throw err instanceof ProblemError ? err : problems.unavailable('The media service failed; try again shortly.');
      }
      const info = result.value;
      if (!info || String(info.ownerId).toLowerCase() !== userId.toLowerCase() || info.status !== 'uploaded') {
        errors.push({ field: `mediaIds.${i}`, message: 'is not an uploaded media object of yours' });
      }
    });
    if (errors.length) throw problems.validation('Only media you uploaded can be attached.', errors);
  }
}
