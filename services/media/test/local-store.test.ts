import http from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signObjectUrl, type ObjectSignatureInput } from '../../../mesh/src/object-url.js';
import { startObjectStore, type ObjectStore } from '../../../tools/src/local/object-store.js';
import { LocalObjectStore } from '../src/domain/local-store.js';

const KEY = 'test-signing-key-0123456789abcdef0123456789';
let store: ObjectStore;
let dir: string;
let base: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'agora-store-test-'));
  store = await startObjectStore({ dir, signingKey: KEY, port: 0, corsOrigins: ['http://localhost:5173'] });
  base = `${store.url}/objects`;
});
afterAll(async () => {
  await store?.close(500);
  await rm(dir, { recursive: true, force: true });
});

const soon = () => Math.floor(Date.now() / 1000) + 60;
const sign = (input: Partial<ObjectSignatureInput> & { method: ObjectSignatureInput['method'] }, key = KEY) =>
  signObjectUrl(base, key, { key: 'media/a', expires: soon(), ...input });
const putUrl = (objectKey: string, size: number, type = 'image/png') => sign({ method: 'PUT', key: objectKey, contentType: type, size });
const put = (url: string, body: Buffer, type = 'image/png') =>
  fetch(url, { method: 'PUT', headers: { 'content-type': type }, body: new Uint8Array(body) });

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { status: number; type: string };
  expect(body.status).toBe(status);
  return body;
}

