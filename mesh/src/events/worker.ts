import { EventEmitter } from 'node:events';
import type { Logger as WorkerLogger, Runner, TaskList, WorkerEvents, WorkerUtils } from 'graphile-worker';
import type { Logger } from 'pino';

/** graphile-worker's task types, for services that add jobs of their own (auth's mail). */
export type { Task as WorkerTask, TaskList as WorkerTaskList } from 'graphile-worker';
import { createDatabase, type Database } from '../db/database.js';
import { countOverdueJobs, lockersOlderThan } from './worker-queue.js';

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
  /** First wait before starting a runner again after one was given up; doubles up to 5 s. */
  restartDelayMs?: number;
  /**
   * A runner is taken for stuck when jobs have been due this long and none started meanwhile; it is
   * then replaced. Longer than any task may take (deliveries are bounded by their client's timeout).
   */
  stallSeconds?: number;
  /** Told of every runner started in place of a given-up one (agora_events_worker_restarts_total). */
  onRestart?: () => void;
}

/** graphile-worker polls this often too, so a LISTEN connection that died silently costs at most this. */
const POLL_INTERVAL_MS = 2_000;
/** Reconnecting is one refused connection per try; a few seconds keep recovery quick after an outage. */
const MAX_RESTART_DELAY_MS = 5_000;
const DEFAULT_STALL_SECONDS = 30;

type GraphileWorker = typeof import('graphile-worker');

/**
 * graphile-worker, loaded on first use: a serving process needs it only once its worker starts
 * (after the service is ready) and a tool only when it drains, so it is not evaluated at start. In
 * the service's bundle this is a lazily initialised CommonJS module (scripts/bundle.mjs).
 */
let graphileWorker: Promise<GraphileWorker> | undefined;
export function loadGraphileWorker(): Promise<GraphileWorker> {
  graphileWorker ??= import('graphile-worker').catch((err: unknown) => {
    graphileWorker = undefined;
    throw err;
  });
  return graphileWorker;
}

/** One runner and what the supervisor knows about it. */
interface RunnerState {
  runner?: Runner;
  /** graphile-worker's worker pool id: the `locked_by` of the jobs this runner takes. */
  poolId?: string;
  startedAt: number;
  lastJobStartedAt: number;
  givenUp: boolean;
  /** Its workers have all finished (graphile-worker's shutdown got past them). */
  workersDone: boolean;
}

/**
 * The service's background worker, graphile-worker on the service's own database: it takes jobs the
 * moment they commit (LISTEN/NOTIFY, with polling as a fallback), several replicas share the queue
 * without taking the same job twice, and a failed job is retried with graphile-worker's exponential
 * backoff. It runs on a pool of its own, so a burst of deliveries never queues behind requests.
 *
 * graphile-worker itself releases a dead worker's jobs only after 4 hours; `releaseAbandoned`, run
 * every half lock timeout, does it after `lockTimeoutSeconds` with WorkerUtils.forceUnlockWorkers.
 *
 * Surviving a database outage (docs/events.md): with its defaults graphile-worker 0.17 does not await
 * the query that completes or fails a job, so one that cannot reach PostgreSQL is an unhandled
 * rejection that ends the process. With completeJobBatchDelay / failJobBatchDelay set, those queries
 * go through its batcher, which reports a failure as `pool:fatalError` and shuts the runner down. But
 * that shutdown does not always finish: after one failed batch, every later batch settles one count
 * too many, the batcher's release() waits for a pending count of exactly zero that has gone negative,
 * and `runner.promise` never settles (docs/events.md). So the supervisor here does not wait for the
 * promise: a runner is given up at its first `pool:fatalError`, when its promise settles, or when
 * jobs are overdue and none started for `stallSeconds`; a new one is started (retrying with backoff
 * while PostgreSQL refuses), and once the old runner's workers have finished, the jobs it still held
 * are unlocked, so they run at once rather than after the lock timeout. Every replacement is one log
 * line, with the reason and no payload.
 */
export class OutboxWorker {
  private readonly db: Database;
  private workerLoggerMade?: WorkerLogger;
  private current?: RunnerState;
  private utils?: Promise<WorkerUtils>;
  private sweep?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  /** Pool ids of given-up runners whose workers have finished; their jobs may still be locked. */
  private readonly toUnlock = new Set<string>();
  /** How many times a runner was given up and replaced (tests read it). */
  restarts = 0;

