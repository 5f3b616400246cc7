// The typed client's refresh-on-401 against a real HTTP server on loopback that plays the API: an
// access token expires, the client refreshes once — however many requests failed together — and
// retries each request once with the new token, body included.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgoraClient } from '../index.js';

const USER = '3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10';
let valid = 'token-1';
let refreshes = 0;
let seen: Array<{ method: string; path: string; auth: string; body: string }> = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push({ method: req.method ?? '', path, auth: req.headers.authorization ?? '', body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (path === '/api/v1/auth/login') return send(401, { status: 401, title: 'Unauthorized' });
      if (req.headers.authorization !== `Bearer ${valid}`) return send(401, { status: 401, title: 'Unauthorized' });
      if (req.method === 'POST') return send(201, { id: USER, echoed: JSON.parse(body) });
      return send(200, { id: USER, username: 'ada' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen = [];
  refreshes = 0;
  valid = 'token-1';
});

/** A session whose token has just expired at the server; refresh takes a moment, as a real one does. */
function expiredSession(refreshWorks = true) {
  const session = { token: 'token-1' };
  valid = 'token-2';
  return {
    session,
    api: createAgoraClient(base, {
      accessToken: () => session.token,
      refresh: async () => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 30));
        if (!refreshWorks) return false;
        session.token = 'token-2';
        return true;
      },
    }),
  };
}

describe('refresh on 401', () => {
  it('concurrent 401s share one refresh; each request is retried once with the new token', async () => {
    const { api } = expiredSession();
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.GET('/api/v1/users/me')));
    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers[0]!.data?.id).toBe(USER);
    expect(refreshes).toBe(1);
    expect(seen.filter((s) => s.auth === 'Bearer token-1')).toHaveLength(6);
    expect(seen.filter((s) => s.auth === 'Bearer token-2')).toHaveLength(6);
  });

  it('a retried request carries its body again', async () => {
    const { api } = expiredSession();
    const created = await api.POST('/api/v1/posts', { body: { text: 'hello again' } });
    expect(created.response.status).toBe(201);
    expect(seen.map((s) => [s.auth, s.body])).toEqual([
      ['Bearer token-1', '{"text":"hello again"}'],
      ['Bearer token-2', '{"text":"hello again"}'],
    ]);
  });

  it('a refused refresh answers the original 401, once, without retrying', async () => {
    const { api } = expiredSession(false);
    const answers = await Promise.all([api.GET('/api/v1/users/me'), api.GET('/api/v1/users/me')]);
    expect(answers.map((a) => a.response.status)).toEqual([401, 401]);
    expect(answers[0]!.error).toMatchObject({ status: 401 });
    expect(refreshes).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it('a 401 from a sign-in operation, or for a request sent without a token, is an answer, not a reason to refresh', async () => {
    const { api } = expiredSession();
    const login = await api.POST('/api/v1/auth/login', { body: { login: 'ada', password: 'wrong password here' } });
    expect(login.response.status).toBe(401);
    const anonymous = createAgoraClient(base, { accessToken: () => undefined, refresh: async () => (refreshes += 1) > 0 });
    expect((await anonymous.GET('/api/v1/users/me')).response.status).toBe(401);
    expect(refreshes).toBe(0);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer token-1', '']);
  });

  it('a client with only a token getter sends the token and never retries', async () => {
    const api = createAgoraClient(base, () => 'token-0');
    const me = await api.GET('/api/v1/users/me');
    expect(me.response.status).toBe(401);
    expect(seen).toHaveLength(1);
  });
});

describe('the package', () => {
  it('resolves as @agora/client to its built JavaScript (run `npm run build` first)', async () => {
    const pkg = (await import('@agora/client')) as typeof import('../index.js');
    expect(typeof pkg.createAgoraClient).toBe('function');
    expect(typeof pkg.singleFlight).toBe('function');
  });
});
