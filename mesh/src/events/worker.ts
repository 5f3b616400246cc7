import { Logger as WorkerLogger, makeWorkerUtils, run, runOnce, type Runner, type TaskList, type WorkerUtils } from 'graphile-worker';
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
}

/**
 * The service's background worker, graphile-worker on the service's own database: it takes jobs the
 * moment they commit (LISTEN/NOTIFY, with polling as a fallback), several replicas share the queue
 * without taking the same job twice, and a failed job is retried with graphile-worker's exponential
 * backoff. It runs on a pool of its own, so a burst of deliveries never queues behind requests.
 *
 * graphile-worker itself releases a dead worker's jobs only after 4 hours; `releaseAbandoned`, run
 * every half lock timeout, does it after `lockTimeoutSeconds` with WorkerUtils.forceUnlockWorkers.
 */
export class OutboxWorker {
  private readonly db: Database;
  private readonly workerLogger: WorkerLogger;
  private runner?: Runner;
  private utils?: Promise<WorkerUtils>;
  private sweep?: NodeJS.Timeout;

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
    this.runner = await run({
      pgPool: this.db.pool,
      taskList: this.options.tasks,
      concurrency: this.options.concurrency,
      noHandleSignals: true, // the service's own shutdown stops it (service.ts onClose)
      pollInterval: 2_000,
      logger: this.workerLogger,
    });
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
    const utils = await (this.utils ??= makeWorkerUtils({ pgPool: this.db.pool, logger: this.workerLogger }));
    await utils.forceUnlockWorkers(rows.map((r) => r.locked_by));
    this.options.logger.warn({ workers: rows.length }, 'worker: released the jobs of workers that stopped mid-job');
    return rows.length;
  }

  async stop(): Promise<void> {
    clearInterval(this.sweep);
    await this.runner?.stop();
    if (this.utils) await (await this.utils).release();
    await this.db.close();
  }
}
