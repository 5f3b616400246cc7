import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import { RevocationSet, type RevocableToken, type RevocationCheck, type RevokedReason } from './revocation-set.js';
import { deleteExpiredRevocations, readRevocations } from './revocation-store.js';

export interface RevocationSyncOptions {
  db: Database;
  logger: Logger;
  /** How often every replica reads what changed (ms). An event takes effect everywhere within it. */
  intervalMs?: number;
  /** The in-memory bound (RevocationSet). */
  maxEntries?: number;
  /** The service's metrics registry: the set's size and evictions, read at scrape time. */
  registry?: Registry;
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Keeps one replica's RevocationSet equal to its service's `revocations` table: a full read at
 * start (a replica or service that starts late is caught up before its first answer), then every
 * `intervalMs` the rows written since the last read. An event reaches one replica; the row it wrote
 * reaches every replica at its next read. Until the first read succeeds, checks answer
 * `revocations_unavailable` (503); a database outage later keeps the last known set (it only misses
 * what happened during the outage, which could not have been recorded anyway).
 */
export class RevocationSync implements RevocationCheck {
  readonly set: RevocationSet;
  private horizon: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private lastPrune = 0;
  /** When the last read succeeded (ms since the epoch); until the first, when this replica started. */
  private lastRead = Date.now();

  constructor(private readonly options: RevocationSyncOptions) {
    this.set = new RevocationSet(options.maxEntries);
    if (options.registry) declareRevocationMetrics(options.registry, this.set, () => this.lastRead);
  }

  check(principal: RevocableToken, now?: number): RevokedReason | undefined {
    return this.set.check(principal, now);
  }

  /** The first read (failure is logged, not thrown: the next tick retries), then the timer. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer ??= setInterval(() => void this.refresh(), this.options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One read now (also what tests call instead of waiting for the timer). Never overlaps itself. */
  refresh(): Promise<void> {
    this.running ??= this.readOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async readOnce(): Promise<void> {
    const { db, logger } = this.options;
    try {
      const now = Date.now();
      const { rows, horizon } = await readRevocations(db, this.horizon);
      const evictedBefore = this.set.evictions;
      for (const row of rows) this.set.apply(row, now);
      this.horizon = horizon;
      this.set.markLoaded();
      this.lastRead = Date.now();
      if (now - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = now;
        this.set.prune(now);
        await deleteExpiredRevocations(db);
      }
      if (this.set.evictions > evictedBefore)
        logger.error({ evictions: this.set.evictions, size: this.set.size }, 'revocations: the in-memory bound is reached; older tokens are refused');
      if (this.failing) logger.info('revocations: reading the table again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) logger.error({ err }, 'revocations: cannot read the table; keeping the last known set');
      this.failing = true;
    }
  }
}

/**
 * `agora_revocations_entries`, `agora_revocations_evicted_total` and `agora_revocations_sync_age_seconds`
 * (observability/metrics.json), read from the set at scrape time. The age is the revocation lag's
 * upper bound on this replica: a revocation recorded now takes effect here at the next read, and a
 * replica that cannot read its table keeps accepting what was revoked since its last read.
 */
function declareRevocationMetrics(registry: Registry, set: RevocationSet, lastRead: () => number): void {
  new Gauge({
    name: 'agora_revocations_entries',
    help: 'Revocations (ended sessions, suspended or deleted accounts) this replica holds in memory.',
    registers: [registry],
    collect() {
      this.set(set.size);
    },
  });
  new Gauge({
    name: 'agora_revocations_sync_age_seconds',
    help: 'Seconds since this replica last read its revocations table (since start until the first read succeeds).',
    registers: [registry],
    collect() {
      this.set((Date.now() - lastRead()) / 1000);
    },
  });
  let reported = 0;
  new Counter({
    name: 'agora_revocations_evicted_total',
    help: 'Revocations dropped at the in-memory bound (REVOCATIONS_MAX_ENTRIES); each one makes older tokens refused.',
    registers: [registry],
    collect() {
      this.inc(set.evictions - reported);
      reported = set.evictions;
    },
  });
}
