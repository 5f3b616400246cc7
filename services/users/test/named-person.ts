import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { call, type RunningUsers, type TestUser } from './harness.js';

/** A user with exactly this username and display name, their profile created at `users`: for the search tests. */
export async function namedPerson(users: RunningUsers, username: string, displayName = username): Promise<TestUser> {
  const id = randomUUID();
  const token = await users.issuer!.token({ sub: id, preferred_username: username, roles: ['user'] });
  const u = { id, username, token, auth: { authorization: `Bearer ${token}` } };
  const res = await call(`${users.base}/api/v1/users/me`, { method: 'PATCH', headers: u.auth, body: { displayName } });
  expect(res.status).toBe(200);
  return u;
}
