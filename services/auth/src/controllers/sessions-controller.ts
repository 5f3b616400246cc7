import { Controller, Delete, Get, Path, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, problems, type ProblemDetails, type Uuid } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type { SessionList, SessionsRevoked } from './schemas.js';

/** The signed-in user's sessions (one per sign-in): list them, sign one or all others out. */
@Route('api/v1/auth/sessions')
@Tags('sessions')
@Security('jwt')
@Response<ProblemDetails>(401, 'Missing or invalid token')
export class SessionsController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * The live sessions: when each began and was last used, its user agent and coarse network.
   * @summary List my sessions
   */
  @Get()
  public async listSessions(@Request() req: KoaRequest): Promise<SessionList> {
    const p = caller(req);
    const sessions = await this.deps.sessions.list(p.userId);
    return { items: sessions.map((s) => ({ ...s, current: s.id === p.sessionId })) };
  }

  /**
   * Signs out every session except the current one.
   * @summary Sign out all my other sessions
   */
  @Delete()
  public async revokeOtherSessions(@Request() req: KoaRequest): Promise<SessionsRevoked> {
    const p = caller(req);
    const revoked = await this.deps.sessions.revokeOthers(p.userId, p.sessionId, 'signed_out_elsewhere');
    await this.deps.audit.record({
      action: 'sessions_revoked',
      outcome: 'success',
      actorId: p.userId,
      targetId: p.userId,
      ip: req.ip,
      details: { revoked },
    });
    return { revoked };
  }

  /**
   * Signs out one of my sessions (the current one too: that is a sign-out).
   * @summary Sign out one of my sessions
   * @param id session id
   */
  @Delete('{id}')
  @SuccessResponse(204, 'Signed out')
  @Response<ProblemDetails>(404, 'No such live session of yours')
  public async revokeSession(@Path() id: Uuid, @Request() req: KoaRequest): Promise<void> {
    const p = caller(req);
    if (!(await this.deps.sessions.revokeOwn(p.userId, id.toLowerCase(), 'revoked_by_user'))) throw problems.notFound('No such session.');
    await this.deps.audit.record({
      action: 'session_revoked',
      outcome: 'success',
      actorId: p.userId,
      targetId: p.userId,
      ip: req.ip,
      details: { sessionId: id },
    });
    this.setStatus(204);
  }
}
