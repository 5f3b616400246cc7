import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startObjectStore, type ObjectStore as LocalStoreServer } from '../../../tools/src/local/object-store.js';
import { startInProcessService, type InProcessService } from '../../../test/helpers/in-process-service.js';
import { call } from '../../../test/helpers/json-call.js';
import { RAISED_ACCOUNT_LIMITS } from '../../../test/helpers/raised-account-limits.js';
import { TEST_ISSUER } from '../../../test/helpers/test-issuer.js';
import { loadMediaConfig, type MediaConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireMedia, type MediaDeps } from '../src/wiring.js';

/** The issuer the auth harness uses too (services/auth/test/harness.ts), so tokens from either fit. */
export const ISSUER = TEST_ISSUER;
/** MESH_LOCAL_KEY of the harness unless the caller passes its own. */
export const MESH_KEY = 'local-mesh-key-for-media-tests-0123456789';

export interface RunningMedia extends InProcessService<'media', MediaConfig> {
  /** This instance's dependency graph (its store client, domain service). */
  deps: MediaDeps;
  /** The local object store started for this instance (absent when the caller chose the store). */
  store?: { url: string; dir: string; signingKey: string; server: LocalStoreServer };
}

/**
 * A real media service on a fresh, migrated database, listening on a free loopback port. Unless
 * `env` picks a store (MEDIA_STORE=s3, or LOCAL_STORE_URL), a local object store is started too, in a
 * temporary directory, and stopped with it. `opts.databaseUrl` runs it on a database the caller
 * prepared (migrated to the end first). Pass JWKS_URL (e.g. a started auth's
 * `${auth.base}/.well-known/jwks.json`) to accept real tokens; MESH_IDENTITY is `local` with MESH_KEY
 * by default. The media.updated / media.deleted it publishes stay in its outbox unless a test starts
 * the worker with a SERVICE_URL_POSTS to deliver to (events.test.ts).
 */
export async function startMedia(env: Record<string, string> = {}, opts: { databaseUrl?: string } = {}): Promise<RunningMedia> {
  let store: RunningMedia['store'];
  const storeEnv: Record<string, string> = {};
  if ((env.MEDIA_STORE ?? 'local') === 'local' && !env.LOCAL_STORE_URL) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'agora-objects-'));
    const signingKey = env.LOCAL_STORE_SIGNING_KEY ?? randomBytes(32).toString('base64url');
    const server = await startObjectStore({ dir, signingKey, port: 0 });
    store = { url: `${server.url}/objects`, dir, signingKey, server };
    Object.assign(storeEnv, { MEDIA_STORE: 'local', LOCAL_STORE_URL: store.url, LOCAL_STORE_SIGNING_KEY: signingKey });
  }
  const running = await startInProcessService({
    name: 'media',
    migrations,
    loadConfig: loadMediaConfig,
    wire: wireMedia,
    defaults: { MESH_LOCAL_KEY: MESH_KEY, ...RAISED_ACCOUNT_LIMITS, ...storeEnv },
    env,
    databaseUrl: opts.databaseUrl,
    onStop: async () => {
      if (!store) return;
      await store.server.close(1_000);
      await rm(store.dir, { recursive: true, force: true });
    },
  });
  return { ...running, deps: running.service.deps as MediaDeps, store };
}

/** The shared JSON helper (test/helpers/json-call.ts) in the argument order media's tests use. */
export function request(method: string, url: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  return call(url, { method, headers: opts.headers, body: opts.body, rawBody: opts.raw });
}
