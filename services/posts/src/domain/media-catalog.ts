import { ProblemError, problems, type FieldError, type ServiceClient } from '@agora/mesh';
import type { MediaState } from './media-read-model.js';

/**
 * media's internal view of one object: `GET /internal/v1/media/{id}` (callers: posts, users).
 * `width`, `height` and `alt` may be absent (a media service that does not send them yet): null.
 */
export interface MediaInfo {
  id: string;
  ownerId: string;
  status: string;
  contentType: string;
  width?: number | null;
  height?: number | null;
  alt?: string | null;
}

/** The attachable media's state, for posts' media read model. */
export interface AttachableMedia extends MediaState {
  id: string;
}

const dimension = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 2_147_483_647 ? v : null);

/**
 * Only the uploader may attach a media id to a post, and only once its bytes are uploaded. Unknown,
 * someone else's and not-yet-uploaded media get the same 400 answer, so the check reveals nothing
 * about other people's media. A down media service is a 503 (nothing is written).
 */
export class MediaCatalog {
  constructor(private readonly media: ServiceClient) {}

  /** The media objects as media describes them, in the order given; a 400 naming each one refused. */
  async assertAttachable(userId: string, mediaIds: readonly string[]): Promise<AttachableMedia[]> {
    if (mediaIds.length === 0) return [];
    const attachable: AttachableMedia[] = [];
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
        return;
      }
      attachable.push({
        id: mediaIds[i]!,
        ownerId: userId.toLowerCase(),
        contentType: typeof info.contentType === 'string' && info.contentType ? info.contentType : 'application/octet-stream',
        width: dimension(info.width),
        height: dimension(info.height),
        alt: typeof info.alt === 'string' ? info.alt : null,
      });
    });
    if (errors.length) throw problems.validation('Only media you uploaded can be attached.', errors);
    return attachable;
  }
}
