import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../mesh/src/db/database.js';
import { signLocalAssertion, LOCAL_WORKLOAD_HEADER } from '../../mesh/src/auth/workload-identity.js';
import { startStack, newSession, type Session, type Stack } from '../helpers/stack.js';
import type { ServiceName } from '../../mesh/src/topology.js';
import { pngBytes } from '../helpers/image-bytes.js';
import { within } from '../helpers/within.js';

/**
 * The event backbone across real processes (issue 12): auth's account events reach users, posts and
 * media through each producer's outbox (graphile-worker) and each consumer's inbox.
 */
let stack: Stack;
const dbs: Partial<Record<ServiceName, Database>> = {};
const db = (s: ServiceName) => (dbs[s] ??= createDatabase({ url: stack.databases[s]!, poolMax: 2 }));
const count = async (s: ServiceName, from: string, params: unknown[] = []) =>
  Number((await db(s).query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params))[0]!.n);

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
// A test that failed while a consumer was down must not take the next ones with it.
beforeEach(async () => {
  for (const name of ['users', 'posts', 'media'] as const) {
    if (!stack.services[name]?.alive()) await stack.restart(name);
  }
});
afterAll(async () => {
  await Promise.all(Object.values(dbs).map((d) => d.close()));
  await stack?.stop();
});

