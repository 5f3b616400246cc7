import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workloadFromLocalAssertion } from '@agora/mesh';
import type { MediaInfo } from '../src/domain/remote.js';

/**
 * A stand-in for media's internal `GET /internal/v1/media/{id}` (conventions.md, internal operations)
 * while media is being written: exactly that contract — `{ id, ownerId, status, contentType }`, 404
 * for an unknown id — and the same caller check media makes (local mesh identity, callers `posts`
 * and `users`; 401 without identity, 403 for another workload). Replace with the real media service
 * in these tests once it exists.
 */
export interface FakeMedia {
  base: string;
  media: Map<string, MediaInfo>;
  /** Every call: the caller media saw and whether a user token came along. */
  calls: { service: string | undefined; path: string; forwardedUser: boolean }[];
  /** Make the next answers fail with this status (e.g. 500), or undefined to behave. */
  failWith?: number;
  stop(): Promise<void>;
}

export async function startFakeMedia(meshKey: string): Promise<FakeMedia> {
  const fake: FakeMedia = {
    base: '',
    media: new Map(),
    calls: [],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const problem = (res: import('node:http').ServerResponse, status: number, slug: string) =>
    res
      .writeHead(status, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ type: `https://agora.dev/problems/${slug}`, title: slug, status }));
  const server: Server = createServer((req, res) => {
    const workload = workloadFromLocalAssertion(req.headers['x-agora-workload'] as string | undefined, meshKey);
    fake.calls.push({ service: workload?.service, path: req.url ?? '', forwardedUser: Boolean(req.headers.authorization) });
    const match = /^\/internal\/v1\/media\/([^/?]+)$/.exec(req.url ?? '');
    if (!match || req.method !== 'GET') return problem(res, 404, 'not-found');
    if (!workload) return problem(res, 401, 'unauthorized');
    if (!['posts', 'users'].includes(workload.service)) return problem(res, 403, 'forbidden');
    if (fake.failWith) return problem(res, fake.failWith, 'internal');
    const info = fake.media.get(decodeURIComponent(match[1]!));
    if (!info) return problem(res, 404, 'not-found');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
