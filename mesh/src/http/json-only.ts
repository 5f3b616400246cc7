import type { Context, Next } from 'koa';
import { problems } from './problem.js';

/** A request that carries a body must say it is JSON; anything else is 415 before parsing. */
export async function jsonOnly(ctx: Context, next: Next): Promise<void> {
  const hasBody = (Number(ctx.get('content-length')) || 0) > 0 || ctx.get('transfer-encoding') !== '';
  if (hasBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) && !ctx.is('application/json', 'application/*+json')) {
    throw problems.unsupportedMediaType();
  }
  await next();
}
