import { Controller, Get, Path, Post, Query, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, callerId, type Cursor, type PageLimit, type ProblemDetails, type Uuid } from '@agora/mesh';
import type { NotificationsDeps } from '../wiring.js';
import { streamHolder } from '../domain/stream-tickets.js';
import type { NotificationPage, StreamTicket, UnreadCount } from './schemas.js';

/**
 * Your notifications. Every operation needs a signed-in user and acts on the caller's own
 * notifications only: no operation can read or change another user's.
 */
@Route('api/v1/notifications')
@Tags('notifications')
@Security('jwt')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token')
export class NotificationsController extends Controller {
  constructor(private readonly deps: NotificationsDeps) {
    super();
  }

  /**
   * Your notifications, newest activity first. Likes of one post, comments on one post and new
   * followers are grouped while unread ("ada and 3 others liked your post": `actor`, `actorCount`);
   * an entry that gains an actor moves to the top.
   * @summary List your notifications
   */
  @Get()
  public async list(@Request() req: KoaRequest, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<NotificationPage> {
    return this.deps.inbox.list(callerId(req), limit, cursor);
  }

  /**
   * How many of your notifications are unread (a group counts once).
   * @summary Count your unread notifications
   */
  @Get('unread-count')
  public async unreadCount(@Request() req: KoaRequest): Promise<UnreadCount> {
    return this.deps.inbox.unread(callerId(req));
  }

  /**
   * Marks one of your notifications read; idempotent. A read group is closed: the next like of
   * that post starts a new entry.
   * @summary Mark a notification read
   */
  @Post('{id}/read')
  @SuccessResponse(204, 'Read')
  @Response<ProblemDetails>(404, 'No such notification of yours')
  public async markRead(@Path() id: Uuid, @Request() req: KoaRequest): Promise<void> {
    await this.deps.inbox.markRead(callerId(req), id.toLowerCase());
    this.setStatus(204);
  }

  /**
   * Marks all your notifications read.
   * @summary Mark all notifications read
   */
  @Post('read-all')
  @SuccessResponse(204, 'All read')
  public async markAllRead(@Request() req: KoaRequest): Promise<void> {
    await this.deps.inbox.markAllRead(callerId(req));
    this.setStatus(204);
  }

  /**
   * A single-use ticket for `GET /api/v1/notifications/stream?ticket=…`, for clients that cannot
   * send an Authorization header there (a browser's EventSource). It lives 60 seconds; the stream
   * it opens ends when the access token used here expires.
   * @summary Get a ticket for the notification stream
   */
  @Post('stream-tickets')
  @SuccessResponse(201, 'Issued')
  public async streamTicket(@Request() req: KoaRequest): Promise<StreamTicket> {
    this.setStatus(201);
    return this.deps.tickets.issue(streamHolder(caller(req)));
  }
}
