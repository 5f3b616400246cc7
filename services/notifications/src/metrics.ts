import { Gauge } from 'prom-client';
import type { ServiceMetrics } from '@agora/mesh';

export const NOTIFICATION_KINDS = ['follow', 'like', 'comment', 'mention'] as const;

/**
 * notifications' own metrics, as observability/metrics.json lists them, on the service's registry
 * (which adds `service="notifications"`). Called once, from the wiring.
 */
export function declareNotificationsMetrics(metrics: ServiceMetrics, openStreams: () => number) {
  // A gauge read at scrape time (mesh declares counters only): the streams this replica holds open.
  new Gauge({
    name: 'agora_notifications_streams_open',
    help: 'Server-Sent Events streams open on this replica.',
    registers: [metrics.registry],
    collect() {
      this.set(openStreams());
    },
  });
  return {
    /** Each actor added to a recipient's notifications (a new entry or one more in a group). */
    recorded: metrics.counter({
      name: 'agora_notifications_recorded_total',
      help: 'Notifications recorded, by kind (a grouped entry counts each actor).',
      label: 'kind',
      values: NOTIFICATION_KINDS,
    }),
    /** Events written to open streams (notification and unread-count events; not heartbeats). */
    pushed: metrics.counter({ name: 'agora_notifications_pushed_total', help: 'Events pushed to open notification streams.' }),
    /** Streams ended because their session ended or their account was suspended or deleted. */
    revoked: metrics.counter({
      name: 'agora_notifications_streams_revoked_total',
      help: 'Notification streams ended because their session or account was revoked.',
    }),
  };
}

export type NotificationsMetrics = ReturnType<typeof declareNotificationsMetrics>;