  constructor(private readonly options: OutboxWorkerOptions) {
    // LISTEN holds one connection; the rest run jobs, the sweep and the watchdog.
    this.db = createDatabase({ url: options.databaseUrl, poolMax: options.concurrency + 3, logger: options.logger });
  }

  /** graphile-worker's logger over the service's: made with the library, once. */
  private workerLogger(gw: GraphileWorker): WorkerLogger {
    const log = this.options.logger;
    // graphile-worker's messages name the task and job id, never a payload; its info chatter is debug here.
    this.workerLoggerMade ??= new gw.Logger((scope) => (level, message) => {
      const fields = { worker: scope.workerId, task: scope.taskIdentifier, jobId: scope.jobId };
      if (level === 'error') log.error(fields, `worker: ${message}`);
      else if (level === 'warning') log.warn(fields, `worker: ${message}`);
      else log.debug(fields, `worker: ${message}`);
    });
    return this.workerLoggerMade;
  }

  /**
   * Starts the sweep, the watchdog and the first runner. A first runner that cannot start (PostgreSQL
   * unreachable, graphile-worker's own migration failing) is not thrown to the caller — the worker
   * starts after the service is ready, where nothing would wait for it: it is logged as an error and
   * retried with backoff like a given-up runner, and the runner that then starts is counted as a
   * restart (onRestart, agora_events_worker_restarts_total). Resolves once the first attempt settled.
   */
  async start(): Promise<void> {
    this.startTimers();
    await this.startRunner().catch((err: unknown) => {
      if (this.stopping) return;
      const message = err instanceof Error ? err.message : 'unknown error';
      this.options.logger.error({ err: { message: message.slice(0, 300) } }, 'worker: runner could not start; trying again');
      this.scheduleRestart(this.options.restartDelayMs ?? 1_000);
    });
  }

  private startTimers(): void {
    this.sweep = setInterval(
      () => {
        this.releaseAbandoned(this.options.lockTimeoutSeconds).catch((err: Error) =>
          this.options.logger.warn({ err: { message: err.message } }, 'worker: releasing abandoned jobs failed'),
        );
      },
      (this.options.lockTimeoutSeconds * 1000) / 2,
    );
    this.sweep.unref();
    this.watchdog = setInterval(() => {
      this.checkProgress().catch((err: Error) =>
        this.options.logger.debug({ err: { message: err.message } }, 'worker: progress check failed (database unreachable?)'),
      );
    }, POLL_INTERVAL_MS * 2);
    this.watchdog.unref();
  }

