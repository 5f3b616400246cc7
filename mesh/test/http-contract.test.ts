import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { createApp, CORS_METHODS } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { Readiness } from '../src/http/health.js';
import { plainValidationMessage } from '../src/http/validation-messages.js';
import { loadOpenApi } from '../src/contract/openapi.js';
import { SERVICES } from '../src/topology.js';
import { offlineConfig, serveOnLoopback } from '../../test/helpers/offline-app.js';

/**
 * The HTTP rules every service gets from the app factory: exact routing like the mesh, 405 with
 * `Allow` for any other method, undeclared query parameters refused, no-store unless chosen, CORS
 * for the contract's methods. An app with two hand-registered operations and a matching contract,
 * served on loopback (no database needed).
 */
const OPENAPI = {
  paths: {
    '/api/v1/things': {
      get: {
        parameters: [
          { in: 'query', name: 'limit' },
          { in: 'query', name: 'cursor' },
        ],
      },
      post: {},
    },
    '/api/v1/things/{id}': { get: { parameters: [{ in: 'path', name: 'id' }] }, put: {} },
    '/api/v1/public': { get: {} },
  },
};

let handlerRuns = 0;
function registerRoutes(router: Router) {
  router.get('/api/v1/things', (ctx) => {
    handlerRuns += 1;
    ctx.body = { items: [], nextCursor: null, limit: ctx.query.limit ?? null };
  });
  router.post('/api/v1/things', (ctx) => {
    handlerRuns += 1;
    ctx.status = 201;
    ctx.body = { accessToken: 'token-like' };
  });
  router.get('/api/v1/things/:id', (ctx) => {
    handlerRuns += 1;
    if (ctx.params.id === 'fail') {
      ctx.set('Cache-Control', 'public, max-age=60');
      throw new Error('failed after choosing a cache policy');
    }
    ctx.body = { id: ctx.params.id };
  });
  router.put('/api/v1/things/:id', (ctx) => {
    handlerRuns += 1;
    ctx.body = { id: ctx.params.id };
  });
  router.get('/api/v1/public', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = { ok: true };
  });
}

let server: Awaited<ReturnType<typeof serveOnLoopback>>;
let base: string;

beforeAll(async () => {
  const config = offlineConfig({ CORS_ORIGINS: 'http://app.test' });
  const app = createApp({
    service: 'contract-test',
    config,
    logger: createLogger('contract-test', 'silent'),
    registerRoutes,
    readiness: new Readiness({}),
    openapi: OPENAPI,
  });
  server = await serveOnLoopback(app.callback());
  base = server.base;
});

afterAll(async () => {
  await server.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  // fetch refuses TRACE and friends; node:http sends any token.
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function problem(res: { headers: http.IncomingHttpHeaders; body: string }) {
  expect(res.headers['content-type']).toBe('application/problem+json');
  return JSON.parse(res.body) as { type: string; status: number; detail: string; errors?: Array<{ field: string; message: string }> };
}

describe('routing is exact, like the mesh', () => {
  it('a path in another case or with a trailing slash is no route (404 problem), and no handler runs', async () => {
    const before = handlerRuns;
    for (const path of ['/API/v1/things', '/api/v1/Things', '/api/v1/things/', '/api/v1/things/abc/', '/api/v1//things']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(problem(res).type).toBe('https://agora.dev/problems/not-found');
    }
    expect(handlerRuns).toBe(before);
    expect((await call('GET', '/api/v1/things')).status).toBe(200);
  });

  it('HEAD is not answered: 405 problem+json with Allow, and the GET handler does not run', async () => {
    const before = handlerRuns;
    const res = await call('HEAD', '/api/v1/things/abc');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, PUT');
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(handlerRuns).toBe(before);
    expect((await call('HEAD', '/api/v1/nothing-here')).status).toBe(404);
  });

  it('unknown and unrouted methods are 405 problem+json naming the allowed methods (not 501 text/plain)', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'PATCH', 'DELETE', 'OPTIONS', 'MKCOL']) {
      const res = await call(method, '/api/v1/things');
      expect(res.status, method).toBe(405);
      expect(res.headers.allow, method).toBe('GET, POST');
      const body = problem(res);
      expect(body).toMatchObject({ type: 'https://agora.dev/problems/method-not-allowed', status: 405 });
      expect(body.detail).toContain('GET, POST');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const unknownPath = await call('PROPFIND', '/api/v1/elsewhere');
    expect(unknownPath.status).toBe(404);
    problem(unknownPath);
  });
});

