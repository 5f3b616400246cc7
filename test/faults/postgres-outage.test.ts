import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
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
 */
const ANSWER_WITHIN_MS = 3_000;

let stack: Stack;
let user: Account;
let dataDir: string;
let port: number;
const password = randomBytes(12).toString('base64url');
let server: EmbeddedServer | undefined;
let posts: ServiceProcess | undefined;
let postsUrl: string;

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
  // The event worker is off here: graphile-worker 0.17.3 does not await failJob() when batching is
  // off, so a delivery that fails while PostgreSQL is down can end the process with an unhandled
  // rejection (a known, unfixed bug: docs/events.md "Known problem"). This test is about the HTTP
  // path through an outage; the worker's own outage behaviour is not covered until that is fixed.
  posts = await startServiceProcess('posts', { ...stack.env.posts, DATABASE_URL: postsUrl, WORKER_ENABLED: 'false' });
});

afterAll(async () => {
  await posts?.stop();
  await server?.stop();
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL stopped under load', () => {
  it('503 problem+json fast, alive but not ready, ready again by itself, no acknowledged write lost', async () => {
    const base = posts!.base;
    const load = startLoad(base, user.headers, { workers: 4, pauseMs: 20, tag: 'outage' });
    await sleep(1_500);
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
  });
});
