import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { account, expectProblem, send, type Account } from './lib.js';

/**
 * Bodies over the services' limit (BODY_LIMIT_BYTES, 100 KiB). Directly at a service: always a clean
 * 413. Through the local ingress the proxy used to destroy the client's socket when the upstream
 * dropped its side after answering (fixed: the ingress now lets the answer finish and drains the
 * upload); a rarer reset remains, documented as a known limitation below.
 */
let stack: Stack;
let me: Account;
beforeAll(async () => {
  stack = await startStack();
  me = await account(stack.url, 'big');
});
afterAll(async () => stack?.stop());

describe('oversized bodies', () => {
  const bodies = Array.from({ length: 16 }, (_, i) => (i % 2 ? 3_000_000 : 1_100_000));
  const upload = (base: string, size: number) =>
    send(base, {
      method: 'POST',
      path: '/api/v1/posts',
      retryStaleSocket: false,
      headers: { ...me.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(size) }),
    });

  it('a 1–3 MB JSON body gets 413 problem+json every time (service)', async () => {
    for (const size of bodies) expectProblem(await upload(stack.services.posts!.base, size), 413, `${size} bytes via the service`);
  });

  // KNOWN LIMITATION of the local ingress (not of Envoy in the cluster), see test/security/README.md:
  // the service answers 413 before the upload is complete, and the connection between the client and
  // the ingress is still sometimes reset before the client reads that answer (from none to about half
  // of the uploads in a run here). What must hold: every answer that arrives is the 413 problem+json,
  // and nothing else (a 5xx, a non-problem body) ever comes back. Not fixed yet: see the README.
  it('a 1–3 MB JSON body through the ingress: every answer is 413 problem+json (resets: known limitation)', async () => {
    let answered = 0;
    let resets = 0;
    for (const size of bodies) {
      try {
        expectProblem(await upload(stack.url, size), 413, `${size} bytes via the ingress`);
        answered += 1;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err;
        resets += 1;
      }
    }
    console.log(`[input-limits] through the ingress: ${answered} × 413 problem+json, ${resets} connection reset(s)`);
    expect(answered).toBeGreaterThan(0);
  });
});

/**
 * BUG (reported; fix in mesh, see test/security/README.md): a deeply nested JSON body (5 000 levels,
 * 10 KB, well under the size limit) is a 500: tsoa's ValidateError carries the invalid value, and the
 * generated route does `error.message ||= JSON.stringify({ fields: error.fields })`, which overflows
 * the stack (RangeError) before the error handler can make it a 400. Found by fuzz.test.ts.
 */
describe('deeply nested JSON', () => {
  it('is a 400 problem+json at every depth, never a 500', async () => {
    const results: string[] = [];
    const failures: string[] = [];
    for (const kind of ['array', 'object'] as const) {
      for (const depth of [10, 100, 1_000, 2_000, 5_000, 10_000, 20_000]) {
        const body = kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"text":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const a = await send(stack.services.posts!.base, {
          method: 'POST',
          path: '/api/v1/posts',
          headers: { ...me.headers, 'content-type': 'application/json' },
          body,
        });
        results.push(`${kind} ${depth}: ${a.status}`);
        if (a.status >= 500 || !String(a.headers['content-type']).startsWith('application/problem+json'))
          failures.push(`${kind} nested ${depth} deep (${body.length} bytes) → ${a.status}`);
      }
    }
    console.log(`[input-limits] ${results.join(', ')}`);
    if (failures.length) throw new Error(failures.join('\n'));
  });
});
