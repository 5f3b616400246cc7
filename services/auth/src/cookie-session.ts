import type Koa from 'koa';
import { ProblemError, problems } from '@agora/mesh';

/**
 * Cookie mode for browsers: the refresh token never reaches JavaScript.
 *
 * A client that sends `X-Agora-Session: cookie` on a token operation gets the refresh token as an
 * `HttpOnly; SameSite=Strict; Path=/api/v1/auth` cookie instead of in the JSON body, and `refresh` /
 * `logout` read it from that cookie. Without the header nothing changes (JSON-body mode for other
 * clients). The custom header cannot be sent cross-site without a CORS preflight (which does not
 * allow it), and the Origin must be the app's own or one of CORS_ORIGINS: a forged cross-site
 * request gets a 403 and the cookie is never read for it. Every token answer is `no-store`.
 */
export const SESSION_MODE_HEADER = 'X-Agora-Session';
export const REFRESH_COOKIE = 'agora_refresh';
const COOKIE_PATH = '/api/v1/auth';

const ISSUING = new Set(['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/login/mfa', '/api/v1/auth/login/code', '/api/v1/auth/refresh']);
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';

/** Plain http is accepted without `Secure` only on loopback (the local run); anywhere else it is set. */
function secureFlag(ctx: Koa.Context): boolean {
  if (ctx.protocol === 'https') return true;
  return !['localhost', '127.0.0.1', '[::1]', '::1'].includes(ctx.hostname);
}

function cookieHeader(ctx: Koa.Context, value: string, maxAgeSeconds: number): string {
  return [
    `${REFRESH_COOKIE}=${value}`,
    `Path=${COOKIE_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secureFlag(ctx) ? ['Secure'] : []),
  ].join('; ');
}

function readCookie(ctx: Koa.Context): string | undefined {
  for (const part of (ctx.get('Cookie') || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      const value = part.slice(eq + 1).trim();
      // Refresh tokens are URL-safe base64 plus dots; anything else is not ours.
      return /^[A-Za-z0-9._-]{10,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function cookieSession(allowedOrigins: readonly string[]): Koa.Middleware {
  return async (ctx, next) => {
    const issuing = ISSUING.has(ctx.path);
    if (ctx.method !== 'POST' || (!issuing && ctx.path !== LOGOUT)) return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.get(SESSION_MODE_HEADER).toLowerCase() !== 'cookie') return next();

    const origin = ctx.get('Origin');
    if (!origin || (origin !== ctx.origin && !allowedOrigins.includes(origin))) {
      throw problems.forbidden('Cookie sessions are accepted only from the web app’s own origin.');
    }
    const request = ctx.request as typeof ctx.request & { body?: unknown };
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (ctx.path === REFRESH || ctx.path === LOGOUT) {
      const token = readCookie(ctx);
      if (!token) {
        ctx.set('Set-Cookie', cookieHeader(ctx, '', 0));
        if (ctx.path === LOGOUT) {
          ctx.status = 204;
          return;
        }
        throw problems.unauthorized('No session: sign in again.');
      }
      request.body = { ...body, refreshToken: token };
    }
    try {
      await next();
    } catch (err) {
      // A refused refresh ends the browser session: drop the dead cookie with the answer.
      if (ctx.path === REFRESH && err instanceof ProblemError && err.status === 401) {
        err.headers['Set-Cookie'] = cookieHeader(ctx, '', 0);
      }
      throw err;
    }
    if (ctx.path === LOGOUT) {
      ctx.set('Set-Cookie', cookieHeader(ctx, '', 0));
      return;
    }
    const answer = ctx.body as { refreshToken?: unknown; refreshExpiresIn?: unknown } | undefined;
    if ((ctx.status === 200 || ctx.status === 201) && answer && typeof answer.refreshToken === 'string') {
      const { refreshToken, ...rest } = answer;
      ctx.set('Set-Cookie', cookieHeader(ctx, refreshToken, Number(answer.refreshExpiresIn) || 0));
      ctx.body = rest;
    }
  };
}
