import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startStack, type Stack } from '../helpers/stack.js';
import { account, type Account } from '../security/lib.js';
import { classify, sleep, startLoad, summary } from './load.js';

/**
 * SIGTERM to a service under steady load loses no request.
 *
 * posts runs with SHUTDOWN_DELAY_MS=1500 (as in the cluster, where it is 5 s: readiness goes 503, the
 * endpoints are withdrawn, the server keeps serving meanwhile), then stops accepting and drains.
 * Six keep-alive workers write and read straight at the posts process during all of it. Every request
 * must be: answered with a proper status, refused at connect time (ECONNREFUSED, after the listener
 * closed), or reset before the server read it (a keep-alive socket closed as idle, or a connection
 * still in the kernel's listen backlog when the listener closed — see load.ts classify()); and the
 * database proves the latter were never processed: the posts in the database are exactly the
 * acknowledged writes (every 201 is there, nothing else is). No answer is ever broken off.
 */
let stack: Stack;
let user: Account;
beforeAll(async () => {
  stack = await startStack({ env: { posts: { SHUTDOWN_DELAY_MS: '1500', SHUTDOWN_TIMEOUT_MS: '8000' } } });
  user = await account(stack.url, 'load');
});
afterAll(async () => {
  await stack?.stop();
});

describe('SIGTERM under load', () => {
  it('readiness drops, in-flight requests finish, nothing is cut, every acknowledged write is in the database', async () => {
    const posts = stack.services.posts!;
    const load = startLoad(posts.base, user.headers, { workers: 6, tag: 'sigterm' });
    await sleep(1500);
    const before = load.outcomes.length;
    const exited = posts.exited;
    const signalledAt = Date.now();
    posts.kill('SIGTERM');

    // Readiness while draining, on its own connection.
    const readiness: number[] = [];
    let done = false;
    void exited.then(() => (done = true));
    while (!done && Date.now() - signalledAt < 12_000) {
      const s = await fetch(`${posts.base}/healthz/ready`).then(
        (r) => r.status,
        () => 0,
      );
      readiness.push(s);
      await sleep(100);
    }
    const code = await exited;
    const exitMs = Date.now() - signalledAt;
    await sleep(500); // the load keeps knocking on the closed port
    await load.stop();

    const outcomes = load.outcomes;
    const kinds = outcomes.map(classify);
    console.log(
      `[faults/sigterm] ${outcomes.length} requests (${before} before SIGTERM), exit ${code} after ${exitMs} ms; ` +
        `readiness during drain: ${[...new Set(readiness)].join(',')} (${readiness.length} probes); outcomes`,
      summary(outcomes),
    );
    expect(code).toBe(0);
    expect(readiness.filter((s) => s === 503).length, 'readiness answered 503 while draining').toBeGreaterThan(0);
    expect(readiness.slice(0, readiness.indexOf(503) + 1).every((s) => s === 200 || s === 503)).toBe(true);
    const cut = outcomes.filter((o, i) => kinds[i] === 'cut');
    expect(cut, 'requests cut mid-flight').toEqual([]);
    const answered = outcomes.filter((o, i) => kinds[i] === 'answered');
    expect(answered.length).toBeGreaterThan(before);
    for (const o of answered) expect([200, 201], `${o.kind} → ${o.status}`).toContain(o.status);
    expect(outcomes.filter((o, i) => kinds[i] === 'refused').length, 'the load reached the closed listener').toBeGreaterThan(0);

    // Every acknowledged write is there, and nothing that was not acknowledged.
    const acked = answered.filter((o) => o.kind === 'write').map((o) => o.text!);
    const c = new pg.Client({ connectionString: stack.databases.posts! });
    await c.connect();
    const { rows } = await c.query<{ text: string }>(`SELECT text FROM posts WHERE text LIKE 'load sigterm %'`);
    await c.end();
    const stored = new Set(rows.map((r) => r.text));
    expect(
      acked.filter((t) => !stored.has(t)),
      'acknowledged writes missing from the database',
    ).toEqual([]);
    expect(rows.length, 'writes that landed without an acknowledgement').toBe(acked.length);

    // And the service comes back with the same data.
    await stack.restart('posts');
    const again = await fetch(`${stack.services.posts!.base}/api/v1/posts?limit=1`, { headers: user.headers });
    expect(again.status).toBe(200);
  });
});
