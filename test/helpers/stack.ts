import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './db.js';
import { freePort, ROOT, startServiceProcess, type ServiceProcess } from './processes.js';
import { startIngress, type Ingress } from '../../mesh/src/local/ingress.js';
import { startObjectStore, type ObjectStore } from '../../mesh/src/local/object-store.js';
import { LOCAL_OBJECT_STORE, type ServiceName } from '../../mesh/src/topology.js';
import { serviceScript } from '../../mesh/src/local/services.js';

/**
 * The whole platform on loopback, as the local run starts it but on free ports and fresh databases:
 * every built service as its own process, the local object store and the ingress. Cross-service
 * tests (feed, security suites, faults, benchmarks) run against it.
 */
export const ALL_SERVICES: ServiceName[] = ['auth', 'users', 'posts', 'media'];

export interface Stack {
  /** The ingress, e.g. http://127.0.0.1:PORT — what a frontend talks to. */
  url: string;
  services: Partial<Record<ServiceName, ServiceProcess>>;
  databases: Partial<Record<ServiceName, string>>;
  meshKey: string;
  env: Record<ServiceName, Record<string, string>>;
  /** Restarts one service process with the same environment (and port). */
  restart(name: ServiceName): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

export function builtServices(): ServiceName[] {
  return ALL_SERVICES.filter((s) => existsSync(serviceScript(s, 'main')));
}

async function migrate(name: ServiceName, databaseUrl: string): Promise<void> {
  const child = spawn(process.execPath, [path.join(ROOT, 'services', name, 'dist', 'migrate.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${name} migrations failed (${code}): ${err}`);
}

export async function startStack(options: { services?: ServiceName[]; env?: Partial<Record<ServiceName, Record<string, string>>> } = {}): Promise<Stack> {
  const names = options.services ?? builtServices();
  const ports = Object.fromEntries(await Promise.all(ALL_SERVICES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
  const ingressPort = await freePort();
  const storePort = await freePort();
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'agora-objects-'));
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'agora-mail-'));
  const meshKey = randomBytes(32).toString('hex');
  const storeKey = randomBytes(32).toString('hex');
  const ingressUrl = `http://127.0.0.1:${ingressPort}`;

  const databases: Partial<Record<ServiceName, string>> = {};
  await Promise.all(
    names.map(async (s) => {
      databases[s] = await freshDatabase(`stack_${s}`);
      await migrate(s, databases[s]!);
    }),
  );

  const common: Record<string, string> = {
    JWT_ISSUER: ingressUrl,
    JWKS_URL: `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: meshKey,
    LOG_LEVEL: process.env.STACK_LOG_LEVEL ?? 'silent',
    SHUTDOWN_TIMEOUT_MS: '8000',
    ...Object.fromEntries(ALL_SERVICES.map((s) => [`SERVICE_URL_${s.toUpperCase()}`, `http://127.0.0.1:${ports[s]}`])),
  };
  const perService: Record<ServiceName, Record<string, string>> = {
    auth: {
      SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      MAILBOX_DIR: mailDir,
      // Security suites create many accounts from 127.0.0.1; the rate-limit tests use real limits.
      RATE_LIMIT_SIGNUP_PER_IP: '100000',
      RATE_LIMIT_LOGIN_PER_IP: '100000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
      RATE_LIMIT_CODE_PER_IP: '100000',
      RATE_LIMIT_CODE_PER_EMAIL: '100000',
    },
    users: {},
    posts: {},
    media: {
      MEDIA_STORE: 'local',
      LOCAL_STORE_URL: `${ingressUrl}${LOCAL_OBJECT_STORE.publicPrefix}`,
      LOCAL_STORE_INTERNAL_URL: `http://127.0.0.1:${storePort}${LOCAL_OBJECT_STORE.publicPrefix}`,
      LOCAL_STORE_SIGNING_KEY: storeKey,
    },
  };
  const env = Object.fromEntries(
    ALL_SERVICES.map((s) => [s, { ...common, DATABASE_URL: databases[s] ?? '', ...perService[s], ...(options.env?.[s] ?? {}) }]),
  ) as Record<ServiceName, Record<string, string>>;

  const services: Partial<Record<ServiceName, ServiceProcess>> = {};
  const start = async (s: ServiceName) => {
    services[s] = await startServiceProcess(s, env[s], ports[s]);
    return services[s]!;
  };
  if (names.includes('auth')) await start('auth');
  await Promise.all(names.filter((s) => s !== 'auth').map(start));
  const store: ObjectStore = await startObjectStore({ dir: storeDir, signingKey: storeKey, port: storePort });
  const ingress: Ingress = await startIngress({
    port: ingressPort,
    upstreams: Object.fromEntries(names.map((s) => [s, `http://127.0.0.1:${ports[s]}`])),
    objectStore: `http://127.0.0.1:${storePort}`,
  });

  return {
    url: ingressUrl,
    services,
    databases,
    meshKey,
    env,
    async restart(name) {
      await services[name]?.stop();
      return start(name);
    },
    async stop() {
      await ingress.close(1000);
      await Promise.all(Object.values(services).map((p) => p.stop()));
      await store.close(1000);
      await rm(storeDir, { recursive: true, force: true });
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  id: string;
  username: string;
  password: string;
  token: string;
  refreshToken: string;
  headers: Record<string, string>;
}

let sequence = 0;
/** Registers and signs in a new user through the ingress. */
export async function newSession(base: string, prefix = 'u'): Promise<Session> {
  sequence += 1;
  const username = `${prefix}_${sequence}_${randomBytes(3).toString('hex')}`;
  const password = `Pass-${randomBytes(8).toString('hex')}`;
  const post = (p: string, body: unknown) =>
    fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const reg = await post('/api/v1/auth/register', { username, email: `${username}@example.com`, password });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
  const { id } = (await reg.json()) as { id: string };
  const login = await post('/api/v1/auth/login', { login: username, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const tokens = (await login.json()) as { accessToken: string; refreshToken: string };
  return { id, username, password, token: tokens.accessToken, refreshToken: tokens.refreshToken, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}
