/**
 * The local run's demo seed (tools/src/seed, through the public API's typed client) against the
 * whole platform on loopback: the demo users can sign in, their profiles, follows and posts are
 * there, the admin has its role, and a second run adds nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../mesh/src/topology.js';
import { createAgoraClient } from '../../openapi/client/index.js';
import { startStack, type Stack } from '../../test/helpers/stack.js';
import { runSeeds } from '../src/local/seed.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../src/seed/demo-data.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.stop());

const seed = () => runSeeds({ enabled: true, auth: SERVICES.find((s) => s.name === 'auth')!, authEnv: stack.env.auth, ingressUrl: stack.url });

async function count(db: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await c.end();
  }
}

async function signIn(username: string) {
  const api = createAgoraClient(stack.url);
  const login = await api.POST('/api/v1/auth/login', { body: { login: username, password: DEMO_PASSWORD } });
  if (!login.data || !('accessToken' in login.data)) throw new Error(`sign-in of ${username}: ${login.response.status}`);
  const token = login.data.accessToken;
  return { api: createAgoraClient(stack.url, () => token), roles: login.data.user.roles };
}

describe('the demo seed', () => {
  it('makes the demo users, profiles, follows and posts, the admin an admin; a second run adds nothing', async () => {
    expect(await seed()).toBe('done');
    for (const user of DEMO_USERS) {
      const { api, roles } = await signIn(user.username);
      expect(roles.includes('admin'), `${user.username} admin`).toBe(Boolean(user.admin));
      const me = await api.GET('/api/v1/users/me');
      expect(me.data).toMatchObject({ username: user.username, displayName: user.displayName, followingCount: user.follows.length });
    }
    const posts = DEMO_USERS.reduce((n, u) => n + u.posts.length, 0);
    expect(posts).toBeGreaterThan(0);
    expect(await count(stack.databases.posts!, 'SELECT count(*) AS n FROM posts')).toBe(posts);
    const comments = await count(stack.databases.posts!, 'SELECT count(*) AS n FROM comments');
    expect(comments).toBeGreaterThan(0);

    expect(await seed()).toBe('done');
    expect(await count(stack.databases.posts!, 'SELECT count(*) AS n FROM posts')).toBe(posts);
    expect(await count(stack.databases.posts!, 'SELECT count(*) AS n FROM comments')).toBe(comments);
    expect(await count(stack.databases.auth!, 'SELECT count(*) AS n FROM users')).toBe(DEMO_USERS.length);
  }, 180_000);
});
