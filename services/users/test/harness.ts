import { startInProcessService, type InProcessService } from '../../../test/helpers/in-process-service.js';
import { RAISED_ACCOUNT_LIMITS } from '../../../test/helpers/raised-account-limits.js';
import { TEST_ISSUER } from '../../../test/helpers/test-issuer.js';
import { loadUsersConfig, type UsersConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireUsers } from '../src/wiring.js';

/** The issuer the auth test harness uses too (services/auth/test/harness.ts), so tokens fit both. */
export const ISSUER = TEST_ISSUER;
/** The local mesh key startUsers uses unless told otherwise (MESH_IDENTITY=local). */
export const TEST_MESH_KEY = 'users-test-mesh-key-0123456789-abcdefghij';

export type RunningUsers = InProcessService<'users', UsersConfig>;

/**
 * A real users service on a fresh, migrated database, listening on a free loopback port
 * (test/helpers/in-process-service.ts: the other services at a closed port, the worker off, so the
 * profile.updated it publishes stay in its outbox). Without `JWKS_URL` in `env`, a TestIssuer is
 * started and returned as `issuer`; with a real auth, pass
 * `JWKS_URL: `${auth.base}/.well-known/jwks.json`` (and the same MESH_LOCAL_KEY as auth).
 */
export function startUsers(env: Record<string, string> = {}): Promise<RunningUsers> {
  return startInProcessService({
    name: 'users',
    migrations,
    loadConfig: loadUsersConfig,
    wire: wireUsers,
    defaults: { MESH_LOCAL_KEY: TEST_MESH_KEY, ...RAISED_ACCOUNT_LIMITS },
    env,
  });
}

export { startTestIssuer, type TestIssuer, type TestUser } from '../../../test/helpers/test-issuer.js';

export { call, type JsonResponse } from '../../../test/helpers/json-call.js';
