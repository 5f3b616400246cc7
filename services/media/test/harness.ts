import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrateService, startService, type StartedService } from '@agora/mesh';
import { startObjectStore, type ObjectStore as LocalStoreServer } from '../../../tools/src/local/object-store.js';
import { freshDatabase } from '../../../test/helpers/db.js';
import { call } from '../../../test/helpers/json-call.js';
import { RAISED_ACCOUNT_LIMITS } from '../../../test/helpers/raised-account-limits.js';
import { loadMediaConfig, type MediaConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireMedia, type MediaDeps } from '../src/wiring.js';

/** The issuer the auth harness uses too (services/auth/test/harness.ts), so tokens from either fit. */
export const ISSUER = 'http://agora.test';
/** MESH_LOCAL_KEY of the harness unless the caller passes its own. */
export const MESH_KEY = 'local-mesh-key-for-media-tests-0123456789';

export interface RunningMedia {
  base: string;
  service: StartedService;
  config: MediaConfig;
  databaseUrl: string;
  /** This instance's dependency graph (its store client, domain service). */
  deps: MediaDeps;
  /** The local object store started for this instance (absent when the caller chose the store). */
  store?: { url: string; dir: string; signingKey: string; server: LocalStoreServer };
  stop(): Promise<void>;
}

/**
 * A real media service on a fresh, migrated database, listening on a free loopback port. Unless
 * `env` picks a store (MEDIA_STORE=s3, or LOCAL_STORE_URL), a local object store is started too, in a
 * temporary directory, and stopped with it. `opts.databaseUrl` runs it on a database the caller
 * prepared (migrated to the end first). Pass JWKS_URL (e.g. a started auth's
 * `${auth.base}/.well-known/jwks.json`) to accept real tokens; MESH_IDENTITY is `local` with MESH_KEY
 * by default.
 */
export async function startMedia(env: Record<string, string> = {}, opts: { databaseUrl?: string } = {}): Promise<RunningMedia> {
  const databaseUrl = opts.databaseUrl ?? (await freshDatabase('media'));
  await migrateService('media', databaseUrl, migrations);
  let store: RunningMedia['store'];
  const storeEnv: Record<string, string> = {};
  if ((env.MEDIA_STORE ?? 'local') === 'local' && !env.LOCAL_STORE_URL) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'agora-objects-'));
    const signingKey = env.LOCAL_STORE_SIGNING_KEY ?? randomBytes(32).toString('base64url');
    const server = await startObjectStore({ dir, signingKey, port: 0 });
    store = { url: `${server.url}/objects`, dir, signingKey, server };
    Object.assign(storeEnv, { MEDIA_STORE: 'local', LOCAL_STORE_URL: store.url, LOCAL_STORE_SIGNING_KEY: signingKey });
  }
  const config = loadMediaConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: ISSUER,
    JWKS_URL: 'http://127.0.0.1:9/unused',
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: MESH_KEY,
    LOG_LEVEL: 'silent',
    ...RAISED_ACCOUNT_LIMITS,
    // The media.updated / media.deleted it publishes stay in its outbox unless a test starts the
    // worker with a SERVICE_URL_POSTS to deliver to (events.test.ts).
    WORKER_ENABLED: 'false',
    ...storeEnv,
    ...env,
  });
  const service = await startService('media', config, wireMedia);
  return {
    base: `http://127.0.0.1:${service.port}`,
    service,
    config,
    databaseUrl,
    deps: service.deps as MediaDeps,
    store,
    stop: async () => {
      await service.shutdown('test done');
      if (store) {
        await store.server.close(1_000);
        await rm(store.dir, { recursive: true, force: true });
      }
    },
  };
}

/** The shared JSON helper (test/helpers/json-call.ts) in the argument order media's tests use. */
export function request(method: string, url: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  return call(url, { method, headers: opts.headers, body: opts.body, rawBody: opts.raw });
}
