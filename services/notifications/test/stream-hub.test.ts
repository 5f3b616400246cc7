import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createLogger, RevocationSet } from '@agora/mesh';
import { StreamHub } from '../src/domain/stream-hub.js';
import type { NotificationInbox } from '../src/domain/inbox.js';

const inbox = { unread: async () => ({ unread: 0 }), one: async () => undefined } as unknown as NotificationInbox;
const holder = (userId: string, until: number, sessionId = randomUUID()) => ({ userId, sessionId, issuedAt: Math.floor(Date.now() / 1000), until });
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
    const text = await read(await hub.attach(holder('u1', Date.now() / 1000 + 0.3)));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toMatch(/event: end\ndata: \{"reason":"expired"\}\n\n$/);
    expect(hub.open).toBe(0);
  });

  it('keeps at most perUser streams per user: the oldest is ended', async () => {
    const hub = new StreamHub(inbox, { heartbeatMs: 60_000, maxSeconds: 3600, perUser: 2 }, createLogger('notifications-test', 'silent'));
    const until = Date.now() / 1000 + 60;
    const first = read(await hub.attach(holder('u1', until)));
    await hub.attach(holder('u1', until));
    await hub.attach(holder('u1', until));
    expect(await first).toContain('"reason":"replaced"');
    hub.close();
  });

  it('ends the streams of a revoked session or a suspended account, and only those', async () => {
    const revocations = new RevocationSet();
    revocations.markLoaded();
    let revoked = 0;
    const hub = new StreamHub(
      inbox,
      { heartbeatMs: 60_000, maxSeconds: 3600, perUser: 5, revocations, revocationCheckMs: 50, onRevoked: () => (revoked += 1) },
      createLogger('notifications-test', 'silent'),
    );
    const until = Date.now() / 1000 + 60;
    const [ended, kept, suspended] = [holder('u1', until), holder('u1', until), holder('u2', until)];
    const endedText = read(await hub.attach(ended));
    const keptBody = await hub.attach(kept);
    const suspendedText = read(await hub.attach(suspended));
    expect(hub.open).toBe(3);
    // Nothing revoked yet: the sweep ends nothing.
    expect(hub.endRevoked()).toBe(0);

    const now = Date.now();
    revocations.apply({ kind: 'session', subject: ended.sessionId, state: 'revoked', revokedAt: now, expiresAt: now + 60_000 });
    revocations.apply({ kind: 'account', subject: 'u2', state: 'suspended', revokedAt: now, expiresAt: now + 60_000 });
    // The timer's sweep (every 50 ms here) ends them without being asked.
    expect(await endedText).toMatch(/event: end\ndata: \{"reason":"revoked"\}\n\n$/);
    expect(await suspendedText).toContain('"reason":"revoked"');
    expect(hub.open).toBe(1);
    expect(revoked).toBe(2);
    expect(keptBody.writableEnded).toBe(false);
    hub.close();
    expect(keptBody.writableEnded).toBe(true);
  });

  it('does not end streams while the revocation set is not loaded', async () => {
    const revocations = new RevocationSet();
    const hub = new StreamHub(
      inbox,
      { heartbeatMs: 60_000, maxSeconds: 3600, perUser: 5, revocations },
      createLogger('notifications-test', 'silent'),
    );
    const body = await hub.attach(holder('u1', Date.now() / 1000 + 60));
    expect(revocations.check({ userId: 'u1', sessionId: 's', issuedAt: 0 })).toBe('revocations_unavailable');
    expect(hub.endRevoked()).toBe(0);
    expect(body.writableEnded).toBe(false);
    hub.close();
  });
});
