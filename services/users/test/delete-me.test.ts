import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalAssertion } from '@agora/mesh';
import { newUser, postJson, startAuth, type RunningAuth } from '../../auth/test/harness.js';
import { call, startUsers, TEST_MESH_KEY, type RunningUsers } from './harness.js';

let auth: RunningAuth;
let users: RunningUsers;

interface Person {
  id: string;
  username: string;
  password: string;
  refreshToken: string;
  headers: Record<string, string>;
}

/** Registers and logs in at the real auth, then makes the first request to users. */
async function person(on: RunningUsers = users, prefix = 'p'): Promise<Person> {
  const u = newUser(prefix);
  const reg = await postJson(`${auth.base}/api/v1/auth/register`, u);
  expect(reg.status).toBe(201);
  const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password });
  expect(login.status).toBe(200);
  const headers = { authorization: `Bearer ${login.body.accessToken}` };
  const profile = await call(`${on.base}/api/v1/users/me`, { headers });
  expect(profile.body).toMatchObject({ id: reg.body.id, username: u.username });
  return { id: reg.body.id, username: u.username, password: u.password, refreshToken: login.body.refreshToken, headers };
}

const withAuth = (extra: Record<string, string> = {}) => ({
  JWKS_URL: `${auth.base}/.well-known/jwks.json`,
  SERVICE_URL_AUTH: auth.base,
  ...extra,
});

beforeAll(async () => {
  auth = await startAuth({ MESH_IDENTITY: 'local', MESH_LOCAL_KEY: TEST_MESH_KEY });
  users = await startUsers(withAuth());
});
afterAll(async () => {
  await users?.stop();
  await auth?.stop();
});

const api = (on: RunningUsers, p: string) => `${on.base}/api/v1/users/${p}`;

describe('DELETE me, end to end with the real auth service', () => {
  it('revokes the account at auth, removes the profile and every follow, and fixes the counts', async () => {
    const [alice, bob, carol] = [await person(users, 'alice'), await person(users, 'bob'), await person(users, 'carol')];
    await call(api(users, `${bob.id}/follow`), { method: 'POST', headers: alice.headers });
    await call(api(users, `${carol.id}/follow`), { method: 'POST', headers: alice.headers });
    await call(api(users, `${alice.id}/follow`), { method: 'POST', headers: bob.headers });
    await call(api(users, `${carol.id}/follow`), { method: 'POST', headers: bob.headers });

    const res = await call(api(users, 'me'), { method: 'DELETE', headers: alice.headers });
    expect(res.status).toBe(204);

    // auth: no sign-in, the session's refresh token is dead.
    expect((await postJson(`${auth.base}/api/v1/auth/login`, { login: alice.username, password: alice.password })).status).toBe(401);
    expect((await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: alice.refreshToken })).status).toBe(401);
    // users: the profile and follows are gone both ways, the others' counts are right.
    expect((await call(api(users, alice.id), { headers: bob.headers })).status).toBe(404);
    expect((await call(api(users, `by-username/${alice.username}`), { headers: bob.headers })).status).toBe(404);
    expect((await call(api(users, bob.id), { headers: bob.headers })).body).toMatchObject({ followerCount: 0, followingCount: 1 });
    expect((await call(api(users, carol.id), { headers: carol.headers })).body).toMatchObject({ followerCount: 1, followingCount: 0 });
    expect(await users.count('follows WHERE follower_id = $1 OR followee_id = $1', [alice.id])).toBe(0);
    const bobs = await call(api(users, `${carol.id}/followers`), { headers: carol.headers });
    expect(bobs.body.items.map((i: { id: string }) => i.id)).toEqual([bob.id]);
    const ids = await call(`${users.base}/internal/v1/users/${bob.id}/following-ids`, {
      headers: { 'x-agora-workload': signLocalAssertion('posts', TEST_MESH_KEY) },
    });
    expect(ids.body).toEqual({ ids: [carol.id] });

    // The access token is still within its 15 minutes: it must not bring the profile back.
    const again = await call(api(users, 'me'), { headers: alice.headers });
    expect(again.status).toBe(401);
    expect(await users.count('profiles WHERE id = $1', [alice.id])).toBe(0);
    expect(await users.count('deleted_profiles WHERE id = $1', [alice.id])).toBe(1);
    expect((await call(api(users, `${bob.id}/follow`), { method: 'POST', headers: alice.headers })).status).toBe(401);
    expect((await call(api(users, 'me'), { method: 'DELETE', headers: alice.headers })).status).toBe(401);
  });

  it('auth unreachable: 503, and nothing is deleted anywhere', async () => {
    const cut = await startUsers(withAuth({ SERVICE_URL_AUTH: 'http://127.0.0.1:9' }));
    try {
      const [dan, erin] = [await person(cut, 'dan'), await person(cut, 'erin')];
      await call(api(cut, `${erin.id}/follow`), { method: 'POST', headers: dan.headers });
      const started = Date.now();
      const res = await call(api(cut, 'me'), { method: 'DELETE', headers: dan.headers });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('https://agora.dev/problems/service-unavailable');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await call(api(cut, 'me'), { headers: dan.headers })).body).toMatchObject({ id: dan.id, followingCount: 1 });
      expect((await call(api(cut, erin.id), { headers: erin.headers })).body).toMatchObject({ followerCount: 1 });
      expect((await postJson(`${auth.base}/api/v1/auth/login`, { login: dan.username, password: dan.password })).status).toBe(200);
    } finally {
      await cut.stop();
    }
  });

  it('auth refusing the call (wrong mesh identity): 503, and nothing is deleted anywhere', async () => {
    const wrongKey = await startUsers(withAuth({ MESH_LOCAL_KEY: 'not-the-key-auth-knows-0123456789abcdef' }));
    try {
      const fay = await person(wrongKey, 'fay');
      const res = await call(api(wrongKey, 'me'), { method: 'DELETE', headers: fay.headers });
      expect(res.status).toBe(503);
      expect((await call(api(wrongKey, 'me'), { headers: fay.headers })).status).toBe(200);
      expect((await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: fay.refreshToken })).status).toBe(200);
    } finally {
      await wrongKey.stop();
    }
  });

  it('a user auth does not know (404 there) is still deleted here', async () => {
    const local = await startUsers({ SERVICE_URL_AUTH: auth.base }); // its own test issuer: ids auth never saw
    try {
      const ghost = await local.issuer!.user('ghost');
      expect((await call(api(local, 'me'), { headers: ghost.auth })).status).toBe(200);
      expect((await call(api(local, 'me'), { method: 'DELETE', headers: ghost.auth })).status).toBe(204);
      expect((await call(api(local, 'me'), { headers: ghost.auth })).status).toBe(401);
    } finally {
      await local.stop();
    }
  });
});
