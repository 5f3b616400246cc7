import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { getJson, newUser, postJson, startAuth, type RunningAuth } from './harness.js';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => auth?.stop());

const url = (p: string) => `${auth.base}/api/v1/auth/${p}`;
/** Lets the account's second-factor backoff pass (the test's stand-in for waiting). */
const skipBackoff = (id: string) => auth.service.db.execute('UPDATE second_factor_attempts SET next_attempt_at = now() WHERE user_id = $1', [id]);

async function signedIn() {
  const u = newUser('mfa');
  const reg = await postJson(url('register'), u);
  const login = await postJson(url('login'), { login: u.username, password: u.password });
  return { u, id: reg.body.id as string, bearer: { authorization: `Bearer ${login.body.accessToken}` } };
}

/** A code for the step after `lastStepUsed`, so tests don't wait 30 s for a fresh window. */
async function codeAt(secret: string, offsetSteps = 0) {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

async function enable() {
  const s = await signedIn();
  const setup = await postJson(url('2fa/setup'), { password: s.u.password }, s.bearer);
  expect(setup.status).toBe(200);
  const verified = await postJson(url('2fa/verify-setup'), { code: await codeAt(setup.body.secret) }, s.bearer);
  expect(verified.status).toBe(200);
  return { ...s, secret: setup.body.secret as string, backupCodes: verified.body.backupCodes as string[] };
}

describe('TOTP second factor', () => {
  it('setup returns a secret, an otpauth URI and an SVG QR code; status follows', async () => {
    const s = await signedIn();
    const setup = await postJson(url('2fa/setup'), { password: s.u.password }, s.bearer);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Agora:.+\?secret=[A-Z2-7]+/);
    expect(setup.body.qrSvg).toContain('<svg');
    expect((await getJson(url('2fa/status'), s.bearer)).body).toEqual({ enabled: false, backupCodesRemaining: 0 });
    const wrong = await postJson(url('2fa/verify-setup'), { code: '000000' }, s.bearer);
    expect(wrong.status).toBe(400);
    const ok = await postJson(url('2fa/verify-setup'), { code: await codeAt(setup.body.secret) }, s.bearer);
    expect(ok.body.backupCodes).toHaveLength(10);
    expect((await getJson(url('2fa/status'), s.bearer)).body).toEqual({ enabled: true, backupCodesRemaining: 10 });
    expect((await postJson(url('2fa/setup'), { password: s.u.password }, s.bearer)).status).toBe(409);
  });

  it('a 2FA user gets "second factor required", then tokens with a TOTP code; the code cannot be replayed', async () => {
    const s = await enable();
    const first = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mfaRequired: true, expiresIn: 300 });
    expect(first.body).not.toHaveProperty('accessToken');
    // The verify-setup code used the current step; the next step's code is fresh.
    const code = await codeAt(s.secret, 1);
    const done = await postJson(url('login/mfa'), { mfaToken: first.body.mfaToken, code });
    expect(done.status).toBe(200);
    expect(done.body.accessToken).toEqual(expect.any(String));
    // The challenge is spent, and the same code does not work in a new challenge either.
    expect((await postJson(url('login/mfa'), { mfaToken: first.body.mfaToken, code })).status).toBe(401);
    const again = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    expect((await postJson(url('login/mfa'), { mfaToken: again.body.mfaToken, code })).status).toBe(400);
  });

  it('each backup code works exactly once', async () => {
    const s = await enable();
    const [code] = s.backupCodes;
    const one = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    expect((await postJson(url('login/mfa'), { mfaToken: one.body.mfaToken, code })).status).toBe(200);
    const two = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    expect((await postJson(url('login/mfa'), { mfaToken: two.body.mfaToken, code })).status).toBe(400);
    expect((await getJson(url('2fa/status'), s.bearer)).body.backupCodesRemaining).toBe(9);
  });

  it('an MFA challenge dies after five wrong codes and is useless as an access token', async () => {
    const s = await enable();
    const c = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    for (let i = 0; i < 5; i += 1) {
      await skipBackoff(s.id); // the account's backoff is not what this test is about
      expect((await postJson(url('login/mfa'), { mfaToken: c.body.mfaToken, code: '123456' })).status).toBe(400);
    }
    await skipBackoff(s.id);
    expect((await postJson(url('login/mfa'), { mfaToken: c.body.mfaToken, code: await codeAt(s.secret, 1) })).status).toBe(401);
    expect((await getJson(url('verify'), { authorization: `Bearer ${c.body.mfaToken}` })).status).toBe(401);
  });

  it('disable needs a valid code; afterwards login gives tokens directly; changes are audited', async () => {
    const s = await enable();
    expect((await postJson(url('2fa/disable'), { code: '000000', password: s.u.password }, s.bearer)).status).toBe(400);
    expect((await postJson(url('2fa/disable'), { code: s.backupCodes[3] }, s.bearer)).status).toBe(400); // no password
    expect((await postJson(url('2fa/disable'), { code: s.backupCodes[3], password: 'not-the-password' }, s.bearer)).status).toBe(403);
    expect((await postJson(url('2fa/disable'), { code: s.backupCodes[3], password: s.u.password }, s.bearer)).status).toBe(200);
    const login = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    expect(login.body.accessToken).toEqual(expect.any(String));
    const actions = (await auth.service.db.query<{ action: string }>('SELECT action FROM audit_events WHERE target_id = $1', [s.id])).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['two_factor_setup_started', 'two_factor_enabled', 'two_factor_disabled']));
  });

  it('refuses 2FA operations without a token and malformed codes', async () => {
    expect((await postJson(url('2fa/setup'), {})).status).toBe(401);
    const s = await signedIn();
    // An access token alone does not enrol an authenticator: the password is asked again.
    expect((await postJson(url('2fa/setup'), {}, s.bearer)).status).toBe(400);
    expect((await postJson(url('2fa/setup'), { password: 'not-the-password' }, s.bearer)).status).toBe(403);
    expect(await auth.count('totp_credentials WHERE user_id = $1', [s.id])).toBe(0);
    expect((await postJson(url('2fa/verify-setup'), { code: 'abc' }, s.bearer)).status).toBe(400);
    expect((await postJson(url('2fa/verify-setup'), {}, s.bearer)).status).toBe(400);
  });

  it('stores the TOTP secret sealed, not in clear', async () => {
    const s = await enable();
    const [row] = await auth.service.db.query<{ secret_ciphertext: string }>('SELECT secret_ciphertext FROM totp_credentials WHERE user_id = $1', [
      s.id,
    ]);
    expect(row!.secret_ciphertext).toMatch(/^v1\./);
    expect(row!.secret_ciphertext).not.toContain(s.secret);
  });
});

