import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type { ServiceName } from '../topology.js';
import { EVENT_CATALOGUE, isEventType } from './catalogue.js';
import type { EventEnvelope, NewEvent } from './envelope.js';

/** The graphile-worker task that carries one event to one consumer (delivery.ts). */
export const DELIVER_TASK = 'agora_deliver_event';

/**
 * The job key of one delivery, `<type>:<aggregate id>:<consumer>:<event id>`: unique per delivery,
 * and what graphile-worker's public `jobs` view shows of it (it does not show payloads), so an
 * operator (and a test) can see which deliveries wait for which account.
 */
export function deliveryKey(event: Pick<EventEnvelope, 'type' | 'aggregateId' | 'id'>, consumer: string): string {
  return `${event.type}:${event.aggregateId}:${consumer}:${event.id}`;
}

/** The payload of a delivery job: the consumer and the event it is owed. */
export interface DeliveryJob {
  consumer: ServiceName;
  event: EventEnvelope;
}

/**
 * The producing side of the outbox. `publish` must be handed the transaction of the change the event
 * describes: it adds one graphile-worker job per consumer with `graphile_worker.add_job()` — plain
 * SQL on that transaction — so the event exists if and only if the change committed, and the worker
 * (worker.ts) delivers it after the commit, at least once.
 */
export class EventPublisher {
  constructor(
    private readonly producer: ServiceName,
    /** Attempts before a delivery is dead-lettered (EVENTS_MAX_ATTEMPTS). */
    private readonly maxAttempts: number,
  ) {}

  async publish(tx: Queryable, event: NewEvent): Promise<EventEnvelope> {
    if (!isEventType(event.type)) throw new Error(`unknown event type ${event.type} (mesh/src/events/catalogue.ts)`);
    const def = EVENT_CATALOGUE[event.type];
    if (def.producer !== this.producer) throw new Error(`${this.producer} does not publish ${event.type}; ${def.producer} does`);
    const envelope: EventEnvelope = {
      id: randomUUID(),
      type: event.type,
      producer: this.producer,
      aggregateId: event.aggregateId.toLowerCase(),
      sequence: event.sequence,
      occurredAt: new Date().toISOString(),
      payload: event.payload,
    };
    for (const consumer of def.consumers) {
      const job: DeliveryJob = { consumer, event: envelope };
      await tx.query('SELECT 1 FROM graphile_worker.add_job($1, $2::json, max_attempts => $3, job_key => $4)', [
        DELIVER_TASK,
        JSON.stringify(job),
        this.maxAttempts,
        deliveryKey(envelope, consumer),
      ]);
    }
    return envelope;
  }
}
