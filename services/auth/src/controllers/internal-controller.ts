import { Body, Controller, Delete, Path, Put, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callingWorkload, type ProblemDetails, type UserId } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';

export interface SuspensionRequest {
  suspended: boolean;
  /** The admin who decided it, for the audit log. */
  actorId?: UserId;
}

/** Operations other workloads call through the mesh; never routed by the ingress. */
@Route('internal/v1/auth')
@Tags('internal')
export class InternalController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Deletes an account on behalf of the users service (the user deleted themselves): the account can
   * no longer sign in, every session is revoked, the email is released; the username stays reserved
   * so nobody can take over a deleted person's name.
   * @param id account id
   * @summary Delete an account (internal, for users)
   */
  @Delete('accounts/{id}')
  @Security('mesh', ['users'])
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(404, 'No such account')
  public async deleteAccount(@Path() id: UserId, @Request() req: KoaRequest): Promise<void> {
    await this.deps.auth.deleteAccount(id, callingWorkload(req).service);
    this.setStatus(204);
  }

  /**
   * Suspends or reinstates an account for an admin acting in the users service. Suspension revokes
   * every session at once and blocks sign-in; access tokens already issued live out their ~15 minutes.
   * @summary Suspend or reinstate an account (internal, for users)
   */
  @Put('accounts/{id}/suspension')
  @Security('mesh', ['users'])
  @SuccessResponse(204, 'Done')
  @Response<ProblemDetails>(404, 'No such account')
  public async setSuspension(@Path() id: UserId, @Body() body: SuspensionRequest, @Request() req: KoaRequest): Promise<void> {
    await this.deps.auth.setSuspended(id, body.suspended, body.actorId ?? null, callingWorkload(req).service);
    this.setStatus(204);
  }
}
