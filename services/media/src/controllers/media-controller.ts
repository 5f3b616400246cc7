import { Body, Controller, Delete, Get, Patch, Path, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type MediaId, type ProblemDetails, type RetryAfterSeconds } from '@agora/mesh';
import type { MediaDeps } from '../wiring.js';
import type { CreateUploadRequest, MediaView, UpdateMediaRequest, UploadTicket } from './schemas.js';

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
  @Response<ProblemDetails, { 'Retry-After': RetryAfterSeconds }>(429, 'Too many uploads from this account; see Retry-After (nothing was written)')
  public async createUpload(@Body() body: CreateUploadRequest, @Request() req: KoaRequest): Promise<UploadTicket> {
    await this.deps.limits.consume('upload', callerId(req));
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

  /**
   * Sets the alt text (plain text, at most 1000 characters; null or empty removes it). Only the
   * uploader may change it; posts that show the image learn the new text.
   * @summary Set the alt text of your media object
   * @param id media id
   */
  @Patch('{id}')
  @Security('jwt')
  @Response<ProblemDetails>(400, 'Invalid request')
  @Response<ProblemDetails>(403, 'Not the uploader')
  @Response<ProblemDetails>(404, 'No such media')
  @Response<ProblemDetails>(413, 'Body too large')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  public async updateMedia(@Path() id: MediaId, @Body() body: UpdateMediaRequest, @Request() req: KoaRequest): Promise<MediaView> {
    return this.deps.media.setAlt(id, callerId(req), body.alt);
  }

  /**
   * Deletes your media object: its bytes leave the object store and the id answers 404 from then
   * on; posts showing it drop it. Only the uploader may delete it.
   * @summary Delete your media object
   * @param id media id
   */
  @Delete('{id}')
  @Security('jwt')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(403, 'Not the uploader')
  @Response<ProblemDetails>(404, 'No such media')
  @Response<ProblemDetails>(503, 'The object store is unavailable; nothing changed')
  public async deleteMedia(@Path() id: MediaId, @Request() req: KoaRequest): Promise<void> {
    await this.deps.media.remove(id, callerId(req));
    this.setStatus(204);
  }
}
