import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { LOCAL_WORKLOAD_HEADER, migrateService, signLocalAssertion, startService, type StartedService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { TEST_ISSUER, startTestIssuer, type TestIssuer } from '../../../test/helpers/test-issuer.js';
import { call, type JsonResponse } from '../../../test/helpers/json-call.js';
import { loadNotificationsConfig, type NotificationsConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireNotifications } from '../src/wiring.js';

export const ISSUER = TEST_ISSUER;
export const TEST_MESH_KEY = 'notifications-test-mesh-key-0123456789-abcdef';

export interface RunningNotifications {
  base: string;
  service: StartedService;
  config: NotificationsConfig;
  databaseUrl: string;
  issuer: TestIssuer;
  /** Delivers one event as its producer would (a signed local workload assertion). */
  deliver(type: string, producer: string, aggregateId: string, payload: Record<string, unknown>, sequence?: number): Promise<JsonResponse>;
  count(from: string, params?: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

export interface Options {
  /** Another replica: the same database and issuer as an already running one. */
  sameAs?: RunningNotifications;
  env?: Record<string, string>;
}

/** A real notifications service on a fresh, migrated database (or a replica on another's), on a free loopback port. */
export async function startNotifications(options: Options = {}): Promise<RunningNotifications> {
  const issuer = options.sameAs?.issuer ?? (await startTestIssuer(ISSUER));
  let databaseUrl = options.sameAs?.databaseUrl;
  if (!databaseUrl) {
    databaseUrl = await freshDatabase('notifications');
    await migrateService('notifications', databaseUrl, migrations);
  }
  const config = loadNotificationsConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: ISSUER,
    JWKS_URL: issuer.jwksUrl,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: TEST_MESH_KEY,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const service = await startService('notifications', config, wireNotifications);
  const base = `http://127.0.0.1:${service.port}`;
  return {
    base,
    service,
    config,
    databaseUrl,
    issuer,
    deliver: (type, producer, aggregateId, payload, sequence = 1) =>
      call(`${base}/internal/v1/notifications/events`, {
        method: 'POST',
        headers: { [LOCAL_WORKLOAD_HEADER]: signLocalAssertion(producer, TEST_MESH_KEY) },
        body: { id: randomUUID(), type, producer, aggregateId, sequence, occurredAt: new Date().toISOString(), payload },
      }),
    count: async (from, params = []) => Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params))[0]!.n),
    stop: async () => {
      await service.shutdown('test done');
      if (!options.sameAs) await issuer.stop();
    },
  };
}

/** One Server-Sent Event as received. */
export interface StreamEvent {
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  id?: string;
  /** Date.now() when it arrived. */
  at: number;
}

export interface OpenStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: StreamEvent[];
  /** The raw text so far (comments included). */
  raw(): string;
  /** Resolves with the first event of `name` after index `from` (default: any so far), or rejects after `ms`. */
  next(name: string, ms?: number, from?: number): Promise<StreamEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens `GET url` as a browser's EventSource would (Accept: text/event-stream) and parses the
 * frames as they arrive. A non-200 answer resolves with its status and the body in raw().
 */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      let buffer = '';
      const events: StreamEvent[] = [];
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (!line || line.startsWith(':')) continue;
            const i = line.indexOf(':');
            fields[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, '');
          }
          if (fields.event || fields.data) {
            events.push({ event: fields.event ?? 'message', data: fields.data ? JSON.parse(fields.data) : undefined, id: fields.id, at: Date.now() });
          }
        }
        for (const w of waiters) w();
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        raw: () => text,
        ended,
        close: () => req.destroy(),
        next: (name, ms = 2_000, from = 0) =>
          new Promise((found, fail) => {
            const look = () => {
              const hit = events.slice(from).find((e) => e.event === name);
              if (hit) {
                waiters.delete(look);
                clearTimeout(timer);
                found(hit);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(look);
              fail(new Error(`no "${name}" event within ${ms} ms; got ${events.map((e) => e.event).join(', ') || 'nothing'}`));
            }, ms);
            waiters.add(look);
            look();
          }),
      });
    });
    req.on('error', reject);
  });
}

export { call, type JsonResponse } from '../../../test/helpers/json-call.js';
