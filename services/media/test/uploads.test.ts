import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { pngBytes } from '../../../test/helpers/image-bytes.js';
import { signObjectUrl } from '../../../mesh/src/object-url.js';
import { request, type RunningMedia } from './harness.js';
import { gif } from './images.js';
import { startMediaWithIssuer } from './media-with-issuer.js';
import type { TestIssuer } from './tokens.js';

let media: RunningMedia;
let issuer: TestIssuer;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => void ({ media, issuer, stop } = await startMediaWithIssuer()));
afterAll(async () => stop?.());

async function user() {
  const id = randomUUID();
  return { id, auth: { authorization: `Bearer ${await issuer.token(id)}` } };
}
type User = Awaited<ReturnType<typeof user>>;

/** What the media table holds for `id` (the test fails if there is no such row). */
async function mediaRow(id: string) {
  const [row] = await media.service.db.query<{ status: string; ownerId: string }>('SELECT status, owner_id AS "ownerId" FROM media WHERE id = $1', [
    id,
  ]);
  if (!row) throw new Error(`no media row ${id}`);
  return row;
}
const mediaCount = async () => Number((await media.service.db.query<{ n: string }>('SELECT count(*) AS n FROM media'))[0]!.n);

const createUpload = (u: User, body: unknown) => request('POST', `${media.base}/api/v1/media/uploads`, { body, headers: u.auth });
const complete = (u: User, id: string) => request('POST', `${media.base}/api/v1/media/${id}/complete`, { headers: u.auth });
const getMedia = (u: User, id: string) => request('GET', `${media.base}/api/v1/media/${id}`, { headers: u.auth });

