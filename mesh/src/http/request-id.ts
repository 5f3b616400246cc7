import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { requestContext } from '../request-context.js';

/**
 * Accepts the caller's `x-request-id` (Envoy sets one at the ingress) when it looks like an id, else
 * makes one; echoes it, and runs the rest of the request inside a context that logs and outgoing
 * calls read. Envoy's tracing headers are kept verbatim so service-to-service calls carry them on
 * and Envoy's spans join the same trace.
 */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const PROPAGATED_HEADERS = [
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'b3',
  'x-ot-span-context',
] as const;

export async function requestId(ctx: Context, next: Next): Promise<void> {
  const given = ctx.get('x-request-id');
  const id = SAFE_ID.test(given) ? given : randomUUID();
  ctx.state.requestId = id;
  ctx.set('x-request-id', id);
  const forwardHeaders: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = ctx.get(name);
    if (value && value.length <= 256) forwardHeaders[name] = value;
  }
  const auth = ctx.get('authorization');
  const bearerToken = auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
  await requestContext.run({ requestId: id, bearerToken, forwardHeaders }, next);
}
