import { Body, Controller, Get, Path, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type MediaId, type ProblemDetails } from '@agora/mesh';
import type { MediaDeps } from '../wiring.js';
import type { CreateUploadRequest, MediaView, UploadTicket } from './schemas.js';

@Route('api/v1/media')
@Tags('media')
@Response<ProblemDetails>(401, 'Missing or invalid token')
export class MediaController extends Controller {
  constructor(private readonly deps: MediaDeps) {
    super();
  }

  /**
   * Creates a pending media object owned by the caller and returns a short-lived signed URL to PUT
   * its bytes to, bound to the declared content type and exact size. The bytes go straight to the
   * object store, never through this service; then call `POST /api/v1/media/{id}/complete`.
   * @summary Start an upload
   */
  @Post('uploads')
  @Security('jwt')
  @SuccessResponse(201, 'Created')
  @Response<ProblemDetails>(400, 'Invalid request')
  @Response<ProblemDetails>(413, 'Body too large')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  public async createUpload(@Body() body: CreateUploadRequest, @Request() req: KoaRequest): Promise<UploadTicket> {
    const ticket = await this.deps.media.createUpload(callerId(req), body.contentType, body.sizeBytes);
    this.setStatus(201);
    this.setHeader('Location', `/api/v1/media/${ticket.id}`);
    return ticket;
  }

  /**
   * Marks the upload complete once the object store holds an object of the declared type and size
   * (checked with a HEAD request). Only the uploader may call it; calling it again is harmless.
   * @param id media id
   * @summary Complete an upload
   */
  @Post('{id}/complete')
  @Security('jwt')
  @Response<ProblemDetails>(403, 'Not the uploader')
  @Response<ProblemDetails>(404, 'No such media')
  @Response<ProblemDetails>(409, 'Nothing (or something else) was uploaded')
  @Response<ProblemDetails>(503, 'The object store is unavailable')
  public async completeUpload(@Path() id: MediaId, @Request() req: KoaRequest): Promise<MediaView> {
    return this.deps.media.complete(id, callerId(req));
  }

  /**
   * A media object with a short-lived signed download URL. Any signed-in user may read uploaded
   * media (it is attached to public posts and profiles); pending media is visible to its uploader only.
   * @param id media id
   * @summary A media object with a download URL
   */
  @Get('{id}')
  @Security('jwt')
  @Response<ProblemDetails>(404, 'No such media')
  public async getMedia(@Path() id: MediaId, @Request() req: KoaRequest): Promise<MediaView> {
    return this.deps.media.get(id, callerId(req));
  }
}
