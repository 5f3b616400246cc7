import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { signLocalAssertion } from '@agora/mesh';
import { MESH_KEY, request, startMedia, type RunningMedia } from './harness.js';
import { startMediaWithIssuer } from './media-with-issuer.js';
import type { TestIssuer } from './tokens.js';

let media: RunningMedia;
let issuer: TestIssuer;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => void ({ media, issuer, stop } = await startMediaWithIssuer()));
afterAll(async () => stop?.());

const reference = (id: string, caller?: string, headers: Record<string, string> = {}) =>
  request('GET', `${media.base}/internal/v1/media/${id}`, {
    headers: { ...(caller ? { 'x-agora-workload': signLocalAssertion(caller, MESH_KEY) } : {}), ...headers },
  });

describe('GET /internal/v1/media/{id} (called by posts and users)', () => {
  it('answers { id, ownerId, status, contentType, width, height, alt } to posts and users', async () => {
    const owner = randomUUID();
    const created = await request('POST', `${media.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/png', sizeBytes: 10 },
      headers: { authorization: `Bearer ${await issuer.token(owner)}` },
    });
    expect(created.status).toBe(201);
    for (const caller of ['posts', 'users']) {
      const res = await reference(created.body.id, caller);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: created.body.id,
        ownerId: owner,
        status: 'pending',
        contentType: 'image/png',
        width: null,
        height: null,
        alt: null,
      });
    }
  });

  it('401 without a workload identity (a user token is not one), 403 for another workload', async () => {
    const id = randomUUID();
    for (const res of [
      await reference(id),
      await reference(id, undefined, { authorization: `Bearer ${await issuer.token()}` }),
      await reference(id, undefined, { 'x-agora-workload': signLocalAssertion('posts', 'some-other-key-that-is-long-enough-000') }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    for (const caller of ['auth', 'media']) {
      const res = await reference(id, caller);
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('https://agora.dev/problems/forbidden');
    }
  });

  it('404 problem+json for an unknown id, 400 naming the id for a malformed one', async () => {
    const unknown = await reference(randomUUID(), 'posts');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(unknown.body.type).toBe('https://agora.dev/problems/not-found');
    for (const id of ['not-a-uuid', '00000000-0000-0000-0000-00000000000g']) {
      const res = await reference(id, 'posts');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({
        type: 'https://agora.dev/problems/validation',
        errors: [{ field: 'id', message: expect.stringMatching(/^must be a UUID/) }],
      });
    }
  });
});

describe('two media instances in one process (as in posts/users tests)', () => {
  it('keep their own databases', async () => {
    const other = await startMedia({ JWKS_URL: issuer.jwksUrl });
    try {
      const created = await request('POST', `${media.base}/api/v1/media/uploads`, {
        body: { contentType: 'image/png', sizeBytes: 10 },
        headers: { authorization: `Bearer ${await issuer.token()}` },
      });
      expect((await reference(created.body.id, 'posts')).status).toBe(200);
      const elsewhere = await request('GET', `${other.base}/internal/v1/media/${created.body.id}`, {
        headers: { 'x-agora-workload': signLocalAssertion('posts', MESH_KEY) },
      });
      expect(elsewhere.status).toBe(404);
    } finally {
      await other.stop();
    }
  });
});
