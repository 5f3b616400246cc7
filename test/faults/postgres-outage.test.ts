import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { makeWorkerUtils } from 'graphile-worker';
import { startEmbeddedServer, serverUrl, type EmbeddedServer } from '../../tools/src/local/embedded-server.js';
import { createDatabase, databaseUrl } from '../../tools/src/testing/postgres.js';
import { freePort, ROOT, startServiceProcess, type ServiceProcess } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { account, type Account } from '../security/lib.js';
import { classify, sleep, startLoad, summary } from './load.js';

/**
 * PostgreSQL stopped under load. posts runs on its OWN embedded PostgreSQL (so the suite's shared
 * server is never touched), with auth and users from the usual stack for tokens. Steady writes and
 * reads go straight at posts; PostgreSQL is stopped (fast shutdown) for a few seconds and started
 * again on the same data directory and port.
 *
 * Expected: during the outage every request is answered (no hang) with a 503 problem+json within
 * 3 s; /healthz/live stays 200 and /healthz/ready is 503; after the restart posts becomes ready by
 * itself and writes succeed again; every write acknowledged with 201 (before, during, after) is in
 * the database.
 *
 * posts' event worker runs too, delivering `post.created` to a stand-in consumer (notifications'
 * events endpoint, played by this test) that holds each delivery for a while and then refuses it
 * with a 503 until PostgreSQL is back: so deliveries are in flight when PostgreSQL stops and fail
 * while it is down, and the worker must record those failures against a database it cannot reach
 * (docs/events.md "Surviving a PostgreSQL outage"). Expected: posts never exits, and within
 * DELIVERED_WITHIN_MS of PostgreSQL starting again every acknowledged post's `post.created` has reached
 * the consumer at least once (delivery is at-least-once: a job whose completion could not be recorded
 * runs again, and the real consumer's inbox answers the repeat as a duplicate; the stand-in counts them).
 */
const ANSWER_WITHIN_MS = 3_000;
const HOLD_DELIVERY_MS = 1_500;
const DELIVERED_WITHIN_MS = 60_000;

/** notifications' events endpoint as posts sees it: refuses (slowly) until `accept`, then records. */
function standInConsumer() {
  const received = new Map<string, number>();
  let accepting = false;
  let inFlight = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!accepting) {
        inFlight += 1;
        setTimeout(() => {
          inFlight -= 1;
          res.writeHead(503, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }));
        }, HOLD_DELIVERY_MS);
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; payload: { text?: string } };
      if (event.type === 'post.created' && event.payload.text) received.set(event.payload.text, (received.get(event.payload.text) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ outcome: 'applied' }));
    });
  });
  return {
    server,
    received,
    inFlight: () => inFlight,
    accept: () => {
      accepting = true;
    },
  };
}

let stack: Stack;
let user: Account;
let dataDir: string;
let port: number;
const password = randomBytes(12).toString('base64url');
let server: EmbeddedServer | undefined;
let posts: ServiceProcess | undefined;
let postsUrl: string;
let consumer: ReturnType<typeof standInConsumer>;

const startPg = () => startEmbeddedServer({ dataDir, port, password, extraArgs: ['-c', 'fsync=off', '-c', 'max_connections=50'] });