describe('query parameters', () => {
  it('declared ones pass; any other is a 400 problem naming it, before the handler runs', async () => {
    expect(JSON.parse((await call('GET', '/api/v1/things?limit=5&cursor=abc')).body).limit).toBe('5');
    const before = handlerRuns;
    const res = await call('GET', '/api/v1/things?limit=5&limt=5&sort=desc');
    expect(res.status).toBe(400);
    const body = problem(res);
    expect(body.type).toBe('https://agora.dev/problems/validation');
    expect(body.detail).toBe('This operation takes only these query parameters: limit, cursor; remove the others.');
    expect(body.errors).toEqual([
      { field: 'limt', message: 'is not a query parameter of this operation' },
      { field: 'sort', message: 'is not a query parameter of this operation' },
    ]);
    expect(handlerRuns).toBe(before);
  });

  it('an operation without query parameters refuses every one; a name unsafe to echo is described, not repeated', async () => {
    const res = await call('GET', `/api/v1/things/abc?${encodeURIComponent('<script>')}=1`);
    expect(res.status).toBe(400);
    const body = problem(res);
    expect(body.detail).toBe('This operation takes no query parameters; remove the others.');
    expect(res.body).not.toContain('script');
    expect(body.errors).toEqual([{ field: 'query', message: 'a query parameter of this operation has an unknown name' }]);
  });

  it('refuses to register an operation the OpenAPI document does not have (a stale document)', () => {
    const config = offlineConfig();
    expect(() =>
      createApp({
        service: 'stale',
        config,
        logger: createLogger('stale', 'silent'),
        registerRoutes: (router) => void router.delete('/api/v1/things/:id', () => undefined),
        readiness: new Readiness({}),
        openapi: OPENAPI,
      }),
    ).toThrow(/DELETE \/api\/v1\/things\/\{id\} is routed but missing from the OpenAPI document/);
  });
});

describe('caching', () => {
  it('responses are no-store unless the handler chose a policy; token-bearing ones included', async () => {
    expect((await call('GET', '/api/v1/things')).headers['cache-control']).toBe('no-store');
    expect((await call('POST', '/api/v1/things')).headers['cache-control']).toBe('no-store');
    expect((await call('GET', '/api/v1/public')).headers['cache-control']).toBe('public, max-age=300');
    expect((await call('GET', '/healthz/live')).headers['cache-control']).toBe('no-store');
  });

  it('an error is never cacheable, even when the handler set a policy before failing', async () => {
    const res = await call('GET', '/api/v1/things/fail');
    expect(res.status).toBe(500);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await call('GET', '/api/v1/nothing')).headers['cache-control']).toBe('no-store');
  });
});

describe('CORS', () => {
  it('a preflight from a configured origin may use every contract method, with credentials', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call('OPTIONS', '/api/v1/things/abc', { origin: 'http://app.test', 'access-control-request-method': method });
      expect(res.status, method).toBe(204);
      expect(res.headers['access-control-allow-methods']?.split(','), method).toContain(method);
      expect(res.headers['access-control-allow-origin']).toBe('http://app.test');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    }
    const actual = await call('PUT', '/api/v1/things/abc', { origin: 'http://app.test' });
    expect(actual.headers['access-control-allow-credentials']).toBe('true');
  });

  it('an unlisted origin gets no CORS headers at all (no credentials, no methods)', async () => {
    const res = await call('OPTIONS', '/api/v1/things/abc', { origin: 'http://evil.test', 'access-control-request-method': 'PUT' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('CORS_METHODS covers every method of every service contract', async () => {
    const used = new Set<string>();
    for (const { name } of SERVICES) {
      const doc = (await loadOpenApi(name)) as { paths: Record<string, Record<string, unknown>> };
      for (const item of Object.values(doc.paths)) for (const m of Object.keys(item)) used.add(m.toUpperCase());
    }
    expect(used.size).toBeGreaterThan(3);
    for (const m of used) expect(CORS_METHODS, m).toContain(m);
  });
});

describe('validation messages in plain words', () => {
  it.each([
    ["Not match in '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}$'", 'has the wrong format'],
    ["should be one of the following; ['image/jpeg','image/png','image/webp']", 'must be one of: image/jpeg, image/png, image/webp'],
    ['minLength 12', 'must be at least 12 characters long'],
    ['maxLength 500', 'must be at most 500 characters long'],
    ['min 1', 'must be at least 1'],
    ['max 100', 'must be at most 100'],
    ['maxItems 4', 'must have at most 4 items'],
    ['invalid integer number', 'must be a whole number'],
    ['invalid boolean value', 'must be true or false'],
    ["'text' is required", 'is required'],
    ['"extra" is an excess property and therefore is not allowed', 'is not a field of this request; remove it'],
    [
      'Could not match the union against any of the items. Issues: [{"body.x":{"message":"invalid string value"}}]',
      'does not match any of the accepted forms',
    ],
    ['must be a UUID, such as 3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10', 'must be a UUID, such as 3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10'],
    ['must be 3–30 letters, digits or underscores', 'must be 3–30 letters, digits or underscores'],
    ['^[a-z]+$', 'is not valid'],
    ['{"weird":"dump"}', 'is not valid'],
  ])('%s → %s', (input, expected) => {
    expect(plainValidationMessage(input)).toBe(expected);
  });
});

describe('one OpenAPI loader', () => {
  it("finds every service's committed contract", async () => {
    for (const { name } of SERVICES) {
      const doc = (await loadOpenApi(name)) as { info: { title: string }; paths: object };
      expect(doc.info.title.toLowerCase(), name).toContain(name);
      expect(Object.keys(doc.paths).length, name).toBeGreaterThan(0);
    }
  });

  it('a missing document fails loudly with the path it looked for; a non-name is refused', async () => {
    await expect(loadOpenApi('no-such-service')).rejects.toThrow(/no-such-service: its contract .*openapi\/no-such-service\.json is missing/);
    await expect(loadOpenApi('../etc/passwd')).rejects.toThrow(/is not a service name/);
  });
});
