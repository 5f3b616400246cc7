import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../mesh/src/db/database.js';
import { freePort, startServiceProcess, type ServiceProcess } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { openStream, type OpenStream } from '../../services/notifications/test/harness.js';
import { account, expectProblem, json, makeAdmin, uploadedMedia, type Account, type Answer } from './lib.js';

/**
 * Revocation that takes effect now (SECURITY.md "Revocation"), across real processes: auth's events
 * reach one replica of each consumer, which writes the revocation to its database; every replica
 * reads it within a second. A suspended, deleted or logged-out user's still-unexpired access token is
 * refused everywhere within 5 s — by a replica the event never reached and by one started afterwards.
 */
const EFFECT_MS = 5_000;

let stack: Stack;
let admin: Account;
const extra: ServiceProcess[] = [];
let postsDb: Database;

beforeAll(async () => {
  stack = await startStack();
  admin = await makeAdmin(stack, await account(stack.url, 'revadmin'));
  postsDb = createDatabase({ url: stack.databases.posts!, poolMax: 1 });
}, 120_000);
afterAll(async () => {
  await Promise.all(extra.map((p) => p.stop()));
  await postsDb?.close();
  await stack?.stop();
});

/**
 * Repeats `probe` until it is refused (with `reason`, when given); fails after EFFECT_MS. Returns the
 * time it took and how many answers came before. A suspension also ends the user's sessions, and a
 * service may learn of the session first: it then refuses with session_ended until the suspension
 * itself arrives, which must happen within the same EFFECT_MS.
 */
