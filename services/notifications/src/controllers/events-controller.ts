import { Body, Controller, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callingWorkload, type EventEnvelope, type EventReceipt, type ProblemDetails } from '@agora/mesh';
import type { NotificationsDeps } from '../wiring.js';

/** The events other services publish to notifications (mesh/src/events/catalogue.ts, docs/events.md). */
@Route('internal/v1/notifications')
@Tags('internal')
export class EventsController extends Controller {
  constructor(private readonly deps: NotificationsDeps) {
    super();
  }

  /**
   * Receives one event, at least once: applied with its inbox record in one transaction, so a
   * redelivery answers `duplicate` and changes nothing. 400 for an event notifications does not take or a
   * payload it refuses (the producer dead-letters it); any 5xx is retried by the producer.
   */
  @Post('events')
  @Security('mesh', ['auth', 'posts', 'users'])
  @SuccessResponse(200, 'Applied, or already applied')
  @Response<ProblemDetails>(400, 'Not an event notifications takes, or a malformed one')
  @Response<ProblemDetails>(401, 'No workload identity')
  @Response<ProblemDetails>(403, 'This workload may not call it')
  public async receive(@Body() event: EventEnvelope, @Request() req: KoaRequest): Promise<EventReceipt> {
    return this.deps.events.inbox.receive(event, callingWorkload(req).service);
  }
}
