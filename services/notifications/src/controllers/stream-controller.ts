import type { Readable } from 'node:stream';
import { Controller, Get, Query, Request, Response, Route, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { koaAuthentication, problems, revokedProblem, type ProblemDetails, type UserPrincipal } from '@agora/mesh';
import type { NotificationsDeps } from '../wiring.js';
import type { Ticket } from './schemas.js';
import { streamHolder, type StreamHolder } from '../domain/stream-tickets.js';

/**
 * The live stream of your notifications. It has no `@Security` in the contract because a browser's
 * EventSource cannot send an Authorization header: the operation takes either the header (checked
 * exactly as `@Security('jwt')` checks it) or a single-use `ticket`, and refuses anything else with
 * 401 — so the Istio policy lets the request through and the service decides.
 */
@Route('api/v1/notifications')
@Tags('notifications')
export class StreamController extends Controller {
  constructor(private readonly deps: NotificationsDeps) {
    super();
  }

  /**
   * Server-Sent Events (`text/event-stream`) for the signed-in user: `ready` with the unread count,
   * then `notification` (the entry as the list shows it, and the unread count) within a second of
   * the action, `unread` when the count changes elsewhere, and `end` before the server closes the
   * stream (when the token that opened it expires, at the latest; within seconds when its session
   * ends or the account is suspended or deleted: `reason: "revoked"`). A comment line every 15 s keeps
   * it alive. Authenticate with `Authorization: Bearer …`, or with `ticket` from
   * `POST /api/v1/notifications/stream-tickets` (browsers).
   * @summary Stream your new notifications
   * @param ticket A ticket from `POST /api/v1/notifications/stream-tickets` (single use).
   */
  @Get('stream')
  @SuccessResponse(200, 'The stream', 'text/event-stream')
  @Response<ProblemDetails>(400, 'Invalid request')
  @Response<ProblemDetails>(401, 'No valid token or ticket')
  public async stream(@Request() req: KoaRequest, @Query() ticket?: Ticket): Promise<Readable> {
    const holder = await this.authenticate(req, ticket);
    const body = await this.deps.hub.attach(holder);
    // The socket's idle timeout would cut a quiet stream; heartbeats and the stream's end bound it instead.
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    this.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.setHeader('Cache-Control', 'no-store');
    // nginx-style proxies would buffer the stream without it.
    this.setHeader('X-Accel-Buffering', 'no');
    return body;
  }

  private async authenticate(req: KoaRequest, ticket: string | undefined): Promise<StreamHolder> {
    if (req.headers.authorization !== undefined) {
      if (ticket !== undefined)
        throw problems.validation('Send a token or a ticket, not both.', [{ field: 'ticket', message: 'must not come with a token' }]);
      const principal = (await koaAuthentication(req, 'jwt')) as UserPrincipal;
      return streamHolder(principal);
    }
    if (ticket === undefined) throw problems.unauthorized('Send a bearer token, or a ticket from POST /api/v1/notifications/stream-tickets.');
    const holder = await this.deps.tickets.redeem(ticket);
    // The session or account may have been revoked since the ticket was issued (a revocation check
    // at the door, as the token itself would get; the hub checks again while the stream is open).
    const revoked = this.deps.events.revocations.check(holder);
    if (revoked) throw revokedProblem(revoked);
    return holder;
  }
}
