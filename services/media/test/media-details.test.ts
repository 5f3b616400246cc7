import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { request, startMedia, type RunningMedia } from './harness.js';
import { gif, jpeg, png, webp } from './images.js';
import { startMediaWithIssuer } from './media-with-issuer.js';
import type { TestIssuer } from './tokens.js';
import { testUser, upload, type TestUser } from './uploaded.js';
import type { components } from '../../../test/helpers/generated/media.js';

type MediaContentType = components['schemas']['MediaContentType'];

let media: RunningMedia;
let issuer: TestIssuer;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => void ({ media, issuer, stop } = await startMediaWithIssuer()));
afterAll(async () => stop?.());

const row = async (id: string) =>
  (
    await media.service.db.query<{ status: string; width: number | null; height: number | null; alt: string | null }>(
      'SELECT status, width, height, alt FROM media WHERE id = $1',
      [id],
    )
  )[0];
const content = (id: string, headers: Record<string, string> = {}) =>
  fetch(`${media.base}/api/v1/media/${id}/content`, { redirect: 'manual', headers });
const patch = (u: TestUser, id: string, body: unknown) => request('PATCH', `${media.base}/api/v1/media/${id}`, { body, headers: u.auth });
const remove = (u: TestUser, id: string) => request('DELETE', `${media.base}/api/v1/media/${id}`, { headers: u.auth });
const objectFile = (id: string) => path.join(media.store!.dir, 'data', 'media', id);
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('width and height, read from the bytes at completion', () => {
  it.each([
    { type: 'image/png', bytes: png(640, 480), width: 640, height: 480 },
    { type: 'image/gif', bytes: gif(33, 44), width: 33, height: 44 },
    { type: 'image/webp', bytes: webp(1000, 2000), width: 1000, height: 2000 },
    { type: 'image/jpeg', bytes: jpeg(800, 600), width: 800, height: 600 },
    { type: 'image/jpeg', bytes: jpeg(800, 600, { orientation: 6 }), width: 600, height: 800 }, // EXIF: shown turned a quarter
    { type: 'image/jpeg', bytes: jpeg(800, 600, { orientation: 3 }), width: 800, height: 600 }, // upside down: same size
    { type: 'image/jpeg', bytes: jpeg(1200, 900, { metadataBytes: 100_000 }), width: 1200, height: 900 }, // size after 64 KiB of metadata
  ] as Array<{ type: MediaContentType; bytes: Buffer; width: number; height: number }>)(
    '$type $width × $height',
    async ({ type, bytes, width, height }) => {
      const { id, done } = await upload(media, await testUser(issuer), type, bytes);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'uploaded', width, height, alt: null, url: `/api/v1/media/${id}/content` });
      expect(await row(id)).toMatchObject({ status: 'uploaded', width, height });
    },
  );

  it.each([
    ['a PNG cut before its size', 'image/png', png(10, 10).subarray(0, 20)],
    ['a GIF of width 0', 'image/gif', gif(0, 10)],
    ['a JPEG without a frame header', 'image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.alloc(600)])],
    ['a WebP of another type than declared', 'image/png', webp(10, 10)],
  ] as Array<[string, MediaContentType, Uint8Array]>)('%s is refused (409 problem+json), still pending', async (_name, type, bytes) => {
    const { id, done } = await upload(media, await testUser(issuer), type, Buffer.from(bytes));
    expect(done.status).toBe(409);
    expect(done.headers.get('content-type')).toBe('application/problem+json');
    expect(await row(id)).toMatchObject({ status: 'pending', width: null, height: null });
  });
});

