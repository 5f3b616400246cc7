import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startUsers, TEST_MESH_KEY, type RunningUsers, type TestUser } from './harness.js';
import { startFakeMedia, type FakeMedia } from './fake-media.js';

let users: RunningUsers;
let media: FakeMedia;
let alice: TestUser;
let bob: TestUser;
const me = (u: TestUser) => `${users.base}/api/v1/users/me`;
const patch = (u: TestUser, body: unknown) => call(me(u), { method: 'PATCH', headers: u.auth, body });
const upload = (ownerId: string, over: Partial<{ status: string; contentType: string }> = {}) => {
  const id = randomUUID();
  media.media.set(id, { id, ownerId, status: 'uploaded', contentType: 'image/png', ...over });
  return id;
};

beforeAll(async () => {
  media = await startFakeMedia(TEST_MESH_KEY);
  users = await startUsers({ SERVICE_URL_MEDIA: media.base });
  alice = await users.issuer!.user('alice');
  bob = await users.issuer!.user('bob');
});
afterAll(async () => {
  await users?.stop();
  await media?.stop();
});

describe('avatar (checked with media)', () => {
  it('attaches an image the caller uploaded, asking media as workload `users` with the user token forwarded', async () => {
    const id = upload(alice.id);
    const res = await patch(alice, { avatarMediaId: id });
    expect(res.status).toBe(200);
    expect(res.body.avatarMediaId).toBe(id);
    const seen = media.calls.at(-1)!;
    expect(seen).toEqual({ service: 'users', path: `/internal/v1/media/${id}`, forwardedUser: true });
  });

  it('null removes the avatar without asking media', async () => {
    const before = media.calls.length;
    const res = await patch(alice, { avatarMediaId: null });
    expect(res.status).toBe(200);
    expect(res.body.avatarMediaId).toBeNull();
    expect(media.calls.length).toBe(before);
  });

  it("refuses someone else's media (403), unknown media, unfinished uploads and non-images (400); nothing changes", async () => {
    const mine = upload(alice.id);
    await patch(alice, { avatarMediaId: mine, displayName: 'Alice' });
    const cases: [string, number, string][] = [
      [upload(bob.id), 403, 'forbidden'],
      [randomUUID(), 400, 'validation'],
      [upload(alice.id, { status: 'pending' }), 400, 'validation'],
      [upload(alice.id, { contentType: 'application/pdf' }), 400, 'validation'],
    ];
    for (const [id, status, type] of cases) {
      const res = await patch(alice, { avatarMediaId: id, displayName: 'Changed' });
      expect(res.status, id).toBe(status);
      expect(res.body.type).toBe(`https://agora.dev/problems/${type}`);
    }
    expect((await call(me(alice), { headers: alice.auth })).body).toMatchObject({ avatarMediaId: mine, displayName: 'Alice' });
  });

  it('media failing or down is a fast 503 and nothing changes', async () => {
    const id = upload(alice.id);
    media.failWith = 500;
    try {
      const res = await patch(alice, { avatarMediaId: id, bio: 'should not stick' });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('https://agora.dev/problems/service-unavailable');
    } finally {
      media.failWith = undefined;
    }
    const down = await startUsers(); // SERVICE_URL_MEDIA: a closed port
    try {
      const carol = await down.issuer!.user('carol');
      const started = Date.now();
      const res = await call(`${down.base}/api/v1/users/me`, { method: 'PATCH', headers: carol.auth, body: { avatarMediaId: randomUUID() } });
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await call(`${down.base}/api/v1/users/me`, { headers: carol.auth })).body.avatarMediaId).toBeNull();
    } finally {
      await down.stop();
    }
    const after = await call(me(alice), { headers: alice.auth });
    expect(after.status).toBe(200);
    expect(after.body.bio).toBe('');
  });
});
