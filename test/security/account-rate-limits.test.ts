import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITED_ACTIONS } from '../../mesh/src/limits/actions.js';
import { freePort, startServiceProcess, type ServiceProcess } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { account, expectProblem, json, type Answer } from './lib.js';
import { withClient } from '../../tools/src/local/databases.js';

/**
 * Per-account rate limits (SECURITY.md "Per-account rate limits") across real processes: posts with
 * the product's default post budget (5 a minute within 30 an hour), one process behind the ingress
 * and a second replica on the same database, as a Deployment scaled up would add.
 */
let stack: Stack;
let replica: ServiceProcess;

beforeAll(async () => {
  stack = await startStack({ env: { posts: { RATE_LIMIT_POSTS: LIMITED_ACTIONS.post.fallback } } });
  replica = await startServiceProcess('posts', { ...stack.env.posts, PORT: String(await freePort()) });
}, 120_000);
afterAll(async () => {
  await replica?.stop();
  await stack?.stop();
});

const postsBy = (userId: string) =>
  withClient(stack.databases.posts!, async (c) =>
    Number((await c.query('SELECT count(*) AS n FROM posts WHERE author_id = $1', [userId])).rows[0].n),
  );

describe('the default post budget, through the ingress and a second replica', () => {
  it('12 parallel posts of one account: exactly 5 created, 7 refused with 429 + Retry-After; another account is untouched', async () => {
    const u = await account(stack.url, 'limit');
    const answers: Answer[] = await Promise.all(
      Array.from({ length: 12 }, (_, i) => json(i % 2 ? replica.base : stack.url, 'POST', '/api/v1/posts', { text: `burst ${i}` }, u.headers)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(7);
    for (const a of refused) {
      expectProblem(a, 429, 'a post past the budget');
      const wait = Number(a.headers['retry-after']);
      expect(wait >= 1 && wait <= 60, `Retry-After ${a.headers['retry-after']}`).toBe(true);
      expect(a.body.detail).toBe(`You have reached the limit of 5 posts per minute; try again in ${wait} s.`);
    }
    // 6 went through the ingress and at most 5 passed: at least one refusal (checked above, with its
    // Retry-After) came back through the ingress.
    expect(answers.filter((a, i) => i % 2 === 0 && a.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(await postsBy(u.id)).toBe(5);

    const other = await account(stack.url, 'limit');
    expect((await json(stack.url, 'POST', '/api/v1/posts', { text: 'not limited by the other' }, other.headers)).status).toBe(201);
  });
});
