import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ServiceClient } from '../client/service-client.js';
import type { BaseConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { ServiceName } from '../topology.js';
import { applyRevocationEvent, REVOCATION_EVENT_TYPES } from '../auth/revocation-events.js';
import { RevocationSync } from '../auth/revocation-sync.js';
import { consumersFrom, consumersOf, type EventType } from './catalogue.js';
import { serviceUrlKey } from './config.js';
import { deliveryTask, type DeliveryOptions } from './delivery.js';
import { EventInbox, type EventHandler } from './inbox.js';
import { EventMetrics } from './metrics.js';
import { DELIVER_TASK, EventPublisher } from './publisher.js';
import { OutboxWorker } from './worker.js';

export interface ServiceEventsOptions {
  service: ServiceName;
  config: BaseConfig;
  db: Database;
  logger: Logger;
  /** The service's metrics registry (ServiceMetrics.registry). */
  registry: Registry;
  /**
   * How this service applies each event it consumes (the catalogue says which it receives), given
   * the service's publisher for handlers that publish in turn.
   */
  handlers?: (publisher: EventPublisher) => Partial<Record<EventType, EventHandler>>;
  /** The service's own background jobs, run by the same worker (auth's mail). */
  tasks?: TaskList;
  onDelivered?: DeliveryOptions['onDelivered'];
}

/**
 * Everything a service needs of the event backbone, built once in its wiring: `publisher` for its
 * domains (publish on the change's transaction), `inbox` for its events endpoint, the worker
 * that delivers its outbox and runs its jobs, started and stopped with the service, and
 * `revocations`, the revocation set its authentication checks (the wiring returns it to mesh).
 *
 * Revocation events (session.revoked, account.suspended/unsuspended/deleted) need no handler in the
 * service: for every one the catalogue delivers to it, the revocation is recorded first, then the
 * service's own handler (if any) runs, on the same inbox transaction.
 */
export class ServiceEvents {
  readonly publisher: EventPublisher;
  readonly inbox: EventInbox;
  readonly worker: OutboxWorker;
  readonly metrics: EventMetrics;
  readonly revocations: RevocationSync;
  private started = false;
  private stopped = false;
  private workerStarting?: Promise<void>;

  constructor(private readonly options: ServiceEventsOptions) {
    const { service, config, db, logger } = options;
    this.metrics = new EventMetrics(options.registry, service, consumersFrom(service).length > 0 ? db : undefined);
    this.publisher = new EventPublisher(service, config.EVENTS_MAX_ATTEMPTS);
    this.revocations = new RevocationSync({
      db,
      logger,
      intervalMs: config.REVOCATIONS_REFRESH_MS,
      maxEntries: config.REVOCATIONS_MAX_ENTRIES,
      registry: options.registry,
    });
    const handlers = withRevocations(service, options.handlers?.(this.publisher) ?? {}, config.ACCESS_TOKEN_TTL_SECONDS);
    this.inbox = new EventInbox(db, service, handlers, this.metrics);
    const clients = new Map<ServiceName, ServiceClient>();
    for (const consumer of consumersFrom(service)) {
      const baseUrl = serviceUrl(config, consumer);
      if (!baseUrl) continue;
      clients.set(
        consumer,
        new ServiceClient({
          caller: service,
          callee: consumer,
          baseUrl,
          meshIdentity: config.MESH_IDENTITY,
          meshLocalKey: config.MESH_LOCAL_KEY,
          timeoutMs: config.EVENTS_DELIVERY_TIMEOUT_MS,
        }),
      );
    }
    this.worker = new OutboxWorker({
      databaseUrl: config.DATABASE_URL,
      logger,
      concurrency: config.EVENTS_CONCURRENCY,
      lockTimeoutSeconds: config.EVENTS_LOCK_TIMEOUT_SECONDS,
      onRestart: () => this.metrics.onWorkerRestart(),
      tasks: {
        [DELIVER_TASK]: deliveryTask({ db, clientFor: (c) => clients.get(c), metrics: this.metrics, logger, onDelivered: options.onDelivered }),
        ...(options.tasks ?? {}),
      },
    });
  }

  /**
   * Starts what must run before the service is ready: the revocation set, which every request's
   * authentication consults. The worker is not started here (startWorker, once the service is ready).
   */
  async start(): Promise<void> {
    await this.revocations.start();
  }

  /**
   * Starts the worker in the background, unless WORKER_ENABLED=false or the service has nothing for
   * it (a pure consumer: no outbox, no jobs of its own). Called once the service is ready
   * (ServiceWiring.afterReady): delivering the outbox and running jobs is nothing a first request
   * waits for — jobs committed meanwhile are taken when it starts. Nothing awaits it, so a failure is
   * never thrown: OutboxWorker.start logs it and keeps retrying (supervised like a given-up runner).
   * A consumer without a configured URL does not stop the start (a service run on its own, in a
   * test or a tool, has no peers): it is logged as an error, and its deliveries fail, are counted and
   * retried, and end in the dead-letter table — visible in agora_events_delivery_failures_total and
   * both alerts. Every deployment sets all SERVICE_URL_*.
   */
  startWorker(): void {
    const { config, service, logger } = this.options;
    if (this.stopped || this.workerStarting) return;
    if (!config.WORKER_ENABLED) return;
    if (consumersFrom(service).length === 0 && Object.keys(this.options.tasks ?? {}).length === 0) return;
    for (const c of consumersFrom(service).filter((c) => !serviceUrl(config, c))) {
      logger.error({ consumer: c }, `events: ${serviceUrlKey(c)} is not set; events for ${c} cannot be delivered`);
    }
    this.workerStarting = this.worker.start().then(() => {
      this.started = !this.stopped;
    });
  }

  /** Stops the revocation set and the worker; a worker start still under way is let finish first, then stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.revocations.stop();
    await this.workerStarting;
    await this.worker.stop();
    this.started = false;
  }

  /** The worker has started (a first runner, or its retries after a failed first start). */
  get running(): boolean {
    return this.started;
  }
}

/** The service's handlers, with the revocation recorded first for each revocation event it receives. */
function withRevocations(
  service: ServiceName,
  own: Partial<Record<EventType, EventHandler>>,
  accessTokenTtlSeconds: number,
): Partial<Record<EventType, EventHandler>> {
  const handlers = { ...own };
  for (const type of REVOCATION_EVENT_TYPES) {
    if (!consumersOf(type).includes(service)) continue;
    const next = own[type];
    handlers[type] = async (tx, event) => {
      await applyRevocationEvent(tx, event, accessTokenTtlSeconds);
      await next?.(tx, event);
    };
  }
  return handlers;
}

function serviceUrl(config: BaseConfig, service: ServiceName): string | undefined {
  return config[serviceUrlKey(service)];
}
