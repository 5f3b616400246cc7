import { describe, expect, it } from 'vitest';
import { loadMediaConfig } from '../src/config.js';
import { presignS3Url, S3ObjectStore } from '../src/domain/s3-store.js';
import { createObjectStore } from '../src/wiring.js';
import { TEST_S3_SETTINGS } from './s3-settings.js';

// The credentials of AWS's documentation example (not real).
const AWS_EXAMPLE = {
  region: 'us-east-1',
  bucket: 'examplebucket',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  endpoint: 'https://s3.amazonaws.com',
  forcePathStyle: false,
};

describe('S3 presigned URLs (AWS SDK presigner, offline)', () => {
  it('signs GET URLs with SigV4 for the credential scope of the example, deterministically per inputs', async () => {
    const input = { method: 'GET' as const, key: 'test.txt', expiresIn: 86400, now: new Date('2013-05-24T00:00:00Z') };
    const url = new URL(await presignS3Url(AWS_EXAMPLE, input));
    expect(url.host).toBe('examplebucket.s3.amazonaws.com');
    expect(url.pathname).toBe('/test.txt');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20130524T000000Z');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    const signature = url.searchParams.get('X-Amz-Signature');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    // Same inputs, same signature; another secret or key, another one.
    expect(new URL(await presignS3Url(AWS_EXAMPLE, input)).searchParams.get('X-Amz-Signature')).toBe(signature);
    expect(new URL(await presignS3Url({ ...AWS_EXAMPLE, secretAccessKey: 'other' }, input)).searchParams.get('X-Amz-Signature')).not.toBe(signature);
    expect(new URL(await presignS3Url(AWS_EXAMPLE, { ...input, key: 'other.txt' })).searchParams.get('X-Amz-Signature')).not.toBe(signature);
    expect(url.toString()).not.toContain('wJalrXUtnFEMI');
  });

  it('upload URLs expire within 300 s and sign content-type, content-length and If-None-Match (write-once)', async () => {
    const now = Date.parse('2030-01-02T03:04:05.678Z');
    const store = new S3ObjectStore({ ...TEST_S3_SETTINGS, now: () => now });
    const put = await store.presignPut('media/8b0f0f8e-6d4e-4f55-9d7a-2f1f3d1c0a11', 'image/png', 48213);
    const url = new URL(put.url);
    expect(url.origin).toBe('https://agora-media.s3.eu-central-1.amazonaws.com');
    expect(url.pathname).toBe('/media/8b0f0f8e-6d4e-4f55-9d7a-2f1f3d1c0a11');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    // If-None-Match: * makes S3 refuse (412) a PUT to a key that holds an object: the URL cannot replace a completed upload.
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20300102/eu-central-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
    expect(put.url).not.toContain('secret-example');
    expect(put).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png', 'If-None-Match': '*' } });
    expect(put.expiresAt.toISOString()).toBe('2030-01-02T03:09:05.000Z');

    // The size and the type are part of the signature: another size or type is another URL.
    const otherSize = new URL((await store.presignPut('media/8b0f0f8e-6d4e-4f55-9d7a-2f1f3d1c0a11', 'image/png', 48214)).url);
    const otherType = new URL((await store.presignPut('media/8b0f0f8e-6d4e-4f55-9d7a-2f1f3d1c0a11', 'image/gif', 48213)).url);
    const sig = url.searchParams.get('X-Amz-Signature');
    expect(otherSize.searchParams.get('X-Amz-Signature')).not.toBe(sig);
    expect(otherType.searchParams.get('X-Amz-Signature')).not.toBe(sig);
  });

  it('download URLs sign only the host and expire within the TTL', async () => {
    const store = new S3ObjectStore({ ...TEST_S3_SETTINGS, ttlSeconds: 120 });
    const get = await store.presignGet('media/x');
    const url = new URL(get.url);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(get.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(120_000);
  });

  it('path-style URLs for S3-compatible stores (S3_FORCE_PATH_STYLE)', async () => {
    const store = new S3ObjectStore({ ...TEST_S3_SETTINGS, endpoint: 'http://minio.local:9000', forcePathStyle: true });
    const url = new URL((await store.presignGet('media/abc')).url);
    expect(url.origin).toBe('http://minio.local:9000');
    expect(url.pathname).toBe('/agora-media/media/abc');
  });

  it('is chosen by MEDIA_STORE=s3 with the k8s variable names, and refuses to start without them', async () => {
    const base = { DATABASE_URL: 'postgres://u:p@localhost/agora_media', JWT_ISSUER: 'http://x', JWKS_URL: 'http://x/jwks' };
    const config = loadMediaConfig({
      ...base,
      S3_ENDPOINT: 'https://s3.eu-central-1.amazonaws.com',
      S3_REGION: 'eu-central-1',
      S3_BUCKET: 'agora-media',
      S3_FORCE_PATH_STYLE: 'false',
      S3_ACCESS_KEY_ID: 'a',
      S3_SECRET_ACCESS_KEY: 'b',
      MEDIA_URL_TTL_SECONDS: '300',
    });
    expect(config.MEDIA_STORE).toBe('s3');
    expect(await createObjectStore(config)).toBeInstanceOf(S3ObjectStore);
    expect(() => loadMediaConfig(base)).toThrow(/S3_BUCKET: required when MEDIA_STORE=s3/);
    expect(() => loadMediaConfig({ ...base, MEDIA_STORE: 'local' })).toThrow(/LOCAL_STORE_SIGNING_KEY: required when MEDIA_STORE=local/);
  });
});
