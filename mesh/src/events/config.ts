import * as z from 'zod';
import { SERVICE_NAMES, type ServiceName } from '../topology.js';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

/** The event backbone's settings, part of every service's configuration (config.ts baseConfigSchema). */
export const eventsConfigShape = {
  /** Run the background worker (event delivery, auth's mail) in this process; tests turn it off to drain by hand. */
  WORKER_ENABLED: flag('true'),
  /** Delivery attempts before an event is dead-lettered; 12 attempts with graphile-worker's backoff span ≈ 16 hours (docs/events.md). */
  EVENTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(25).default(12),
  /** Jobs one process runs at once. */
  EVENTS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /** A job locked longer than this is taken to belong to a dead worker and released. */
  EVENTS_LOCK_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** Timeout of one delivery call to a consumer. */
  EVENTS_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
  ...serviceUrlShape(),
};

/** The setting that holds a service's base URL, e.g. SERVICE_URL_USERS. */
export type ServiceUrlKey = `SERVICE_URL_${Uppercase<ServiceName>}`;

export function serviceUrlKey(service: ServiceName): ServiceUrlKey {
  return `SERVICE_URL_${service.toUpperCase()}` as ServiceUrlKey;
}

/**
 * Base URLs of the other services (the consumers a producer delivers to), e.g.
 * http://users.agora.svc.cluster.local: one optional setting per service of the topology.
 */
function serviceUrlShape(): Record<ServiceUrlKey, z.ZodOptional<z.ZodString>> {
  return Object.fromEntries(SERVICE_NAMES.map((s) => [serviceUrlKey(s), z.string().url().optional()])) as Record<
    ServiceUrlKey,
    z.ZodOptional<z.ZodString>
  >;
}
