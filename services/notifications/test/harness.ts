import { randomUUID } from 'node:crypto';
import { LOCAL_WORKLOAD_HEADER, signLocalAssertion } from '@agora/mesh';
import { openStream as openEventStream, type OpenStream as EventStream, type StreamEvent } from '../../../bench/lib/sse.mjs';
import { startInProcessService, type InProcessService } from '../../../test/helpers/in-process-service.js';
import type { JsonResponse } from '../../../test/helpers/json-call.js';
import { TEST_ISSUER, type TestIssuer } from '../../../test/helpers/test-issuer.js';
import { loadNotificationsConfig, type NotificationsConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireNotifications } from '../src/wiring.js';

export const ISSUER = TEST_ISSUER;
export const TEST_MESH_KEY = 'notifications-test-mesh-key-0123456789-abcdef';

export interface RunningNotifications extends InProcessService<'notifications', NotificationsConfig> {
  issuer: TestIssuer;
  /** Delivers one event as its producer would (a signed local workload assertion), with the typed client. */
  deliver(type: string, producer: string, aggregateId: string, payload: Record<string, unknown>, sequence?: number): Promise<JsonResponse>;
}

export interface Options {
  /** Another replica: the same database and issuer as an already running one. */
  sameAs?: RunningNotifications;
  env?: Record<string, string>;
}

/**
 * A real notifications service on a fresh, migrated database (or a replica on another's), on a free
 * loopback port, with its worker running as deployed.
 */
export async function startNotifications(options: Options = {}): Promise<RunningNotifications> {
  const running = await startInProcessService({
    name: 'notifications',
    migrations,
    loadConfig: loadNotificationsConfig,
    wire: wireNotifications,
    defaults: { MESH_LOCAL_KEY: TEST_MESH_KEY, WORKER_ENABLED: 'true' },
    env: options.env,
    databaseUrl: options.sameAs?.databaseUrl,
    issuer: options.sameAs?.issuer,
  });
  if (!running.issuer) throw new Error('startNotifications: pass `sameAs` for another issuer, not JWKS_URL');
  return {
    ...running,
    issuer: running.issuer,
    deliver: async (type, producer, aggregateId, payload, sequence = 1) => {
      const { response, data, error } = await running.client.POST('/internal/v1/notifications/events', {
        headers: { [LOCAL_WORKLOAD_HEADER]: signLocalAssertion(producer, TEST_MESH_KEY) },
        body: { id: randomUUID(), type, producer, aggregateId, sequence, occurredAt: new Date().toISOString(), payload },
      });
      return { status: response.status, headers: response.headers, body: data ?? error };
    },
  };
}

export type { StreamEvent };

export interface OpenStream extends Omit<EventStream, 'next'> {
  /** Resolves with the first event of `name` after index `from` (default: any so far), or rejects after `ms`. */
  next(name: string, ms?: number, from?: number): Promise<StreamEvent>;
}

/**
 * Opens `GET url` as a browser's EventSource would (the bench's reader, bench/lib/sse.mjs), events
 * stamped with Date.now(). A non-200 answer resolves with its status and the body in raw().
 */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const stream = await openEventStream(url, headers, { clock: Date.now });
  return { ...stream, next: (name, ms = 2_000, from = 0) => stream.next(name, { ms, from }) };
}

export { call, type JsonResponse } from '../../../test/helpers/json-call.js';
