import type { Context, Next } from 'koa';
import { problems } from './problem.js';

/** No request of the contract nests deeper than a few levels; anything deeper is refused early. */
export const MAX_JSON_DEPTH = 32;

/**
 * What a parsed JSON body may not contain although JSON allows it, refused with a 400 before
 * validation and the domain code, in one walk without recursion:
 * - nesting deeper than MAX_JSON_DEPTH: a 10 KB body of 5 000 nested arrays must not reach code
 *   (validation, error rendering) that walks it recursively and overflows the stack;
 * - U+0000 in a string or a key: PostgreSQL's text cannot hold it, so the statement would fail and
 *   the request would end in a 500 (the fuzzer found it with a comment `"\u0000"`).
 */
export async function jsonBodyLimits(ctx: Context, next: Next): Promise<void> {
  const found = bodyViolation((ctx.request as { body?: unknown }).body, MAX_JSON_DEPTH);
  if (found === 'too-deep') {
    throw problems.validation(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`, [{ field: 'body', message: 'nested too deeply' }]);
  }
  if (found) {
    throw problems.validation('A text value contains the NUL character (U+0000), which cannot be stored; remove it.', [
      { field: found.field, message: 'contains U+0000' },
    ]);
  }
  await next();
}

/** The first thing the body may not contain: `'too-deep'`, a NUL with the dotted path of its field, or undefined. */
export function bodyViolation(value: unknown, maxDepth: number): 'too-deep' | { field: string } | undefined {
  const stack: Array<[unknown, number, string]> = [[value, 0, '']];
  while (stack.length > 0) {
    const [v, depth, field] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { field: field || 'body' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return 'too-deep';
    for (const [key, child] of Object.entries(v as object)) {
      const path = field ? `${field}.${key}` : key;
      if (key.includes('\u0000')) return { field: field || 'body' };
      stack.push([child, depth + 1, path]);
    }
  }
  return undefined;
}
