import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';
import type { AuthDeps } from '../src/wiring.js';

let auth: RunningAuth;
let mailbox: string;
beforeAll(async () => {
  mailbox = await mkdtemp(path.join(os.tmpdir(), 'agora-mailbox-'));
  // The worker is off: each test drains the outbox itself, so nothing races.
  auth = await startAuth({ MAILBOX_DIR: mailbox });
});
afterAll(async () => auth?.stop());

const url = (p: string) => `${auth.base}/api/v1/auth/${p}`;
const deps = () => auth.service.deps as AuthDeps;

/** The mailbox's messages, oldest first (files are named by outbox id, so order by write time). */
async function mails(): Promise<string[]> {
  const files = (await readdir(mailbox)).filter((f) => f.endsWith('.eml'));
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(path.join(mailbox, f))).mtimeMs })));
  dated.sort((a, b) => a.t - b.t);
  return Promise.all(dated.map(({ f }) => readFile(path.join(mailbox, f), 'utf8')));
}

async function codeFor(email: string): Promise<string> {
  const all = (await mails()).filter((m) => m.includes(`To: ${email}`));
  const code = /sign-in code is (\d{6})/.exec(all[all.length - 1] ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return code;
}

async function registered() {
  const u = newUser('pwless');
  expect((await postJson(url('register'), u)).status).toBe(201);
  await deps().mail.drain(); // the sign-up's verification mail, out of the way of the counts below
  return u;
}

describe('passwordless sign-in by mailed code', () => {
  it('answers 202 whether or not the address has an account, and mails only real accounts', async () => {
    const u = await registered();
    const before = (await mails()).length;
    expect((await postJson(url('login/code/request'), { email: u.email })).status).toBe(202);
    expect((await postJson(url('login/code/request'), { email: 'nobody@example.com' })).status).toBe(202);
    expect(await deps().mail.drain()).toBe(1);
    expect((await mails()).length).toBe(before + 1);
  });

  it('the code signs in once; a second use, a wrong code and an old code are refused', async () => {
    const u = await registered();
    await postJson(url('login/code/request'), { email: u.email });
    await deps().mail.drain();
    const first = await codeFor(u.email);
    await postJson(url('login/code/request'), { email: u.email }); // voids the first
    await deps().mail.drain();
    const second = await codeFor(u.email);
    if (first !== second) expect((await postJson(url('login/code'), { email: u.email, code: first })).status).toBe(401);
    const ok = await postJson(url('login/code'), { email: u.email, code: second });
    expect(ok.status).toBe(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
    expect((await postJson(url('login/code'), { email: u.email, code: second })).status).toBe(401);
  });

  it('a code dies after five wrong attempts', async () => {
    const u = await registered();
    await postJson(url('login/code/request'), { email: u.email });
    await deps().mail.drain();
    const code = await codeFor(u.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expect((await postJson(url('login/code'), { email: u.email, code: wrong })).status).toBe(401);
    expect((await postJson(url('login/code'), { email: u.email, code })).status).toBe(401);
  });

  it('stores codes hashed and mail bodies sealed', async () => {
    const u = await registered();
    await postJson(url('login/code/request'), { email: u.email });
    const [row] = await auth.service.db.query<{ body_ciphertext: string; code_hash: string }>(
      `SELECT o.body_ciphertext, c.code_hash FROM mail_outbox o, login_codes c, users u
        WHERE o.recipient = u.email AND c.user_id = u.id AND u.username = $1 AND c.used_at IS NULL`,
      [u.username],
    );
    expect(row!.body_ciphertext).toMatch(/^v1\./);
    expect(row!.body_ciphertext).not.toMatch(/sign-in code/);
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    await deps().mail.drain();
  });

  it('writes mailbox files readable by their owner only (they hold sign-in codes)', async () => {
    const u = await registered();
    await postJson(url('login/code/request'), { email: u.email });
    await deps().mail.drain();
    const files = (await readdir(mailbox)).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((await stat(path.join(mailbox, f))).mode & 0o777, f).toBe(0o600);
  });

  it('a worker killed between delivering and committing loses no mail and sends none twice', async () => {
    const u = await registered();
    await postJson(url('login/code/request'), { email: u.email });
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../../test/fixtures/mail-crash-worker.mjs')], {
      env: {
        ...process.env,
        DATABASE_URL: auth.databaseUrl,
        MAILBOX_DIR: mailbox,
        SIGNING_KEY_ENCRYPTION_KEY: auth.config.SIGNING_KEY_ENCRYPTION_KEY,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout!, 'data'); // "delivered": the message is in the mailbox, the outbox row not yet marked sent
    child.kill('SIGKILL');
    await once(child, 'exit');
    const countFor = async () => (await mails()).filter((m) => m.includes(`To: ${u.email}`) && m.includes('sign-in code')).length;
    expect(await countFor()).toBe(1);
    // The row is still unsent and its job still locked by the dead worker; once the lock is taken
    // to be abandoned (EVENTS_LOCK_TIMEOUT_SECONDS, here at once) the next worker sends it again…
    expect(await auth.count('mail_outbox WHERE recipient = $1 AND sent_at IS NULL', [u.email])).toBe(1);
    expect(await deps().events.worker.releaseAbandoned(0)).toBe(1);
    await deps().mail.drain();
    // …and delivery by outbox id makes that resend a no-op: still exactly one mail, now marked sent.
    expect(await countFor()).toBe(1);
    expect(await auth.count("mail_outbox WHERE recipient = $1 AND subject = 'Your Agora sign-in code' AND sent_at IS NOT NULL", [u.email])).toBe(1);
    const ok = await postJson(url('login/code'), { email: u.email, code: await codeFor(u.email) });
    expect(ok.status).toBe(200);
  });

  it('refuses malformed requests with 400', async () => {
    expect((await postJson(url('login/code/request'), { email: 'not-an-email' })).status).toBe(400);
    expect((await postJson(url('login/code'), { email: 'a@b.co', code: '12345' })).status).toBe(400);
  });
});
