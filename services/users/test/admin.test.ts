import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSession, startStack, type Session, type Stack } from '../../../test/helpers/stack.js';

/**
 * Admin operations end to end through the ingress, with the real auth and users processes: the role
 * claim comes from auth, suspension is enforced at auth (sessions, sign-in) and in users.
 */
let stack: Stack;
let admin: Session;

async function grantAdmin(userId: string): Promise<void> {
  const client = new pg.Client({ connectionString: stack.databases.auth });
  await client.connect();
  await client.query(`UPDATE users SET roles = ARRAY['user','admin'] WHERE id = $1`, [userId]);
  await client.end();
}

const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  stack = await startStack({ services: ['auth', 'users'] });
  admin = await newSession(stack.url, 'admin');
  await grantAdmin(admin.id);
  // The next token (a refresh) carries the role claim.
  const relog = await fetch(`${stack.url}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: admin.refreshToken }),
  });
  const tokens = (await relog.json()) as { accessToken: string; refreshToken: string };
  admin = { ...admin, token: tokens.accessToken, refreshToken: tokens.refreshToken, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}, 120_000);
afterAll(async () => stack?.stop());

describe('admin operations', () => {
  it('the list needs the admin role: 401 anonymous, 403 for a user, 200 for an admin', async () => {
    const user = await newSession(stack.url);
    await call('GET', '/api/v1/users/me', user.headers);
    expect((await call('GET', '/api/v1/admin/users')).status).toBe(401);
    expect((await call('GET', '/api/v1/admin/users', user.headers)).status).toBe(403);
    await call('GET', '/api/v1/users/me', admin.headers);
    const page = await call('GET', '/api/v1/admin/users?limit=1', admin.headers);
    expect(page.status).toBe(200);
    const body = (await page.json()) as { items: Array<{ id: string; suspended: boolean }>; nextCursor: string | null };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toHaveProperty('suspended', false);
    expect(body.nextCursor).toEqual(expect.any(String));
    const next = await call('GET', `/api/v1/admin/users?limit=100&cursor=${body.nextCursor}`, admin.headers);
    const rest = (await next.json()) as { items: Array<{ id: string }> };
    expect(rest.items.map((i) => i.id)).not.toContain(body.items[0]!.id);
    expect((await call('GET', '/api/v1/admin/users?limit=0', admin.headers)).status).toBe(400);
  });

  it('suspension revokes sessions, blocks sign-in, and users refuses the remaining token; reinstating restores sign-in', async () => {
    const victim = await newSession(stack.url, 'victim');
    expect((await call('GET', '/api/v1/users/me', victim.headers)).status).toBe(200);
    const user = await newSession(stack.url);
    expect((await call('PUT', `/api/v1/users/${victim.id}/suspension`, user.headers, { suspended: true })).status).toBe(403);

    const res = await call('PUT', `/api/v1/users/${victim.id}/suspension`, admin.headers, { suspended: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: victim.id, suspended: true });
    const refresh = await call('POST', '/api/v1/auth/refresh', {}, { refreshToken: victim.refreshToken });
    expect(refresh.status).toBe(401);
    expect((await call('GET', '/api/v1/users/me', victim.headers)).status).toBe(403);

    const client = new pg.Client({ connectionString: stack.databases.auth });
    await client.connect();
    const { rows } = await client.query(`SELECT actor_id FROM audit_events WHERE action = 'account_suspended' AND target_id = $1`, [victim.id]);
    expect(rows).toEqual([{ actor_id: admin.id }]);
    const { rows: status } = await client.query('SELECT status FROM users WHERE id = $1', [victim.id]);
    expect(status).toEqual([{ status: 'suspended' }]);

    expect((await call('PUT', `/api/v1/users/${victim.id}/suspension`, admin.headers, { suspended: false })).status).toBe(200);
    const { rows: after } = await client.query('SELECT status FROM users WHERE id = $1', [victim.id]);
    expect(after).toEqual([{ status: 'active' }]);
    await client.end();
    // users records both decisions too, in the same schema as auth's audit log.
    const usersDb = new pg.Client({ connectionString: stack.databases.users });
    await usersDb.connect();
    const { rows: audit } = await usersDb.query(
      `SELECT action, outcome, actor_id, details FROM audit_events WHERE target_id = $1 ORDER BY occurred_at, action DESC`,
      [victim.id],
    );
    await usersDb.end();
    expect(audit).toEqual([
      { action: 'account_suspended', outcome: 'success', actor_id: admin.id, details: {} },
      { action: 'account_reinstated', outcome: 'success', actor_id: admin.id, details: {} },
    ]);
  });

  it('resolving a user report with suspend suspends through the same path, with both audit events', async () => {
    const [reporter, target] = [await newSession(stack.url, 'reporter'), await newSession(stack.url, 'reported')];
    expect((await call('GET', '/api/v1/users/me', target.headers)).status).toBe(200);
    const filed = await call('POST', '/api/v1/reports', reporter.headers, { targetKind: 'user', targetId: target.id, reason: 'harassment' });
    expect(filed.status).toBe(201);
    const { id } = (await filed.json()) as { id: string };
    const res = await call('POST', `/api/v1/admin/reports/${id}/resolve`, admin.headers, { action: 'suspend' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'suspended', resolvedBy: admin.id });
    const db = new pg.Client({ connectionString: stack.databases.users });
    await db.connect();
    const { rows: audit } = await db.query(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY occurred_at, action`, [target.id]);
    const { rows: profile } = await db.query('SELECT suspended_at IS NOT NULL AS suspended FROM profiles WHERE id = $1', [target.id]);
    await db.end();
    expect(audit.map((r) => r.action).sort()).toEqual(['account_suspended', 'report_resolved']);
    expect(profile).toEqual([{ suspended: true }]);
  });

  it('refuses bad input and unknown users; an admin cannot suspend themselves', async () => {
    expect((await call('PUT', '/api/v1/users/not-a-uuid/suspension', admin.headers, { suspended: true })).status).toBe(400);
    expect((await call('PUT', `/api/v1/users/${admin.id}/suspension`, admin.headers, { suspended: 'yes' })).status).toBe(400);
    expect((await call('PUT', '/api/v1/users/00000000-0000-4000-8000-000000000000/suspension', admin.headers, { suspended: true })).status).toBe(404);
    expect((await call('PUT', `/api/v1/users/${admin.id}/suspension`, admin.headers, { suspended: true })).status).toBe(400);
  });

  it('with auth down, suspension answers 503 and changes nothing', async () => {
    const victim = await newSession(stack.url, 'victim');
    await call('GET', '/api/v1/users/me', victim.headers);
    await stack.services.auth!.stop();
    try {
      const res = await call('PUT', `/api/v1/users/${victim.id}/suspension`, admin.headers, { suspended: true });
      expect(res.status).toBe(503);
      expect((await call('GET', '/api/v1/users/me', victim.headers)).status).toBe(200);
    } finally {
      await stack.restart('auth');
    }
    expect((await call('POST', '/api/v1/auth/refresh', {}, { refreshToken: victim.refreshToken })).status).toBe(200);
  });
});
