import { randomBytes } from 'node:crypto';
import { NOWHERE, startInProcessService, type InProcessService } from '../../../test/helpers/in-process-service.js';
import { TEST_ISSUER } from '../../../test/helpers/test-issuer.js';
import { call, type JsonResponse } from '../../../test/helpers/json-call.js';
import { loadAuthConfig, type AuthConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireAuth } from '../src/wiring.js';

export const ISSUER = TEST_ISSUER;
/** The local mesh key startAuth uses unless told otherwise (MESH_IDENTITY=local). */
export const TEST_MESH_KEY = 'auth-test-mesh-key-0123456789-abcdefghijk';

export type RunningAuth = InProcessService<'auth', AuthConfig>;

/** A real auth service on a fresh, migrated database, listening on a free loopback port. */
export function startAuth(env: Record<string, string> = {}): Promise<RunningAuth> {
  return startInProcessService({
    name: 'auth',
    migrations,
    loadConfig: loadAuthConfig,
    wire: wireAuth,
    defaults: {
      JWKS_URL: NOWHERE, // auth verifies from its own key store: no TestIssuer
      SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      // As under Istio: the client address comes from X-Forwarded-For behind the gateway's
      // X-Forwarded-Client-Cert (global-login-budget.test.ts); tests of internal operations pass
      // MESH_IDENTITY=local (with this key unless they pass their own).
      MESH_IDENTITY: 'istio',
      MESH_LOCAL_KEY: TEST_MESH_KEY,
      // Most tests register and fail logins freely from 127.0.0.1; the rate-limit tests set the real limits.
      RATE_LIMIT_SIGNUP_PER_IP: '100000',
      RATE_LIMIT_LOGIN_PER_IP: '100000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
      RATE_LIMIT_CODE_PER_IP: '100000',
      RATE_LIMIT_CODE_PER_EMAIL: '100000',
    },
    env,
  });
}

/**
 * Raw JSON requests, as auth's tests send them (many on purpose malformed or unauthorised): the
 * shared helper (test/helpers/json-call.ts) in the argument order these tests use. Well-formed
 * requests can use `auth.client` (typed from openapi/auth.json) instead.
 */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

export function getJson(url: string, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return call(url, { headers });
}

let counter = 0;
/** A unique, valid registration body. */
export function newUser(prefix = 'user') {
  counter += 1;
  const username = `${prefix}_${counter}_${randomBytes(3).toString('hex')}`;
  return { username, email: `${username}@example.com`, password: `Str0ng-pass-${randomBytes(6).toString('hex')}` };
}
