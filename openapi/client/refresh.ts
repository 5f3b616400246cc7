/**
 * Refresh-on-401 for the typed client: a request answered 401 while the client had an access token
 * gets one token refresh and is sent once more with the new token. Refreshes are single flight: any
 * number of requests that fail together wait for the same refresh, so a rotating refresh token is
 * used once (auth revokes the whole session when a rotated token comes back).
 */

/** How the client gets and renews its access token; the caller owns where tokens live. */
export interface TokenSource {
  /** The current access token, if signed in. */
  accessToken(): string | undefined;
  /**
   * Renews the tokens (e.g. `POST /api/v1/auth/refresh`) and stores them, so that accessToken()
   * answers the new one. Resolves true when a new access token is there, false when the session
   * is over (refresh refused: sign the user out).
   */
  refresh(): Promise<boolean>;
}

/** The sign-in operations: a 401 there is an answer about credentials, not an expired token. */
const CREDENTIAL_PATHS = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/login/mfa',
  '/api/v1/auth/login/code',
  '/api/v1/auth/register',
  '/api/v1/auth/refresh',
  '/api/v1/auth/logout',
]);

/** `fn`, at most once at a time: calls during a run share its promise. */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= fn().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/**
 * A `fetch` for openapi-fetch's `fetch` option: adds the bearer token, and on a 401 refreshes once
 * (shared by concurrent 401s) and retries once with the new token. A request that was sent without
 * a token, or to a sign-in operation, is answered as it is.
 */
export function fetchWithRefresh(tokens: Partial<TokenSource>, baseFetch: (request: Request) => Promise<Response> = (r) => fetch(r)) {
  const refresh = tokens.refresh ? singleFlight(tokens.refresh) : undefined;
  const withToken = (request: Request, token: string | undefined): Request => {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  };
  return async function agoraFetch(request: Request): Promise<Response> {
    const token = tokens.accessToken?.();
    // The body can be read once: keep a copy for the retry before the first send.
    const spare = refresh && token ? request.clone() : undefined;
    const first = await baseFetch(withToken(request, token));
    if (first.status !== 401 || !spare || !refresh || CREDENTIAL_PATHS.has(new URL(request.url).pathname)) return first;
    // Another request may have refreshed already while this one was in flight.
    const current = tokens.accessToken?.();
    const renewed = current && current !== token ? true : await refresh();
    const next = tokens.accessToken?.();
    if (!renewed || !next) return first;
    await first.body?.cancel();
    return baseFetch(withToken(spare, next));
  };
}