describe('local object store: the signed-URL contract', () => {
  it('stores and serves an object (PUT, HEAD, GET) and refuses a second PUT to its key (write-once)', async () => {
    const bytes = Buffer.from('hello, object');
    expect((await put(putUrl('media/one', bytes.length), bytes)).status).toBe(200);
    const head = await fetch(sign({ method: 'HEAD', key: 'media/one' }), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('content-type')).toBe('image/png');
    const get = await fetch(sign({ method: 'GET', key: 'media/one' }));
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
    expect(get.headers.get('x-content-type-options')).toBe('nosniff');
    // Write-once bytes: a browser may keep them for what is left of the signature's life (here 60 s).
    expect(get.headers.get('cache-control')).toMatch(/^private, max-age=(59|60), immutable$/);
    expect(head.headers.get('cache-control')).toBe('no-store');

    const again = Buffer.from('GIF89a');
    const refused = await put(putUrl('media/one', again.length, 'image/gif'), again, 'image/gif');
    expect((await expectProblem(refused, 409)).type).toBe('https://agora.dev/problems/conflict');
    const got = await fetch(sign({ method: 'GET', key: 'media/one' }));
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('of two concurrent PUTs to one key exactly one is stored', async () => {
    const a = Buffer.alloc(64 * 1024, 1);
    const b = Buffer.alloc(64 * 1024, 2);
    const statuses = (await Promise.all([put(putUrl('media/race', a.length), a), put(putUrl('media/race', b.length), b)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409]);
    const got = Buffer.from(await (await fetch(sign({ method: 'GET', key: 'media/race' }))).arrayBuffer());
    expect(got.equals(a) || got.equals(b)).toBe(true);
  });

  it('expired URLs → 403', async () => {
    const past = Math.floor(Date.now() / 1000) - 1;
    const body = await expectProblem(
      await put(sign({ method: 'PUT', key: 'media/exp', contentType: 'image/png', size: 1, expires: past }), Buffer.from('x')),
      403,
    );
    expect(body.type).toBe('https://agora.dev/problems/forbidden');
    await expectProblem(await fetch(sign({ method: 'GET', key: 'media/one', expires: past })), 403);
    expect((await fetch(sign({ method: 'HEAD', key: 'media/one', expires: past }), { method: 'HEAD' })).status).toBe(403);
  });

  it('tampered signature, key, expiry, type or size → 403, nothing stored', async () => {
    const good = new URL(putUrl('media/tamper', 4));
    const variants: [string, (u: URL) => void][] = [
      ['signature', (u) => u.searchParams.set('signature', `${u.searchParams.get('signature')!.slice(0, -2)}AA`)],
      ['no signature', (u) => u.searchParams.delete('signature')],
      ['key', (u) => (u.pathname = u.pathname.replace('media/tamper', 'media/other'))],
      ['expiry', (u) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600))],
      ['type', (u) => u.searchParams.set('type', 'image/gif')],
      ['size', (u) => u.searchParams.set('size', '5')],
    ];
    for (const [name, change] of variants) {
      const u = new URL(good);
      change(u);
      const type = u.searchParams.get('type') ?? 'image/png';
      const res = await put(u.toString(), Buffer.alloc(Number(u.searchParams.get('size') ?? 4)), type);
      expect(res.status, name).toBe(403);
    }
    // Signed with another key.
    await expectProblem(
      await put(sign({ method: 'PUT', key: 'media/tamper', contentType: 'image/png', size: 4 }, 'x'.repeat(40)), Buffer.alloc(4)),
      403,
    );
    // A GET URL is no PUT URL, and a PUT URL no GET URL.
    await expectProblem(await put(sign({ method: 'GET', key: 'media/tamper' }), Buffer.alloc(4)), 403);
    await expectProblem(await fetch(good), 403);
    expect((await fetch(sign({ method: 'HEAD', key: 'media/tamper' }), { method: 'HEAD' })).status).toBe(404);
  });

  it('wrong content type → 400, larger body → 413, smaller body → 400; nothing stored', async () => {
    const url = putUrl('media/strict', 8);
    const wrongType = await expectProblem(await put(url, Buffer.alloc(8), 'image/gif'), 400);
    expect(wrongType.type).toBe('https://agora.dev/problems/validation');
    await expectProblem(await put(url, Buffer.alloc(9)), 413);
    await expectProblem(await put(url, Buffer.alloc(7)), 400);
    expect((await fetch(sign({ method: 'HEAD', key: 'media/strict' }), { method: 'HEAD' })).status).toBe(404);
    expect((await put(url, Buffer.alloc(8))).status).toBe(200);
  });

  it('a body without Content-Length (chunked) → 400', async () => {
    const url = new URL(putUrl('media/chunked', 4));
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(url, { method: 'PUT', headers: { 'content-type': 'image/png', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(4));
    });
    expect(status).toBe(400);
  });

  it('a half upload is never visible and leaves no temporary file', async () => {
    const size = 2 * 1024 * 1024;
    const url = new URL(putUrl('media/half', size));
    await new Promise<void>((resolve) => {
      const req = http.request(url, { method: 'PUT', headers: { 'content-type': 'image/png', 'content-length': size } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(size / 2), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100),
      );
    });
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(sign({ method: 'HEAD', key: 'media/half' }), { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(sign({ method: 'GET', key: 'media/half' }))).status).toBe(404);
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('unknown objects → 404; other methods → 405; keys cannot leave the store', async () => {
    await expectProblem(await fetch(sign({ method: 'GET', key: 'media/missing' })), 404);
    await expectProblem(await fetch(`${base}/media/one`, { method: 'PATCH' }), 405);
    for (const p of ['/objects/../tmp/x', '/objects/media/%2e%2e/%2e%2e/data/media/one', '/objects/', '/etc/passwd', '/objects/.hidden']) {
      const status = await new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: store.port, path: p }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          })
          .on('error', reject);
      });
      expect(status, p).toBe(404);
    }
  });

  it('answers CORS preflights for the allowed origins only', async () => {
    const pre = await fetch(`${base}/media/x`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-methods')).toContain('PUT');
    const other = await fetch(`${base}/media/x`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("media's LocalObjectStore signs what the store accepts, and its HEAD reads type and size", async () => {
    const client = new LocalObjectStore({ publicUrl: base, signingKey: KEY, ttlSeconds: 300 });
    const up = await client.presignPut('media/client', 'image/webp', 3);
    expect((await put(up.url, Buffer.from('abc'), up.headers['Content-Type'])).status).toBe(200);
    expect(await client.head('media/client')).toEqual({ contentType: 'image/webp', sizeBytes: 3 });
    expect(await client.head('media/nothing')).toBeUndefined();
    const expired = new LocalObjectStore({ publicUrl: base, signingKey: KEY, ttlSeconds: 300, now: () => Date.now() - 301_000 });
    expect((await fetch((await expired.presignGet('media/client')).url)).status).toBe(403);
  });

  it('DELETE needs its own signature, removes the object, and succeeds again when nothing is left (erasure of a deleted account)', async () => {
    const client = new LocalObjectStore({ publicUrl: base, signingKey: KEY, ttlSeconds: 300 });
    const up = await client.presignPut('media/erased', 'image/png', 3);
    expect((await put(up.url, Buffer.from('abc'), up.headers['Content-Type'])).status).toBe(200);
    // A GET signature does not allow a DELETE, nor does an unsigned request.
    const getUrl = new URL((await client.presignGet('media/erased')).url);
    await expectProblem(await fetch(getUrl, { method: 'DELETE' }), 403);
    await expectProblem(await fetch(`${base}/media/erased`, { method: 'DELETE' }), 403);
    expect(await client.head('media/erased')).toEqual({ contentType: 'image/png', sizeBytes: 3 });
    await client.delete('media/erased');
    expect(await client.head('media/erased')).toBeUndefined();
    await client.delete('media/erased'); // nothing left: still success
  });
});
