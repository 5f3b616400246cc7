import { Controller, Get, Path, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { ProblemDetails, UserId } from '@agora/mesh';
import type { UsersDeps } from '../wiring.js';
import type { FollowingIds } from './schemas.js';

/** Operations other workloads call through the mesh; never routed by the ingress. */
@Route('internal/v1/users')
@Tags('internal')
export class InternalController extends Controller {
  constructor(private readonly deps: UsersDeps) {
    super();
  }

  /**
   * Every id the user follows, newest follow first, for posts' feed. Complete: a user can follow at
   * most 5000 accounts, and the answer is capped at the same 5000. A user without a profile yet
   * follows nobody (`ids: []`, not 404).
   * @param id user id
   * @summary Ids the user follows (internal, for posts)
   */
  @Get('{id}/following-ids')
  @Security('mesh', ['posts'])
  @Response<ProblemDetails>(400, 'Not a UUID')
  @Response<ProblemDetails>(401, 'No workload identity')
  @Response<ProblemDetails>(403, 'This workload may not call it')
  public async followingIds(@Path() id: UserId): Promise<FollowingIds> {
    return { ids: await this.deps.follows.followingIds(id.toLowerCase()) };
  }
}
