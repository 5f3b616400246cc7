import { randomBytes } from 'node:crypto';
import { migrateService } from '@agora/mesh';
import { serviceScript } from '../../../tools/src/local/services.js';
import { freshDatabase } from '../../../test/helpers/db.js';
import { migrations } from '../../../services/auth/src/migrations/index.js';
import { spawnService, type ServiceProcess } from './processes.js';

/**
 * auth run as the local run and the images run it (its bundle, under the services' V8 flags), on a
 * fresh migrated database named `database`, with a local mesh identity keyed by `meshKey` and no
 * reachable key set of its own. `env` adds the exporter's variables and anything a test needs.
 * No OTEL_SERVICE_NAME: register.ts names auth from services/auth/dist/main.bundle.mjs.
 */
export async function spawnTracedAuth(database: string, meshKey: string, env: Record<string, string>): Promise<ServiceProcess> {
  const url = await freshDatabase(database);
  await migrateService('auth', url, migrations);
  return spawnService('auth', serviceScript('auth', 'main'), {
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: 'http://agora.test',
    JWKS_URL: 'http://127.0.0.1:9/unused',
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: meshKey,
    ...env,
  });
}