const api = (path: string, s?: Session, init: RequestInit = {}) =>
  fetch(`${stack.url}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(s?.headers ?? {}),
      ...((init.headers as Record<string, string>) ?? {}),
    },
  });
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

async function metric(service: ServiceName, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${stack.services[service]!.base}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('every account findable', () => {
  it('a user who only registered is found by username within 1 s, and can be followed', async () => {
    const follower = await newSession(stack.url, 'fan');
    const username = `only_${randomUUID().slice(0, 8)}`;
    const reg = await api('/api/v1/auth/register', undefined, {
      method: 'POST',
      body: JSON.stringify({ username, email: `${username}@example.com`, password: `Pass-${randomUUID()}` }),
    });
    expect(reg.status).toBe(201);
    const { id } = await json<{ id: string }>(reg);
    const took = await within(
      1_000,
      async () => (await api(`/api/v1/users/by-username/${username}`, follower)).status === 200,
      'profile of a new account',
    );
    console.log(`events: registered → findable by username in ${took} ms`);
    const follow = await api(`/api/v1/users/${id}/follow`, follower, { method: 'POST' });
    expect(follow.status).toBeLessThan(300);
    const profile = await json<{ username: string; followerCount: number }>(await api(`/api/v1/users/by-username/${username}`, follower));
    expect(profile).toMatchObject({ username, followerCount: 1 });
  });
});

describe('deletion is complete', () => {
  it("removes the user's posts, comments, likes, follows and media everywhere, keeps others' counts exact, and frees the name only after", async () => {
    const gone = await newSession(stack.url, 'gone');
    const other = await newSession(stack.url, 'other');
    // The other user's post, liked and commented on by both.
    const theirs = await json<{ id: string }>(
      await api('/api/v1/posts', other, { method: 'POST', body: JSON.stringify({ text: 'a post that stays' }) }),
    );
    for (const s of [gone, other]) {
      expect((await api(`/api/v1/posts/${theirs.id}/like`, s, { method: 'POST' })).status).toBe(200);
      expect(
        (await api(`/api/v1/posts/${theirs.id}/comments`, s, { method: 'POST', body: JSON.stringify({ text: `from ${s.username}` }) })).status,
      ).toBe(201);
    }
    // The leaving user's own post, which the other one liked and commented on, and a media object.
    const mine = await json<{ id: string }>(await api('/api/v1/posts', gone, { method: 'POST', body: JSON.stringify({ text: 'a post that goes' }) }));
    await api(`/api/v1/posts/${mine.id}/like`, other, { method: 'POST' });
    await api(`/api/v1/posts/${mine.id}/comments`, other, { method: 'POST', body: JSON.stringify({ text: 'reply' }) });
    const bytes = pngBytes(256);
    const ticket = await json<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>(
      await api('/api/v1/media/uploads', gone, { method: 'POST', body: JSON.stringify({ contentType: 'image/png', sizeBytes: bytes.length }) }),
    );
    expect((await fetch(ticket.uploadUrl, { method: 'PUT', headers: ticket.uploadHeaders, body: new Uint8Array(bytes) })).status).toBeLessThan(300);
    expect((await api(`/api/v1/media/${ticket.id}/complete`, gone, { method: 'POST' })).status).toBe(200);
    const download = (await json<{ downloadUrl: string }>(await api(`/api/v1/media/${ticket.id}`, gone))).downloadUrl;
    expect((await fetch(download)).status).toBe(200);
    // Follows both ways.
    expect((await api(`/api/v1/users/${other.id}/follow`, gone, { method: 'POST' })).status).toBeLessThan(300);
    expect((await api(`/api/v1/users/${gone.id}/follow`, other, { method: 'POST' })).status).toBeLessThan(300);

    // media is down when the account goes: the name stays taken until media has erased its part too.
    // SIGKILL, not the drain of stop(): the consumer dies with deliveries pending.
    stack.services.media!.kill('SIGKILL');
    await stack.services.media!.exited;
    expect((await api('/api/v1/users/me', gone, { method: 'DELETE' })).status).toBe(204);
    const took = await within(
      5_000,
      async () =>
        (await count('posts', 'posts WHERE author_id = $1', [gone.id])) === 0 && (await count('posts', 'likes WHERE user_id = $1', [gone.id])) === 0,
      'posts erased',
    );
    console.log(`events: account deleted → posts erased in ${took} ms`);
    expect(await count('posts', 'comments WHERE author_id = $1', [gone.id])).toBe(0);
    expect(await count('posts', 'likes l JOIN posts p ON p.id = l.post_id WHERE p.author_id = $1', [gone.id])).toBe(0);
    const post = await json<{ likeCount: number; commentCount: number }>(await api(`/api/v1/posts/${theirs.id}`, other));
    expect(post).toMatchObject({ likeCount: 1, commentCount: 1 });
    expect((await api(`/api/v1/posts/${mine.id}`, other)).status).toBe(404);
    const profile = await json<{ followerCount: number; followingCount: number }>(await api('/api/v1/users/me', other));
    expect(profile).toMatchObject({ followerCount: 0, followingCount: 0 });
    expect(await count('users', 'follows WHERE follower_id = $1 OR followee_id = $1', [gone.id])).toBe(0);
    const again = { username: gone.username, email: `${gone.username}.again@example.com`, password: `Pass-${randomUUID()}` };
    expect((await api('/api/v1/auth/register', undefined, { method: 'POST', body: JSON.stringify(again) })).status).toBe(409);

    await stack.restart('media');
    await within(30_000, async () => (await count('media', 'media WHERE owner_id = $1', [gone.id])) === 0, 'media erased after media restarted');
    expect((await fetch(download)).status).toBe(404);
    await within(5_000, async () => (await count('auth', 'pending_erasures WHERE user_id = $1', [gone.id])) === 0, 'every consumer confirmed');
    const reg = await api('/api/v1/auth/register', undefined, { method: 'POST', body: JSON.stringify(again) });
    expect(reg.status).toBe(201);
    const newId = (await json<{ id: string }>(reg)).id;
    expect(newId).not.toBe(gone.id);
    await within(
      1_000,
      async () => (await api(`/api/v1/users/by-username/${gone.username}`, other)).status === 200,
      'the new holder of the name is findable',
    );
  }, 90_000);
});

describe('at least once, exactly once in effect', () => {
  it('a killed consumer receives its events after restart, and a redelivery changes nothing', async () => {
    const viewer = await newSession(stack.url, 'viewer');
    stack.services.users!.kill('SIGKILL');
    await stack.services.users!.exited;
    const username = `late_${randomUUID().slice(0, 8)}`;
    const reg = await api('/api/v1/auth/register', undefined, {
      method: 'POST',
      body: JSON.stringify({ username, email: `${username}@example.com`, password: `Pass-${randomUUID()}` }),
    });
    expect(reg.status).toBe(201);
    const { id } = await json<{ id: string }>(reg);
    // auth keeps the delivery while users is gone, with a failed attempt counted.
    await within(
      5_000,
      async () => (await metric('auth', 'agora_events_delivery_failures_total', { consumer: 'users', type: 'account.registered' })) > 0,
      'a failed attempt',
    );
    expect(await count('auth', 'graphile_worker.jobs WHERE key LIKE $1', [`account.registered:${id}:users:%`])).toBe(1);

    await stack.restart('users');
    await within(30_000, async () => (await api(`/api/v1/users/by-username/${username}`, viewer)).status === 200, 'profile after users restarted');
    expect(await count('users', 'profiles WHERE id = $1', [id])).toBe(1);
    expect(await count('users', `events_inbox WHERE aggregate_id = $1 AND type = 'account.registered'`, [id])).toBe(1);
    await within(5_000, async () => (await count('auth', 'graphile_worker.jobs WHERE key LIKE $1', [`%:${id}:%`])) === 0, 'outbox emptied');

    // The same event delivered again (what at-least-once allows): recognised, nothing applied twice.
    const [seq] = await db('users').query<{ account_seq: string }>('SELECT account_seq FROM profiles WHERE id = $1', [id]);
    const [inbox] = await db('users').query<{ event_id: string }>('SELECT event_id FROM events_inbox WHERE aggregate_id = $1', [id]);
    const again = await fetch(`${stack.services.users!.base}/internal/v1/users/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [LOCAL_WORKLOAD_HEADER]: signLocalAssertion('auth', stack.meshKey) },
      body: JSON.stringify({
        id: inbox!.event_id,
        type: 'account.registered',
        producer: 'auth',
        aggregateId: id,
        sequence: Number(seq!.account_seq),
        occurredAt: new Date().toISOString(),
        payload: { username: 'someone_else', status: 'active' },
      }),
    });
    expect(await json(again)).toEqual({ outcome: 'duplicate' });
    expect((await json<{ username: string }>(await api(`/api/v1/users/${id}`, viewer))).username).toBe(username);
  }, 90_000);

  it('a poison event is dead-lettered at once and counted; one that keeps failing is dead-lettered after its last attempt', async () => {
    const before = await metric('auth', 'agora_events_dead_lettered_total', { consumer: 'users', type: 'account.registered' });
    const poison = {
      consumer: 'users',
      event: {
        id: randomUUID(),
        type: 'account.registered',
        producer: 'auth',
        aggregateId: randomUUID(),
        sequence: 1,
        occurredAt: new Date().toISOString(),
        payload: { username: 'not a name!', status: 'active' },
      },
    };
    await db('auth').query('SELECT graphile_worker.add_job($1, $2::json, max_attempts => 12)', ['agora_deliver_event', JSON.stringify(poison)]);
    await within(
      10_000,
      async () => (await count('auth', 'events_dead_letter WHERE event_id = $1', [poison.event.id])) === 1,
      'poison dead-lettered',
    );
    const [row] = await db('auth').query<{ attempts: number; last_error: string; consumer: string }>(
      'SELECT attempts, last_error, consumer FROM events_dead_letter WHERE event_id = $1',
      [poison.event.id],
    );
    expect(row).toMatchObject({ attempts: 1, consumer: 'users' });
    expect(row!.last_error).toMatch(/^400 /);
    expect(await metric('auth', 'agora_events_dead_lettered_total', { consumer: 'users', type: 'account.registered' })).toBe(before + 1);
    expect(await count('users', 'profiles WHERE id = $1', [poison.event.aggregateId])).toBe(0);

    // A delivery that fails in a way retrying could fix (here: nowhere to send it) but is out of attempts.
    const stuck = { consumer: 'nowhere', event: { ...poison.event, id: randomUUID(), payload: { username: 'fine_name', status: 'active' } } };
    await db('auth').query('SELECT graphile_worker.add_job($1, $2::json, max_attempts => 1)', ['agora_deliver_event', JSON.stringify(stuck)]);
    await within(
      10_000,
      async () => (await count('auth', 'events_dead_letter WHERE event_id = $1', [stuck.event.id])) === 1,
      'exhausted delivery dead-lettered',
    );
    expect(await metric('auth', 'agora_events_dead_lettered_total', { consumer: 'nowhere', type: 'account.registered' })).toBe(1);
  }, 60_000);
});