describe('upload flow (media + local object store on loopback)', () => {
  it('create → PUT bytes to the signed URL → complete → GET a download URL → the same bytes back', async () => {
    const alice = await user();
    const bytes = pngBytes(256 * 1024 + 17);
    const created = await createUpload(alice, { contentType: 'image/png', sizeBytes: bytes.length });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/media/${created.body.id}`);
    expect(created.body).toMatchObject({ uploadMethod: 'PUT', uploadHeaders: { 'Content-Type': 'image/png' } });
    const ttl = Date.parse(created.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(200_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
    expect(created.body.uploadUrl.startsWith(`${media.store!.url}/media/${created.body.id}?`)).toBe(true);

    // Pending: the owner sees it without a download URL; nobody else sees it.
    expect((await getMedia(alice, created.body.id)).body).toMatchObject({ status: 'pending', downloadUrl: null, expiresAt: null });
    const bob = await user();
    expect((await getMedia(bob, created.body.id)).status).toBe(404);

    const put = await fetch(created.body.uploadUrl, { method: 'PUT', headers: created.body.uploadHeaders, body: new Uint8Array(bytes) });
    expect(put.status).toBe(200);

    const done = await complete(alice, created.body.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: created.body.id,
      ownerId: alice.id,
      status: 'uploaded',
      contentType: 'image/png',
      sizeBytes: bytes.length,
    });
    expect((await complete(alice, created.body.id)).body.status).toBe('uploaded'); // idempotent

    // Any signed-in user may read uploaded media.
    const got = await getMedia(bob, created.body.id);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: created.body.id, ownerId: alice.id, status: 'uploaded', contentType: 'image/png', sizeBytes: bytes.length });
    expect(Date.parse(got.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    const download = await fetch(got.body.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    // The download URL is for GET only.
    expect((await fetch(got.body.downloadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(bytes) })).status).toBe(
      403,
    );
    // The upload URL cannot replace the completed object.
    const swap = Buffer.from(`<script>alert(1)</script>`.padEnd(bytes.length, ' '));
    expect((await fetch(created.body.uploadUrl, { method: 'PUT', headers: created.body.uploadHeaders, body: swap })).status).toBe(409);
    expect(Buffer.from(await (await fetch((await getMedia(bob, created.body.id)).body.downloadUrl)).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('complete refuses bytes whose signature is not the declared type (409), and they cannot be swapped for good ones', async () => {
    const alice = await user();
    const html = Buffer.from('<html><script>document.cookie</script></html>'.padEnd(4096, ' '));
    const gif = Buffer.concat([Buffer.from('GIF89a'), randomBytes(4090)]);
    for (const [declared, body] of [
      ['image/png', html],
      ['image/png', gif],
      ['image/jpeg', randomBytes(4096)],
    ] as const) {
      const created = await createUpload(alice, { contentType: declared, sizeBytes: body.length });
      expect((await fetch(created.body.uploadUrl, { method: 'PUT', headers: created.body.uploadHeaders, body })).status).toBe(200);
      const res = await complete(alice, created.body.id);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.detail).toContain(`not ${declared}`);
      expect((await mediaRow(created.body.id)).status).toBe('pending');
    }
  });

  it('complete before the bytes arrived → 409, still pending', async () => {
    const alice = await user();
    const created = await createUpload(alice, { contentType: 'image/jpeg', sizeBytes: 10 });
    const res = await complete(alice, created.body.id);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await mediaRow(created.body.id)).status).toBe('pending');
  });

  it('complete refuses an object that does not match the declared size (HEAD check)', async () => {
    const alice = await user();
    const created = await createUpload(alice, { contentType: 'image/jpeg', sizeBytes: 10 });
    // Someone holding the store key writes 5 bytes under that key: media must not believe it.
    const url = signObjectUrl(media.store!.url, media.store!.signingKey, {
      method: 'PUT',
      key: `media/${created.body.id}`,
      expires: Math.floor(Date.now() / 1000) + 60,
      contentType: 'image/jpeg',
      size: 5,
    });
    expect((await fetch(url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: Buffer.alloc(5) })).status).toBe(200);
    expect((await complete(alice, created.body.id)).status).toBe(409);
    expect((await mediaRow(created.body.id)).status).toBe('pending');
  });

  it("another user cannot complete someone's upload: 403, nothing changes", async () => {
    const alice = await user();
    const mallory = await user();
    const bytes = gif(2, 2);
    const created = await createUpload(alice, { contentType: 'image/gif', sizeBytes: bytes.length });
    await fetch(created.body.uploadUrl, { method: 'PUT', headers: created.body.uploadHeaders, body: new Uint8Array(bytes) });
    const res = await complete(mallory, created.body.id);
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('https://agora.dev/problems/forbidden');
    const row = await mediaRow(created.body.id);
    expect(row.status).toBe('pending');
    expect(row.ownerId).toBe(alice.id);
    expect((await complete(alice, created.body.id)).body.status).toBe('uploaded');
  });

  it('unknown ids → 404 problem+json; malformed ids → 400 problem+json naming the id', async () => {
    const alice = await user();
    for (const [id, status] of [
      [randomUUID(), 404],
      ['not-a-uuid', 400],
      ["1' OR '1'='1", 400],
    ] as const) {
      for (const res of [await getMedia(alice, encodeURIComponent(id)), await complete(alice, encodeURIComponent(id))]) {
        expect(res.status).toBe(status);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        if (status === 400) expect(res.body.errors).toEqual([{ field: 'id', message: expect.stringMatching(/^must be a UUID/) }]);
      }
    }
  });
});

describe('bad input to the API → problem+json 4xx, nothing created', () => {
  const cases: [string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number][] = [
    ['unknown content type', { body: { contentType: 'image/svg+xml', sizeBytes: 10 } }, 400],
    ['video (not supported yet)', { body: { contentType: 'video/mp4', sizeBytes: 10 } }, 400],
    ['size 0', { body: { contentType: 'image/png', sizeBytes: 0 } }, 400],
    ['negative size', { body: { contentType: 'image/png', sizeBytes: -1 } }, 400],
    ['size > 10 MiB', { body: { contentType: 'image/png', sizeBytes: 10 * 1024 * 1024 + 1 } }, 400],
    ['fractional size', { body: { contentType: 'image/png', sizeBytes: 1.5 } }, 400],
    ['size as a string', { body: { contentType: 'image/png', sizeBytes: '10' } }, 400],
    ['missing size', { body: { contentType: 'image/png' } }, 400],
    ['unknown field', { body: { contentType: 'image/png', sizeBytes: 10, ownerId: randomUUID() } }, 400],
    ['array body', { body: [] }, 400],
    ['malformed JSON', { raw: '{"contentType":', headers: { 'content-type': 'application/json' } }, 400],
    ['not JSON', { raw: 'contentType=image/png', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
  ];

  it.each(cases)('%s', async (_name, opts, status) => {
    const u = await user();
    const before = await mediaCount();
    const res = await request('POST', `${media.base}/api/v1/media/uploads`, { ...opts, headers: { ...u.auth, ...opts.headers } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.type).toMatch(/^https:\/\/agora\.dev\/problems\//);
    expect(JSON.stringify(res.body)).not.toContain('stack');
    expect(await mediaCount()).toBe(before);
  });

  it('the largest allowed size is accepted', async () => {
    const res = await createUpload(await user(), { contentType: 'image/webp', sizeBytes: 10 * 1024 * 1024 });
    expect(res.status).toBe(201);
  });

  it('without a valid token → 401, nothing created', async () => {
    const before = await mediaCount();
    const expired = await issuer.token(randomUUID(), { expiresIn: -120 });
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${expired}` }] as Record<string, string>[]) {
      const res = await request('POST', `${media.base}/api/v1/media/uploads`, { body: { contentType: 'image/png', sizeBytes: 1 }, headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await request('GET', `${media.base}/api/v1/media/${randomUUID()}`)).status).toBe(401);
    expect(await mediaCount()).toBe(before);
  });
});
