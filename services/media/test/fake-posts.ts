import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workloadFromLocalAssertion, type EventEnvelope } from '@agora/mesh';

/**
 * A stand-in for posts' `POST /internal/v1/posts/events` (docs/events.md), so media's publishing is
 * tested on its own: it accepts an event only from the `media` workload (local mesh identity, as the
 * real consumer's `@Security('mesh', …)` does) and records it, answering what an inbox answers.
 */
export interface FakePosts {
  base: string;
  events: EventEnvelope[];
  stop(): Promise<void>;
}

export async function startFakePosts(meshKey: string): Promise<FakePosts> {
  const events: EventEnvelope[] = [];
  const server: Server = createServer((req, res) => {
    const workload = workloadFromLocalAssertion(req.headers['x-agora-workload'] as string | undefined, meshKey);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/internal/v1/posts/events' || workload?.service !== 'media') {
        res
          .writeHead(403, { 'content-type': 'application/problem+json' })
          .end('{"type":"https://agora.dev/problems/forbidden","title":"Not allowed","status":403}');
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EventEnvelope;
      const duplicate = events.some((e) => e.id === event.id);
      if (!duplicate) events.push(event);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ outcome: duplicate ? 'duplicate' : 'applied' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
