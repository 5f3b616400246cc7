import { ProblemError } from '../http/problem.js';
import type { UserPrincipal } from './principal.js';

/**
 * How recent a sign-in (or re-authentication) must be for the operations a stolen access token
 * must not be enough for: deleting the account, changing the email or password, removing a second
 * factor. One window for auth (which checks the session's row) and every other service (which
 * checks the access token's `auth_time`).
 */
export const REAUTHENTICATION_WINDOW_SECONDS = 300;

/**
 * The refusal the web app acts on (it asks for the password, calls `POST /api/v1/auth/reauthenticate`
 * and retries): a 403 whose `reauthenticationRequired: true` extension says so, wherever it comes from.
 */
export function reauthenticationRequired(detail: string): ProblemError {
  return new ProblemError(403, 'forbidden', detail, { extensions: { reauthenticationRequired: true } });
}

/**
 * Throws `reauthenticationRequired` unless the token says its session signed in (or
 * re-authenticated) within REAUTHENTICATION_WINDOW_SECONDS. A token without `auth_time` (issued
 * before auth put it in) counts as old. A future `auth_time` within the 60 s skew the checks accept
 * counts as now.
 */
export function assertRecentSignIn(principal: UserPrincipal, nowMs: number = Date.now()): void {
  const authTime = principal.authTime;
  if (authTime !== undefined && nowMs / 1000 - authTime <= REAUTHENTICATION_WINDOW_SECONDS) return;
  throw reauthenticationRequired(
    `This needs a sign-in from the last ${REAUTHENTICATION_WINDOW_SECONDS / 60} minutes: call POST /api/v1/auth/reauthenticate with your password (or a two-factor code), then retry with the new access token.`,
  );
}
