import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAUTHENTICATION_WINDOW_SECONDS } from '@agora/mesh';
import { call, startUsers, type RunningUsers } from './harness.js';

/**
 * `DELETE /api/v1/users/me` needs a recent sign-in (the token's `auth_time`), checked before
 * anything else. auth is not running here, so a token that passes the check gets auth's 503
 * (delete-me.test.ts runs the whole deletion with the real auth, including re-authentication).
 */
let users: RunningUsers;

beforeAll(async () => {
  users = await startUsers();
});
afterAll(async () => users?.stop());

const now = () => Math.floor(Date.now() / 1000);

async function tokenFor(authTime: number | undefined): Promise<{ id: string; headers: Record<string, string> }> {
  const u = await users.issuer!.user('old');
  // Same subject, a token whose sign-in is `authTime`; undefined overrides the issuer's default (a
  // fresh sign-in) and is left out of the JSON, as in a token issued before auth put auth_time in.
  const token = await users.issuer!.token({ sub: u.id, preferred_username: u.username, auth_time: authTime });
  const headers = { authorization: `Bearer ${token}` };
  expect((await call(`${users.base}/api/v1/users/me`, { headers })).status).toBe(200);
  return { id: u.id, headers };
}

describe('DELETE /api/v1/users/me and the recent sign-in', () => {
  it.each([
    ['a sign-in older than the window', now() - REAUTHENTICATION_WINDOW_SECONDS - 30],
    ['no auth_time at all', undefined],
  ])('refuses %s with 403 reauthenticationRequired and deletes nothing', async (_, authTime) => {
    const u = await tokenFor(authTime);
    const res = await call(`${users.base}/api/v1/users/me`, { method: 'DELETE', headers: u.headers });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 403, reauthenticationRequired: true });
    expect(res.body.detail).toContain('/api/v1/auth/reauthenticate');
    expect(await users.count('profiles WHERE id = $1', [u.id])).toBe(1);
    expect(await users.count('deleted_profiles WHERE id = $1', [u.id])).toBe(0);
  });

  it('lets a sign-in within the window through to the deletion (auth down here: 503, nothing deleted)', async () => {
    const u = await tokenFor(now() - REAUTHENTICATION_WINDOW_SECONDS + 60);
    const res = await call(`${users.base}/api/v1/users/me`, { method: 'DELETE', headers: u.headers });
    expect(res.status).toBe(503);
    expect(await users.count('profiles WHERE id = $1', [u.id])).toBe(1);
  });
});
