import { Controller, Get, Path, Response, Route, SuccessResponse, Tags } from '@tsoa/runtime';
import type { MediaId, ProblemDetails } from '@agora/mesh';
import type { MediaDeps } from '../wiring.js';

/**
 * The stable URL of a media object's bytes. Anonymous on purpose: an `<img src>` carries no bearer
 * token, and uploaded media belongs to public posts and profiles (SECURITY.md, "Media content URLs").
 * Without `@Security` the generated Istio policy admits it without a token, like the other public
 * operations.
 */
@Route('api/v1/media')
@Tags('media')
export class ContentController extends Controller {
  constructor(private readonly deps: MediaDeps) {
    super();
  }

  /**
   * Redirects (302) to a signed URL of the bytes. The URL is the same for every request within a
   * window of half its life (`MEDIA_CONTENT_URL_TTL_SECONDS`, 1 h by default) and the image it serves
   * may be cached; the redirect may be cached for a quarter of that life
   * (`Cache-Control: private, max-age=…`). No token needed. 404 for an unknown, pending or deleted id.
   * @summary Redirect to the bytes of an uploaded media object
   * @param id media id
   */
  @Get('{id}/content')
  @SuccessResponse(302, 'Found: the Location header holds the signed URL')
  @Response<ProblemDetails>(400, 'Malformed id')
  @Response<ProblemDetails>(404, 'No such uploaded media')
  public async getMediaContent(@Path() id: MediaId): Promise<void> {
    const redirect = await this.deps.media.content(id);
    this.setStatus(302);
    this.setHeader('Location', redirect.location);
    this.setHeader('Cache-Control', `private, max-age=${redirect.maxAgeSeconds}`);
  }
}
