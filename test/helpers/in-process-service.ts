import {
  migrateService,
  serviceUrlKey,
  startService,
  type BaseConfig,
  type Migration,
  type ServiceContext,
  type ServiceWiring,
  type StartedService,
} from '@agora/mesh';
import { SERVICES, type ServiceName } from '../../mesh/src/topology.js';
import { freshDatabase } from './db.js';
import { serviceClient, type ServiceClient } from './service-client.js';
import { TEST_ISSUER, startTestIssuer, type TestIssuer } from './test-issuer.js';

/** A port nothing listens on: a callee the test did not start fails fast (503), a JWKS never needed is never fetched. */
export const NOWHERE = 'http://127.0.0.1:9';

/** What a service's harness says about its service; everything else is the same for every service. */
export interface InProcessServiceSpec<S extends ServiceName, C extends BaseConfig> {
  name: S;
  migrations: Migration[];
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  wire: (ctx: ServiceContext<C>) => Promise<ServiceWiring> | ServiceWiring;
  /** The service's own test defaults (its mesh key, raised limits, …), over the common ones. */
  defaults?: Record<string, string>;
  /** The test's settings: the last word. */
  env?: Record<string, string>;
  /** Another replica's database, or one the test prepared, instead of a fresh one (migrated to the end either way). */
  databaseUrl?: string;
  /** An issuer the caller owns (another replica's): used for JWKS_URL and not stopped with this instance. */
  issuer?: TestIssuer;
  /** Released after the service has stopped (e.g. media's local object store). */
  onStop?: () => Promise<void>;
}

export interface InProcessService<S extends ServiceName, C extends BaseConfig> {
  base: string;
  service: StartedService;
  config: C;
  databaseUrl: string;
  /** The issuer whose tokens this instance accepts: the caller's, or one started because no JWKS_URL was given. */
  issuer?: TestIssuer;
  /** A typed client of the service's own contract (openapi/<name>.json), reaching it directly. */
  client: ServiceClient<S>;
  /** How many rows `from` (SQL after FROM, e.g. `users WHERE id = $1`) holds: assertions on what is stored. */
  count(from: string, params?: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every other service of the topology at NOWHERE, so a service under test alone never reaches a
 * real peer by accident; a test that starts the peer passes its SERVICE_URL_<NAME>.
 */
function peersNowhere(self: ServiceName): Record<string, string> {
  return Object.fromEntries(SERVICES.filter((s) => s.name !== self).map((s) => [serviceUrlKey(s.name), NOWHERE]));
}

/**
 * A real service in this process on a fresh database (or `databaseUrl`), migrated to the end,
 * listening on a free loopback port: the one starter behind every service's test harness.
 *
 * Common defaults: HOST 127.0.0.1, PORT 0, LOG_LEVEL silent, JWT_ISSUER TEST_ISSUER,
 * MESH_IDENTITY local, the other services at NOWHERE, WORKER_ENABLED false (an event stays in the
 * outbox unless the test turns the worker on). Without JWKS_URL (in `env` or the service's
 * defaults) and without `issuer`, a TestIssuer is started, returned, and stopped with the service.
 */
export async function startInProcessService<S extends ServiceName, C extends BaseConfig>(
  spec: InProcessServiceSpec<S, C>,
): Promise<InProcessService<S, C>> {
  const env = { ...spec.defaults, ...spec.env };
  const ownIssuer = spec.issuer || env.JWKS_URL ? undefined : await startTestIssuer(env.JWT_ISSUER ?? TEST_ISSUER);
  const issuer = spec.issuer ?? ownIssuer;
  try {
    const databaseUrl = spec.databaseUrl ?? (await freshDatabase(spec.name));
    // Also on a given database: a no-op on a replica's, the rest of the way on one a test left half-migrated.
    await migrateService(spec.name, databaseUrl, spec.migrations);
    const config = spec.loadConfig({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      JWT_ISSUER: TEST_ISSUER,
      ...(issuer ? { JWKS_URL: issuer.jwksUrl } : {}),
      MESH_IDENTITY: 'local',
      WORKER_ENABLED: 'false',
      ...peersNowhere(spec.name),
      ...env,
    });
    const service = await startService(spec.name, config, spec.wire);
    const base = `http://127.0.0.1:${service.port}`;
    return {
      base,
      service,
      config,
      databaseUrl,
      issuer,
      client: serviceClient(spec.name, base),
      count: async (from, params = []) => Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params))[0]!.n),
      stop: async () => {
        await service.shutdown('test done');
        await spec.onStop?.();
        await ownIssuer?.stop();
      },
    };
  } catch (err) {
    await ownIssuer?.stop();
    await spec.onStop?.();
    throw err;
  }
}
