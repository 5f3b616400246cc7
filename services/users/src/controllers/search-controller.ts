import { Controller, Get, Query, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type Cursor, type PageLimit, type ProblemDetails } from '@agora/mesh';
import type { UsersDeps } from '../wiring.js';
import type { PublicUserPage, UserSearchQuery } from './schemas.js';

/** Finding people (posts serves `/api/v1/search/posts`). */
@Route('api/v1/search')
@Tags('users')
@Security('jwt')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token, or the account was deleted')
export class SearchController extends Controller {
  constructor(private readonly deps: UsersDeps) {
    super();
  }

  /**
   * People whose username or display name starts with `q`, or is spelled close to it; exact and
   * prefix matches first, best first. Suspended accounts and people who block you are never shown. Keyset-paginated: pass
   * `nextCursor` back as `cursor` with the same `q`.
   * @summary Search people
   * @param q what to look for
   */
  @Get('users')
  public async searchUsers(
    @Query() q: UserSearchQuery,
    @Request() req: KoaRequest,
    @Query() limit?: PageLimit,
    @Query() cursor?: Cursor,
  ): Promise<PublicUserPage> {
    const me = await this.deps.profiles.ensure(caller(req));
    return this.deps.userSearch.search(me.id, q, limit, cursor);
  }
}
