import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startUsers, type RunningUsers, type TestUser } from './harness.js';

/** Reports and the admin queue (auth is not running here: a suspension answers 503, see admin.test.ts). */
let users: RunningUsers;
let admin: TestUser;
const report = (u: TestUser, body: unknown) => call(`${users.base}/api/v1/reports`, { method: 'POST', headers: u.auth, body });
const queue = (u: TestUser, q = '') => call(`${users.base}/api/v1/admin/reports${q}`, { headers: u.auth });
const resolve = (u: TestUser, id: string, action: string) =>
  call(`${users.base}/api/v1/admin/reports/${id}/resolve`, { method: 'POST', headers: u.auth, body: { action } });

async function newUser(roles?: string[]): Promise<TestUser> {
  const u = await users.issuer!.user('r', roles);
  expect((await call(`${users.base}/api/v1/users/me`, { headers: u.auth })).status).toBe(200);
  return u;
}

beforeAll(async () => {
  users = await startUsers();
  admin = await newUser(['user', 'admin']);
});
afterAll(async () => users?.stop());

describe('POST /api/v1/reports', () => {
  it('stores a report of a post, comment or user; one open report per reporter and target', async () => {
    const [reporter, target] = [await newUser(), await newUser()];
    const post = randomUUID();
    const res = await report(reporter, { targetKind: 'post', targetId: post, reason: 'spam', note: 'buy now' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reporterId: reporter.id,
      targetKind: 'post',
      targetId: post,
      reason: 'spam',
      note: 'buy now',
      status: 'open',
      resolvedBy: null,
    });
    const again = await report(reporter, { targetKind: 'post', targetId: post, reason: 'hate' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect((await report(reporter, { targetKind: 'user', targetId: target.id, reason: 'harassment' })).status).toBe(201);
    expect((await report(reporter, { targetKind: 'comment', targetId: randomUUID(), reason: 'other' })).status).toBe(201);
    expect(await users.count('reports WHERE reporter_id = $1', [reporter.id])).toBe(3);
  });

  it('refuses yourself, unknown users, bad kinds, reasons, ids and long notes; stores nothing', async () => {
    const reporter = await newUser();
    const bad: [unknown, number][] = [
      [{ targetKind: 'user', targetId: reporter.id, reason: 'spam' }, 400],
      [{ targetKind: 'user', targetId: randomUUID(), reason: 'spam' }, 404],
      [{ targetKind: 'group', targetId: randomUUID(), reason: 'spam' }, 400],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'boring' }, 400],
      [{ targetKind: 'post', targetId: 'nope', reason: 'spam' }, 400],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'spam', note: 'x'.repeat(1001) }, 400],
      [{ targetKind: 'post', targetId: randomUUID(), reason: 'spam', extra: 1 }, 400],
    ];
    for (const [body, status] of bad) {
      const res = await report(reporter, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      (await call(`${users.base}/api/v1/reports`, { method: 'POST', body: { targetKind: 'post', targetId: randomUUID(), reason: 'spam' } })).status,
    ).toBe(401);
    expect(await users.count('reports WHERE reporter_id = $1', [reporter.id])).toBe(0);
  });
});

describe('the admin queue', () => {
  it('is admin-only, pages open reports oldest first, and drops resolved ones', async () => {
    const reporter = await newUser();
    expect((await queue(reporter)).status).toBe(403);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await report(reporter, { targetKind: 'post', targetId: randomUUID(), reason: 'spam' })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await queue(admin, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect((await resolve(admin, ids[0]!, 'dismiss')).status).toBe(200);
    const after = await queue(admin, '?limit=100');
    expect(after.body.items.map((r: { id: string }) => r.id)).not.toContain(ids[0]);
    expect((await queue(admin, '?cursor=bm9wZQ')).status).toBe(400);
  });

  it('dismiss resolves once with an audit event; suspend needs a user report and auth; nothing changes on refusal', async () => {
    const [reporter, target] = [await newUser(), await newUser()];
    const post = (await report(reporter, { targetKind: 'post', targetId: randomUUID(), reason: 'violence' })).body;
    expect((await resolve(reporter, post.id, 'dismiss')).status).toBe(403);
    const wrong = await resolve(admin, post.id, 'suspend');
    expect(wrong.status).toBe(400);
    const dismissed = await resolve(admin, post.id, 'dismiss');
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ id: post.id, status: 'dismissed', resolvedBy: admin.id, resolvedAt: expect.any(String) });
    expect((await resolve(admin, post.id, 'dismiss')).status).toBe(409);
    expect((await resolve(admin, randomUUID(), 'dismiss')).status).toBe(404);
    expect((await resolve(admin, post.id, 'ban')).status).toBe(400);
    const audit = await users.service.db.query(
      `SELECT action, actor_id AS "actorId", target_id AS "targetId", details FROM audit_events WHERE details->>'reportId' = $1`,
      [post.id],
    );
    expect(audit).toEqual([
      {
        action: 'report_resolved',
        actorId: admin.id,
        targetId: null,
        details: { reportId: post.id, resolution: 'dismissed', targetKind: 'post', reportedId: post.targetId },
      },
    ]);

    // auth is down in this harness: the suspension is refused (503) and the report stays open.
    const user = (await report(reporter, { targetKind: 'user', targetId: target.id, reason: 'harassment' })).body;
    expect((await resolve(admin, user.id, 'suspend')).status).toBe(503);
    expect(await users.count('reports WHERE id = $1 AND resolved_at IS NULL', [user.id])).toBe(1);
    expect(await users.count('profiles WHERE id = $1 AND suspended_at IS NULL', [target.id])).toBe(1);
    expect(await users.count(`audit_events WHERE details->>'reportId' = $1`, [user.id])).toBe(0);
  });
});
