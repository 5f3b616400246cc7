import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type Ingress } from '../../../tools/src/local/ingress.js';
import { signObjectUrl } from '../../../mesh/src/object-url.js';
import { startObjectStore, type ObjectStore } from '../../../tools/src/local/object-store.js';
import { serviceEnv } from '../../../tools/src/local/service-env.js';
import { LOCAL_OBJECT_STORE, SERVICES, routeFor, type ServiceName } from '../../../mesh/src/topology.js';
import { loadMediaConfig } from '../src/config.js';
import { createObjectStore } from '../src/wiring.js';
import { LocalObjectStore } from '../src/domain/local-store.js';

const KEY = 'ingress-test-signing-key-0123456789abcdef';
let dir: string;
let store: ObjectStore;
let ingress: Ingress;
let noStore: Ingress;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'agora-ingress-objects-'));
  store = await startObjectStore({ dir, signingKey: KEY, port: 0 });
  ingress = await startIngress({ port: 0, upstreams: {}, objectStore: store.url });
  noStore = await startIngress({ port: 0, upstreams: {} });
});
afterAll(async () => {
  await ingress?.close(500);
  await noStore?.close(500);
  await store?.close(500);
  await rm(dir, { recursive: true, force: true });
});

describe('the local object store in the local run', () => {
  it('is reached through the ingress under /objects/ (a local-only route, not a service prefix)', async () => {
    expect(routeFor('/objects/media/x')).toBeUndefined();
    expect(SERVICES.some((s) => s.publicPrefixes.some((p) => p.startsWith('/objects')))).toBe(false);

    const base = `http://127.0.0.1:${ingress.port}/objects`;
    const client = new LocalObjectStore({ publicUrl: base, signingKey: KEY, ttlSeconds: 300 });
    const bytes = Buffer.alloc(3 * 1024 * 1024, 9);
    const up = await client.presignPut('media/through-ingress', 'image/jpeg', bytes.length);
    expect((await fetch(up.url, { method: 'PUT', headers: up.headers, body: bytes })).status).toBe(200);
    const down = await fetch((await client.presignGet('media/through-ingress')).url);
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);
    // Tampering through the ingress is refused by the store, as problem+json.
    const tampered = (await client.presignGet('media/through-ingress')).url.replace(/signature=.{4}/, 'signature=AAAA');
    const res = await fetch(tampered);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('dot segments cannot leave /objects/ and /objects is nothing else', async () => {
    const url = signObjectUrl(`http://127.0.0.1:${ingress.port}/objects`, KEY, { method: 'GET', key: 'media/x', expires: 1 });
    expect((await fetch(url.replace('/objects/media/x', '/objects/../internal/v1/media/x'))).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${ingress.port}/objects`)).status).toBe(404);
  });

  it('answers 503 when the store is not running', async () => {
    const res = await fetch(`http://127.0.0.1:${noStore.port}/objects/media/x`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('gives media (only) the local store settings, which media accepts', async () => {
    const secrets = { SIGNING_KEY_ENCRYPTION_KEY: 'k', MESH_LOCAL_KEY: 'm'.repeat(43), LOCAL_STORE_SIGNING_KEY: 's'.repeat(43) };
    const ports = Object.fromEntries(SERVICES.map((s) => [s.name, s.localPort])) as Record<ServiceName, number>;
    const addresses = {
      ports,
      ingressUrl: 'http://localhost:8080',
      objectStore: { publicUrl: 'http://localhost:8080/objects', internalUrl: `http://127.0.0.1:${LOCAL_OBJECT_STORE.localPort}/objects` },
    };
    const ctx = { addresses, secrets, databaseUrl: 'postgres://postgres:p@127.0.0.1:5433/agora_media', mailboxDir: '/tmp/mail', logLevel: 'info' };
    const env = serviceEnv('media', ctx);
    expect(env).toMatchObject({
      MEDIA_STORE: 'local',
      LOCAL_STORE_URL: 'http://localhost:8080/objects',
      LOCAL_STORE_INTERNAL_URL: `http://127.0.0.1:${LOCAL_OBJECT_STORE.localPort}/objects`,
      LOCAL_STORE_SIGNING_KEY: secrets.LOCAL_STORE_SIGNING_KEY,
    });
    expect(await createObjectStore(loadMediaConfig(env))).toBeInstanceOf(LocalObjectStore);
    for (const other of SERVICES.filter((s) => s.name !== 'media')) {
      expect(serviceEnv(other.name, { ...ctx, passThrough: { LOCAL_STORE_SIGNING_KEY: 'leak' } }).LOCAL_STORE_SIGNING_KEY).toBeUndefined();
    }
  });
});
