import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openStream, startNotifications, type RunningNotifications } from './harness.js';
import type { TestUser } from '../../../test/helpers/test-issuer.js';

let a: RunningNotifications;
let b: RunningNotifications; // a second replica on the same database
let author: TestUser, fan: TestUser;

const streamUrl = (svc: RunningNotifications, query = '') => `${svc.base}/api/v1/notifications/stream${query}`;
const like = (svc: RunningNotifications, likerId = fan.id) => svc.deliver('post.liked', 'posts', randomUUID(), { authorId: author.id, likerId });

beforeAll(async () => {
  a = await startNotifications({ env: { NOTIFICATIONS_HEARTBEAT_MS: '300' } });
  b = await startNotifications({ sameAs: a });
  [author, fan] = await Promise.all([a.issuer.user('author'), a.issuer.user('fan')]);
  for (const u of [author, fan])
    await a.deliver('profile.updated', 'users', u.id, { username: u.username, displayName: u.username, avatarMediaId: null });
}, 60_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('the notification stream', () => {
  it('with a bearer token: ready with the unread count, then a like within 1 s, and heartbeats', async () => {
    const s = await openStream(streamUrl(a), author.auth);
    try {
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(s.headers['cache-control']).toBe('no-store');
      const ready = await s.next('ready');
      const sent = Date.now();
      await like(a);
      const got = await s.next('notification', 1_000);
      console.log(`notifications: like → stream event in ${got.at - sent} ms (same replica)`);
      expect(got.data.notification).toMatchObject({ kind: 'like', actor: { id: fan.id, username: fan.username }, read: false });
      expect(got.data.unread).toBe(ready.data.unread + 1);
      expect(got.id).toBe(got.data.notification.id);
      await new Promise((r) => setTimeout(r, 700));
      expect(s.raw()).toContain(': heartbeat\n\n');
    } finally {
      s.close();
    }
  });

  it('reaches a stream held by another replica within 1 s (LISTEN/NOTIFY)', async () => {
    const s = await openStream(streamUrl(b), author.auth);
    try {
      await s.next('ready');
      const sent = Date.now();
      await like(a); // applied by replica a
      const got = await s.next('notification', 1_000);
      console.log(`notifications: like → stream event in ${got.at - sent} ms (other replica)`);
      expect(got.data.notification.actor.id).toBe(fan.id);
    } finally {
      s.close();
    }
  });

  it('tells open streams when the unread count changes elsewhere', async () => {
    const s = await openStream(streamUrl(b), author.auth);
    try {
      await s.next('ready');
      const from = s.events.length;
      expect((await call(`${a.base}/api/v1/notifications/read-all`, { method: 'POST', headers: author.auth })).status).toBe(204);
      const changed = await s.next('unread', 1_000, from);
      expect(changed.data).toEqual({ unread: 0 });
    } finally {
      s.close();
    }
  });

  it('with a ticket (for EventSource): single use, and a stream only for its holder', async () => {
    const issued = await call(`${a.base}/api/v1/notifications/stream-tickets`, { method: 'POST', headers: fan.auth });
    expect(issued.status).toBe(201);
    expect(issued.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(issued.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    // Stored only as a hash.
    expect(await a.count('stream_tickets WHERE hash::text LIKE $1', [`%${issued.body.ticket}%`])).toBe(0);

    const s = await openStream(streamUrl(b, `?ticket=${issued.body.ticket}`));
    try {
      expect(s.status).toBe(200);
      await s.next('ready');
      await a.deliver('post.liked', 'posts', randomUUID(), { authorId: fan.id, likerId: author.id });
      expect((await s.next('notification', 1_000)).data.notification.actor.id).toBe(author.id);
    } finally {
      s.close();
    }
    const again = await openStream(streamUrl(a, `?ticket=${issued.body.ticket}`));
    expect(again.status).toBe(401);
    expect(again.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses what is not a credential with a problem+json 4xx', async () => {
    const cases: Array<[string, Record<string, string>, number]> = [
      ['', {}, 401],
      [`?ticket=${'A'.repeat(43)}`, {}, 401],
      ['?ticket=short', {}, 400],
      ['', { authorization: 'Bearer not.a.token' }, 401],
      [`?ticket=${'A'.repeat(43)}`, author.auth, 400],
      ['?unknown=1', author.auth, 400],
    ];
    for (const [query, headers, status] of cases) {
      const r = await openStream(streamUrl(a, query), headers);
      expect(r.status, `${query} ${JSON.stringify(headers)}`).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      await r.ended;
    }
  });

  it('ends open streams with `end` when the service drains, instead of holding the drain to its timeout', async () => {
    const c = await startNotifications({ sameAs: a });
    const s = await openStream(streamUrl(c), author.auth);
    await s.next('ready');
    const started = Date.now();
    const stopping = c.stop();
    await s.ended;
    // At the start of the drain (SHUTDOWN_DELAY_MS keeps the replica serving a while longer).
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(s.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'shutdown' } });
    await stopping;
  });
});
