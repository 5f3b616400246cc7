import { Counter, Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/database.js';
import type { ServiceName } from '../topology.js';
import { EVENT_CATALOGUE, type EventType } from './catalogue.js';
import { DELIVER_TASK } from './publisher.js';

/**
 * The event backbone's metrics on the service's registry (observability/metrics.json):
 *  - agora_events_delivered_total{consumer,type}            deliveries a consumer accepted
 *  - agora_events_delivery_failures_total{consumer,type}    failed attempts (each is retried or dead-lettered)
 *  - agora_events_dead_lettered_total{consumer,type}        events given up on (alert: observability/prometheus/rules/events.yml)
 *  - agora_events_outbox_pending / _oldest_age_seconds       what waits in this service's outbox, read at scrape
 *  - agora_events_consumed_total{type,outcome}              events this service applied or recognised as redelivered
 *  - agora_events_worker_restarts_total                     runners the worker gave up and replaced (worker.ts)
 * Counters start at 0 for every (consumer, type) this service publishes, so the first failure is a rate.
 */
export class EventMetrics {
  private readonly delivered: Counter<'consumer' | 'type'>;
  private readonly failures: Counter<'consumer' | 'type'>;
  private readonly deadLettered: Counter<'consumer' | 'type'>;
  private readonly consumedTotal: Counter<'type' | 'outcome'>;
  private workerRestarts?: Counter;

  constructor(registry: Registry, service: ServiceName, outbox?: Queryable) {
    const registers = [registry];
    this.delivered = new Counter({
      name: 'agora_events_delivered_total',
      help: 'Events delivered to a consumer that accepted them.',
      labelNames: ['consumer', 'type'],
      registers,
    });
    this.failures = new Counter({
      name: 'agora_events_delivery_failures_total',
      help: 'Failed delivery attempts of events (each is retried with backoff or dead-lettered).',
      labelNames: ['consumer', 'type'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'agora_events_dead_lettered_total',
      help: 'Events moved to the dead-letter table after failing for good.',
      labelNames: ['consumer', 'type'],
      registers,
    });
    this.consumedTotal = new Counter({
      name: 'agora_events_consumed_total',
      help: 'Events received by this service, applied or recognised as a redelivery.',
      labelNames: ['type', 'outcome'],
      registers,
    });
    for (const [type, def] of Object.entries(EVENT_CATALOGUE)) {
      if (def.producer === service) {
        for (const consumer of def.consumers) {
          for (const c of [this.delivered, this.failures, this.deadLettered]) c.inc({ consumer, type }, 0);
        }
      }
      if ((def.consumers as readonly string[]).includes(service))
        for (const outcome of ['applied', 'duplicate']) this.consumedTotal.inc({ type, outcome }, 0);
    }
    if (outbox) {
      this.workerRestarts = new Counter({
        name: 'agora_events_worker_restarts_total',
        help: 'Worker runners given up (a database outage, a stuck runner) and replaced by a new one.',
        registers,
      });
      this.workerRestarts.inc(0);
      // Read at scrape time from the outbox itself, so every replica reports the same truth.
      let last: Promise<{ pending: number; oldest: number }> | undefined;
      const read = () =>
        (last ??= outbox
          .query<{ pending: string; oldest: number | null }>(
            `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest
               FROM graphile_worker.jobs WHERE task_identifier = $1`,
            [DELIVER_TASK],
          )
          .then(([row]) => ({ pending: Number(row?.pending ?? 0), oldest: row?.oldest ?? 0 }))
          .finally(() => {
            last = undefined;
          }));
      new Gauge({
        name: 'agora_events_outbox_pending',
        help: 'Event deliveries waiting in the outbox (due, retrying or running).',
        registers,
        async collect() {
          this.set((await read().catch(() => ({ pending: 0, oldest: 0 }))).pending);
        },
      });
      new Gauge({
        name: 'agora_events_outbox_oldest_age_seconds',
        help: 'Age of the oldest event delivery still in the outbox (0 when empty).',
        registers,
        async collect() {
          this.set((await read().catch(() => ({ pending: 0, oldest: 0 }))).oldest);
        },
      });
    }
  }

  onDelivered(consumer: string, type: string): void {
    this.delivered.inc({ consumer, type }, 1);
  }

  onFailure(consumer: string, type: string): void {
    this.failures.inc({ consumer, type }, 1);
  }

  onDeadLettered(consumer: string, type: string): void {
    this.deadLettered.inc({ consumer, type }, 1);
  }

  onWorkerRestart(): void {
    this.workerRestarts?.inc();
  }

  consumed(type: EventType | string, outcome: 'applied' | 'duplicate'): void {
    this.consumedTotal.inc({ type, outcome }, 1);
  }
}