beforeAll(async () => {
  stack = await startStack({ services: ['auth', 'users'] });
  user = await account(stack.url, 'outage');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'agora-fault-pg-'));
  port = await freePort();
  server = await startPg();
  await createDatabase(serverUrl(server), 'agora_posts_fault');
  postsUrl = databaseUrl(serverUrl(server), 'agora_posts_fault');
  const migrate = spawn(process.execPath, [path.join(ROOT, 'services/posts/dist/migrate.js')], {
    env: { ...process.env, DATABASE_URL: postsUrl, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  expect(await new Promise((r) => migrate.once('exit', r))).toBe(0);
  consumer = standInConsumer();
  await new Promise<void>((r) => consumer.server.listen(0, '127.0.0.1', r));
  const consumerUrl = `http://127.0.0.1:${(consumer.server.address() as AddressInfo).port}`;
  posts = await startServiceProcess('posts', {
    ...stack.env.posts,
    DATABASE_URL: postsUrl,
    WORKER_ENABLED: 'true',
    SERVICE_URL_NOTIFICATIONS: consumerUrl,
    // The worker's restarts are logged at warn; the test reads them (no tokens or bodies are logged).
    LOG_LEVEL: 'warn',
  });
});

afterAll(async () => {
  await posts?.stop();
  consumer?.server.closeAllConnections();
  await new Promise((r) => consumer?.server.close(r));
  await server?.stop();
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL stopped under load', () => {
  it(
    '503 problem+json fast, alive but not ready, ready again by itself, no acknowledged write lost',
    async () => {
      const base = posts!.base;
      const load = startLoad(base, user.headers, { workers: 4, pauseMs: 20, tag: 'outage' });
      await sleep(1_500);
      const inFlightAtStop = consumer.inFlight();
      const stoppedAt = Date.now();
      await server!.stop();
      const downAt = Date.now();

      // During the outage: liveness and readiness, on their own connections.
      await sleep(1_000);
      const live = (await fetch(`${base}/healthz/live`)).status;
      const ready = (await fetch(`${base}/healthz/ready`)).status;
      await sleep(2_500);

      const restartAt = Date.now();
      server = await startPg();
      consumer.accept();
      let readyAgainMs = -1;
      for (let i = 0; i < 300; i += 1) {
        if (
          (await fetch(`${base}/healthz/ready`).then(
            (r) => r.status,
            () => 0,
          )) === 200
        ) {
          readyAgainMs = Date.now() - restartAt;
          break;
        }
        await sleep(100);
      }
      const recoveredAt = Date.now();
      await sleep(3_000);
      await load.stop();

      const outcomes = load.outcomes;
      const during = outcomes.filter((o) => o.started >= downAt && o.started + o.ms < restartAt);
      const after = outcomes.filter((o) => o.started >= recoveredAt);
      const afterSummary = summary(after);
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      console.log(
        `[faults/postgres] ${outcomes.length} requests; stop took ${downAt - stoppedAt} ms; outage ${restartAt - downAt} ms: ` +
          `${during.length} requests, slowest ${Math.max(0, ...during.map((o) => o.ms))} ms; live ${live}, ready ${ready}; ` +
          `ready again ${readyAgainMs} ms after PostgreSQL started; slowest overall ${slowest} ms; outcomes`,
        summary(outcomes),
        'after ready again',
        afterSummary,
        `deliveries in flight at the stop: ${inFlightAtStop}`,
      );

      // With STACK_LOG_LEVEL=error, the service's own account of any 5xx other than 503.
      const errors = posts!
        .output()
        .split('\n')
        .filter((l) => l.includes('"status":500'));
      if (errors.length) console.log(`[faults/postgres] posts logged 500s:\n${errors.map((l) => l.slice(0, 1200)).join('\n')}`);

      expect(live).toBe(200);
      expect(ready).toBe(503);
      expect(readyAgainMs, 'posts became ready by itself').toBeGreaterThanOrEqual(0);
      expect(
        outcomes.map(classify).filter((k) => k !== 'answered'),
        'every request answered',
      ).toEqual([]);
      expect(during.length, 'load kept running during the outage').toBeGreaterThan(5);
      for (const o of during) {
        expect(o.status, `${o.kind} during the outage`).toBe(503);
        expect(o.contentType).toMatch(/^application\/problem\+json/);
      }
      for (const o of outcomes) expect(o.ms, `${o.kind} → ${o.status} took ${o.ms} ms`).toBeLessThan(ANSWER_WITHIN_MS);
      for (const o of outcomes) expect([200, 201, 503], `${o.kind} → ${o.status}`).toContain(o.status);
      expect(
        after.filter((o) => o.kind === 'write' && o.status === 201).length,
        `writes succeed after recovery: ${JSON.stringify(afterSummary)}`,
      ).toBeGreaterThan(0);

      const acked = outcomes.filter((o) => o.kind === 'write' && o.status === 201).map((o) => o.text!);
      const c = new pg.Client({ connectionString: postsUrl });
      await c.connect();
      const { rows } = await c.query<{ text: string }>(`SELECT text FROM posts WHERE text LIKE 'load outage %'`);
      await c.end();
      const stored = new Set(rows.map((r) => r.text));
      expect(acked.length).toBeGreaterThan(10);
      expect(
        acked.filter((t) => !stored.has(t)),
        'acknowledged writes missing after the outage',
      ).toEqual([]);

      // The worker: deliveries were failing while PostgreSQL went away, and posts lived through it.
      expect(inFlightAtStop, 'deliveries in flight when PostgreSQL stopped').toBeGreaterThan(0);
      expect(posts!.alive(), `posts exited during the outage:\n${posts!.output().slice(-3000)}`).toBe(true);
      expect(posts!.output()).not.toMatch(/unhandled/i);

      // Every acknowledged post's event reaches the consumer. Retries back off exponentially (the 3rd
      // waits 20 s); rescheduling the waiting jobs to now (WorkerUtils.rescheduleJobs, which leaves
      // locked jobs alone) keeps the test short without helping a job the stopped runner still holds.
      const utils = await makeWorkerUtils({ connectionString: postsUrl });
      const deliveredBy = restartAt + DELIVERED_WITHIN_MS;
      const undelivered = () => acked.filter((t) => !consumer.received.has(t));
      try {
        while (undelivered().length > 0 && Date.now() < deliveredBy) {
          const c2 = new pg.Client({ connectionString: postsUrl });
          await c2.connect();
          const waiting = await c2.query<{ id: string }>(`SELECT id::text FROM graphile_worker.jobs WHERE locked_at IS NULL`);
          await c2.end();
          if (waiting.rows.length)
            await utils.rescheduleJobs(
              waiting.rows.map((r) => r.id),
              { runAt: new Date() },
            );
          await sleep(1_000);
        }
      } finally {
        await utils.release();
      }
      const allDeliveredMs = Date.now() - restartAt;
      const workerLog = posts!
        .output()
        .split('\n')
        .filter((l) => l.includes('"msg":"worker: '));
      const restarts = workerLog.filter((l) => l.includes('worker: runner started again')).length;
      const repeats = [...consumer.received.values()].reduce((n, times) => n + times - 1, 0);
      console.log(
        `[faults/postgres] events delivered: ${acked.length - undelivered().length} of ${acked.length}; worker restarts: ${restarts}; ` +
          `last delivery ${allDeliveredMs} ms after PostgreSQL was started again; repeated deliveries: ${repeats}`,
      );
      if (undelivered().length > 0) {
        // What the queue looks like and what the worker said: which runner holds the jobs, and why.
        const c3 = new pg.Client({ connectionString: postsUrl });
        await c3.connect();
        const jobs = await c3.query(
          `SELECT locked_by, locked_at IS NOT NULL AS locked, count(*)::int AS jobs, min(attempts) AS min_attempts,
                  max(attempts) AS max_attempts, min(run_at) AS first_run_at, max(run_at) AS last_run_at, min(last_error) AS an_error
             FROM graphile_worker.jobs GROUP BY 1, 2`,
        );
        await c3.end();
        console.log('[faults/postgres] jobs left:', jobs.rows);
        console.log(`[faults/postgres] posts' worker log:\n${workerLog.map((l) => l.slice(0, 600)).join('\n')}`);
      }
      expect(undelivered(), 'acknowledged posts whose post.created never reached the consumer').toEqual([]);
      expect(posts!.alive(), 'posts still running after the deliveries').toBe(true);
      // The load, the outage and recovery take about 15 s before the delivery wait, which alone may
      // take DELIVERED_WITHIN_MS: the test's own bound, not vitest's default minute, decides.
    },
    DELIVERED_WITHIN_MS + 60_000,
  );
});
