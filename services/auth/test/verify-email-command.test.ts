import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';
import { runCommand } from './run-command.js';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

const verifyEmail = (...args: string[]) => runCommand('verify-email', auth.databaseUrl, args);

describe('verify-email command (the demo seed verifies its users with it)', () => {
  it('marks the named accounts verified, audits it once, and is idempotent', async () => {
    const [a, b] = [newUser('verify'), newUser('verify')];
    const regA = await postJson(`${auth.base}/api/v1/auth/register`, a);
    await postJson(`${auth.base}/api/v1/auth/register`, b);
    expect(regA.body.user.emailVerified).toBe(false);
    const run = await verifyEmail(a.username, b.username.toUpperCase());
    expect(run.code).toBe(0);
    for (const u of [a, b]) {
      const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password });
      expect(login.body.user.emailVerified).toBe(true);
    }
    expect((await verifyEmail(a.username)).code).toBe(0);
    expect(await auth.count("audit_events WHERE action = 'email_verified' AND target_id = $1", [regA.body.id])).toBe(1);
  });

  it('fails for an unknown account and without arguments', async () => {
    const unknown = await verifyEmail('nobody_by_that_name');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('no active account named nobody_by_that_name');
    expect((await verifyEmail()).code).toBe(64);
  });
});
