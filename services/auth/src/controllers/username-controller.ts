import { Body, Controller, Put, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type ProblemDetails } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type { UsernameChange } from './schemas.js';

/** The account's username. */
@Route('api/v1/auth/username')
@Tags('auth')
@Security('jwt')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token')
@Response<ProblemDetails>(413, 'Body too large')
@Response<ProblemDetails>(415, 'Body is not JSON')
export class UsernameController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Renames the caller's account (any case of a taken name is refused). The profile follows within
   * seconds (`account.updated`); access tokens carry the new `preferred_username` from the next
   * refresh. The old name is free for others at once.
   * @summary Change my username
   */
  @Put()
  @Response<ProblemDetails>(404, 'The account is not active')
  @Response<ProblemDetails>(409, 'Username already registered')
  public async changeUsername(@Body() body: UsernameChange, @Request() req: KoaRequest): Promise<UsernameChange> {
    return { username: await this.deps.auth.changeUsername(caller(req).userId, body.username, req.ip) };
  }
}
