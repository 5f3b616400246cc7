import pg from 'pg';
import type { Logger } from '@agora/mesh';
import { NOTIFY_CHANNEL, type NotifyMessage } from './notifier.js';

export interface ListenerOptions {
  databaseUrl: string;
  logger: Logger;
  onMessage: (message: NotifyMessage) => Promise<void>;
  /** After a reconnect: what was announced while the connection was down is not replayed. */
  onReconnected: () => Promise<void>;
}

const RETRY_MS = 1_000;

/**
 * One dedicated connection per replica that LISTENs on NOTIFY_CHANNEL: every replica hears every
 * notification committed by any of them, within milliseconds, whichever replica the producer's
 * delivery reached. Its own client, not one of the pool's: a LISTEN holds its connection for the
 * life of the process. A dropped connection is reopened every second until it is back.
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListenerOptions) {}

  async start(): Promise<void> {
    await this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(reconnecting: boolean): Promise<void> {
    const { logger } = this.options;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'notifications-listener' });
    client.on('notification', (msg) => {
      if (msg.channel !== NOTIFY_CHANNEL || !msg.payload) return;
      let message: NotifyMessage;
      try {
        message = JSON.parse(msg.payload) as NotifyMessage;
      } catch {
        return; // only this service writes to the channel; nothing else to do with a foreign payload
      }
      this.options.onMessage(message).catch((err: unknown) => logger.warn({ err }, 'notifications: could not push a notification'));
    });
    client.on('error', (err) => {
      logger.warn({ err: { message: err.message } }, 'notifications: listener connection lost');
      this.again(client);
    });
    client.on('end', () => this.again(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (err) {
      if (!reconnecting) throw err;
      this.again(client);
      return;
    }
    this.client = client;
    if (reconnecting) {
      logger.info('notifications: listener reconnected');
      await this.options.onReconnected().catch(() => undefined);
    }
  }

  private again(client: pg.Client): void {
    if (this.stopped || this.retry || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect(true);
    }, RETRY_MS).unref();
  }
}
