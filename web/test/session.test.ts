import { describe, expect, it } from 'vitest';
import { Session, type SessionDeps } from '../src/session/session.js';

const ORIGIN = 'http://agora.test';

function jwt(sub: string, roles: string[] = []): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'ES256' })}.${b64({ sub, roles, exp: 2_000_000_000 })}.sig`;
}

/** A fake auth + API: tokens `t1`, `t2`, …; the API accepts only the newest token. */
function fakeServer(opts: { refresh?: 'ok' | 'refuse' | 'down'; refreshDelayMs?: number } = {}) {
  let issued = 0;
  let valid = '';
  let concurrent = 0;
  const log = { refreshes: 0, maxConcurrentRefreshes: 0, apiCalls: [] as string[], sessionHeaders: [] as (string | null)[] };
  const issue = () => {
    issued += 1;
    valid = jwt(`user-${issued}`, ['user']);
    return valid;
  };
  const fetch: SessionDeps['fetch'] = async (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/v1/auth/refresh') {
      log.refreshes += 1;
      log.sessionHeaders.push(request.headers.get('x-agora-session'));
      concurrent += 1;
      log.maxConcurrentRefreshes = Math.max(log.maxConcurrentRefreshes, concurrent);
      await new Promise((r) => setTimeout(r, opts.refreshDelayMs ?? 5));
      concurrent -= 1;
      if (opts.refresh === 'down') throw new TypeError('fetch failed');
      if (opts.refresh === 'refuse') return new Response('{"status":401}', { status: 401 });
      return Response.json({ accessToken: issue(), tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 86400 });
    }
    if (path === '/api/v1/auth/logout') return new Response(null, { status: 204 });
    if (path === '/api/v1/auth/login') return Response.json({ status: 401 }, { status: 401 });
    const auth = request.headers.get('authorization');
    log.apiCalls.push(`${path} ${auth === `Bearer ${valid}` ? 'ok' : 'stale'}`);
    if (auth !== `Bearer ${valid}`) return Response.json({ status: 401 }, { status: 401 });
    return Response.json({ ok: true, body: request.method === 'POST' ? await request.text() : undefined });
  };
  return { fetch, log, issue, expire: () => issue() };
}

/** One lock shared by several sessions, like navigator.locks across tabs. */
function sharedLock(): SessionDeps['lock'] {
  let tail: Promise<unknown> = Promise.resolve();
  return (_name, task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function sharedChannel() {
  const members: Array<(e: { data: unknown }) => void> = [];
  return () => {
    let mine: ((e: { data: unknown }) => void) | undefined;
    return {
      postMessage: (data: unknown) => members.filter((m) => m !== mine).forEach((m) => m({ data })),
      addEventListener: (_t: 'message', fn: (e: { data: unknown }) => void) => {
        mine = fn;
        members.push(fn);
      },
    };
  };
}

const get = (s: Session, path: string) => s.fetch(new Request(`${ORIGIN}${path}`));

describe('Session', () => {
  it('sends the access token, and on a 401 refreshes once and retries with the new token', async () => {
    const server = fakeServer();
    const session = new Session({ fetch: server.fetch, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    expect(session.claims?.sub).toBe('user-1');
    expect((await get(session, '/api/v1/feed')).status).toBe(200);

    server.expire();
    const res = await session.fetch(new Request(`${ORIGIN}/api/v1/posts`, { method: 'POST', body: '{"text":"hi"}' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, body: '{"text":"hi"}' }); // the retried body is intact
    expect(server.log.refreshes).toBe(1);
    expect(server.log.sessionHeaders).toEqual(['cookie']);
    expect(session.claims?.sub).toBe('user-3');
  });

  it('parallel 401s share one refresh (single flight in a tab)', async () => {
    const server = fakeServer({ refreshDelayMs: 20 });
    const session = new Session({ fetch: server.fetch, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    server.expire();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => get(session, `/api/v1/posts/${i}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(server.log.refreshes).toBe(1);
  });

  it('two tabs never refresh at the same time (the shared lock serialises them)', async () => {
    const server = fakeServer({ refreshDelayMs: 20 });
    const lock = sharedLock();
    const tabA = new Session({ fetch: server.fetch, lock, origin: ORIGIN });
    const tabB = new Session({ fetch: server.fetch, lock, origin: ORIGIN });
    tabA.accept({ accessToken: server.issue() });
    tabB.accept({ accessToken: server.issue() });
    await Promise.all([tabA.refresh(), tabB.refresh(), tabA.refresh(), tabB.refresh()]);
    expect(server.log.refreshes).toBe(2); // one per tab
    expect(server.log.maxConcurrentRefreshes).toBe(1);
  });

  it('a refused refresh signs out: token dropped, listeners and other tabs told, the 401 returned', async () => {
    const server = fakeServer({ refresh: 'refuse' });
    const lock = sharedLock();
    const channel = sharedChannel();
    const tab = new Session({ fetch: server.fetch, lock, origin: ORIGIN, channel: channel() });
    const otherTab = new Session({ fetch: server.fetch, lock, origin: ORIGIN, channel: channel() });
    tab.accept({ accessToken: server.issue() });
    otherTab.accept({ accessToken: server.issue() });
    let told = 0;
    tab.subscribe(() => (told += 1));
    server.expire();
    const res = await get(tab, '/api/v1/feed');
    expect(res.status).toBe(401);
    expect(tab.signedIn).toBe(false);
    expect(tab.claims).toBeUndefined();
    expect(told).toBe(1);
    expect(otherTab.signedIn).toBe(false);
    expect(server.log.refreshes).toBe(1);
  });

  it('an unreachable API is not a sign-out', async () => {
    const server = fakeServer({ refresh: 'down' });
    const session = new Session({ fetch: server.fetch, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    expect(await session.refresh()).toBe('unavailable');
    expect(session.signedIn).toBe(true);
  });

  it('a 401 from a credential check (wrong password) is the answer, not a reason to refresh', async () => {
    const server = fakeServer();
    const session = new Session({ fetch: server.fetch, lock: sharedLock(), origin: ORIGIN });
    const res = await session.fetch(new Request(`${ORIGIN}/api/v1/auth/login`, { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
    expect(server.log.refreshes).toBe(0);
  });

  it('a 401 for a request sent with an older token retries with the newer one without refreshing again', async () => {
    const server = fakeServer();
    const session = new Session({ fetch: server.fetch, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    server.expire();
    await session.refresh(); // a new token arrives (t3), the API now accepts only it
    expect(server.log.refreshes).toBe(1);
    expect((await get(session, '/api/v1/feed')).status).toBe(200);
    expect(server.log.refreshes).toBe(1);
  });

  it('signOut calls logout in cookie mode and clears the session', async () => {
    const server = fakeServer();
    const seen: string[] = [];
    const session = new Session({
      fetch: (r) => {
        seen.push(`${new URL(r.url).pathname} ${r.headers.get('x-agora-session')}`);
        return server.fetch(r);
      },
      lock: sharedLock(),
      origin: ORIGIN,
    });
    session.accept({ accessToken: server.issue() });
    await session.signOut();
    expect(seen).toEqual(['/api/v1/auth/logout cookie']);
    expect(session.signedIn).toBe(false);
  });

  it('a 403 checks the session once: a suspended account (refresh refused) is signed out', async () => {
    const server = fakeServer({ refresh: 'refuse' });
    const forbidding: SessionDeps['fetch'] = async (r) =>
      new URL(r.url).pathname === '/api/v1/users/me' ? Response.json({ status: 403 }, { status: 403 }) : server.fetch(r);
    const session = new Session({ fetch: forbidding, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    expect((await get(session, '/api/v1/users/me')).status).toBe(403);
    expect(server.log.refreshes).toBe(1);
    expect(session.signedIn).toBe(false);
  });

  it('a 403 with a live session stays signed in and is not retried', async () => {
    const server = fakeServer();
    let calls = 0;
    const forbidding: SessionDeps['fetch'] = async (r) => {
      if (new URL(r.url).pathname !== '/api/v1/users') return server.fetch(r);
      calls += 1;
      return Response.json({ status: 403 }, { status: 403 });
    };
    const session = new Session({ fetch: forbidding, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    expect((await get(session, '/api/v1/users')).status).toBe(403);
    expect(calls).toBe(1);
    expect(session.signedIn).toBe(true);
  });

  it('keeps the 401 reason of a session that ended, says it while listeners are told, and passes it to other tabs', async () => {
    const server = fakeServer({ refresh: 'refuse' });
    const lock = sharedLock();
    const channel = sharedChannel();
    const revoked: SessionDeps['fetch'] = async (r) =>
      new URL(r.url).pathname === '/api/v1/posts'
        ? new Response(JSON.stringify({ status: 401, reason: 'account_suspended' }), {
            status: 401,
            headers: { 'Content-Type': 'application/problem+json' },
          })
        : server.fetch(r);
    const tab = new Session({ fetch: revoked, lock, origin: ORIGIN, channel: channel() });
    const otherTab = new Session({ fetch: server.fetch, lock, origin: ORIGIN, channel: channel() });
    tab.accept({ accessToken: server.issue() });
    otherTab.accept({ accessToken: server.issue() });
    const seenByListener: Array<string | undefined> = [];
    tab.subscribe(() => seenByListener.push(tab.endReason));
    const res = await tab.fetch(new Request(`${ORIGIN}/api/v1/posts`, { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ status: 401, reason: 'account_suspended' }); // the body is still readable
    expect(tab.signedIn).toBe(false);
    expect(tab.endReason).toBe('account_suspended');
    expect(seenByListener).toEqual(['account_suspended']);
    expect(otherTab.signedIn).toBe(false);
    expect(otherTab.endReason).toBe('account_suspended');
    // The next sign-in forgets it.
    tab.accept({ accessToken: server.issue() });
    expect(tab.endReason).toBeUndefined();
  });

  it('a reason the app does not know, or a 401 whose refresh succeeds, leaves no end reason', async () => {
    const server = fakeServer();
    let first = true;
    const oddReason: SessionDeps['fetch'] = async (r) => {
      if (new URL(r.url).pathname === '/api/v1/feed' && first) {
        first = false;
        return new Response(JSON.stringify({ status: 401, reason: 'token_too_old' }), {
          status: 401,
          headers: { 'Content-Type': 'application/problem+json' },
        });
      }
      return server.fetch(r);
    };
    const session = new Session({ fetch: oddReason, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    expect((await get(session, '/api/v1/feed')).status).toBe(200); // refreshed and retried
    expect(session.signedIn).toBe(true);
    expect(session.endReason).toBeUndefined();

    const refusing = fakeServer({ refresh: 'refuse' });
    const unknown: SessionDeps['fetch'] = async (r) =>
      new URL(r.url).pathname === '/api/v1/feed'
        ? new Response(JSON.stringify({ status: 401, reason: '<script>' }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } })
        : refusing.fetch(r);
    const other = new Session({ fetch: unknown, lock: sharedLock(), origin: ORIGIN });
    other.accept({ accessToken: refusing.issue() });
    expect((await get(other, '/api/v1/feed')).status).toBe(401);
    expect(other.signedIn).toBe(false);
    expect(other.endReason).toBeUndefined();
  });

  it('signing out oneself leaves no end reason', async () => {
    const server = fakeServer({ refresh: 'refuse' });
    const revoked: SessionDeps['fetch'] = async (r) =>
      new URL(r.url).pathname === '/api/v1/feed'
        ? new Response(JSON.stringify({ status: 401, reason: 'session_ended' }), {
            status: 401,
            headers: { 'Content-Type': 'application/problem+json' },
          })
        : server.fetch(r);
    const session = new Session({ fetch: revoked, lock: sharedLock(), origin: ORIGIN });
    session.accept({ accessToken: server.issue() });
    await get(session, '/api/v1/feed');
    expect(session.endReason).toBe('session_ended');
    session.accept({ accessToken: server.issue() });
    await session.signOut();
    expect(session.signedIn).toBe(false);
    expect(session.endReason).toBeUndefined();
  });
});
