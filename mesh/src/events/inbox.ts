import { ZodError } from 'zod';
import type { Database, Queryable } from '../db/database.js';
import { problems } from '../http/problem.js';
import type { ServiceName } from '../topology.js';
import { EVENT_CATALOGUE, isEventType, type EventType } from './catalogue.js';
import type { EventEnvelope, EventReceipt } from './envelope.js';
import type { EventMetrics } from './metrics.js';

/** Applies one event on `tx`, the transaction that also records it in the inbox. */
export type EventHandler = (tx: Queryable, event: EventEnvelope) => Promise<void>;

/**
 * A consumer's side: `receive` records the event's id in `events_inbox` and runs its handler in the
 * same transaction, so the effect happens exactly once however often the producer delivers it
 * (at least once). A handler that throws rolls both back and the producer retries; a malformed
 * event (unknown type, not meant for this service, payload the handler refuses) is a 400, which
 * the producer dead-letters at once instead of retrying.
 */
export class EventInbox {
  constructor(
    private readonly db: Database,
    private readonly consumer: ServiceName,
    private readonly handlers: Partial<Record<EventType, EventHandler>>,
    private readonly metrics?: EventMetrics,
  ) {}

  /** `caller`: the workload that delivered it (mesh identity), which must be the event's producer. */
  async receive(event: EventEnvelope, caller: string): Promise<EventReceipt> {
    if (!isEventType(event.type))
      throw problems.validation(`type is not an event this platform knows.`, [{ field: 'type', message: 'is not a known event' }]);
    const def = EVENT_CATALOGUE[event.type];
    const handler = this.handlers[event.type];
    if (!(def.consumers as readonly string[]).includes(this.consumer) || !handler) {
      throw problems.validation(`type ${event.type} is not delivered to ${this.consumer}.`, [
        { field: 'type', message: 'is not delivered to this service' },
      ]);
    }
    if (event.producer !== def.producer || caller !== def.producer) {
      throw problems.validation(`producer must be ${def.producer}, the service that publishes ${event.type}.`, [
        { field: 'producer', message: `must be ${def.producer}` },
      ]);
    }
    try {
      const outcome = await this.db.transaction(async (tx) => {
        const fresh = await tx.execute(
          'INSERT INTO events_inbox (event_id, type, producer, aggregate_id) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING',
          [event.id.toLowerCase(), event.type, event.producer, event.aggregateId.toLowerCase()],
        );
        if (fresh === 0) return 'duplicate' as const;
        await handler(tx, { ...event, id: event.id.toLowerCase(), aggregateId: event.aggregateId.toLowerCase() });
        return 'applied' as const;
      });
      this.metrics?.consumed(event.type, outcome);
      return { outcome };
    } catch (err) {
      if (err instanceof ZodError) {
        const errors = err.issues.map((i) => ({ field: ['payload', ...i.path].join('.'), message: i.message }));
        throw problems.validation(`payload of ${event.type} is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors);
      }
      throw err;
    }
  }
}
