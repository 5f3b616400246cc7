import { Controller, Delete, Path, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type ProblemDetails, type Uuid } from '@agora/mesh';
import type { PostsDeps } from '../wiring.js';

/**
 * Admins remove any post or comment. Separate operations (not a role check inside the owners'
 * DELETE) so the contract says "admin" and the generated mesh policy requires the role claim too.
 * Each removal is recorded as an audit event (who, what, whose) in posts' `audit_events`.
 */
@Route('api/v1/posts/moderation')
@Tags('admin')
@Security('jwt', ['admin'])
@Response<ProblemDetails>(400, 'Invalid id')
@Response<ProblemDetails>(401, 'Missing or invalid token')
@Response<ProblemDetails>(403, 'Not an admin')
export class ModerationController extends Controller {
  constructor(private readonly deps: PostsDeps) {
    super();
  }

  /**
   * Deletes any post, with its likes and comments.
   * @summary Remove any post (admin)
   */
  @Delete('{id}')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(404, 'No such post')
  public async removePost(@Path() id: Uuid, @Request() req: KoaRequest): Promise<void> {
    await this.deps.moderation.removePost(id.toLowerCase(), callerId(req), req.ip ?? null);
    this.setStatus(204);
  }

  /**
   * Deletes any comment.
   * @summary Remove any comment (admin)
   */
  @Delete('{id}/comments/{commentId}')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(404, 'No such comment on this post')
  public async removeComment(@Path() id: Uuid, @Path() commentId: Uuid, @Request() req: KoaRequest): Promise<void> {
    await this.deps.moderation.removeComment(id.toLowerCase(), commentId.toLowerCase(), callerId(req), req.ip ?? null);
    this.setStatus(204);
  }
}
