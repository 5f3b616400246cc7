import type { Database } from '@agora/mesh';
import type { Logger } from 'pino';
import { FIRST_READ_BYTES, storedPixelSize } from './image-facts.js';
import type { MediaEvents } from './media-events.js';
import type { ObjectStore } from './object-store.js';

/** What one pass did: objects given a size, and objects whose stored bytes hold none (left null). */
export interface SizeBackfillResult {
  filled: number;
  unreadable: number;
}

export interface SizeBackfillOptions {
  /** Rows read per query. */
  batchSize?: number;
  /** Wait before another pass when the object store could not be read. */
  retryDelayMs?: number;
}

interface Candidate {
  id: string;
  objectKey: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * Media uploaded before width and height were recorded (migration 0002) has them null. This repair
 * reads each such object's stored bytes, exactly as completion does (storedPixelSize), records the
 * size and publishes `media.updated` in the same transaction, so posts' embedded media get the size
 * too. The service runs one pass in the background at every start (wiring.ts) — in the local run
 * and in the cluster alike, with no command to remember; once every row is filled a pass is one
 * indexed query that finds nothing.
 *
 * Safe beside other replicas doing the same: the UPDATE only fills a size that is still null, and
 * only a row it changed publishes an event. Objects whose bytes hold no readable size (or that are
 * missing from the store) stay null and are counted and logged by id; they are looked at again at
 * the next start. When the store cannot be asked the pass stops and is retried after a delay.
 */
export class MediaSizeBackfill {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private current: Promise<SizeBackfillResult | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly events: MediaEvents,
    private readonly logger: Logger,
    options: SizeBackfillOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.retryDelayMs = options.retryDelayMs ?? 60_000;
  }

  /** Starts a pass in the background; failures are logged, and a store outage schedules another pass. */
  start(): void {
    this.current = this.run().then(
      (result) => {
        if (result.filled || result.unreadable) this.logger.info(result, 'media size backfill done');
        return result;
      },
      (err: unknown) => {
        if (this.stopped) return undefined;
        const reason = err instanceof Error ? err.message : String(err);
        this.logger.warn({ reason, retryInMs: this.retryDelayMs }, 'media size backfill interrupted; will retry');
        this.retry = setTimeout(() => this.start(), this.retryDelayMs);
        this.retry.unref();
        return undefined;
      },
    );
  }

  /** The background pass in flight (or the last one): resolves when it ends, never rejects. */
  settled(): Promise<SizeBackfillResult | undefined> {
    return this.current;
  }

  /** Ends the background work: no new pass, no more rows after the one in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.current;
  }

  /** One pass over every uploaded object without a size, in id order. Throws when the store cannot be read. */
  async run(): Promise<SizeBackfillResult> {
    const result: SizeBackfillResult = { filled: 0, unreadable: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      if (this.stopped) return result;
      const batch = await this.db.query<Candidate>(
        `SELECT id, object_key AS "objectKey", content_type AS "contentType", size_bytes AS "sizeBytes"
           FROM media WHERE status = 'uploaded' AND width IS NULL AND id > $1
          ORDER BY id LIMIT $2`,
        [after, this.batchSize],
      );
      for (const row of batch) {
        if (this.stopped) return result;
        const outcome = await this.fill(row);
        if (outcome !== 'skipped') result[outcome] += 1;
      }
      if (batch.length < this.batchSize) return result;
      after = batch[batch.length - 1]!.id;
    }
  }

  /** Reads one object's size and records it; 'skipped' when another replica filled (or a delete removed) it meanwhile. */
  private async fill(row: Candidate): Promise<'filled' | 'unreadable' | 'skipped'> {
    const stored = await this.store.head(row.objectKey);
    if (!stored) {
      this.logger.warn({ mediaId: row.id }, 'media size backfill: the object is missing from the store');
      return 'unreadable';
    }
    const start = await this.store.readStart(row.objectKey, Math.min(FIRST_READ_BYTES, row.sizeBytes));
    const size = await storedPixelSize(start, row.contentType, row.sizeBytes, () => this.store.readStart(row.objectKey, row.sizeBytes));
    if (!size) {
      this.logger.warn({ mediaId: row.id }, 'media size backfill: the stored bytes hold no readable pixel size');
      return 'unreadable';
    }
    return this.db.transaction(async (tx) => {
      const count = await tx.execute(
        `UPDATE media SET width = $2, height = $3, updated_at = now() WHERE id = $1 AND status = 'uploaded' AND width IS NULL`,
        [row.id, size.width, size.height],
      );
      // Filled by another replica, or deleted, meanwhile: that change published its own event.
      if (!count) return 'skipped' as const;
      await this.events.updated(tx, row.id);
      return 'filled' as const;
    });
  }
}
