import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { SERVICE_NAMES } from '@agora/mesh';
import { builtServices, startStack, type Stack } from '../helpers/stack.js';
import { pngBytes } from '../helpers/image-bytes.js';
import { expectProblem, json, jsonFrom, makeAdmin, send, type Account } from './lib.js';
import { withClient } from '../../tools/src/local/databases.js';

/**
 * Sign-in attacked from outside, through the ingress of a stack that runs auth with the product's
 * own limits (its config defaults: 5 failures / 15 min per account, 20 per address, 3 sign-ups per
 * hour per address). Each client address is a real TCP source address on loopback (127.x.y.z), so
 * the services see what the ingress saw; no X-Forwarded-For is needed to be "someone else".
 */
let stack: Stack;

beforeAll(async () => {
  // `npm test` builds first; a missing service is an error to fix, never a reason to skip.
  const missing = SERVICE_NAMES.filter((s) => !builtServices().includes(s));
  if (missing.length) throw new Error(`services not built (${missing.join(', ')}): run npm run build first`);
  stack = await startStack({ productionLimits: true });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

let addressSeq = 0;
/** A loopback client address no other test uses. */
const freshAddress = () => {
  addressSeq += 1;
  return `127.0.${Math.floor(addressSeq / 250) + 10}.${(addressSeq % 250) + 1}`;
};

interface User {
  id: string;
  username: string;
  email: string;
  password: string;
}

/** Registers from a fresh address (3 sign-ups per hour per address is the real limit). */
async function registered(prefix = 'atk'): Promise<User> {
  const username = `${prefix}_${randomBytes(4).toString('hex')}`;
  const u = { username, email: `${username}@example.com`, password: `Pass-${randomBytes(8).toString('hex')}` };
  const res = await jsonFrom(freshAddress(), stack.url, 'POST', '/api/v1/auth/register', u);
  expect(res.status, res.text).toBe(201);
  return { ...u, id: res.body.id };
}

const login = (from: string, login: string, password: string) => jsonFrom(from, stack.url, 'POST', '/api/v1/auth/login', { login, password });

async function signedIn(u: User): Promise<Account> {
  const res = await login(freshAddress(), u.username, u.password);
  expect(res.status, res.text).toBe(200);
  return { ...u, token: res.body.accessToken, refreshToken: res.body.refreshToken, headers: { authorization: `Bearer ${res.body.accessToken}` } };
}

describe('sign-in under attack (real limits, through the ingress)', () => {
  it('sign-up: 3 per hour per address; a forged X-Forwarded-For does not make another address', async () => {
    const from = freshAddress();
    const fresh = () => {
      const username = `su_${randomBytes(4).toString('hex')}`;
      return { username, email: `${username}@example.com`, password: `Pass-${randomBytes(8).toString('hex')}` };
    };
    for (let i = 0; i < 3; i += 1) expect((await jsonFrom(from, stack.url, 'POST', '/api/v1/auth/register', fresh())).status).toBe(201);
    const fourth = await jsonFrom(from, stack.url, 'POST', '/api/v1/auth/register', fresh(), { 'x-forwarded-for': '203.0.113.50' });
    expectProblem(fourth, 429, 'the 4th sign-up from one address');
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await jsonFrom(freshAddress(), stack.url, 'POST', '/api/v1/auth/register', fresh())).status).toBe(201);
  });

  it('reaching auth without the ingress, a forged X-Forwarded-For is ignored too', async () => {
    const direct = stack.services.auth!.base;
    const from = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const username = `xf_${randomBytes(4).toString('hex')}`;
      const body = { username, email: `${username}@example.com`, password: `Pass-${randomBytes(8).toString('hex')}` };
      statuses.push((await jsonFrom(from, direct, 'POST', '/api/v1/auth/register', body, { 'x-forwarded-for': `198.51.100.${i + 1}` })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('the parallel-guess race: 30 concurrent wrong passwords from 30 addresses, at most 5 verified', async () => {
    const u = await registered();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(freshAddress(), u.username, `wrong-password-${i}`)));
    const verified = answers.filter((a) => a.status === 401).length;
    expect(verified).toBeLessThanOrEqual(5);
    for (const a of answers.filter((x) => x.status !== 401)) expectProblem(a, 429, 'a guess past the budget');
    expect((await login(freshAddress(), u.username, u.password)).status).toBe(429); // the account is locked for the window
  });

  it("an account's username and email share one budget", async () => {
    const u = await registered();
    for (let i = 0; i < 5; i += 1) {
      const name = i % 2 ? u.email.toUpperCase() : u.username;
      expect((await login(freshAddress(), name, `wrong-password-${i}`)).status).toBe(401);
    }
    expectProblem(await login(freshAddress(), u.username, u.password), 429, 'right password by username');
    expectProblem(await login(freshAddress(), u.email, u.password), 429, 'right password by email');
  });

  it("one address's failures lock the guessed account, not the other accounts' correct passwords behind it", async () => {
    const [victim, neighbour] = [await registered(), await registered()];
    const shared = freshAddress(); // an office NAT, or everyone in the local run
    for (let i = 0; i < 5; i += 1) expect((await login(shared, victim.username, `wrong-password-${i}`)).status).toBe(401);
    expectProblem(await login(shared, victim.username, victim.password), 429, 'the guessed account');
    expect((await login(shared, neighbour.username, neighbour.password)).status).toBe(200);
  });

  it('a suspended account is told so only after its password is verified', async () => {
    const u = await registered('susp');
    const admin = await makeAdmin(stack, await signedIn(await registered('adm')));
    const me = await signedIn(u);
    expect((await json(stack.url, 'GET', '/api/v1/users/me', undefined, me.headers)).status).toBe(200); // the profile exists
    expect((await json(stack.url, 'PUT', `/api/v1/users/${u.id}/suspension`, { suspended: true }, admin.headers)).status).toBeLessThan(300);
    const wrong = await login(freshAddress(), u.username, 'wrong-password-x');
    expectProblem(wrong, 401, 'suspended, wrong password');
    expect(wrong.text).not.toMatch(/suspend/i);
    const right = await login(freshAddress(), u.username, u.password);
    expectProblem(right, 403, 'suspended, right password');
    expect(right.body.detail).toMatch(/suspended/);
  });

  it('register answers a taken email like a new one (and mails its owner)', async () => {
    const owner = await registered();
    const username = `tk_${randomBytes(4).toString('hex')}`;
    const res = await jsonFrom(freshAddress(), stack.url, 'POST', '/api/v1/auth/register', {
      username,
      email: owner.email.toUpperCase(),
      password: `Pass-${randomBytes(8).toString('hex')}`,
    });
    expect(res.status).toBe(201);
    // A new account is signed in at once; a taken email gets the same keys, with decoy tokens.
    const fresh = await jsonFrom(freshAddress(), stack.url, 'POST', '/api/v1/auth/register', {
      username: `fr_${randomBytes(4).toString('hex')}`,
      email: `fr_${randomBytes(4).toString('hex')}@example.com`,
      password: `Pass-${randomBytes(8).toString('hex')}`,
    });
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(Object.keys(res.body)).toContain('accessToken');
    const verify = await fetch(`${stack.url}/api/v1/auth/verify`, { headers: { authorization: `Bearer ${String(res.body.accessToken)}` } });
    expect(verify.status).toBe(401);
    await verify.body?.cancel();
    const mails = await withClient(stack.databases.auth!, (c) =>
      c.query<{ n: string }>('SELECT count(*) AS n FROM mail_outbox WHERE recipient = $1 AND subject LIKE $2', [
        owner.email,
        'Someone tried to sign up%',
      ]),
    );
    expect(Number(mails.rows[0]!.n)).toBe(1);
  });
});

describe('second factor under attack', () => {
  async function withTwoFactor(): Promise<{ u: User; secret: string; acc: Account }> {
    const u = await registered('tfa');
    const acc = await signedIn(u);
    const setup = await json(stack.url, 'POST', '/api/v1/auth/2fa/setup', { password: u.password }, acc.headers);
    expect(setup.status, setup.text).toBe(200);
    const ok = await json(stack.url, 'POST', '/api/v1/auth/2fa/verify-setup', { code: await generate({ secret: setup.body.secret }) }, acc.headers);
    expect(ok.status, ok.text).toBe(200);
    return { u, secret: setup.body.secret, acc };
  }

  it('enrolment with a bare access token is refused; nothing is enrolled', async () => {
    const u = await registered();
    const acc = await signedIn(u);
    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/2fa/setup', {}, acc.headers), 400, 'setup without the password');
    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/2fa/setup', undefined, acc.headers), [400, 415], 'setup without a body');
    expectProblem(
      await json(stack.url, 'POST', '/api/v1/auth/2fa/setup', { password: 'not-the-password' }, acc.headers),
      403,
      'setup with a wrong password',
    );
    const rows = await withClient(stack.databases.auth!, (c) => c.query('SELECT 1 FROM totp_credentials WHERE user_id = $1', [u.id]));
    expect(rows.rowCount).toBe(0);
  });

  it('removal needs the password too', async () => {
    const { u, secret, acc } = await withTwoFactor();
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/2fa/disable', { code }, acc.headers), 400, 'disable without the password');
    expectProblem(
      await json(stack.url, 'POST', '/api/v1/auth/2fa/disable', { code, password: 'not-the-password' }, acc.headers),
      403,
      'disable, wrong password',
    );
    expect((await json(stack.url, 'GET', '/api/v1/auth/2fa/status', undefined, acc.headers)).body.enabled).toBe(true);
    expect(u.id).toBeTruthy();
  });

  it('brute force across fresh sign-ins is bounded: a password success resets nothing, the right code waits too', async () => {
    const { u, secret } = await withTwoFactor();
    let evaluated = 0;
    let refused: Awaited<ReturnType<typeof login>> | undefined;
    // The old behaviour let 12 sign-ins × 5 codes through in 3 s; now the account's count backs off.
    for (let signIn = 0; signIn < 12 && !refused; signIn += 1) {
      const first = await login(freshAddress(), u.username, u.password);
      expect(first.status, first.text).toBe(200);
      for (let i = 0; i < 5; i += 1) {
        const guess = await json(stack.url, 'POST', '/api/v1/auth/login/mfa', {
          mfaToken: first.body.mfaToken,
          code: String(100000 + signIn * 5 + i),
        });
        if (guess.status === 429) {
          refused = guess;
          break;
        }
        expectProblem(guess, 400, 'a wrong code');
        evaluated += 1;
      }
    }
    expect(evaluated).toBeLessThanOrEqual(3);
    expectProblem(refused!, 429, 'the backoff');
    const wait = Number(refused!.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(4);
    // A fresh password sign-in succeeds, yet even the right code is refused until the wait is over.
    const again = await login(freshAddress(), u.username, u.password);
    expect(again.status).toBe(200);
    const right = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expectProblem(
      await json(stack.url, 'POST', '/api/v1/auth/login/mfa', { mfaToken: again.body.mfaToken, code: right }),
      429,
      'the right code during the backoff',
    );
    const metrics = await send(stack.services.auth!.base, { method: 'GET', path: '/metrics' });
    const line = metrics.text.split('\n').find((l) => l.startsWith('auth_second_factor_failures_total{') && l.includes('operation="sign_in"'));
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(evaluated);
  });
});

describe('media uploads under attack', () => {
  async function ticket(acc: Account, contentType: string, size: number) {
    const t = await json(stack.url, 'POST', '/api/v1/media/uploads', { contentType, sizeBytes: size }, acc.headers);
    expect(t.status, t.text).toBe(201);
    const url = new URL(t.body.uploadUrl);
    const put = (body: Buffer) =>
      send(stack.url, { method: 'PUT', path: `${url.pathname}${url.search}`, headers: { ...t.body.uploadHeaders }, body });
    return { id: t.body.id as string, put };
  }

  it('the upload URL cannot replace the object after completion', async () => {
    const acc = await signedIn(await registered('med'));
    const bytes = pngBytes(2048);
    const t = await ticket(acc, 'image/png', bytes.length);
    expect((await t.put(bytes)).status).toBe(200);
    expect((await json(stack.url, 'POST', `/api/v1/media/${t.id}/complete`, undefined, acc.headers)).status).toBe(200);
    const swap = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'.padEnd(bytes.length, ' '));
    expectProblem(await t.put(swap), 409, 'a second PUT to the upload URL');
    const media = await json(stack.url, 'GET', `/api/v1/media/${t.id}`, undefined, acc.headers);
    const download = new URL(media.body.downloadUrl);
    const got = await send(stack.url, { method: 'GET', path: `${download.pathname}${download.search}` });
    expect(got.status).toBe(200);
    expect(Buffer.from(got.text, 'utf8').includes(Buffer.from('<script>'))).toBe(false);
  });

  it('bytes of another type than declared are refused at completion', async () => {
    const acc = await signedIn(await registered('med'));
    const html = Buffer.from('<!doctype html><script>fetch("/api/v1/auth/refresh")</script>'.padEnd(1024, ' '));
    const t = await ticket(acc, 'image/png', html.length);
    expect((await t.put(html)).status).toBe(200);
    expectProblem(await json(stack.url, 'POST', `/api/v1/media/${t.id}/complete`, undefined, acc.headers), 409, 'an HTML page declared image/png');
    expect((await json(stack.url, 'GET', `/api/v1/media/${t.id}`, undefined, acc.headers)).body.status).toBe('pending');
  });
});
