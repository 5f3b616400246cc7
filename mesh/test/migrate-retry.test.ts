import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers/db.js';
import { freePort, ROOT } from '../../test/helpers/processes.js';
import { isTransientDatabaseFailure, migrateDeadlineMs } from '../src/entrypoints.js';
import { DatabaseUnavailableError } from '../src/db/database.js';
import { DeadlineExceededError, retryUntilDeadline } from '../src/retry-until-deadline.js';

/** A fake clock: sleep() advances it, so backoff and deadline are checked without waiting. */
function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)), waits };
}

describe('retryUntilDeadline', () => {
  it('retries retryable failures with doubling waits, capped, and returns the first success', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retryUntilDeadline(
      async () => {
        calls += 1;
        if (calls < 6) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
        return 'migrated';
      },
      { deadlineMs: 60_000, initialDelayMs: 250, maxDelayMs: 2_000, retryable: isTransientDatabaseFailure, ...clock },
    );
    expect(result).toBe('migrated');
    expect(clock.waits).toEqual([250, 500, 1_000, 2_000, 2_000]);
  });

  it('gives up when the next wait would pass the deadline, with the last error', async () => {
    const clock = fakeClock();
    const err = await retryUntilDeadline(() => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), {
      deadlineMs: 3_000,
      initialDelayMs: 500,
      retryable: () => true,
      ...clock,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as DeadlineExceededError).attempts).toBe(3);
    expect(clock.now()).toBeLessThanOrEqual(3_000);
  });

  it('does not retry a failure that is not transient', async () => {
    const clock = fakeClock();
    let calls = 0;
    const wrong = Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' });
    await expect(
      retryUntilDeadline(
        async () => {
          calls += 1;
          throw wrong;
        },
        { deadlineMs: 60_000, retryable: isTransientDatabaseFailure, ...clock },
      ),
    ).rejects.toBe(wrong);
    expect(calls).toBe(1);
  });
});

describe('what migrate retries', () => {
  it('takes refused, unresolvable and starting-up servers as transient; wrong credentials and SQL errors not', () => {
    const unavailable = (code: string) => new DatabaseUnavailableError(Object.assign(new Error(code), { code }));
    expect(isTransientDatabaseFailure(unavailable('ECONNREFUSED'))).toBe(true);
    expect(isTransientDatabaseFailure(unavailable('ENOTFOUND'))).toBe(true);
    expect(isTransientDatabaseFailure({ code: 'EAI_AGAIN' })).toBe(true);
    expect(isTransientDatabaseFailure({ code: '57P03', message: 'the database system is starting up' })).toBe(true);
    expect(isTransientDatabaseFailure(unavailable('28P01'))).toBe(false);
    expect(isTransientDatabaseFailure(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isTransientDatabaseFailure(undefined)).toBe(false);
  });

  it('reads MIGRATE_DEADLINE_SECONDS and refuses a value that is not a duration', () => {
    expect(migrateDeadlineMs({})).toBe(120_000);
    expect(migrateDeadlineMs({ MIGRATE_DEADLINE_SECONDS: '7' })).toBe(7_000);
    expect(() => migrateDeadlineMs({ MIGRATE_DEADLINE_SECONDS: 'soon' })).toThrow(/MIGRATE_DEADLINE_SECONDS/);
  });
});

/**
 * The init container's situation without a cluster: `migrate` starts while nothing listens on the
 * database port; PostgreSQL appears there after its first refused attempt (a TCP relay to the test
 * server). The old entry point exited 1 on the first refused connection.
 */
describe('services/users/dist/migrate.js', () => {
  it('waits for a database that comes up after it started, then applies the migrations', async () => {
    const target = new URL(await freshDatabase('migrate_retry'));
    const port = await freePort();
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(port);

    const child = spawn(process.execPath, [path.join(ROOT, 'services/users/dist/migrate.js')], {
      env: { ...process.env, DATABASE_URL: url.toString(), MIGRATE_DEADLINE_SECONDS: '30', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    // PostgreSQL "comes up" once migrate has met the refused port at least once (waiting a fixed
    // time instead is not enough: on a loaded machine the process may not have tried yet).
    for (const started = Date.now(); !/database not reachable yet/.test(stderr);) {
      if (Date.now() - started > 20_000) throw new Error(`migrate never reported a refused connection:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const relay = net.createServer((socket) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => relay.listen(port, '127.0.0.1', r));
    try {
      expect(await exited, stderr).toBe(0);
      expect(stderr).toMatch(/database not reachable yet .*ECONNREFUSED/);
      const client = new pg.Client({ connectionString: target.toString() });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
        expect(rows[0]!.n).toBeGreaterThan(1);
      } finally {
        await client.end();
      }
    } finally {
      relay.close();
      child.kill();
    }
  }, 40_000);

  it('exits 1 once the deadline passes with the database still unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'services/users/dist/migrate.js')], {
      env: { ...process.env, DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/agora_users`, MIGRATE_DEADLINE_SECONDS: '2', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/gave up after \d+ attempts.*within 2 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
