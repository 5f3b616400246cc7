import { migrateService, startService, type StartedService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { RAISED_ACCOUNT_LIMITS } from '../../../test/helpers/raised-account-limits.js';
import { TEST_ISSUER, startTestIssuer, type TestIssuer } from '../../../test/helpers/test-issuer.js';
import { loadUsersConfig, type UsersConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireUsers } from '../src/wiring.js';

/** The issuer the auth test harness uses too (services/auth/test/harness.ts), so tokens fit both. */
export const ISSUER = TEST_ISSUER;
/** The local mesh key startUsers uses unless told otherwise (MESH_IDENTITY=local). */
export const TEST_MESH_KEY = 'users-test-mesh-key-0123456789-abcdefghij';
/** A port nothing listens on: calls to a service the test did not start fail fast (503). */
const NOWHERE = 'http://127.0.0.1:9';

export interface RunningUsers {
  base: string;
  service: StartedService;
  config: UsersConfig;
  databaseUrl: string;
  /** Present when startUsers was not given a JWKS_URL: mints tokens users accepts. */
  issuer?: TestIssuer;
  /** How many rows `from` (SQL after FROM, e.g. `profiles WHERE id = $1`) holds: assertions on what is stored. */
  count(from: string, params?: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real users service on a fresh, migrated database, listening on a free loopback port.
 *
 * Defaults: MESH_IDENTITY=local with TEST_MESH_KEY; JWT_ISSUER=ISSUER; SERVICE_URL_AUTH/MEDIA/POSTS point
 * at a closed port. Without `JWKS_URL` in `env`, a TestIssuer (ES256 keys + a JWKS endpoint on
 * loopback) is started and returned as `issuer`; with a real auth, pass
 * `JWKS_URL: `${auth.base}/.well-known/jwks.json`` (and the same MESH_LOCAL_KEY as auth).
 */
export async function startUsers(env: Record<string, string> = {}): Promise<RunningUsers> {
  const issuer = env.JWKS_URL ? undefined : await startTestIssuer(env.JWT_ISSUER ?? ISSUER);
  const databaseUrl = await freshDatabase('users');
  await migrateService('users', databaseUrl, migrations);
  const config = loadUsersConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: ISSUER,
    JWKS_URL: issuer?.jwksUrl ?? NOWHERE,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: TEST_MESH_KEY,
    SERVICE_URL_AUTH: NOWHERE,
    SERVICE_URL_MEDIA: NOWHERE,
    SERVICE_URL_POSTS: NOWHERE,
    // The profile.updated this service publishes stay in its outbox: these tests look at users alone.
    WORKER_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...RAISED_ACCOUNT_LIMITS,
    ...env,
  });
  const service = await startService('users', config, wireUsers);
  return {
    base: `http://127.0.0.1:${service.port}`,
    service,
    config,
    databaseUrl,
    issuer,
    count: async (from, params = []) => Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params))[0]!.n),
    stop: async () => {
      await service.shutdown('test done');
      await issuer?.stop();
    },
  };
}

export { startTestIssuer, type TestIssuer, type TestUser } from '../../../test/helpers/test-issuer.js';

export { call, type JsonResponse } from '../../../test/helpers/json-call.js';
