import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../mesh/src/db/database.js';
import { sessionApi } from '../helpers/session-api.js';
import { startStack, newSession, type Session, type Stack } from '../helpers/stack.js';
import { within } from '../helpers/within.js';
import { openStream } from '../../services/notifications/test/harness.js';

/**
 * Notifications across real processes (issue 14), through the local ingress as a browser reaches
 * it: a like at posts travels posts' outbox → notifications' inbox → LISTEN/NOTIFY → the stream
 * the author holds open, within a second.
 */
let stack: Stack;
let db: Database;

beforeAll(async () => {
  stack = await startStack();
  db = createDatabase({ url: stack.databases.notifications!, poolMax: 1 });
}, 120_000);
afterAll(async () => {
  await db?.close();
  await stack?.stop();
});

/** Waits until notifications holds the user's profile (registration → users → profile.updated). */
const knownToNotifications = (s: Session) =>
  within(5_000, async () => (await db.query('SELECT 1 FROM actors WHERE id = $1', [s.id])).length === 1, `${s.username} in notifications' actors`);

const api = sessionApi(() => stack.url);

describe('notifications through the ingress', () => {
  it('a like reaches the author’s open stream within 1 s (bearer token), and the list embeds the liker', async () => {
    const [author, fan] = await Promise.all([newSession(stack.url, 'author'), newSession(stack.url, 'fan')]);
    const post = await api('/api/v1/posts', author, { text: 'notify me' });
    expect(post.status).toBe(201);
    // The liker's profile reaches notifications by event too (auth → users → notifications).
    await knownToNotifications(fan);

    const stream = await openStream(`${stack.url}/api/v1/notifications/stream`, author.headers);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      await stream.next('ready', 5_000);
      const sent = Date.now();
      expect((await api(`/api/v1/posts/${post.body.id}/like`, fan, undefined, 'POST')).status).toBeLessThan(300);
      const got = await stream.next('notification', 1_000);
      console.log(`notifications: like through the ingress → open stream in ${got.at - sent} ms (across processes)`);
      expect(got.data.notification).toMatchObject({ kind: 'like', postId: post.body.id, actor: { id: fan.id } });
    } finally {
      stream.close();
    }
    const list = await api('/api/v1/notifications', author);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ kind: 'like', actorCount: 1, actor: { id: fan.id, username: fan.username } });
    expect((await api('/api/v1/notifications/unread-count', author)).body).toEqual({ unread: 1 });
  });

  it('a ticket opens the stream as EventSource would; a comment mentioning someone reaches them', async () => {
    const [writer, named] = await Promise.all([newSession(stack.url, 'writer'), newSession(stack.url, 'named')]);
    const ticket = await api('/api/v1/notifications/stream-tickets', named, {});
    expect(ticket.status).toBe(201);
    const stream = await openStream(`${stack.url}/api/v1/notifications/stream?ticket=${ticket.body.ticket}`);
    try {
      expect(stream.status).toBe(200);
      await stream.next('ready', 5_000);
      // notifications resolves @username against the profiles users publishes.
      await knownToNotifications(named);
      const post = await api('/api/v1/posts', writer, { text: 'a post' });
      await api(`/api/v1/posts/${post.body.id}/comments`, writer, { text: `hello @${named.username}` });
      const got = await stream.next('notification', 3_000);
      expect(got.data.notification).toMatchObject({ kind: 'mention', postId: post.body.id, actor: { id: writer.id } });
    } finally {
      stream.close();
    }
  });
});