async function untilRefused(probe: () => Promise<Answer>, what: string, reason?: string): Promise<{ ms: number; before: number; answer: Answer }> {
  const started = Date.now();
  for (let before = 0; ; before += 1) {
    const answer = await probe();
    if (answer.status === 401 && (!reason || answer.body?.reason === reason)) return { ms: Date.now() - started, before, answer };
    if (Date.now() - started > EFFECT_MS) throw new Error(`${what}: still ${answer.status} ${answer.body?.reason ?? ''} after ${EFFECT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectRevoked(a: Answer, reason: string, context: string): void {
  expectProblem(a, 401, context);
  expect(a.body.reason, context).toBe(reason);
  expect(a.headers['www-authenticate'], context).toBe('Bearer realm="agora", error="invalid_token"');
  // Names why, to the token's holder, and nothing else: one fixed sentence per reason, no ids, no times.
  expect(Object.keys(a.body).sort(), context).toEqual(['detail', 'instance', 'reason', 'status', 'title', 'type']);
  expect(a.body.detail, context).toBe(DETAILS[reason]);
}
const DETAILS: Record<string, string> = {
  session_ended: 'This session has ended; sign in again.',
  account_suspended: 'This account is suspended.',
  account_deleted: 'This account has been deleted.',
};

const write = {
  posts: (u: Account, base = stack.url) => json(base, 'POST', '/api/v1/posts', { text: 'written after revocation?' }, u.headers),
  media: (u: Account, base = stack.url) => json(base, 'POST', '/api/v1/media/uploads', { contentType: 'image/png', sizeBytes: 8 }, u.headers),
};
const read = {
  auth: (u: Account, base = stack.url) => json(base, 'GET', '/api/v1/auth/verify', undefined, u.headers),
  users: (u: Account, base = stack.url) => json(base, 'GET', '/api/v1/users/me', undefined, u.headers),
  posts: (u: Account, base = stack.url) => json(base, 'GET', '/api/v1/posts?limit=1', undefined, u.headers),
  media: (u: Account, base = stack.url, id = '') => json(base, 'GET', `/api/v1/media/${id}`, undefined, u.headers),
};

/** A second sign-in of `u`: another session, with its own tokens. */
async function secondSession(u: Account): Promise<Account> {
  const r = await json(stack.url, 'POST', '/api/v1/auth/login', { login: u.username, password: u.password });
  expect(r.status, r.text).toBe(200);
  return { ...u, token: r.body.accessToken, refreshToken: r.body.refreshToken, headers: { authorization: `Bearer ${r.body.accessToken}` } };
}

/** Another replica of `service` on the same database, as a Deployment scaled up would add. */
async function replica(service: 'media' | 'posts'): Promise<ServiceProcess> {
  const p = await startServiceProcess(service, { ...stack.env[service], PORT: String(await freePort()) });
  extra.push(p);
  return p;
}

describe('revocation takes effect at every service within 5 s', () => {
  it("a suspended user's next write at posts and at media is refused; reinstated, a new sign-in works again", async () => {
    const u = await account(stack.url, 'revsusp');
    expect((await write.posts(u)).status).toBe(201); // positive controls: the token works before
    expect((await write.media(u)).status).toBe(201);
    const mediaId = await uploadedMedia(stack.url, u);

    const s = await json(stack.url, 'PUT', `/api/v1/users/${u.id}/suspension`, { suspended: true }, admin.headers);
    expect(s.status, s.text).toBe(200);
    const posts = await untilRefused(() => write.posts(u), 'posts write of a suspended user', 'account_suspended');
    const media = await untilRefused(() => write.media(u), 'media write of a suspended user', 'account_suspended');
    expectRevoked(posts.answer, 'account_suspended', 'posts');
    expectRevoked(media.answer, 'account_suspended', 'media');
    // Every service has its own 5 s (its own delivery, or auth's own 1 s read of its table).
    for (const [svc, probe] of Object.entries(read))
      expectRevoked(
        (await untilRefused(() => probe(u, stack.url, mediaId), `${svc} read`, 'account_suspended')).answer,
        'account_suspended',
        `${svc} read`,
      );
    console.log(
      `[revocation] suspension refused at posts after ${posts.ms} ms (${posts.before} writes accepted first), at media after ${media.ms} ms more`,
    );

    expect((await json(stack.url, 'PUT', `/api/v1/users/${u.id}/suspension`, { suspended: false }, admin.headers)).status).toBe(200);
    const again = await secondSession(u);
    // Each service learns of the reinstatement by its own delivery: each gets the same 5 s.
    for (const svc of ['posts', 'media'] as const) {
      const lifted = Date.now();
      while ((await write[svc](again)).status !== 201) {
        if (Date.now() - lifted > EFFECT_MS) throw new Error(`a reinstated user still refused at ${svc} after 5 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    // The old token's session was revoked with the suspension: it stays refused.
    expectRevoked(await write.posts(u), 'session_ended', 'the old token after reinstatement');
  });

  it("a logged-out session's access token is refused at auth, users, posts and media; the user's other session is not", async () => {
    const u = await account(stack.url, 'revlogout');
    const other = await secondSession(u);
    const mediaId = await uploadedMedia(stack.url, u);
    const lo = await json(stack.url, 'POST', '/api/v1/auth/logout', { refreshToken: u.refreshToken });
    expect(lo.status, lo.text).toBe(204);

    const took: Record<string, number> = {};
    for (const [svc, probe] of Object.entries(read)) {
      const r = await untilRefused(() => probe(u, stack.url, mediaId), `${svc} after logout`);
      expectRevoked(r.answer, 'session_ended', svc);
      took[svc] = r.ms;
      expect((await probe(other, stack.url, mediaId)).status, `${svc}: the other session`).toBe(200);
    }
    expectRevoked(await write.posts(u), 'session_ended', 'posts write');
    expectRevoked(await write.media(u), 'session_ended', 'media write');
    console.log('[revocation] logout refused after (ms, each service polled in turn):', took);

    // Kept for one token lifetime plus twice the 60 s skew, then dropped (the set's own test covers the dropping).
    const [row] = await postsDb.query<{ lifetime: number }>(
      `SELECT extract(epoch FROM expires_at - revoked_at)::int AS lifetime FROM revocations WHERE kind = 'session' AND user_id = $1`,
      [u.id],
    );
    expect(row?.lifetime).toBe(900 + 120);
  });

  it('a reused refresh token ends its session everywhere, the newest access token of it included', async () => {
    const u = await account(stack.url, 'revreuse');
    const r = await json(stack.url, 'POST', '/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    expect(r.status, r.text).toBe(200);
    const rotated = { ...u, headers: { authorization: `Bearer ${r.body.accessToken}` } };
    expect((await write.posts(rotated)).status).toBe(201);
    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, 'the reused token');
    expectRevoked((await untilRefused(() => write.posts(rotated), 'posts after reuse')).answer, 'session_ended', 'posts');
    expectRevoked((await untilRefused(() => write.media(rotated), 'media after reuse')).answer, 'session_ended', 'media');
  });

  it('a deleted account is refused at posts and media', async () => {
    const u = await account(stack.url, 'revdel');
    const d = await json(stack.url, 'DELETE', '/api/v1/users/me', undefined, u.headers);
    expect(d.status, d.text).toBe(204);
    expectRevoked((await untilRefused(() => write.posts(u), 'posts after deletion')).answer, 'account_deleted', 'posts');
    expectRevoked((await untilRefused(() => write.media(u), 'media after deletion')).answer, 'account_deleted', 'media');
  });
});

