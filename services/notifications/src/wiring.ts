import { loadOpenApi, ServiceEvents, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { NotificationsConfig } from './config.js';
import { notificationHandlers } from './domain/event-consumer.js';
import { NotificationInbox } from './domain/inbox.js';
import { NotificationListener } from './domain/listener.js';
import { Notifier } from './domain/notifier.js';
import { StreamHub } from './domain/stream-hub.js';
import { StreamTickets } from './domain/stream-tickets.js';
import { RegisterRoutes } from './generated/routes.js';
import { declareNotificationsMetrics } from './metrics.js';

/** What the controllers get (see ioc.ts). */
export interface NotificationsDeps {
  config: NotificationsConfig;
  inbox: NotificationInbox;
  tickets: StreamTickets;
  hub: StreamHub;
  events: ServiceEvents;
}

/** Builds the notifications service's object graph on its database and hands mesh its routes. */
export async function wireNotifications({ config, db, logger, metrics }: ServiceContext<NotificationsConfig>): Promise<ServiceWiring> {
  const inbox = new NotificationInbox(db);
  // The gauge reads the hub at scrape time, the hub counts into the counters: each closure sees the other.
  const counters = declareNotificationsMetrics(metrics, () => streams.open);
  // notifications only consumes events (docs/events.md): a pure consumer runs no worker.
  const events = new ServiceEvents({
    service: 'notifications',
    config,
    db,
    logger,
    registry: metrics.registry,
    handlers: () => notificationHandlers(new Notifier((kind) => counters.recorded.inc(kind))),
  });
  const streams = new StreamHub(
    inbox,
    {
      heartbeatMs: config.NOTIFICATIONS_HEARTBEAT_MS,
      maxSeconds: config.NOTIFICATIONS_STREAM_MAX_SECONDS,
      perUser: config.NOTIFICATIONS_STREAMS_PER_USER,
      onPushed: () => counters.pushed.inc(),
      // Open streams are checked as often as the revocation set is read (SECURITY.md "Revocation").
      revocations: events.revocations,
      revocationCheckMs: config.REVOCATIONS_REFRESH_MS,
      onRevoked: () => counters.revoked.inc(),
    },
    logger,
  );
  const listener = new NotificationListener({
    db,
    logger,
    onMessage: (message) => streams.dispatch(message),
    onReconnected: () => streams.resync(),
  });
  await listener.start();
  await events.start(); // the revocation set: authentication and open streams need it from the start
  const deps: NotificationsDeps = { config, inbox, tickets: new StreamTickets(db, config.NOTIFICATIONS_TICKET_TTL_SECONDS), hub: streams, events };
  return {
    registerRoutes: RegisterRoutes,
    openapi: await loadOpenApi('notifications'),
    revocations: events.revocations,
    deps,
    // Open streams would hold the drain to its timeout; ended now, their browsers reconnect to a ready replica.
    // A pure consumer runs no worker today; started like every service's should it gain an outbox.
    afterReady: () => events.startWorker(),
    onDrain: () => streams.close(),
    onClose: async () => {
      streams.close();
      await listener.stop();
      await events.stop();
    },
  };
}
