import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalAssertion } from '@agora/mesh';
import { call, startUsers, TEST_MESH_KEY, type RunningUsers, type TestUser } from './harness.js';

let users: RunningUsers;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
beforeAll(async () => {
  users = await startUsers();
  [alice, bob, carol] = await Promise.all([users.issuer!.user('alice'), users.issuer!.user('bob'), users.issuer!.user('carol')]);
  for (const u of [alice, bob, carol]) expect((await call(`${users.base}/api/v1/users/me`, { headers: u.auth })).status).toBe(200);
  await call(`${users.base}/api/v1/users/${bob.id}/follow`, { method: 'POST', headers: alice.auth });
  await call(`${users.base}/api/v1/users/${carol.id}/follow`, { method: 'POST', headers: alice.auth });
});
afterAll(async () => users?.stop());

const followingIds = (id: string, caller?: string, key = TEST_MESH_KEY) =>
  call(`${users.base}/internal/v1/users/${id}/following-ids`, {
    headers: caller ? { 'x-agora-workload': signLocalAssertion(caller, key) } : {},
  });

describe('GET /internal/v1/users/{id}/following-ids (for posts)', () => {
  it('answers every id the user follows, newest follow first, to the posts workload', async () => {
    const res = await followingIds(alice.id, 'posts');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ids: [carol.id, bob.id] });
  });

  it('answers an empty list for a user without follows or without a profile', async () => {
    expect((await followingIds(bob.id, 'posts')).body).toEqual({ ids: [] });
    expect((await followingIds('00000000-0000-4000-8000-000000000000', 'posts')).body).toEqual({ ids: [] });
  });

  it('refuses a caller without workload identity (401), a forged one (401) and another workload (403)', async () => {
    const none = await followingIds(alice.id);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await followingIds(alice.id, 'posts', 'some-other-key-that-is-long-enough-0123')).status).toBe(401);
    const wrong = await followingIds(alice.id, 'media');
    expect(wrong.status).toBe(403);
    expect(wrong.body.type).toBe('https://agora.dev/problems/forbidden');
  });

  it('does not accept a user token in place of a workload identity', async () => {
    expect((await call(`${users.base}/internal/v1/users/${alice.id}/following-ids`, { headers: alice.auth })).status).toBe(401);
  });

  it('answers 400 problem+json for an id that is not a UUID', async () => {
    const res = await followingIds('not-a-uuid', 'posts');
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('https://agora.dev/problems/validation');
  });
});