  private async startRunner(): Promise<void> {
    const gw = await loadGraphileWorker();
    if (this.stopping) return; // stopped while graphile-worker was loading: start nothing
    const state: RunnerState = { startedAt: Date.now(), lastJobStartedAt: 0, givenUp: false, workersDone: false };
    const events: WorkerEvents = new EventEmitter();
    events.on('pool:create', ({ workerPool }) => {
      state.poolId = workerPool.id;
    });
    events.on('job:start', () => {
      state.lastJobStartedAt = Date.now();
    });
    // graphile-worker could not record a job's outcome and is shutting this runner down.
    events.on('pool:fatalError', ({ action }) => this.giveUp(state, `could not record a job's outcome (${action})`));
    // The runner's workers have all finished (its shutdown may still hang after this, see above).
    const workersDone = () => {
      state.workersDone = true;
      if (state.givenUp) this.queueUnlock(state);
    };
    events.on('pool:gracefulShutdown:complete', workersDone);
    events.on('pool:gracefulShutdown:error', workersDone);
    this.current = state;
    const runner = await gw.run({
      pgPool: this.db.pool,
      taskList: this.options.tasks,
      concurrency: this.options.concurrency,
      noHandleSignals: true, // the service's own shutdown stops it (service.ts onClose)
      pollInterval: POLL_INTERVAL_MS,
      logger: this.workerLogger(gw),
      events,
      // 0 ms: no waiting for a batch, only the batcher's error handling (see the class comment).
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    state.runner = runner;
    runner.promise.then(
      () => this.giveUp(state, 'ended without an error'),
      (err: unknown) => this.giveUp(state, err instanceof Error ? err.message : 'ended with an error'),
    );
    // Failed while run() was still returning, or the service began stopping meanwhile.
    if (state.givenUp || this.stopping) void this.stopQuietly(runner);
  }

  /** Stops counting on `state`'s runner and starts another; once per runner. */
  private giveUp(state: RunnerState, reason: string): void {
    if (this.stopping || state.givenUp) return;
    state.givenUp = true;
    if (state.workersDone) this.queueUnlock(state); // it shut down by itself before its promise settled
    if (this.current !== state) return;
    this.options.logger.error({ reason: reason.slice(0, 300) }, 'worker: runner given up; starting a new one');
    if (state.runner) void this.stopQuietly(state.runner);
    this.scheduleRestart(this.options.restartDelayMs ?? 1_000);
  }

  /** Unlocks the jobs a given-up runner still holds, now or (if PostgreSQL is down) after the next start or check. */
  private queueUnlock(state: RunnerState): void {
    if (!state.poolId) return;
    this.toUnlock.add(state.poolId);
    this.unlockGivenUp().catch(() => undefined);
  }

  /** Asks a given-up runner to shut down without waiting: its shutdown may never finish. */
  private async stopQuietly(runner: Runner): Promise<void> {
    await runner.stop().catch(() => undefined); // already reported through giveUp's reason
  }

  private scheduleRestart(delayMs: number): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.startRunner().then(
        () => {
          this.restarts += 1;
          this.options.onRestart?.();
          this.options.logger.warn({ restarts: this.restarts }, 'worker: runner started again');
          this.unlockGivenUp().catch((err: Error) =>
            this.options.logger.warn({ err: { message: err.message } }, "worker: unlocking a given-up runner's jobs failed"),
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

  /**
   * The watchdog: jobs overdue (due for `stallSeconds`, unlocked) while the current runner started
   * none for as long means nothing is taking them (a runner stuck without an error): replace it.
   */
  private async checkProgress(): Promise<void> {
    await this.unlockGivenUp();
    const state = this.current;
    const stallSeconds = this.options.stallSeconds ?? DEFAULT_STALL_SECONDS;
    if (this.stopping || !state?.runner || state.givenUp) return;
    const lastProgress = Math.max(state.startedAt, state.lastJobStartedAt);
    if (Date.now() - lastProgress < stallSeconds * 1000) return;
    const overdue = await countOverdueJobs(this.db, Object.keys(this.options.tasks), stallSeconds);
    if (overdue > 0 && this.current === state && !state.givenUp) this.giveUp(state, `${overdue} jobs overdue and none started for ${stallSeconds} s`);
  }

  /** WorkerUtils made once; a failed attempt (database down) is forgotten so the next call tries again. */
  private workerUtils(): Promise<WorkerUtils> {
    this.utils ??= loadGraphileWorker()
      .then((gw) => gw.makeWorkerUtils({ pgPool: this.db.pool, logger: this.workerLogger(gw) }))
      .catch((err: unknown) => {
        this.utils = undefined;
        throw err;
      });
    return this.utils;
  }

  /** The jobs a given-up runner could not complete or fail stay locked by it: release them now. */
  private async unlockGivenUp(): Promise<void> {
    if (this.toUnlock.size === 0) return;
    const ids = [...this.toUnlock];
    const utils = await this.workerUtils();
    await utils.forceUnlockWorkers(ids);
    for (const id of ids) this.toUnlock.delete(id);
  }

  /**
   * Runs every job of `tasks` (default: all) that is due now, then returns: tools and tests that
   * want the queue drained without a running worker.
   */
  async drain(tasks: string[] = Object.keys(this.options.tasks)): Promise<void> {
    const taskList = Object.fromEntries(tasks.map((t) => [t, this.options.tasks[t]!]));
    const gw = await loadGraphileWorker();
    await gw.runOnce({ pgPool: this.db.pool, taskList, noHandleSignals: true, logger: this.workerLogger(gw) });
  }

  /** Unlocks the jobs of workers that have held a job for more than `olderThanSeconds`; returns how many workers. */
  async releaseAbandoned(olderThanSeconds: number): Promise<number> {
    const lockers = await lockersOlderThan(this.db, olderThanSeconds);
    if (lockers.length === 0) return 0;
    const utils = await this.workerUtils();
    await utils.forceUnlockWorkers(lockers);
    this.options.logger.warn({ workers: lockers.length }, 'worker: released the jobs of workers that stopped mid-job');
    return lockers.length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.sweep);
    clearInterval(this.watchdog);
    // A given-up runner's shutdown may never finish (see the class comment): only a live one is awaited.
    const state = this.current;
    if (state?.runner && !state.givenUp)
      await state.runner
        .stop()
        .catch((err: Error) => this.options.logger.warn({ err: { message: err.message } }, 'worker: stopping the runner failed'));
    const utils = await this.utils?.catch(() => undefined);
    await utils?.release();
    await this.db.close();
  }
}
