import createClient from 'openapi-fetch';
import type { paths } from './schema.js';
import { fetchWithRefresh, type TokenSource } from './refresh.js';

/**
 * The typed client of Agora's public API, generated from openapi/agora.json (types in schema.d.ts,
 * written by `npm run generate`). A frontend uses it against the ingress; the tests use it for the
 * happy paths.
 *
 *   const api = createAgoraClient('http://localhost:8080', {
 *     accessToken: () => tokens.access,
 *     refresh: async () => { ... POST /api/v1/auth/refresh, store the new tokens ...; return ok },
 *   });
 *   const { data, error } = await api.GET('/api/v1/users/{id}', { params: { path: { id } } });
 *
 * With `refresh`, a 401 on a request sent with a token triggers one refresh (shared by concurrent
 * 401s) and one retry with the new token (refresh.ts).
 */
export type { paths, components, operations } from './schema.js';
export { fetchWithRefresh, singleFlight, type TokenSource } from './refresh.js';

export interface AgoraClientOptions extends Partial<TokenSource> {
  /** The fetch to send requests with (default: the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

export type AgoraClient = ReturnType<typeof createClient<paths>>;

/** `options` may also be just the access-token getter (no refresh). */
export function createAgoraClient(baseUrl: string, options: AgoraClientOptions | (() => string | undefined) = {}): AgoraClient {
  const { fetch: baseFetch, ...tokens } = typeof options === 'function' ? { accessToken: options } : options;
  return createClient<paths>({ baseUrl, fetch: fetchWithRefresh(tokens, baseFetch) });
}
