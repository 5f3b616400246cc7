import { Controller, Get, Query, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type ProblemDetails, type Cursor, type PageLimit } from '@agora/mesh';
import type { PostsDeps } from '../wiring.js';
import type { PostPage, SearchText } from './schemas.js';

@Route('api/v1/search/posts')
@Tags('posts')
export class SearchController extends Controller {
  constructor(private readonly deps: PostsDeps) {
    super();
  }

  /**
   * Posts containing every word of `q` (whole words, any case; `"a phrase"`, `-excluded`), newest
   * first, keyset-paginated, each with its author and media embedded.
   * @summary Search posts by words
   * @param q the words to find
   */
  @Get()
  @Security('jwt')
  @Response<ProblemDetails>(400, 'Missing, empty or too long q; invalid limit or cursor')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  public async searchPosts(
    @Request() req: KoaRequest,
    @Query() q: SearchText,
    @Query() limit?: PageLimit,
    @Query() cursor?: Cursor,
  ): Promise<PostPage> {
    return this.deps.search.search(callerId(req), q, limit, cursor);
  }
}
