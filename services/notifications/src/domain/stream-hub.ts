import { PassThrough } from 'node:stream';
import type { Logger } from '@agora/mesh';
import type { NotificationInbox } from './inbox.js';
import type { NotifyMessage } from './notifier.js';

export interface StreamHubOptions {
  heartbeatMs: number;
  maxSeconds: number;
  perUser: number;
  onPushed?: () => void;
}

interface LiveStream {
  body: PassThrough;
  timer: NodeJS.Timeout;
}

/** One Server-Sent Events frame (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
function frame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The streams this replica holds open, by user. A notification reaches the hub of every replica
 * through PostgreSQL's LISTEN/NOTIFY (listener.ts); each hub sends it to the streams it holds for
 * the recipient. Events: `ready` (on open, with the unread count), `notification` (the entry as the
 * list shows it, and the unread count), `unread` (the count changed: read elsewhere), `end` (the
 * stream's time is up; reconnect with a fresh ticket or token); a comment line every
 * heartbeat keeps proxies from closing an idle stream.
 */
export class StreamHub {
  private readonly byUser = new Map<string, Set<LiveStream>>();
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly inbox: NotificationInbox,
    private readonly options: StreamHubOptions,
    private readonly logger: Logger,
  ) {}

  get open(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** A new stream for `userId`, ending at `until` (epoch seconds) at the latest. */
  async attach(userId: string, until: number): Promise<PassThrough> {
    const body = new PassThrough();
    if (this.closed) {
      body.end(frame('end', { reason: 'shutdown' }));
      return body;
    }
    const lifeMs = Math.max(0, Math.min(until * 1000 - Date.now(), this.options.maxSeconds * 1000));
    const stream: LiveStream = { body, timer: setTimeout(() => this.finish(stream, 'expired'), lifeMs).unref() };
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    // Past the per-user limit the oldest stream goes (a forgotten tab must not keep a slot forever).
    if (set.size >= this.options.perUser) this.finish(set.values().next().value!, 'replaced');
    set.add(stream);
    body.once('close', () => this.detach(userId, stream));
    // retry: how long EventSource waits before it reconnects after the stream ends.
    body.write('retry: 3000\n\n');
    body.write(frame('ready', await this.inbox.unread(userId)));
    this.startHeartbeat();
    return body;
  }

  /** Sends what `message` announces to the recipient's streams on this replica. */
  async dispatch(message: NotifyMessage): Promise<void> {
    const set = this.byUser.get(message.recipientId);
    if (!set?.size) return;
    const { unread } = await this.inbox.unread(message.recipientId);
    const notification = message.notificationId ? await this.inbox.one(message.recipientId, message.notificationId) : undefined;
    const text = notification ? frame('notification', { notification, unread }, notification.id) : frame('unread', { unread });
    for (const s of set) {
      s.body.write(text);
      this.options.onPushed?.();
    }
  }

  /** Every open stream: after the listener reconnected, what it may have missed shows as a fresh count. */
  async resync(): Promise<void> {
    for (const userId of [...this.byUser.keys()]) {
      await this.dispatch({ recipientId: userId }).catch((err: unknown) => this.logger.warn({ err }, 'notifications: resync failed'));
    }
  }

  /** Ends every stream (the service is stopping): clients reconnect to another replica. */
  close(): void {
    this.closed = true;
    for (const set of this.byUser.values()) for (const s of set) this.finish(s, 'shutdown');
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private finish(stream: LiveStream, reason: 'expired' | 'replaced' | 'shutdown'): void {
    clearTimeout(stream.timer);
    stream.body.end(frame('end', { reason }));
  }

  private detach(userId: string, stream: LiveStream): void {
    clearTimeout(stream.timer);
    const set = this.byUser.get(userId);
    set?.delete(stream);
    if (set && !set.size) this.byUser.delete(userId);
    if (!this.byUser.size && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const set of this.byUser.values()) for (const s of set) s.body.write(': heartbeat\n\n');
    }, this.options.heartbeatMs).unref();
  }
}
