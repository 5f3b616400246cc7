import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { baseConfigSchema, loadConfig } from '../src/config.js';
import { createDatabase, type Database } from '../src/db/database.js';
import { eventsMigrations } from '../src/events/schema.js';
import { ServiceEvents } from '../src/events/service-events.js';
import { OutboxWorker } from '../src/events/worker.js';
import { createServiceMetrics } from '../src/observability/metrics.js';
import { AFTER_READY_FALLBACK_MS, migrateService, startService } from '../src/service.js';
import { freshDatabase } from '../../test/helpers/db.js';
import { freePort } from '../../test/helpers/processes.js';
import { within } from '../../test/helpers/within.js';

/**
 * The event worker is kept out of a service's start: it starts once the service has answered ready
 * (ServiceWiring.afterReady), a stop that comes first starts nothing, and a first start that fails
 * is logged, retried and counted — never swallowed. On a real database; "the worker runs" is read
 * from what it does (a job of its own runs), not from its internals.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noRoutes = (_router: Router) => undefined;
let url: string;
let db: Database;

function configFor(databaseUrl: string) {
  return loadConfig(baseConfigSchema, {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: 'http://issuer.test',
    JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
}

function capturedLogger(lines: string[]) {
  return pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
}

/**
 * A job for `task`, added the way publishers add theirs (graphile_worker.add_job). Each test has a
 * task name of its own: a job one test leaves waiting is never taken by another test's worker.
 */
async function addJob(task: string): Promise<void> {
  await db.query("SELECT graphile_worker.add_job($1, '{}'::json)", [task]);
}

beforeAll(async () => {
  url = await freshDatabase('events_after_ready');
  await migrateService('events-after-ready', url, eventsMigrations);
  db = createDatabase({ url, poolMax: 2 });
});

afterAll(async () => {
  await db?.close();
});

describe("a service's afterReady work", () => {
  it('runs once the service has answered ready, not during its start', async () => {
    let ranAt = 0;
    const svc = await startService('after-ready', configFor(url), () => ({
      registerRoutes: noRoutes,
      afterReady: () => (ranAt = Date.now()),
    }));
    const listenedAt = Date.now();
    try {
      expect(ranAt, 'not run by the time the service listens').toBe(0);
      const res = await fetch(`http://127.0.0.1:${svc.port}/healthz/ready`);
      expect(res.status).toBe(200);
      await within(AFTER_READY_FALLBACK_MS * 5, async () => ranAt > 0, 'afterReady ran');
      expect(ranAt - listenedAt, 'started by the ready answer, before the fallback could').toBeLessThan(AFTER_READY_FALLBACK_MS);
    } finally {
      await svc.shutdown('test done');
    }
  });

  it('runs a moment after listening when no readiness probe comes', async () => {
    let ran = 0;
    const svc = await startService('after-ready', configFor(url), () => ({ registerRoutes: noRoutes, afterReady: () => (ran += 1) }));
    try {
      await within(AFTER_READY_FALLBACK_MS * 5, async () => ran > 0, 'afterReady ran without a probe');
      await sleep(200);
      expect(ran, 'once').toBe(1);
    } finally {
      await svc.shutdown('test done');
    }
  });

  it('never runs when the shutdown begins first', async () => {
    let ran = false;
    const svc = await startService('after-ready', configFor(url), () => ({ registerRoutes: noRoutes, afterReady: () => (ran = true) }));
    await svc.shutdown('stopped before ready');
    await sleep(AFTER_READY_FALLBACK_MS + 500);
    expect(ran).toBe(false);
  });
});

describe('ServiceEvents: the worker starts after ready', () => {
  /** posts' events with one job of its own, `task`, which counts its runs. */
  function postsEvents(task: string) {
    const probe = { runs: 0 };
    const config = configFor(url);
    const logger = pino({ level: 'silent' });
    const events = new ServiceEvents({
      service: 'posts',
      config,
      db,
      logger,
      registry: createServiceMetrics('posts').registry,
      tasks: { [task]: async () => void (probe.runs += 1) },
    });
    return { events, probe };
  }

  it('start() starts only the revocation set; the worker runs jobs once startWorker() is called', async () => {
    const { events, probe } = postsEvents('probe_started');
    await events.start();
    try {
      await addJob('probe_started');
      // A running worker takes a new job at once (LISTEN/NOTIFY); a second shows none is running.
      await sleep(1_000);
      expect(probe.runs, 'no worker before startWorker').toBe(0);
      expect(events.running).toBe(false);
      events.startWorker();
      await within(10_000, async () => probe.runs === 1, 'the waiting job ran once the worker started');
      await within(1_000, async () => events.running, 'running once its start settled');
    } finally {
      await events.stop();
    }
    expect(events.running).toBe(false);
  });

  it('a stop before startWorker starts nothing, and startWorker after it does nothing', async () => {
    const { events, probe } = postsEvents('probe_stopped_first');
    await events.start();
    await events.stop();
    events.startWorker();
    await addJob('probe_stopped_first');
    await sleep(1_000);
    expect(probe.runs).toBe(0);
    expect(events.running).toBe(false);
  });

  it('a stop during the worker start waits for it and leaves no runner behind', async () => {
    const { events, probe } = postsEvents('probe_stopped_during');
    await events.start();
    events.startWorker();
    await events.stop(); // graphile-worker is still loading or the runner still starting
    expect(events.running).toBe(false);
    await addJob('probe_stopped_during');
    await sleep(1_000);
    expect(probe.runs, 'no runner took the job after the stop').toBe(0);
  });
});

describe('OutboxWorker: a first start that fails', () => {
  it('is logged as an error, retried, and counted as a restart once a runner starts', async () => {
    // The worker's URL points at a port where nothing listens yet; later a relay to the database opens there.
    const port = await freePort();
    const target = new URL(url);
    const unreachable = new URL(url);
    unreachable.host = `127.0.0.1:${port}`;
    const lines: string[] = [];
    let told = 0;
    let runs = 0;
    const worker = new OutboxWorker({
      databaseUrl: unreachable.toString(),
      logger: capturedLogger(lines),
      concurrency: 1,
      lockTimeoutSeconds: 60,
      restartDelayMs: 100,
      onRestart: () => (told += 1),
      tasks: { probe_failed_start: async () => void (runs += 1) },
    });
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    try {
      await worker.start(); // resolves: the failure is not thrown to a caller nobody awaits
      const failed = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.includes('could not start'));
      expect(failed?.level, 'the failed start is logged as an error').toBe(50);
      expect(worker.restarts).toBe(0);
      await new Promise<void>((r) => relay.listen(port, '127.0.0.1', () => r()));
      await within(15_000, async () => worker.restarts === 1, 'a runner started once the database was reachable');
      expect(told, 'the restart is reported (agora_events_worker_restarts_total)').toBe(1);
      await addJob('probe_failed_start');
      await within(10_000, async () => runs === 1, 'the restarted runner runs jobs');
    } finally {
      await worker.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => relay.close(() => r()));
    }
  });
});
