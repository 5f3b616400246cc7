import { EventEmitter } from 'node:events';
import {
  Logger as WorkerLogger,
  makeWorkerUtils,
  run,
  runOnce,
  type Runner,
  type TaskList,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import type { Logger } from 'pino';

/** graphile-worker's task types, for services that add jobs of their own (auth's mail). */
export type { Task as WorkerTask, TaskList as WorkerTaskList } from 'graphile-worker';
import { createDatabase, type Database } from '../db/database.js';

export interface OutboxWorkerOptions {
  databaseUrl: string;
  logger: Logger;
  /** Task name → handler: event delivery (delivery.ts) and a service's own jobs (auth's mail). */
  tasks: TaskList;
  /** Jobs run at once by this process (EVENTS_CONCURRENCY). */
  concurrency: number;
  /**
   * A job locked longer than this belongs to a worker that died mid-job (SIGKILL, lost node): it is
   * released for another attempt (EVENTS_LOCK_TIMEOUT_SECONDS). Every task here is bounded well
   * below it (deliveries by the client's timeout), so a live worker's job is never taken away.
   */
  lockTimeoutSeconds: number;
  /** First wait before starting a runner again after one ended on its own; doubles up to 30 s. */
  restartDelayMs?: number;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The service's background worker, graphile-worker on the service's own database: it takes jobs the
 * moment they commit (LISTEN/NOTIFY, with polling as a fallback), several replicas share the queue
 * without taking the same job twice, and a failed job is retried with graphile-worker's exponential
 * backoff. It runs on a pool of its own, so a burst of deliveries never queues behind requests.
 *
 * graphile-worker itself releases a dead worker's jobs only after 4 hours; `releaseAbandoned`, run
 * every half lock timeout, does it after `lockTimeoutSeconds` with WorkerUtils.forceUnlockWorkers.
 *
 * Surviving a database outage: with its defaults graphile-worker 0.17 does not await the query that
 * completes or fails a job, so one that cannot reach PostgreSQL is an unhandled rejection and Node
 * ends the process. With completeJobBatchDelay / failJobBatchDelay set (its batching option), those
 * queries go through its batcher, whose errors it handles by shutting the runner down and rejecting
 * `runner.promise` (its documented way to report a fatal error). The worker watches that promise and
 * starts a new runner, with backoff, until PostgreSQL answers again; then it unlocks the jobs the dead
 * runner still held, so they are delivered at once rather than after the lock timeout.
 */
export class OutboxWorker {
  private readonly db: Database;
  private readonly workerLogger: WorkerLogger;
  private runner?: Runner;
  private utils?: Promise<WorkerUtils>;
  private sweep?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  /** Worker pool ids of runners that ended on their own, whose jobs may still be locked. */
  private readonly deadPools = new Set<string>();
  /** How many times a runner ended on its own and was replaced (tests read it). */
  restarts = 0;

  constructor(private readonly options: OutboxWorkerOptions) {
    // LISTEN holds one connection; the rest run jobs and the sweep.
    this.db = createDatabase({ url: options.databaseUrl, poolMax: options.concurrency + 3, logger: options.logger });
    const log = options.logger;
    // graphile-worker's messages name the task and job id, never a payload; its info chatter is debug here.
    this.workerLogger = new WorkerLogger((scope) => (level, message) => {
      const fields = { worker: scope.workerId, task: scope.taskIdentifier, jobId: scope.jobId };
      if (level === 'error') log.error(fields, `worker: ${message}`);
      else if (level === 'warning') log.warn(fields, `worker: ${message}`);
      else log.debug(fields, `worker: ${message}`);
    });
  }

  async start(): Promise<void> {
    await this.startRunner();
    this.sweep = setInterval(
      () => {
        this.releaseAbandoned(this.options.lockTimeoutSeconds).catch((err: Error) =>
          this.options.logger.warn({ err: { message: err.message } }, 'worker: releasing abandoned jobs failed'),
        );
      },
      (this.options.lockTimeoutSeconds * 1000) / 2,
    );
    this.sweep.unref();
  }

  private async startRunner(): Promise<void> {
    const events: WorkerEvents = new EventEmitter();
    let poolId: string | undefined;
    events.on('pool:create', ({ workerPool }) => {
      poolId = workerPool.id;
    });
    const runner = await run({
      pgPool: this.db.pool,
      taskList: this.options.tasks,
      concurrency: this.options.concurrency,
      noHandleSignals: true, // the service's own shutdown stops it (service.ts onClose)
      pollInterval: 2_000,
      logger: this.workerLogger,
      events,
      // 0 ms: no waiting for a batch, only the batcher's error handling (see the class comment).
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    this.runner = runner;
    const ended = (err?: unknown) => {
      if (this.stopping || this.runner !== runner) return;
      if (poolId) this.deadPools.add(poolId);
      const reason = err instanceof Error ? err.message : 'ended without an error';
      this.options.logger.error({ err: { message: reason } }, 'worker: the runner stopped on its own; starting a new one');
      this.scheduleRestart(this.options.restartDelayMs ?? 1_000);
    };
    runner.promise.then(() => ended(), ended);
  }

  private scheduleRestart(delayMs: number): void {
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.startRunner().then(
        () => {
          this.restarts += 1;
          this.options.logger.warn({ restarts: this.restarts }, 'worker: runner started again');
          this.unlockDeadPools().catch((err: Error) =>
            this.options.logger.warn({ err: { message: err.message } }, "worker: unlocking the stopped runner's jobs failed"),
          );
        },
        (err: Error) => {
          this.options.logger.warn({ err: { message: err.message } }, 'worker: runner could not start yet; trying again');
          this.scheduleRestart(Math.min(delayMs * 2, MAX_RESTART_DELAY_MS));
        },
      );
    }, delayMs);
    this.restartTimer.unref();
  }

  /** WorkerUtils made once; a failed attempt (database down) is forgotten so the next call tries again. */
  private workerUtils(): Promise<WorkerUtils> {
    this.utils ??= makeWorkerUtils({ pgPool: this.db.pool, logger: this.workerLogger }).catch((err: unknown) => {
      this.utils = undefined;
      throw err;
    });
    return this.utils;
  }

  /** The jobs a stopped runner could not complete or fail stay locked by it: release them now. */
  private async unlockDeadPools(): Promise<void> {
    if (this.deadPools.size === 0) return;
    const ids = [...this.deadPools];
    const utils = await this.workerUtils();
    await utils.forceUnlockWorkers(ids);
    for (const id of ids) this.deadPools.delete(id);
  }

  /**
   * Runs every job of `tasks` (default: all) that is due now, then returns: tools and tests that
   * want the queue drained without a running worker.
   */
  async drain(tasks: string[] = Object.keys(this.options.tasks)): Promise<void> {
    const taskList = Object.fromEntries(tasks.map((t) => [t, this.options.tasks[t]!]));
    await runOnce({ pgPool: this.db.pool, taskList, noHandleSignals: true, logger: this.workerLogger });
  }

  /** Unlocks the jobs of workers that have held a job for more than `olderThanSeconds`; returns how many workers. */
  async releaseAbandoned(olderThanSeconds: number): Promise<number> {
    const rows = await this.db.query<{ locked_by: string }>(
      `SELECT DISTINCT locked_by FROM graphile_worker.jobs
        WHERE locked_by IS NOT NULL AND locked_at <= now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
    if (rows.length === 0) return 0;
    const utils = await this.workerUtils();
    await utils.forceUnlockWorkers(rows.map((r) => r.locked_by));
    this.options.logger.warn({ workers: rows.length }, 'worker: released the jobs of workers that stopped mid-job');
    return rows.length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.sweep);
    // A runner that already ended on its own (a restart pending) has nothing left to stop.
    await this.runner
      ?.stop()
      .catch((err: Error) => this.options.logger.warn({ err: { message: err.message } }, 'worker: stopping the runner failed'));
    const utils = await this.utils?.catch(() => undefined);
    await utils?.release();
    await this.db.close();
  }
}
