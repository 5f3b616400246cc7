import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';
import { runCommand } from './run-command.js';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

const grantRole = (...args: string[]) => runCommand('grant-role', auth.databaseUrl, args);

describe('roles (grant-role command)', () => {
  it('grants admin, which the next refresh carries; revoking removes it; both are audited', async () => {
    const u = newUser('role');
    const reg = await postJson(`${auth.base}/api/v1/auth/register`, u);
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password });
    expect(decodeJwt(login.body.accessToken).roles).toEqual(['user']);

    const granted = await grantRole(u.username, 'admin');
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.out).roles).toEqual(['user', 'admin']);
    const refreshed = await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: login.body.refreshToken });
    expect(decodeJwt(refreshed.body.accessToken).roles).toEqual(['user', 'admin']);

    expect((await grantRole(u.username, 'admin', '--revoke')).code).toBe(0);
    const again = await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: refreshed.body.refreshToken });
    expect(decodeJwt(again.body.accessToken).roles).toEqual(['user']);

    const audited = await auth.service.db.query<{ details: { change: string } }>(
      "SELECT details FROM audit_events WHERE action = 'role_changed' AND target_id = $1 ORDER BY occurred_at",
      [reg.body.id],
    );
    expect(audited.map((e) => e.details.change)).toEqual(['granted', 'revoked']);
  });

  it('refuses unknown roles and unknown accounts', async () => {
    expect((await grantRole('someone', 'superuser')).code).toBe(64);
    expect((await grantRole('nobody_like_this', 'admin')).code).toBe(1);
  });
});
