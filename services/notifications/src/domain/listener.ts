import type { Database, Logger } from '@agora/mesh';
import { NOTIFY_CHANNEL, type NotifyMessage } from './notifier.js';

// pg's client type through the pool mesh hands out (services do not import pg: test/database-access).
const take = (db: Database) => db.pool.connect();
type PoolClient = Awaited<ReturnType<typeof take>>;

export interface ListenerOptions {
  db: Database;
  logger: Logger;
  onMessage: (message: NotifyMessage) => Promise<void>;
  /** After a reconnect: what was announced while the connection was down is not replayed. */
  onReconnected: () => Promise<void>;
}

const RETRY_MS = 1_000;

/**
 * One connection per replica that LISTENs on NOTIFY_CHANNEL: every replica hears every
 * notification committed by any of them, within milliseconds, whichever replica the producer's
 * delivery reached. It is taken from the service's pool for the life of the process (as
 * graphile-worker does for its own LISTEN), so the pool has one connection fewer for requests. A
 * lost connection is destroyed (never returned to the pool) and another taken every second until
 * one answers.
 */
export class NotificationListener {
  private client: PoolClient | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListenerOptions) {}

  async start(): Promise<void> {
    await this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.query(`UNLISTEN ${NOTIFY_CHANNEL}`).catch(() => undefined);
      client.release();
    }
  }

  private onNotification = (msg: { channel: string; payload?: string }) => {
    if (msg.channel !== NOTIFY_CHANNEL || !msg.payload) return;
    let message: NotifyMessage;
    try {
      message = JSON.parse(msg.payload) as NotifyMessage;
    } catch {
      return; // only this service writes to the channel; nothing to do with a foreign payload
    }
    this.options.onMessage(message).catch((err: unknown) => this.options.logger.warn({ err }, 'notifications: could not push a notification'));
  };

  private async connect(reconnecting: boolean): Promise<void> {
    const { logger } = this.options;
    let client: PoolClient;
    try {
      client = await take(this.options.db);
    } catch (err) {
      if (!reconnecting) throw err;
      this.again();
      return;
    }
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      logger.warn({ err: { message: err?.message ?? 'connection ended' } }, 'notifications: listener connection lost');
      client.release(err ?? new Error('listener connection ended')); // destroyed, not reused
      this.again();
    };
    client.on('notification', this.onNotification);
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (err) {
      client.release(err as Error);
      if (!reconnecting) throw err;
      this.again();
      return;
    }
    this.client = client;
    if (reconnecting) {
      logger.info('notifications: listener reconnected');
      await this.options.onReconnected().catch(() => undefined);
    }
  }

  private again(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect(true);
    }, RETRY_MS).unref();
  }
}
