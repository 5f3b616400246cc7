import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { runJourney } from './journey.js';

/** The journey (journey.ts) against the local stack: services as processes, the local ingress. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.stop());

describe('a person using Agora through the ingress', () => {
  it('profiles, follows, posts, the feed, likes, comments and media all work together', async () => {
    await runJourney(stack.url);
  });
});