describe('open notification streams end within 5 s', () => {
  /** Opens the stream through the ingress, with the bearer token or (as a browser does) with a ticket. */
  async function stream(u: Account, by: 'token' | 'ticket'): Promise<OpenStream> {
    let s: OpenStream;
    if (by === 'token') s = await openStream(`${stack.url}/api/v1/notifications/stream`, u.headers);
    else {
      const t = await json(stack.url, 'POST', '/api/v1/notifications/stream-tickets', {}, u.headers);
      expect(t.status, t.text).toBe(201);
      s = await openStream(`${stack.url}/api/v1/notifications/stream?ticket=${encodeURIComponent(t.body.ticket)}`);
    }
    expect(s.status).toBe(200);
    await s.next('ready', EFFECT_MS);
    return s;
  }

  /** Resolves with the time it took for the stream to end with `end` reason `revoked`; fails after 5 s. */
  async function endsRevoked(s: OpenStream, since: number, what: string): Promise<number> {
    const end = await s.next('end', EFFECT_MS).catch((err: Error) => {
      throw new Error(`${what}: ${err.message}`);
    });
    expect(end.data, what).toEqual({ reason: 'revoked' });
    await s.ended;
    return end.at - since;
  }

  it("a logged-out session's streams (token and ticket) end; the user's other session's stream stays open", async () => {
    const u = await account(stack.url, 'revsse');
    const other = await secondSession(u);
    const [byToken, byTicket, kept] = [await stream(u, 'token'), await stream(u, 'ticket'), await stream(other, 'token')];
    const since = Date.now();
    expect((await json(stack.url, 'POST', '/api/v1/auth/logout', { refreshToken: u.refreshToken })).status).toBe(204);
    const ms = [await endsRevoked(byToken, since, 'stream by token'), await endsRevoked(byTicket, since, 'stream by ticket')];
    // The other session's stream got no `end` and stays open (its token's session was not revoked).
    expect(kept.events.map((e) => e.event)).toEqual(['ready']);
    let keptEnded = false;
    void kept.ended.then(() => (keptEnded = true));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(keptEnded).toBe(false);
    kept.close();
    console.log(`[revocation] notification streams of a logged-out session ended after ${ms.join(' and ')} ms`);
  });

  it("a suspended user's open stream ends, and a ticket asked for before the suspension no longer opens one", async () => {
    const u = await account(stack.url, 'revssesusp');
    const open = await stream(u, 'token');
    const t = await json(stack.url, 'POST', '/api/v1/notifications/stream-tickets', {}, u.headers);
    expect(t.status, t.text).toBe(201);
    const since = Date.now();
    const s = await json(stack.url, 'PUT', `/api/v1/users/${u.id}/suspension`, { suspended: true }, admin.headers);
    expect(s.status, s.text).toBe(200);
    const ms = await endsRevoked(open, since, 'stream of a suspended user');
    const late = await openStream(`${stack.url}/api/v1/notifications/stream?ticket=${encodeURIComponent(t.body.ticket)}`);
    // The same answer the token itself gets: 401 with the reason to switch on.
    expect(late.status).toBe(401);
    expect(JSON.parse(late.raw())).toMatchObject({ status: 401, reason: 'account_suspended' });
    console.log(`[revocation] a suspended user's notification stream ended after ${ms} ms`);
  });
});

describe('replicas and late starters', () => {
  it('the event reaches one replica; another replica refuses too, and so does one started afterwards', async () => {
    const second = await replica('media');
    const u = await account(stack.url, 'revrepl');
    expect((await write.media(u, second.base)).status).toBe(201);
    expect((await json(stack.url, 'POST', '/api/v1/auth/logout', { refreshToken: u.refreshToken })).status).toBe(204);
    // auth delivers to the stack's media process only; the second replica learns it from the table.
    const r = await untilRefused(() => write.media(u, second.base), 'the replica the event did not reach');
    expectRevoked(r.answer, 'session_ended', 'second replica');
    console.log(`[revocation] a replica the event did not reach refused after ${r.ms} ms`);

    const third = await replica('media');
    expectRevoked(await write.media(u, third.base), 'session_ended', 'a replica started after the revocation: its first answer');
  });

  it('a service restarted after the revocation refuses on its first answer', async () => {
    const u = await account(stack.url, 'revlate');
    const s = await json(stack.url, 'PUT', `/api/v1/users/${u.id}/suspension`, { suspended: true }, admin.headers);
    expect(s.status, s.text).toBe(200);
    await untilRefused(() => write.posts(u), 'posts before the restart');
    const posts = await stack.restart('posts');
    expectRevoked(await write.posts(u, posts.base), 'account_suspended', 'restarted posts: its first answer');
  });
});
