import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePosts } from './fake-posts.js';
import { request, startMedia, type RunningMedia } from './harness.js';
import { eventually } from './eventually.js';
import { jpeg, png } from './images.js';
import { startMediaWithFakePosts } from './media-with-issuer.js';
import type { TestIssuer } from './tokens.js';
import { testUser, upload, type TestUser } from './uploaded.js';

/**
 * The repair of media uploaded before width and height were recorded (domain/size-backfill.ts):
 * rows are made to look like those (uploaded, sizes null) and the repair must read the stored
 * bytes, fill the sizes and tell posts, once.
 */
let media: RunningMedia;
let posts: FakePosts;
let issuer: TestIssuer;
let stop: (() => Promise<void>) | undefined;
let owner: TestUser;
beforeAll(async () => {
  ({ media, posts, issuer, stop } = await startMediaWithFakePosts());
  owner = await testUser(issuer);
  // The pass the service ran at its start (on an empty table) is over before rows are made here.
  expect(await media.deps.sizeBackfill.settled()).toEqual({ filled: 0, unreadable: 0 });
});
afterAll(async () => stop?.());

type Row = { status: string; width: number | null; height: number | null; event_seq: string };
const row = async (id: string) => (await media.service.db.query<Row>('SELECT status, width, height, event_seq FROM media WHERE id = $1', [id]))[0]!;
/** As a row uploaded before migration 0002 looks: uploaded, no size. */
const forgetSize = (id: string) => media.service.db.execute('UPDATE media SET width = NULL, height = NULL WHERE id = $1', [id]);

/** What `POST /api/v1/media/uploads` answers (the fields used here). */
type Ticket = { id: string; uploadUrl: string; uploadHeaders: Record<string, string> };

/** A ticket and the PUT of `bytes`, never completed: then marked uploaded as an old row would be (completion would refuse such bytes). */
async function storedWithoutCompletion(contentType: string, bytes: Buffer, put = true): Promise<string> {
  const res = await request('POST', `${media.base}/api/v1/media/uploads`, { body: { contentType, sizeBytes: bytes.length }, headers: owner.auth });
  expect(res.status).toBe(201);
  const ticket = res.body as Ticket;
  if (put) expect((await fetch(ticket.uploadUrl, { method: 'PUT', headers: ticket.uploadHeaders, body: new Uint8Array(bytes) })).status).toBe(200);
  await media.service.db.execute(`UPDATE media SET status = 'uploaded', uploaded_at = now() WHERE id = $1`, [ticket.id]);
  return ticket.id;
}

const updatesOf = (id: string) => posts.events.filter((e) => e.aggregateId === id && e.type === 'media.updated');

describe('media size backfill', () => {
  it('fills width and height from the stored bytes and publishes media.updated with them, once', async () => {
    const small = await upload(media, owner, 'image/png', png(320, 200));
    // A JPEG whose size comes after 64 KiB of metadata: the repair reads the whole object, as completion does.
    const late = await upload(media, owner, 'image/jpeg', jpeg(1200, 900, { metadataBytes: 100_000 }));
    const kept = await upload(media, owner, 'image/png', png(10, 20));
    for (const id of [small.id, late.id]) await forgetSize(id);
    await eventually('completion events', () => (updatesOf(late.id).length && updatesOf(kept.id).length ? true : undefined));
    const keptBefore = await row(kept.id);

    expect(await media.deps.sizeBackfill.run()).toEqual({ filled: 2, unreadable: 0 });
    expect(await row(small.id)).toMatchObject({ status: 'uploaded', width: 320, height: 200, event_seq: '2' });
    expect(await row(late.id)).toMatchObject({ status: 'uploaded', width: 1200, height: 900, event_seq: '2' });
    expect(await row(kept.id)).toEqual(keptBefore);

    const event = await eventually('the backfill media.updated', () => updatesOf(small.id).find((e) => e.sequence === 2));
    expect(event.payload).toMatchObject({ ownerId: owner.id, contentType: 'image/png', width: 320, height: 200 });
    await eventually('the backfill media.updated of the JPEG', () => updatesOf(late.id).find((e) => e.sequence === 2));
    // The API answers the size too.
    const details = await request('GET', `${media.base}/api/v1/media/${small.id}`, { headers: owner.auth });
    expect(details.body).toMatchObject({ width: 320, height: 200 });

    // A second pass finds nothing to do and publishes nothing.
    expect(await media.deps.sizeBackfill.run()).toEqual({ filled: 0, unreadable: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(updatesOf(small.id).map((e) => e.sequence)).toEqual([1, 2]);
    expect(updatesOf(kept.id).map((e) => e.sequence)).toEqual([1]);
  });

  it('leaves objects whose bytes hold no size, or that are missing, null and counts them; pending media is not touched', async () => {
    const truncated = await storedWithoutCompletion('image/png', png(10, 10).subarray(0, 20));
    const missing = await storedWithoutCompletion('image/png', png(10, 10), false);
    const ticket = await request('POST', `${media.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/png', sizeBytes: 100 },
      headers: owner.auth,
    });

    expect(await media.deps.sizeBackfill.run()).toEqual({ filled: 0, unreadable: 2 });
    expect(await row(truncated)).toMatchObject({ width: null, height: null, event_seq: '0' });
    expect(await row(missing)).toMatchObject({ width: null, height: null, event_seq: '0' });
    expect(await row((ticket.body as Ticket).id)).toMatchObject({ status: 'pending', width: null });
    await media.service.db.execute('DELETE FROM media WHERE id = ANY($1::uuid[])', [[truncated, missing]]);
  });

  it('runs by itself when the service starts: a restarted media fills what an older version left null', async () => {
    const { id } = await upload(media, owner, 'image/png', png(77, 55));
    await forgetSize(id);
    const restarted = await startMedia(
      {
        JWKS_URL: issuer.jwksUrl,
        MEDIA_STORE: 'local',
        LOCAL_STORE_URL: media.store!.url,
        LOCAL_STORE_SIGNING_KEY: media.store!.signingKey,
      },
      { databaseUrl: media.databaseUrl },
    );
    try {
      expect(await restarted.deps.sizeBackfill.settled()).toEqual({ filled: 1, unreadable: 0 });
      expect(await row(id)).toMatchObject({ width: 77, height: 55, event_seq: '2' });
    } finally {
      await restarted.stop();
    }
  });
});
