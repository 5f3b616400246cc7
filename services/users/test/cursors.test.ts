import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { FORGED_CURSORS } from '../../../test/helpers/forged-cursors.js';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

/**
 * The users service's three paginated lists (followers, following, the admin's user list) share
 * mesh's keyset module: a forged cursor is a 400 naming `cursor` on each, and the admin list — whose
 * profiles carry microsecond timestamps — pages without skipping rows created within one millisecond
 * (its cursor once went through a JavaScript Date and lost the microseconds).
 */
let users: RunningUsers;
let member: TestUser;
let admin: Record<string, string>;
const url = (p: string) => `${users.base}/api/v1/users${p}`;
/** The admin's list of every user. */
const adminList = (query: string) => `${users.base}/api/v1/admin/users${query}`;

beforeAll(async () => {
  users = await startUsers();
  member = await users.issuer!.user('member');
  expect((await call(url('/me'), { headers: member.auth })).status).toBe(200);
  const adminId = randomUUID();
  admin = { authorization: `Bearer ${await users.issuer!.token({ sub: adminId, preferred_username: 'the_admin', roles: ['user', 'admin'] })}` };
});
afterAll(async () => users?.stop());

describe('cursors of the users lists', () => {
  it.each(FORGED_CURSORS)(
    'refuses a forged cursor (%s) on followers, following and the admin list with a 400 naming cursor',
    async (_label, cursor) => {
      const lists: Array<[string, string, Record<string, string>]> = [
        ['followers', `/${member.id}/followers`, member.auth],
        ['following', `/${member.id}/following`, member.auth],
        ['admin user list', '', admin],
      ];
      for (const [list, path, headers] of lists) {
        const res = await call(url(`${path}?cursor=${encodeURIComponent(cursor)}`), { headers });
        expect([list, res.status]).toEqual([list, 400]);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect([list, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([list, ['cursor']]);
      }
    },
  );

  it('the admin list visits every profile exactly once when many were created in the same millisecond', async () => {
    // 25 profiles 1 µs apart: all inside one millisecond, newest first by microsecond.
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const id = randomUUID();
      ids.push(id);
      await users.service.db.execute(
        `INSERT INTO profiles (id, username, display_name, created_at) VALUES ($1, $2, $2, '2030-01-01T00:00:00.123000Z'::timestamptz + make_interval(secs => $3::float8 / 1e6))`,
        [id, `same_ms_${i}_${id.slice(0, 6)}`, i],
      );
    }
    const newestFirst = [...ids].reverse();
    for (const limit of [1, 2, 3, 7]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 100; guard += 1) {
        const res = await call(adminList(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`), { headers: admin });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(cursor).toBeNull();
      // The 2030 rows come first (newest), in microsecond order, none skipped or repeated.
      expect([limit, seen.slice(0, ids.length)]).toEqual([limit, newestFirst]);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });
});
