// Public reading: operations whose contract security is `[{"jwt": []}, {}]` can be called without a
// token, and a token that is sent is still checked. Exercised through the real pieces: posts'
// tsoa-generated routes and controller, its committed contract, mesh's app factory and
// authentication module; only the token verifier and the domain behind the controller are stand-ins
// (no database), so the test sees exactly which caller reached the handler.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { createApp, createLogger, isTokenOptional, loadOpenApi, Readiness, TokenRejected, type UserPrincipal } from '@agora/mesh';
import { RegisterRoutes as postsRoutes } from '../../services/posts/src/generated/routes.js';
import { ROOT } from '../cluster/lib.js';
import { offlineConfig, serveOnLoopback } from '../helpers/offline-app.js';

const USER = '3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10';
const POST = '7d7c4d0e-1b7a-4c51-9a55-0c9a1f2b3c4d';
const principal: UserPrincipal = {
  kind: 'user',
  userId: USER,
  roles: [],
  sessionId: 's',
  tokenId: 't',
  issuedAt: Date.now() / 1000,
  expiresAt: Date.now() / 1000 + 600,
};

const seen: Array<{ op: string; me: string | null }> = [];
const posts = {
  get: async (me: string | null, id: string) => {
    seen.push({ op: 'get', me });
    return { id, me };
  },
  listByAuthor: async (me: string | null, authorId: string) => {
    seen.push({ op: 'list', me });
    return { items: [], nextCursor: null, authorId };
  },
  feed: async (me: string) => {
    seen.push({ op: 'feed', me });
    return { items: [], nextCursor: null };
  },
};

let server: Awaited<ReturnType<typeof serveOnLoopback>> | undefined;
let base: string;

beforeAll(async () => {
  const config = offlineConfig();
  const app = createApp({
    service: 'posts',
    config,
    logger: createLogger('optional-auth-test', 'silent'),
    registerRoutes: postsRoutes as unknown as (router: Router) => void,
    readiness: new Readiness({}),
    openapi: await loadOpenApi('posts'),
    verifier: {
      verify: async (token: string) => {
        if (token === 'good') return principal;
        throw new TokenRejected('bad_signature');
      },
    },
    deps: { posts },
  });
  server = await serveOnLoopback(app.callback());
  base = server.base;
});

afterAll(async () => {
  await server?.close();
});

async function get(p: string, authorization?: string) {
  seen.length = 0;
  const res = await fetch(`${base}${p}`, { headers: authorization === undefined ? {} : { authorization } });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

describe('token-optional operations (public reading)', () => {
  it('answer a request without a token, with no caller', async () => {
    const a = await get(`/api/v1/posts/${POST}`);
    expect(a.status).toBe(200);
    expect(seen).toEqual([{ op: 'get', me: null }]);
    const b = await get(`/api/v1/posts?authorId=${USER}&limit=5`);
    expect(b.status).toBe(200);
    expect(seen).toEqual([{ op: 'list', me: null }]);
  });

  it('hand a valid token on as the caller', async () => {
    const a = await get(`/api/v1/posts/${POST}`, 'Bearer good');
    expect(a.status).toBe(200);
    expect(seen).toEqual([{ op: 'get', me: USER }]);
  });

  it('refuse a bad, malformed or empty token with 401 problem+json; the handler does not run', async () => {
    for (const header of ['Bearer forged', 'Basic dXNlcjpwYXNz', '']) {
      const a = await get(`/api/v1/posts/${POST}`, header);
      expect(a.status, JSON.stringify(header)).toBe(401);
      expect(a.type).toBe('application/problem+json');
      expect(seen).toEqual([]);
    }
  });

  it("an author's posts without a token need authorId (400 naming it)", async () => {
    const a = await get('/api/v1/posts');
    expect(a.status).toBe(400);
    expect(a.type).toBe('application/problem+json');
    expect(JSON.stringify(a.body.errors)).toContain('authorId');
    expect(seen).toEqual([]);
  });

  it('operations that need a token still refuse a request without one', async () => {
    const a = await get('/api/v1/feed');
    expect(a.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('are exactly the public reads of the contract: a profile (by id, by username), several profiles by id, a post, an author’s posts', () => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'openapi/agora.json'), 'utf8')) as {
      paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
    };
    const optional = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.entries(item)
        .filter(([, op]) => isTokenOptional(op.security))
        .map(([m]) => `${m.toUpperCase()} ${p}`),
    );
    expect(optional.sort()).toEqual([
      'GET /api/v1/posts',
      'GET /api/v1/posts/{id}',
      'GET /api/v1/users',
      'GET /api/v1/users/by-username/{username}',
      'GET /api/v1/users/{id}',
    ]);
  });
});
