import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@agora/mesh';
import { StreamHub } from '../src/domain/stream-hub.js';
import type { NotificationInbox } from '../src/domain/inbox.js';

const inbox = { unread: async () => ({ unread: 0 }), one: async () => undefined } as unknown as NotificationInbox;
const read = (body: PassThrough) =>
  new Promise<string>((resolve) => {
    let text = '';
    body.setEncoding('utf8');
    body.on('data', (c: string) => (text += c));
    body.on('end', () => resolve(text));
  });

describe('StreamHub', () => {
  it('ends a stream when the credential that opened it expires', async () => {
    const hub = new StreamHub(inbox, { heartbeatMs: 60_000, maxSeconds: 3600, perUser: 5 }, createLogger('notifications-test', 'silent'));
    const started = Date.now();
    const text = await read(await hub.attach('u1', Date.now() / 1000 + 0.3));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toMatch(/event: end\ndata: \{"reason":"expired"\}\n\n$/);
    expect(hub.open).toBe(0);
  });

  it('keeps at most perUser streams per user: the oldest is ended', async () => {
    const hub = new StreamHub(inbox, { heartbeatMs: 60_000, maxSeconds: 3600, perUser: 2 }, createLogger('notifications-test', 'silent'));
    const until = Date.now() / 1000 + 60;
    const first = read(await hub.attach('u1', until));
    await hub.attach('u1', until);
    await hub.attach('u1', until);
    expect(await first).toContain('"reason":"replaced"');
    hub.close();
  });
});
