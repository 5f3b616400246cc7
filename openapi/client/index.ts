import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

/**
 * The typed client of Agora's public API, generated from openapi/agora.json (types in schema.d.ts).
 * A frontend uses it against the ingress; the tests use it for the happy paths.
 *
 *   const api = createAgoraClient('http://localhost:8080', () => session.accessToken);
 *   const { data, error } = await api.POST('/api/v1/auth/login', { body: { login, password } });
 */
export type { paths } from './schema.js';

export function createAgoraClient(baseUrl: string, accessToken?: () => string | undefined) {
  const client = createClient<paths>({ baseUrl });
  const bearer: Middleware = {
    onRequest({ request }) {
      const token = accessToken?.();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
}
