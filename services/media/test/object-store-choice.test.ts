import { describe, expect, it, vi } from 'vitest';
import { loadMediaConfig } from '../src/config.js';
import { LocalObjectStore } from '../src/domain/local-store.js';

/**
 * The S3 store (and with it the AWS SDK, the largest part of media's bundle) is loaded only when
 * MEDIA_STORE selects it: a local-store process must not evaluate it at start. Read from the module
 * graph itself — the mock below notes when s3-store.ts is first loaded, and is otherwise the real module.
 */
const loaded = vi.hoisted(() => ({ s3Store: false }));
vi.mock('../src/domain/s3-store.js', async (importOriginal) => {
  loaded.s3Store = true;
  return importOriginal();
});
const { createObjectStore } = await import('../src/wiring.js');

const base = { DATABASE_URL: 'postgres://u:p@localhost/agora_media', JWT_ISSUER: 'http://x', JWKS_URL: 'http://x/jwks' };

describe('choosing the object store', () => {
  it('MEDIA_STORE=local neither imports nor evaluates the S3 store', async () => {
    expect(loaded.s3Store, 'not loaded with the wiring').toBe(false);
    const config = loadMediaConfig({
      ...base,
      MEDIA_STORE: 'local',
      LOCAL_STORE_URL: 'http://localhost:8080/objects',
      LOCAL_STORE_SIGNING_KEY: 's'.repeat(43),
    });
    expect(await createObjectStore(config)).toBeInstanceOf(LocalObjectStore);
    expect(loaded.s3Store, 'not loaded by the local store').toBe(false);
  });

  it('MEDIA_STORE=s3 loads it when chosen', async () => {
    const config = loadMediaConfig({
      ...base,
      S3_REGION: 'eu-central-1',
      S3_BUCKET: 'agora-media',
      S3_ACCESS_KEY_ID: 'a',
      S3_SECRET_ACCESS_KEY: 'b',
    });
    const store = await createObjectStore(config);
    expect(loaded.s3Store).toBe(true);
    expect(store.constructor.name).toBe('S3ObjectStore');
  });
});
