import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { LOCAL_WORKLOAD_HEADER, signLocalAssertion, workloadFromLocalAssertion } from '@agora/mesh';
import { startInProcessService, type InProcessService } from '../../../test/helpers/in-process-service.js';
import { RAISED_ACCOUNT_LIMITS } from '../../../test/helpers/raised-account-limits.js';
import { TEST_ISSUER } from '../../../test/helpers/test-issuer.js';
import { loadPostsConfig, type PostsConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wirePosts } from '../src/wiring.js';

/** Same issuer as the auth and users harnesses, so one token fits every service under test. */
export const ISSUER = TEST_ISSUER;
/** Local mesh identity key shared by the services of one test (MESH_IDENTITY=local). */
export const TEST_MESH_KEY = 'posts-test-mesh-key-0123456789-abcdefghij';
export { NOWHERE } from '../../../test/helpers/in-process-service.js';

export type RunningPosts = InProcessService<'posts', PostsConfig>;

/**
 * A real posts service on a fresh, migrated database, on a free loopback port; or, given
 * `sharedDatabaseUrl` (an already migrated one), another replica on that database. Its worker runs
 * (removal-events.test.ts watches what it delivers); its peers are at a closed port unless `env`
 * names them.
 */
export function startPosts(env: Record<string, string>, sharedDatabaseUrl?: string): Promise<RunningPosts> {
  return startInProcessService({
    name: 'posts',
    migrations,
    loadConfig: loadPostsConfig,
    wire: wirePosts,
    defaults: { MESH_LOCAL_KEY: TEST_MESH_KEY, WORKER_ENABLED: 'true', ...RAISED_ACCOUNT_LIMITS },
    env,
    databaseUrl: sharedDatabaseUrl,
  });
}

export { startTestIssuer, type TestIssuer, type TestUser } from '../../../test/helpers/test-issuer.js';

export interface FakeMediaObject {
  id: string;
  ownerId: string;
  status: 'pending' | 'uploaded';
  contentType: string;
  /** Sent only when set: media's answer may lack them (posts then stores null). */
  width?: number;
  height?: number;
  alt?: string | null;
}

/**
 * A stand-in for the media service implementing exactly the contract posts relies on
 * (docs/conventions.md, "Internal operations"): `GET /internal/v1/media/{id}` →
 * `{ id, ownerId, status, contentType }`, internal (mesh: posts, users), 404 for an unknown id.
 * The caller identity is checked like mesh does (local HMAC assertion), and every call is recorded.
 */
export interface FakeMedia {
  base: string;
  objects: Map<string, FakeMediaObject>;
  calls: { path: string; workload?: string; authorization?: string; requestId?: string }[];
  add(
    ownerId: string,
    status?: FakeMediaObject['status'],
    extra?: Partial<Pick<FakeMediaObject, 'contentType' | 'width' | 'height' | 'alt'>>,
  ): string;
  stop(): Promise<void>;
}

export async function startFakeMedia(key = TEST_MESH_KEY): Promise<FakeMedia> {
  const objects = new Map<string, FakeMediaObject>();
  const calls: FakeMedia['calls'] = [];
  const server = await listen((req, res) => {
    const workload = workloadFromLocalAssertion(header(req, 'x-agora-workload'), key);
    calls.push({
      path: req.url ?? '',
      workload: workload?.service,
      authorization: header(req, 'authorization'),
      requestId: header(req, 'x-request-id'),
    });
    const problem = (status: number, slug: string) =>
      res
        .writeHead(status, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ type: `https://agora.dev/problems/${slug}`, title: slug, status }));
    const m = /^\/internal\/v1\/media\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) return problem(404, 'not-found');
    if (!workload) return problem(401, 'unauthorized');
    if (!['posts', 'users'].includes(workload.service)) return problem(403, 'forbidden');
    const found = objects.get(decodeURIComponent(m[1]!).toLowerCase());
    if (!found) return problem(404, 'not-found');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
  });
  return {
    base: urlOf(server),
    objects,
    calls,
    add(ownerId, status = 'uploaded', extra = {}) {
      const id = randomUUID();
      objects.set(id, { id, ownerId, status, contentType: 'image/png', ...extra });
      return id;
    },
    stop: () => close(server),
  };
}

import type { JsonResponse } from '../../../test/helpers/json-call.js';
export { call, type JsonResponse } from '../../../test/helpers/json-call.js';

export interface TestEvent {
  id?: string;
  type: string;
  producer: string;
  aggregateId: string;
  sequence: number;
  payload: unknown;
}

/** Delivers one event to posts' events endpoint as its producer's workload would (local mesh assertion), with posts' typed client. */
export async function deliver(posts: RunningPosts, event: TestEvent): Promise<Pick<JsonResponse, 'status' | 'body'>> {
  const { response, data, error } = await posts.client.POST('/internal/v1/posts/events', {
    headers: { [LOCAL_WORKLOAD_HEADER]: signLocalAssertion(event.producer, TEST_MESH_KEY) },
    body: { ...event, id: event.id ?? randomUUID(), occurredAt: new Date().toISOString(), payload: event.payload as Record<string, unknown> },
  });
  return { status: response.status, body: data ?? error };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
