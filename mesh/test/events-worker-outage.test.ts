import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, serverUrl, type EmbeddedServer } from '../../tools/src/local/embedded-server.js';
import { createDatabase, databaseUrl } from '../../tools/src/testing/postgres.js';
import { freePort } from '../../test/helpers/processes.js';
import { OutboxWorker } from '../src/events/worker.js';

/**
 * The outbox worker's own outage behaviour, in process and without HTTP: jobs are running when
 * PostgreSQL stops, and all of them fail while it is down, so graphile-worker cannot record their
 * failures (several `pool:fatalError`s on one runner, whose shutdown then never finishes). Expected:
 * once PostgreSQL is back the worker has replaced that runner, the jobs the old runner still held are
 * unlocked, and every job runs to success within RECOVERED_WITHIN_MS, in the same process.
 */
const JOBS = 4;
const RECOVERED_WITHIN_MS = 20_000;

let dataDir: string;
let port: number;
let server: EmbeddedServer | undefined;
let url: string;
const password = randomBytes(12).toString('base64url');
const startPg = () => startEmbeddedServer({ dataDir, port, password, extraArgs: ['-c', 'fsync=off'] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'agora-worker-outage-'));
  port = await freePort();
  server = await startPg();
  await createDatabase(serverUrl(server), 'agora_worker_outage');
  url = databaseUrl(serverUrl(server), 'agora_worker_outage');
});

afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('OutboxWorker through a PostgreSQL outage', () => {
  it('replaces a runner whose job outcomes could not be recorded and runs every job afterwards', async () => {
    const logLines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    // Jobs wait at `gate` while it is closed, then fail one by one; once PostgreSQL is back they succeed.
    let gateOpen: () => void = () => undefined;
    const gate = new Promise<void>((r) => (gateOpen = r));
    let failing = true;
    const started = new Set<string>();
    const succeeded = new Map<string, number>();
    let told = 0;
    const worker = new OutboxWorker({
      databaseUrl: url,
      logger,
      concurrency: JOBS,
      lockTimeoutSeconds: 3600, // the sweep must not be what frees the jobs
      restartDelayMs: 200,
      onRestart: () => (told += 1),
      tasks: {
        hold: async (payload) => {
          const { n } = payload as { n: string };
          started.add(n);
          if (failing) {
            await gate;
            // One after another, so each failure is a batch of its own (several failed batches are
            // what left graphile-worker's runner hanging in its shutdown).
            await sleep(Number(n) * 150);
            throw new Error('consumer refused');
          }
          succeeded.set(n, (succeeded.get(n) ?? 0) + 1);
        },
      },
    });
    await worker.start();
    const utils = await makeWorkerUtils({ connectionString: url });
    for (let i = 0; i < JOBS; i += 1) await utils.addJob('hold', { n: String(i) }, { maxAttempts: 5 });
    await utils.release();
    try {
      for (let i = 0; i < 200 && started.size < JOBS; i += 1) await sleep(50);
      expect(started.size, 'every job running before the stop').toBe(JOBS);

      await server!.stop();
      failing = true;
      gateOpen(); // every job fails now, while its failure cannot be written
      await sleep(1_500);
      failing = false;
      const restartAt = Date.now();
      server = await startPg();

      // graphile-worker's own retry delay after a failure (exp(1) ≈ 3 s) is part of the wait.
      const doneBy = restartAt + RECOVERED_WITHIN_MS;
      while (succeeded.size < JOBS && Date.now() < doneBy) await sleep(200);
      const log = logLines.join('');
      expect([...succeeded.keys()].sort(), `jobs run after the outage; worker log:\n${log.slice(-4000)}`).toEqual(
        Array.from({ length: JOBS }, (_, i) => String(i)),
      );
      expect(worker.restarts, 'the given-up runner was replaced').toBeGreaterThanOrEqual(1);
      expect(told, 'every replacement is reported (agora_events_worker_restarts_total)').toBe(worker.restarts);
      expect(log).toMatch(/runner given up; starting a new one/);

      // Nothing is left locked or queued: every job's completion was recorded (that write is not
      // awaited by the job, so give it a moment).
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      let left = -1;
      for (let i = 0; i < 50 && left !== 0; i += 1) {
        if (i > 0) await sleep(100);
        left = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs')).rows[0]!.n;
      }
      await c.end();
      expect(left, 'jobs left in the queue').toBe(0);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
