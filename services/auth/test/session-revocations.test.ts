import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumersOf, signLocalAssertion } from '@agora/mesh';

/** One delivery of session.revoked per consumer the catalogue names. */
const CONSUMERS = [...consumersOf('session.revoked')].sort();
import { getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';

/**
 * Every path that ends sessions goes through Sessions.revokeFamily / revokeAllForUser, which publish
 * `session.revoked` to users, posts and media on the revoking transaction and record the revocation
 * in auth's own table — so auth's own check refuses the sessions' access tokens too (within its 1 s
 * read). The worker is off here: the outbox jobs stay queued for the test to see (by job key).
 */
const MESH_KEY = 'local-mesh-key-for-tests-only-0123456789';
let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth({ MESH_IDENTITY: 'local', MESH_LOCAL_KEY: MESH_KEY });
});
afterAll(async () => auth?.stop());

/** A new account signed in by its registration (one session, as register answers it). */
async function signedIn(u = newUser()) {
  const reg = await postJson(`${auth.base}/api/v1/auth/register`, u);
  expect(reg.status).toBe(201);
  return { user: u, id: reg.body.id as string, access: reg.body.accessToken as string, refresh: reg.body.refreshToken as string };
}
const login = async (u: ReturnType<typeof newUser>) =>
  (await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password })).body as {
    accessToken: string;
    refreshToken: string;
  };
const verify = (access: string) => getJson(`${auth.base}/api/v1/auth/verify`, { authorization: `Bearer ${access}` });

/** The queued deliveries of `session.revoked` for `userId`, by consumer (graphile-worker's public jobs view). */
async function queued(userId: string): Promise<string[]> {
  const rows = await auth.service.db.query<{ key: string }>(`SELECT key FROM graphile_worker.jobs WHERE key LIKE $1 ORDER BY key`, [
    `session.revoked:${userId}:%`,
  ]);
  return rows.map((r) => r.key.split(':')[2]!);
}
const revokedSessions = (userId: string) =>
  auth.service.db.query<{ subject: string }>(`SELECT subject FROM revocations WHERE kind = 'session' AND user_id = $1 ORDER BY subject`, [userId]);

async function refusedWithin(ms: number, access: string, reason: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await verify(access);
    if (r.status === 401) {
      expect(r.body.reason).toBe(reason);
      return;
    }
    expect(r.status).toBe(200);
    if (Date.now() > until) throw new Error(`auth still accepts the token after ${ms} ms`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

describe('session.revoked', () => {
  it("logout: one event per consumer, the revocation in auth's own table, the token refused by auth; the other session lives", async () => {
    const s = await signedIn();
    const other = await login(s.user);
    expect((await postJson(`${auth.base}/api/v1/auth/logout`, { refreshToken: s.refresh })).status).toBe(204);
    expect(await queued(s.id)).toEqual(CONSUMERS);
    expect(await revokedSessions(s.id)).toHaveLength(1);
    await refusedWithin(3_000, s.access, 'session_ended');
    expect((await verify(other.accessToken)).status).toBe(200);
    // A second logout with the same token revokes nothing new and publishes nothing.
    expect((await postJson(`${auth.base}/api/v1/auth/logout`, { refreshToken: s.refresh })).status).toBe(204);
    expect(await queued(s.id)).toHaveLength(CONSUMERS.length);
  });

  it('refresh-token reuse ends the family: published, recorded, and the newest access token refused', async () => {
    const s = await signedIn();
    const rotated = await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: s.refresh });
    expect(rotated.status).toBe(200);
    expect(await queued(s.id)).toEqual([]); // a rotation revokes nothing
    expect((await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: s.refresh })).status).toBe(401);
    expect(await queued(s.id)).toEqual(CONSUMERS);
    await refusedWithin(3_000, rotated.body.accessToken, 'session_ended');
  });

  it('suspension revokes every session in one event per consumer, and auth refuses the account within its 1 s read', async () => {
    const s = await signedIn();
    await login(s.user);
    await login(s.user);
    const res = await fetch(`${auth.base}/internal/v1/auth/accounts/${s.id}/suspension`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-agora-workload': signLocalAssertion('users', MESH_KEY) },
      body: JSON.stringify({ suspended: true }),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
    expect(await queued(s.id)).toEqual(CONSUMERS);
    expect(await revokedSessions(s.id)).toHaveLength(3);
    await refusedWithin(3_000, s.access, 'account_suspended');
  });
});
