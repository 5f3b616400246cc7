import { describe, expect, it } from 'vitest';
import { contentWindow, objectCacheControl } from '../src/domain/content-url.js';
import { S3ObjectStore } from '../src/domain/s3-store.js';
import { TEST_S3_SETTINGS } from './s3-settings.js';

describe('the content URL windows (content-url.ts)', () => {
  const HOUR = 3600;

  it('one URL per half life: signed at the window start, expiring one life later, never with less than half its life left', () => {
    const start = Date.parse('2026-11-28T12:00:00Z');
    for (const offset of [0, 1, 900_000, 1_799_999]) {
      const w = contentWindow(start + offset, HOUR);
      expect(w.signedAt.toISOString()).toBe('2026-11-28T12:00:00.000Z');
      expect(w.expiresAt.toISOString()).toBe('2026-11-28T13:00:00.000Z');
      expect(w.expiresAt.getTime() - (start + offset)).toBeGreaterThan((HOUR / 2) * 1000);
    }
    expect(contentWindow(start + 1_800_000, HOUR).signedAt.toISOString()).toBe('2026-11-28T12:30:00.000Z');
  });

  it('a cached redirect always leads to a URL with at least a quarter of its life left', () => {
    for (const life of [120, HOUR, 86_400]) {
      for (let t = 0; t < life * 2000; t += 7_919) {
        const w = contentWindow(t, life);
        const usedUntil = t + w.redirectMaxAgeSeconds * 1000;
        expect(w.expiresAt.getTime() - usedUntil).toBeGreaterThanOrEqual((life / 4) * 1000);
      }
    }
  });

  it('S3: the same URL within a window, response-cache-control signed in, the window length as X-Amz-Expires', async () => {
    let now = Date.parse('2026-11-28T12:00:10Z');
    const store = new S3ObjectStore({ ...TEST_S3_SETTINGS, now: () => now });
    const sign = async () => {
      const w = contentWindow(now, HOUR);
      return store.presignContent('media/abc', w.signedAt, w.expiresAt, objectCacheControl(HOUR));
    };
    const first = await sign();
    const url = new URL(first);
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261128T120000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('response-cache-control')).toBe('private, max-age=3600, immutable');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    now += 20 * 60 * 1000;
    expect(await sign()).toBe(first);
    now += 10 * 60 * 1000;
    expect(new URL(await sign()).searchParams.get('X-Amz-Date')).toBe('20261128T123000Z');
  });
});