describe('GET /api/v1/media/{id}/content: a stable URL an <img> can use and a browser can cache', () => {
  it('anonymous → 302 to a signed URL (the same one on the next request), cacheable redirect and bytes', async () => {
    const bytes = png(64, 48, 4096);
    const { id } = await upload(media, await testUser(issuer), 'image/png', bytes);
    const first = await content(id);
    expect(first.status).toBe(302);
    expect(first.headers.get('cache-control')).toBe('private, max-age=900');
    const location = first.headers.get('location')!;
    expect(location.startsWith(`${media.store!.url}/media/${id}?`)).toBe(true);
    // Signed for half an hour to an hour from now, and the same URL again: the browser's copy is reused.
    const expires = Number(new URL(location).searchParams.get('expires'));
    expect(expires - Date.now() / 1000).toBeGreaterThan(1800 - 5);
    expect(expires - Date.now() / 1000).toBeLessThanOrEqual(3600);
    expect((await content(id)).headers.get('location')).toBe(location);
    // A token is not needed, and one that comes along changes nothing.
    expect((await content(id, { authorization: `Bearer ${await issuer.token()}` })).headers.get('location')).toBe(location);

    const object = await fetch(location);
    expect(object.status).toBe(200);
    expect(object.headers.get('content-type')).toBe('image/png');
    const cache = object.headers.get('cache-control')!;
    expect(cache).toMatch(/^private, max-age=\d+, immutable$/);
    const maxAge = Number(/max-age=(\d+)/.exec(cache)![1]);
    expect(maxAge).toBeGreaterThan(1800 - 5);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(Buffer.from(await object.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('404 problem+json (never cacheable) for an unknown, a pending and a deleted id; 400 for a malformed one', async () => {
    const owner = await testUser(issuer);
    const pending = await request('POST', `${media.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/png', sizeBytes: 100 },
      headers: owner.auth,
    });
    const { id: deleted } = await upload(media, owner, 'image/gif', gif(2, 2));
    expect((await remove(owner, deleted)).status).toBe(204);
    for (const id of [randomUUID(), pending.body.id, deleted]) {
      for (const headers of [{}, owner.auth]) {
        const res = await content(id, headers);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('location')).toBeNull();
      }
    }
    const malformed = await content('not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ field: 'id', message: expect.stringMatching(/^must be a UUID/) }] });
  });

  it('GET /api/v1/media/{id} names the stable URL beside the short-lived one', async () => {
    const viewer = await testUser(issuer);
    const { id } = await upload(media, await testUser(issuer), 'image/png', png(5, 7));
    const got = await request('GET', `${media.base}/api/v1/media/${id}`, { headers: viewer.auth });
    expect(got.body).toMatchObject({ url: `/api/v1/media/${id}/content`, width: 5, height: 7, alt: null, downloadUrl: expect.any(String) });
  });
});

describe('PATCH /api/v1/media/{id} { alt }', () => {
  it('the owner sets, trims, replaces and removes the alt text; others see it', async () => {
    const owner = await testUser(issuer);
    const { id } = await upload(media, owner, 'image/png', png(3, 3));
    const set = await patch(owner, id, { alt: '  A heron at dusk,\nstanding in shallow water  ' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id, alt: 'A heron at dusk,\nstanding in shallow water', width: 3, height: 3 });
    const viewer = await testUser(issuer);
    expect((await request('GET', `${media.base}/api/v1/media/${id}`, { headers: viewer.auth })).body.alt).toBe(
      'A heron at dusk,\nstanding in shallow water',
    );
    expect((await patch(owner, id, { alt: 'ä'.repeat(1000) })).body.alt).toBe('ä'.repeat(1000));
    expect((await patch(owner, id, { alt: '' })).body.alt).toBeNull();
    expect((await patch(owner, id, { alt: 'again' })).body.alt).toBe('again');
    expect((await patch(owner, id, { alt: null })).body.alt).toBeNull();
    expect((await row(id))!.alt).toBeNull();
  });

  it('the owner may describe a pending upload too', async () => {
    const owner = await testUser(issuer);
    const ticket = await request('POST', `${media.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/png', sizeBytes: 100 },
      headers: owner.auth,
    });
    expect((await patch(owner, ticket.body.id, { alt: 'soon' })).body).toMatchObject({ status: 'pending', alt: 'soon' });
  });

  it('refuses, changing nothing: another user 403, unknown 404, malformed id 400, bad bodies 400/415', async () => {
    const owner = await testUser(issuer);
    const { id } = await upload(media, owner, 'image/png', png(3, 3));
    expect((await patch(owner, id, { alt: 'kept' })).status).toBe(200);
    const cases: [string, TestUser, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number][] = [
      ['another user', await testUser(issuer), id, { body: { alt: 'mine now' } }, 403],
      ['unknown id', owner, randomUUID(), { body: { alt: 'x' } }, 404],
      ['malformed id', owner, 'nope', { body: { alt: 'x' } }, 400],
      ['too long', owner, id, { body: { alt: 'a'.repeat(1001) } }, 400],
      ['a control character', owner, id, { body: { alt: 'bell\u0007' } }, 400],
      ['a NUL', owner, id, { body: { alt: 'a\u0000b' } }, 400],
      ['a tab', owner, id, { body: { alt: 'a\tb' } }, 400],
      ['not a string', owner, id, { body: { alt: 42 } }, 400],
      ['missing alt', owner, id, { body: {} }, 400],
      ['an unknown field', owner, id, { body: { alt: 'x', width: 1 } }, 400],
      ['not JSON', owner, id, { raw: 'alt=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ];
    for (const [name, who, target, opts, status] of cases) {
      const res = await request('PATCH', `${media.base}/api/v1/media/${target}`, { ...opts, headers: { ...who.auth, ...opts.headers } });
      expect(res.status, name).toBe(status);
      expect(res.headers.get('content-type'), name).toBe('application/problem+json');
      expect((await row(id))!.alt, name).toBe('kept');
    }
    expect((await request('PATCH', `${media.base}/api/v1/media/${id}`, { body: { alt: 'x' } })).status).toBe(401);
    expect((await row(id))!.alt).toBe('kept');
  });
});

describe('DELETE /api/v1/media/{id}', () => {
  it('the owner deletes: 204, the bytes leave the store, the row goes, every read is 404 afterwards', async () => {
    const owner = await testUser(issuer);
    const { id } = await upload(media, owner, 'image/webp', webp(20, 10));
    const location = (await content(id)).headers.get('location')!;
    expect(await exists(objectFile(id))).toBe(true);
    const res = await remove(owner, id);
    expect(res.status).toBe(204);
    expect(await exists(objectFile(id))).toBe(false);
    expect(await row(id)).toBeUndefined();
    expect((await fetch(location)).status).toBe(404);
    expect((await request('GET', `${media.base}/api/v1/media/${id}`, { headers: owner.auth })).status).toBe(404);
    expect((await remove(owner, id)).status).toBe(404);
    expect((await patch(owner, id, { alt: 'late' })).status).toBe(404);
  });

  it('deletes a pending upload too', async () => {
    const owner = await testUser(issuer);
    const ticket = await request('POST', `${media.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/png', sizeBytes: 100 },
      headers: owner.auth,
    });
    expect((await remove(owner, ticket.body.id)).status).toBe(204);
    expect(await row(ticket.body.id)).toBeUndefined();
  });

  it('refuses, changing nothing: another user 403, anonymous 401, unknown 404, malformed 400', async () => {
    const owner = await testUser(issuer);
    const { id } = await upload(media, owner, 'image/png', png(4, 4));
    for (const [res, status] of [
      [await remove(await testUser(issuer), id), 403],
      [await request('DELETE', `${media.base}/api/v1/media/${id}`), 401],
      [await remove(owner, randomUUID()), 404],
      [await remove(owner, 'not-a-uuid'), 400],
    ] as const) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await row(id)).toMatchObject({ status: 'uploaded' });
    expect(await exists(objectFile(id))).toBe(true);
  });

  it('the store unreachable → 503, the row stays', async () => {
    const own = await startMedia({ JWKS_URL: issuer.jwksUrl });
    try {
      const owner = await testUser(issuer);
      const { id } = await upload(own, owner, 'image/png', png(4, 4));
      await own.store!.server.close(1_000);
      const res = await request('DELETE', `${own.base}/api/v1/media/${id}`, { headers: owner.auth });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await own.service.db.query('SELECT 1 FROM media WHERE id = $1', [id])).length).toBe(1);
      expect((await own.service.db.query('SELECT 1 FROM graphile_worker.jobs WHERE key LIKE $1', [`media.deleted:${id}:%`])).length).toBe(0);
    } finally {
      await own.stop();
    }
  });
});
