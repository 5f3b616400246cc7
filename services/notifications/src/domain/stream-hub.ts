import { PassThrough } from 'node:stream';
import type { Logger, RevocationCheck } from '@agora/mesh';
import type { NotificationInbox } from './inbox.js';
import type { NotifyMessage } from './notifier.js';
import type { StreamHolder } from './stream-tickets.js';

export interface StreamHubOptions {
  heartbeatMs: number;
  maxSeconds: number;
  perUser: number;
  onPushed?: () => void;
  /** The service's revocation set: a stream whose token it refuses now is ended. */
  revocations?: RevocationCheck;
  /** How often the open streams are checked against it (the set's own refresh interval). */
  revocationCheckMs?: number;
  onRevoked?: () => void;
}

interface LiveStream {
  body: PassThrough;
  timer: NodeJS.Timeout;
  holder: StreamHolder;
}

type EndReason = 'expired' | 'replaced' | 'shutdown' | 'revoked';

/** One Server-Sent Events frame (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
function frame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The streams this replica holds open, by user. A notification reaches the hub of every replica
 * through PostgreSQL's LISTEN/NOTIFY (listener.ts); each hub sends it to the streams it holds for
 * the recipient. Events: `ready` (on open, with the unread count), `notification` (the entry as the
 * list shows it, and the unread count), `update` (an entry lost an actor or its content changed:
 * replace it), `remove` (`{ id, unread }`: its content is gone, drop it), `unread` (the count
 * changed: read elsewhere), `end` (the
 * stream's time is up; reconnect with a fresh ticket or token); a comment line every
 * heartbeat keeps proxies from closing an idle stream.
 *
 * A stream outlives the request that opened it, so the token check at the door is not enough: every
 * `revocationCheckMs` each open stream's token (account, session, issue time) is checked against
 * the revocation set again, and a stream of an ended session or a suspended or deleted account is
 * ended (`end` with reason `revoked`) — within one read of the set after the revocation event.
 */
export class StreamHub {
  private readonly byUser = new Map<string, Set<LiveStream>>();
  private heartbeat: NodeJS.Timeout | undefined;
  private revocationSweep: NodeJS.Timeout | undefined;
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

  /** A new stream for the holder's user, ending when its token expires (`until`, epoch seconds) at the latest. */
  async attach(holder: StreamHolder): Promise<PassThrough> {
    const { userId, until } = holder;
    const body = new PassThrough();
    if (this.closed) {
      body.end(frame('end', { reason: 'shutdown' }));
      return body;
    }
    const lifeMs = Math.max(0, Math.min(until * 1000 - Date.now(), this.options.maxSeconds * 1000));
    const stream: LiveStream = { body, holder, timer: setTimeout(() => this.finish(stream, 'expired'), lifeMs).unref() };
    // Past the per-user limit the oldest stream goes (a forgotten tab must not keep a slot forever).
    const existing = this.byUser.get(userId);
    if (existing && existing.size >= this.options.perUser) this.finish(existing.values().next().value!, 'replaced');
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(stream);
    body.once('close', () => this.detach(userId, stream));
    // retry: how long EventSource waits before it reconnects after the stream ends.
    body.write('retry: 3000\n\n');
    const unread = await this.inbox.unread(userId);
    // The stream may have ended while the count was read (revoked, replaced, shutdown).
    if (!body.writableEnded) body.write(frame('ready', unread));
    this.startTimers();
    return body;
  }

  /** Sends what `message` announces to the recipient's streams on this replica. */
  async dispatch(message: NotifyMessage): Promise<void> {
    const set = this.byUser.get(message.recipientId);
    if (!set?.size) return;
    const text = await this.frameFor(message);
    for (const s of set) {
      s.body.write(text);
      this.options.onPushed?.();
    }
  }

  /** The frame `message` becomes: `notification` (new or grown), `update` (lost an actor), `remove` (gone or now hidden), or `unread`. */
  private async frameFor(message: NotifyMessage): Promise<string> {
    const { recipientId, notificationId: id, change } = message;
    const { notification, unread } =
      id && change !== 'removed'
        ? await this.inbox.oneAndUnread(recipientId, id)
        : { notification: undefined, ...(await this.inbox.unread(recipientId)) };
    if (!id) return frame('unread', { unread });
    if (notification)
      return change === 'updated' ? frame('update', { notification, unread }) : frame('notification', { notification, unread }, notification.id);
    return change ? frame('remove', { id, unread }) : frame('unread', { unread });
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
    this.stopTimers();
  }

  /** Ends every open stream whose token the revocation set refuses now (also what tests call). */
  endRevoked(now = Date.now()): number {
    const revocations = this.options.revocations;
    if (!revocations) return 0;
    let ended = 0;
    for (const set of this.byUser.values())
      for (const s of set) {
        const reason = revocations.check(s.holder, now);
        // Unavailable means "not loaded yet", not "revoked": the streams were admitted by a loaded set.
        if (!reason || reason === 'revocations_unavailable') continue;
        this.finish(s, 'revoked');
        this.options.onRevoked?.();
        ended += 1;
      }
    return ended;
  }

  private finish(stream: LiveStream, reason: EndReason): void {
    // Out of the hub at once, so no later heartbeat, dispatch or sweep writes to an ended stream.
    this.detach(stream.holder.userId, stream);
    if (!stream.body.writableEnded) stream.body.end(frame('end', { reason }));
  }

  private detach(userId: string, stream: LiveStream): void {
    clearTimeout(stream.timer);
    const set = this.byUser.get(userId);
    set?.delete(stream);
    if (set && !set.size) this.byUser.delete(userId);
    if (!this.byUser.size) this.stopTimers();
  }

  /** The heartbeat and the revocation sweep run while any stream is open. */
  private startTimers(): void {
    if (!this.byUser.size) return;
    this.heartbeat ??= setInterval(() => {
      for (const set of this.byUser.values()) for (const s of set) s.body.write(': heartbeat\n\n');
    }, this.options.heartbeatMs).unref();
    if (this.options.revocations) this.revocationSweep ??= setInterval(() => this.endRevoked(), this.options.revocationCheckMs ?? 1_000).unref();
  }

  private stopTimers(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.revocationSweep);
    this.heartbeat = undefined;
    this.revocationSweep = undefined;
  }
}
