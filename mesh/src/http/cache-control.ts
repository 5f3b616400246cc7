import type { Context, Next } from 'koa';

/**
 * `Cache-Control: no-store` unless a handler chose a policy on purpose (public keys, Swagger UI
 * assets). Nearly every response is for one signed-in caller or carries a token, a second-factor
 * secret or backup codes, which no browser, proxy or CDN may keep. No operation is marked `private`
 * yet: a per-user response could be cached privately only where a test shows that nothing in it
 * goes stale in a way that matters (revocation, suspension) — none has such a test. Error responses
 * are never cacheable, whatever the handler set before it failed. Placed outside the error handler,
 * so it sees the final status.
 */
export async function noStoreByDefault(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.status >= 400 || !ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'no-store');
}
