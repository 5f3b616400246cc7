import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, normalisePath, type Ingress } from '../src/local/ingress.js';
import { freePort } from '../src/local/ports.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A throwaway upstream that answers JSON describing the request it saw. */
function upstream(name: string, hooks: { onFirstChunk?: () => void } = {}) {
  const server = http.createServer((req, res) => {
    if (req.url === '/api/v1/users/crash') {
      req.socket.destroy();
      return;
    }
    const hash = createHash('sha256');
    let bytes = 0;
    let first = true;
    req.on('data', (chunk: Buffer) => {
      if (first) hooks.onFirstChunk?.();
      first = false;
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      const seen: Seen & { name: string; bytes: number; sha256: string } = {
        name,
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        bytes,
        sha256: hash.digest('hex'),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(seen));
    });
  });
  return server;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

let firstChunkSeen: (() => void) | undefined;
const auth = upstream('auth');
const users = upstream('users', { onFirstChunk: () => firstChunkSeen?.() });
let ingress: Ingress;
let base: string;

beforeAll(async () => {
  const [authUrl, usersUrl] = await Promise.all([listen(auth), listen(users)]);
  const closedPort = await freePort(); // nothing listens there: "down"
  ingress = await startIngress({
    port: 0,
    upstreams: { auth: authUrl, users: usersUrl, posts: `http://127.0.0.1:${closedPort}` },
    // media deliberately absent: "not running in this local run"
  });
  base = `http://127.0.0.1:${ingress.port}`;
});

afterAll(async () => {
  await ingress?.close(1_000);
  auth.close();
  users.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers });
  const text = await res.text();
  return { res, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** fetch() normalises paths itself; raw paths need a plain http request. */
function rawGet(path: string): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: ingress.port, path, method: 'GET' }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local ingress', () => {
  it('routes by the topology prefixes, with the path and query unchanged', async () => {
    const a = await get('/api/v1/auth/login?x=1');
    expect(a.res.status).toBe(200);
    expect(a.body).toMatchObject({ name: 'auth', url: '/api/v1/auth/login?x=1', method: 'GET' });
    expect((await get('/.well-known/jwks.json')).body).toMatchObject({ name: 'auth', url: '/.well-known/jwks.json' });
    expect((await get('/api/v1/auth')).body).toMatchObject({ name: 'auth' });
    expect((await get('/api/v1/users/me')).body).toMatchObject({ name: 'users', url: '/api/v1/users/me' });
    expect((await get('/api/v1/users?limit=2')).body).toMatchObject({ name: 'users', url: '/api/v1/users?limit=2' });
  });

  it.each(['/', '/api/v1/authx', '/api/v2/auth/login', '/internal/v1/users/x', '/internal', '/metrics', '/healthz', '/healthz/ready', '/docs'])(
    'answers 404 problem+json for %s',
    async (path) => {
      const { res, body } = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ type: 'https://agora.dev/problems/not-found', status: 404, title: 'Not Found' });
      expect(body.instance).toBe(res.headers.get('x-request-id'));
    },
  );

  it.each(['/api/v1/auth/../../../internal/v1/users/x', '//internal/v1/users/x', '/api/v1/auth/%2e%2e/%2e%2e/%2e%2e/metrics'])(
    'does not reach refused paths through dot segments or slashes: %s',
    async (path) => {
      const r = await rawGet(path);
      expect(r.status).toBe(404);
      expect(r.type).toBe('application/problem+json');
    },
  );

  it('normalises before routing and forwards the normalised path', () => {
    expect(normalisePath('/api/v1/users/../auth/login?a=b')).toEqual({ pathname: '/api/v1/auth/login', search: '?a=b' });
    expect(normalisePath('//api//v1/auth')).toEqual({ pathname: '/api/v1/auth', search: '' });
  });

  it('propagates x-request-id and generates one when absent', async () => {
    const given = await get('/api/v1/auth/verify', { 'x-request-id': 'req-abc-123' });
    expect(given.res.headers.get('x-request-id')).toBe('req-abc-123');
    expect((given.body.headers as http.IncomingHttpHeaders)['x-request-id']).toBe('req-abc-123');

    const generated = await get('/api/v1/auth/verify');
    const id = generated.res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((generated.body.headers as http.IncomingHttpHeaders)['x-request-id']).toBe(id);

    // A value that is not a plausible id (too long) is replaced rather than passed on.
    const junk = await get('/api/v1/auth/verify', { 'x-request-id': 'x'.repeat(500) });
    expect(junk.res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets x-forwarded-for/proto/host and keeps the Host header', async () => {
    const { body } = await get('/api/v1/auth/verify', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    const h = body.headers as http.IncomingHttpHeaders;
    expect(h['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe(`127.0.0.1:${ingress.port}`);
    expect(h.host).toBe(`127.0.0.1:${ingress.port}`);
  });

  it('answers 503 problem+json when the upstream is down or not running', async () => {
    const down = await get('/api/v1/posts');
    expect(down.res.status).toBe(503);
    expect(down.res.headers.get('content-type')).toBe('application/problem+json');
    expect(down.body).toMatchObject({ type: 'https://agora.dev/problems/service-unavailable', status: 503 });
    expect(String(down.body.detail)).toContain('posts');

    const feed = await get('/api/v1/feed', { 'x-request-id': 'feed-1' });
    expect(feed.res.status).toBe(503);
    expect(feed.body.instance).toBe('feed-1');

    const missing = await get('/api/v1/media/abc');
    expect(missing.res.status).toBe(503);
    expect(String(missing.body.detail)).toContain('media service is not running');
  });

  it('answers 502 problem+json when the upstream breaks the connection', async () => {
    const { res, body } = await get('/api/v1/users/crash');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 502 });
  });

  it('streams a POST body through without buffering it', async () => {
    const chunk = Buffer.alloc(256 * 1024, 7);
    const firstArrived = new Promise<void>((resolve) => (firstChunkSeen = resolve));
    const result = new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: ingress.port,
          path: '/api/v1/users/upload',
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
        },
        (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve({ status: res.statusCode, ...(JSON.parse(data) as object) }));
        },
      );
      req.on('error', reject);
      req.write(chunk);
      // The rest is only sent once the upstream has seen the first part: a buffering proxy would
      // wait for the end of the body and this test would time out.
      void firstArrived.then(() => {
        for (let i = 0; i < 19; i++) req.write(chunk);
        req.end();
      });
    });
    const seen = await result;
    const expected = createHash('sha256');
    for (let i = 0; i < 20; i++) expected.update(chunk);
    expect(seen).toMatchObject({ status: 200, name: 'users', method: 'POST', bytes: 20 * chunk.length, sha256: expected.digest('hex') });
  }, 15_000);
});
