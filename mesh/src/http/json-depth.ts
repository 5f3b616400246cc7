import type { Context, Next } from 'koa';
import { problems } from './problem.js';

/** No request of the contract nests deeper than a few levels; anything deeper is refused early. */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses parsed JSON bodies nested deeper than MAX_JSON_DEPTH with a 400, measured without
 * recursion: a 10 KB body of 5 000 nested arrays must not reach code (validation, error rendering)
 * that walks it recursively and overflows the stack.
 */
export async function jsonDepthLimit(ctx: Context, next: Next): Promise<void> {
  if (depthExceeds((ctx.request as { body?: unknown }).body, MAX_JSON_DEPTH)) {
    throw problems.validation(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`, [{ field: 'body', message: 'nested too deeply' }]);
  }
  await next();
}

export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return false;
}