describe('per-aggregate order', () => {
  it('an older account event delivered after a newer one changes nothing; a late registration cannot revive an erased account', async () => {
    const viewer = await newSession(stack.url, 'order');
    const id = randomUUID();
    const deliver = async (type: string, sequence: number, payload: Record<string, unknown>) => {
      const res = await fetch(`${stack.services.users!.base}/internal/v1/users/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [LOCAL_WORKLOAD_HEADER]: signLocalAssertion('auth', stack.meshKey) },
        body: JSON.stringify({ id: randomUUID(), type, producer: 'auth', aggregateId: id, sequence, occurredAt: new Date().toISOString(), payload }),
      });
      expect(res.status).toBe(200);
    };
    const name = `ord_${id.slice(0, 8)}`;
    await deliver('account.registered', 1, { username: name, status: 'active' });
    await deliver('account.suspended', 3, { username: name, status: 'suspended' });
    await deliver('account.unsuspended', 2, { username: name, status: 'active' }); // older: dropped
    const [p] = await db('users').query<{ suspended: boolean; account_seq: string }>(
      'SELECT suspended_at IS NOT NULL AS suspended, account_seq FROM profiles WHERE id = $1',
      [id],
    );
    expect(p).toEqual({ suspended: true, account_seq: '3' });
    await deliver('account.deleted', 4, { status: 'deleted' });
    await deliver('account.registered', 1, { username: name, status: 'active' }); // a retry arriving last
    expect(await count('users', 'profiles WHERE id = $1', [id])).toBe(0);
    expect((await api(`/api/v1/users/by-username/${name}`, viewer)).status).toBe(404);
  });
});

describe("auth's mail on the same worker", () => {
  it('a requested sign-in code is mailed by the running worker, exactly once', async () => {
    const u = await newSession(stack.url, 'mail');
    const dir = stack.env.auth.MAILBOX_DIR!;
    const mine = async () => {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
      const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
      return texts.filter((t) => t.includes(`To: ${u.username}@example.com`) && t.includes('sign-in code'));
    };
    expect(
      (await api('/api/v1/auth/login/code/request', undefined, { method: 'POST', body: JSON.stringify({ email: `${u.username}@example.com` }) }))
        .status,
    ).toBe(202);
    await within(5_000, async () => (await mine()).length === 1, 'the mail in the mailbox');
    await within(
      5_000,
      async () =>
        (await count('auth', "mail_outbox WHERE recipient = $1 AND subject = 'Your Agora sign-in code' AND sent_at IS NOT NULL", [
          `${u.username}@example.com`,
        ])) === 1,
      'marked sent',
    );
    expect(await count('auth', 'graphile_worker.jobs WHERE task_identifier = $1', ['agora_send_mail'])).toBe(0);
    expect((await mine()).length).toBe(1);
  });
});
