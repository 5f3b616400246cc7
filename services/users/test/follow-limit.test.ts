import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

/** The per-account follow budget (mesh/src/limits; the shared-replica cases: posts/test/rate-limits.test.ts). */
let users: RunningUsers;
const url = (p: string) => `${users.base}/api/v1/users/${p}`;

async function newUser(prefix: string): Promise<TestUser> {
  const u = await users.issuer!.user(prefix);
  expect((await call(url('me'), { headers: u.auth })).status).toBe(200);
  return u;
}

beforeAll(async () => {
  users = await startUsers({ RATE_LIMIT_FOLLOWS: '3/1h' });
});
afterAll(async () => users?.stop());

describe('follow budget', () => {
  it('of 6 parallel follows with a budget of 3, exactly 3 are stored; the rest are 429 with Retry-After', async () => {
    const fan = await newUser('fan');
    const targets = await Promise.all(Array.from({ length: 6 }, (_, i) => newUser(`star${i}`)));
    const answers = await Promise.all(targets.map((t) => call(url(`${t.id}/follow`), { method: 'POST', headers: fan.auth })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(3);
    for (const a of refused) {
      expect(a.status).toBe(429);
      expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(a.body.detail).toMatch(/limit of 3 follows per hour; try again in \d+ s/);
    }
    expect(await users.count('follows WHERE follower_id = $1', [fan.id])).toBe(3);
    // Another account is untouched by the fan's budget.
    const other = await newUser('other');
    expect((await call(url(`${targets[0]!.id}/follow`), { method: 'POST', headers: other.auth })).status).toBe(200);
  });
});
