import type { JobHelpers, Task } from 'graphile-worker';
import type { Logger } from 'pino';
import type { ServiceClient } from '../client/service-client.js';
import type { Queryable } from '../db/database.js';
import { ProblemError } from '../http/problem.js';
import type { ServiceName } from '../topology.js';
import type { EventEnvelope, EventReceipt } from './envelope.js';
import type { EventMetrics } from './metrics.js';
import type { DeliveryJob } from './publisher.js';

export interface DeliveryOptions {
  /** The producer's database, where the dead-letter table lives. */
  db: Queryable;
  /** The mesh client of each consumer (its identity is this service's). */
  clientFor: (consumer: ServiceName) => ServiceClient | undefined;
  metrics: EventMetrics;
  logger: Logger;
  /**
   * Called after a consumer accepted an event (applied or already had it), before the job is
   * completed; if it throws, the delivery is retried (the consumer's inbox makes that harmless).
   */
  onDelivered?: (event: EventEnvelope, consumer: ServiceName) => Promise<void>;
}

/**
 * A consumer answer that retrying cannot change: the event itself is malformed or not meant for it
 * (400, 409, 422). Everything else — 5xx, timeouts, an unreachable or restarting consumer, a 404 from
 * an older version without the route, a refused identity (the client reports 503) — is retried.
 */
function isPermanent(err: unknown): boolean {
  return err instanceof ProblemError && [400, 409, 413, 422].includes(err.status);
}

/**
 * The delivery task: POST the event to `/internal/v1/<consumer>/events`. A failure throws, and
 * graphile-worker retries the job with its exponential backoff (exp(min(attempt, 10)) seconds); the
 * last allowed attempt, or a permanent refusal, moves the event to `events_dead_letter` instead and
 * counts it in agora_events_dead_lettered_total.
 */
export function deliveryTask(options: DeliveryOptions): Task {
  return async (payload: unknown, helpers: JobHelpers) => {
    const { consumer, event } = payload as DeliveryJob;
    try {
      const client = options.clientFor(consumer);
      if (!client) throw new Error(`no SERVICE_URL_${consumer.toUpperCase()} configured for ${consumer}`);
      await client.call<EventReceipt>(`/internal/v1/${consumer}/events`, { method: 'POST', body: event, forwardUser: false });
      options.metrics.onDelivered(consumer, event.type);
      await options.onDelivered?.(event, consumer);
    } catch (err) {
      options.metrics.onFailure(consumer, event.type);
      const attempt = helpers.job.attempts;
      const reason = describe(err);
      if (isPermanent(err) || attempt >= helpers.job.max_attempts) {
        await options.db.execute(
          `INSERT INTO events_dead_letter (event_id, consumer, type, aggregate_id, event, attempts, last_error)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id, consumer) DO NOTHING`,
          [event.id, consumer, event.type, event.aggregateId, JSON.stringify(event), attempt, reason],
        );
        options.metrics.onDeadLettered(consumer, event.type);
        options.logger.error({ eventId: event.id, type: event.type, consumer, attempts: attempt, reason }, 'events: delivery dead-lettered');
        return; // the job is done: the event now waits in events_dead_letter for an operator
      }
      options.logger.warn({ eventId: event.id, type: event.type, consumer, attempts: attempt, reason }, 'events: delivery failed, will retry');
      throw err;
    }
  };
}

/** A short reason for logs and the dead-letter row: the problem's status and detail, never a body we sent. */
function describe(err: unknown): string {
  if (err instanceof ProblemError) return `${err.status} ${err.message}`.slice(0, 500);
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}