describe('second-factor failures: one count per account, backoff, lockout', () => {
  const failures = async (id: string) =>
    (await auth.service.db.query<{ failures: number }>('SELECT failures FROM second_factor_attempts WHERE user_id = $1', [id]))[0]?.failures ?? 0;
  const metric = async (operation: string) => {
    const text = await (await fetch(`${auth.base}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('auth_second_factor_failures_total{') && l.includes(`operation="${operation}"`));
    return Number(line?.split(' ').pop());
  };

  it('counts across fresh challenges and operations, a password success resets nothing, backoff answers 429', async () => {
    const s = await enable();
    const signInBefore = await metric('sign_in');
    const backupBefore = await metric('backup_code');
    const disableBefore = await metric('disable');
    for (let i = 0; i < 2; i += 1) {
      const c = await postJson(url('login'), { login: s.u.username, password: s.u.password }); // a password success each time
      expect((await postJson(url('login/mfa'), { mfaToken: c.body.mfaToken, code: '000000' })).status).toBe(400);
    }
    expect((await postJson(url('2fa/disable'), { code: 'aaaaa-bbbbb', password: s.u.password }, s.bearer)).status).toBe(400);
    expect(await failures(s.id)).toBe(3);
    // The third failure started the backoff: even the right code waits, in a fresh challenge too.
    const c = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    const waiting = await postJson(url('login/mfa'), { mfaToken: c.body.mfaToken, code: await codeAt(s.secret, 1) });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    expect(await metric('sign_in')).toBe(signInBefore + 2);
    expect(await metric('backup_code')).toBe(backupBefore + 1);
    expect(await metric('disable')).toBe(disableBefore);
    // A right code after the wait clears the count.
    await skipBackoff(s.id);
    const d = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    expect((await postJson(url('login/mfa'), { mfaToken: d.body.mfaToken, code: await codeAt(s.secret, 1) })).status).toBe(200);
    expect(await failures(s.id)).toBe(0);
  });

  it('locks the second factor after 10 failures for a day, mails the owner and audits it', async () => {
    const s = await enable();
    const before = await auth.count('mail_outbox WHERE recipient = $1', [s.u.email.toLowerCase()]);
    for (let i = 0; i < 10; i += 1) {
      await skipBackoff(s.id);
      const c = await postJson(url('login'), { login: s.u.username, password: s.u.password });
      expect((await postJson(url('login/mfa'), { mfaToken: c.body.mfaToken, code: '000000' })).status).toBe(400);
    }
    const c = await postJson(url('login'), { login: s.u.username, password: s.u.password });
    const locked = await postJson(url('login/mfa'), { mfaToken: c.body.mfaToken, code: await codeAt(s.secret, 1) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
    expect(locked.body.detail).toContain('locked');
    // Every second-factor operation shares the lock.
    expect((await postJson(url('2fa/disable'), { code: await codeAt(s.secret, 2), password: s.u.password }, s.bearer)).status).toBe(429);
    expect(await auth.count('mail_outbox WHERE recipient = $1 AND subject LIKE $2', [s.u.email.toLowerCase(), '%second factor is locked%'])).toBe(1);
    expect(await auth.count('mail_outbox WHERE recipient = $1', [s.u.email.toLowerCase()])).toBe(before + 1);
    expect(await auth.count(`audit_events WHERE action = 'second_factor_locked' AND target_id = $1`, [s.id])).toBe(1);
  });

  it('verify-setup shares the count', async () => {
    const s = await signedIn();
    const setup = await postJson(url('2fa/setup'), { password: s.u.password }, s.bearer);
    expect(setup.status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await postJson(url('2fa/verify-setup'), { code: '000000' }, s.bearer)).status).toBe(400);
    expect((await postJson(url('2fa/verify-setup'), { code: await codeAt(setup.body.secret) }, s.bearer)).status).toBe(429);
  });
});
