import { Controller, Get, Query, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type ProblemDetails, type Cursor, type PageLimit } from '@agora/mesh';
import type { PostsDeps } from '../wiring.js';
import type { PostPage } from './schemas.js';

@Route('api/v1/feed')
@Tags('posts')
export class FeedController extends Controller {
  constructor(private readonly deps: PostsDeps) {
    super();
  }

  /**
   * The caller's own posts and those of the authors the caller follows (from the users service),
   * less the authors the caller mutes or blocks, newest first, keyset-paginated, each with its author and media embedded.
   * @summary Your feed
   */
  @Get()
  @Security('jwt')
  @Response<ProblemDetails>(400, 'Invalid limit or cursor')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  @Response<ProblemDetails>(503, 'The users service is unavailable')
  public async getFeed(@Request() req: KoaRequest, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<PostPage> {
    return this.deps.posts.feed(callerId(req), limit, cursor);
  }
}
