import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDatabase, eventsMigrations, migrateService, signLocalAssertion } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { media as mediaTable } from '../src/migrations/0001-media.js';
import { startFakePosts, type FakePosts } from './fake-posts.js';
import { MESH_KEY, request, startMedia, type RunningMedia } from './harness.js';
import { eventually } from './eventually.js';
import { gif, png } from './images.js';
import { startMediaWithFakePosts } from './media-with-issuer.js';
import type { TestIssuer } from './tokens.js';
import { testUser, upload } from './uploaded.js';

/** media publishes media.updated / media.deleted to posts through its outbox and worker (docs/events.md). */
let media: RunningMedia;
let posts: FakePosts;
let issuer: TestIssuer;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ media, posts, issuer, stop } = await startMediaWithFakePosts());
});
afterAll(async () => stop?.());

const received = (id: string, type: string, sequence: number) =>
  eventually(`${type} #${sequence} of ${id}`, () => posts.events.find((e) => e.aggregateId === id && e.type === type && e.sequence === sequence));
const eventsOf = (id: string) => posts.events.filter((e) => e.aggregateId === id);

describe('events media publishes', () => {
  it('completion, alt changes and deletion reach posts as state, numbered per object', async () => {
    const owner = await testUser(issuer);
    const { id, done } = await upload(media, owner, 'image/png', png(320, 200));
    expect(done.status).toBe(200);
    const completed = await received(id, 'media.updated', 1);
    expect(completed).toMatchObject({
      producer: 'media',
      payload: { ownerId: owner.id, contentType: 'image/png', width: 320, height: 200, alt: null },
    });

    expect((await request('PATCH', `${media.base}/api/v1/media/${id}`, { body: { alt: 'a chart' }, headers: owner.auth })).status).toBe(200);
    expect((await received(id, 'media.updated', 2)).payload).toEqual({
      ownerId: owner.id,
      contentType: 'image/png',
      width: 320,
      height: 200,
      alt: 'a chart',
    });
    // The same text again is no change: nothing is published.
    expect((await request('PATCH', `${media.base}/api/v1/media/${id}`, { body: { alt: 'a chart' }, headers: owner.auth })).status).toBe(200);
    // A repeated completion is harmless and publishes nothing either.
    expect((await request('POST', `${media.base}/api/v1/media/${id}/complete`, { headers: owner.auth })).status).toBe(200);

    expect((await request('DELETE', `${media.base}/api/v1/media/${id}`, { headers: owner.auth })).status).toBe(204);
    expect((await received(id, 'media.deleted', 3)).payload).toEqual({ ownerId: owner.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(id).map((e) => `${e.type}#${e.sequence}`)).toEqual(['media.updated#1', 'media.updated#2', 'media.deleted#3']);
  });

  it('pending media publishes nothing: not its alt text, not its deletion, not a refused completion', async () => {
    const owner = await testUser(issuer);
    const ticket = await request('POST', `${media.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/gif', sizeBytes: 64 },
      headers: owner.auth,
    });
    expect((await request('PATCH', `${media.base}/api/v1/media/${ticket.body.id}`, { body: { alt: 'x' }, headers: owner.auth })).status).toBe(200);
    expect((await request('DELETE', `${media.base}/api/v1/media/${ticket.body.id}`, { headers: owner.auth })).status).toBe(204);
    const refused = await upload(media, owner, 'image/gif', gif(0, 0, 64));
    expect(refused.done.status).toBe(409);
    // A later event proves the worker ran past these.
    const { id: later } = await upload(media, owner, 'image/gif', gif(1, 1, 64));
    await received(later, 'media.updated', 1);
    expect(eventsOf(ticket.body.id)).toEqual([]);
    expect(eventsOf(refused.id)).toEqual([]);
  });

  it('account.deleted erases the media without publishing media.deleted (posts erases the account itself)', async () => {
    const owner = await testUser(issuer);
    const { id } = await upload(media, owner, 'image/png', png(2, 2));
    await received(id, 'media.updated', 1);
    const event = {
      id: randomUUID(),
      type: 'account.deleted',
      producer: 'auth',
      aggregateId: owner.id,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload: { status: 'deleted' },
    };
    const res = await request('POST', `${media.base}/internal/v1/media/events`, {
      body: event,
      headers: { 'x-agora-workload': signLocalAssertion('auth', MESH_KEY) },
    });
    expect(res.status).toBe(200);
    expect((await media.service.db.query('SELECT 1 FROM media WHERE id = $1', [id])).length).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(id).map((e) => e.type)).toEqual(['media.updated']);
  });
});

describe('migration 0003-replay-media', () => {
  it('publishes media.updated once for every object uploaded before media published events (size unknown), none for pending ones', async () => {
    const databaseUrl = await freshDatabase('media_replay');
    // The database as it was before this work: 0001 and the event tables.
    await migrateService('media', databaseUrl, [mediaTable, ...eventsMigrations]);
    const owner = randomUUID();
    const uploaded = randomUUID();
    const pending = randomUUID();
    const db = createDatabase({ url: databaseUrl, poolMax: 1 });
    try {
      await db.execute(
        `INSERT INTO media (id, owner_id, content_type, size_bytes, object_key, status, uploaded_at) VALUES
           ($1, $3, 'image/jpeg', 100, $4, 'uploaded', now()), ($2, $3, 'image/png', 100, $5, 'pending', NULL)`,
        [uploaded, pending, owner, `media/${uploaded}`, `media/${pending}`],
      );
    } finally {
      await db.close();
    }
    const replayTo = await startFakePosts(MESH_KEY);
    const replayed = await startMedia({ JWKS_URL: issuer.jwksUrl, WORKER_ENABLED: 'true', SERVICE_URL_POSTS: replayTo.base }, { databaseUrl });
    try {
      const event = await eventually('the replayed media.updated', () => replayTo.events.find((e) => e.aggregateId === uploaded));
      expect(event).toMatchObject({
        type: 'media.updated',
        producer: 'media',
        sequence: 1,
        payload: { ownerId: owner, contentType: 'image/jpeg', width: null, height: null, alt: null },
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(replayTo.events.map((e) => e.aggregateId)).toEqual([uploaded]);
      expect(await replayed.service.db.query<{ event_seq: string }>('SELECT event_seq FROM media ORDER BY status DESC')).toEqual([
        { event_seq: '1' },
        { event_seq: '0' },
      ]);
    } finally {
      await replayed.stop();
      await replayTo.stop();
    }
  });
});
