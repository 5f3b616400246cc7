import { Body, Controller, Get, Path, Put, Query, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type ProblemDetails, type UserId, type Cursor, type PageLimit } from '@agora/mesh';
import type { UsersDeps } from '../wiring.js';
import type { AdminUserEntry, AdminUserPage, SuspensionChange } from './schemas.js';

/**
 * Admin operations on users: need the `admin` role claim (checked at the sidecar and here). The
 * list lives under `/api/v1/admin/users`, beside the report queue, because `GET /api/v1/users` is
 * the batch lookup any caller may use (users-controller.ts).
 */
@Route('api/v1')
@Tags('admin')
@Security('jwt', ['admin'])
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token')
@Response<ProblemDetails>(403, 'Not an admin')
export class AdminController extends Controller {
  constructor(private readonly deps: UsersDeps) {
    super();
  }

  /**
   * Every user, newest first, with their suspension state.
   * @summary Every user (admin)
   */
  @Get('admin/users')
  public async listUsers(@Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<AdminUserPage> {
    return this.deps.moderation.list(limit, cursor);
  }

  /**
   * Suspends or reinstates a user. Suspension revokes every session at auth at once and blocks
   * sign-in; an access token issued before lives out its remaining minutes (≤ 15): users refuses
   * it, the other services accept it until it expires. Each decision is an audit event (users'
   * `audit_events`, and auth's).
   * @param id the user's id
   * @summary Suspend or reinstate a user (admin)
   */
  @Put('users/{id}/suspension')
  @Response<ProblemDetails>(404, 'No such user')
  @Response<ProblemDetails>(503, 'auth is unavailable; nothing changed')
  public async setSuspension(@Path() id: UserId, @Body() body: SuspensionChange, @Request() req: KoaRequest): Promise<AdminUserEntry> {
    return this.deps.moderation.setSuspended(id, body.suspended, callerId(req), req.ip ?? null);
  }
}
