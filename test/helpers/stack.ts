import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAgoraClient } from '../../openapi/client/index.js';
import { freshDatabase } from './db.js';
import { freePort, ROOT, startServiceProcess, type ServiceProcess } from './processes.js';
import { startIngress, type Ingress } from '../../tools/src/local/ingress.js';
import { startObjectStore, type ObjectStore } from '../../tools/src/local/object-store.js';
import { newPlatformSecrets, serviceEnv } from '../../tools/src/local/service-env.js';
import { serviceScript } from '../../tools/src/local/services.js';
import { LOCAL_OBJECT_STORE, SERVICE_NAMES, type ServiceName } from '../../mesh/src/topology.js';
import { RAISED_ACCOUNT_LIMITS } from './raised-account-limits.js';

/**
 * The whole platform on loopback, as the local run starts it but on free ports and fresh databases:
 * every built service as its own process, the local object store and the ingress. Cross-service
 * tests (feed, security suites, faults) run against it. Each service's environment comes from the
 * one builder the local run and the bench use (tools/src/local/service-env.ts).
 */
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
  return SERVICE_NAMES.filter((s) => existsSync(serviceScript(s, 'main')));
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

/** Security suites create many accounts from 127.0.0.1; the sign-in attack suite uses the real limits. */
const RAISED_AUTH_LIMITS = {
  RATE_LIMIT_SIGNUP_PER_IP: '100000',
  RATE_LIMIT_LOGIN_PER_IP: '100000',
  RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
  RATE_LIMIT_LOGIN_GLOBAL: '100000',
  RATE_LIMIT_CODE_PER_IP: '100000',
  RATE_LIMIT_CODE_PER_EMAIL: '100000',
};

export interface StackOptions {
  services?: ServiceName[];
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** The product's own rate limits (config defaults: auth's and the per-account ones) instead of the raised ones most suites need. */
  productionLimits?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const names = options.services ?? builtServices();
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
  const ingressPort = await freePort();
  const storePort = await freePort();
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'agora-objects-'));
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'agora-mail-'));
  const secrets = newPlatformSecrets();
  const ingressUrl = `http://127.0.0.1:${ingressPort}`;

  const databases: Partial<Record<ServiceName, string>> = {};
  await Promise.all(
    names.map(async (s) => {
      databases[s] = await freshDatabase(`stack_${s}`);
      await migrate(s, databases[s]!);
    }),
  );

  const addresses = {
    ports,
    ingressUrl,
    objectStore: {
      publicUrl: `${ingressUrl}${LOCAL_OBJECT_STORE.publicPrefix}`,
      internalUrl: `http://127.0.0.1:${storePort}${LOCAL_OBJECT_STORE.publicPrefix}`,
    },
  };
  const env = Object.fromEntries(
    SERVICE_NAMES.map((s) => [
      s,
      serviceEnv(s, {
        addresses,
        secrets,
        databaseUrl: databases[s] ?? '',
        mailboxDir: mailDir,
        logLevel: process.env.STACK_LOG_LEVEL ?? 'silent',
        passThrough: process.env,
        overrides: { ...(options.productionLimits ? {} : s === 'auth' ? RAISED_AUTH_LIMITS : RAISED_ACCOUNT_LIMITS), ...(options.env?.[s] ?? {}) },
      }),
    ]),
  ) as Record<ServiceName, Record<string, string>>;

  const services: Partial<Record<ServiceName, ServiceProcess>> = {};
  const start = async (s: ServiceName) => {
    services[s] = await startServiceProcess(s, env[s]);
    return services[s]!;
  };
  // auth first: the others fetch its JWKS.
  if (names.includes('auth')) await start('auth');
  await Promise.all(names.filter((s) => s !== 'auth').map(start));
  const store: ObjectStore = await startObjectStore({ dir: storeDir, signingKey: secrets.LOCAL_STORE_SIGNING_KEY, port: storePort });
  const ingress: Ingress = await startIngress({
    port: ingressPort,
    upstreams: Object.fromEntries(names.map((s) => [s, `http://127.0.0.1:${ports[s]}`])),
    objectStore: `http://127.0.0.1:${storePort}`,
    web: { root: path.join(ROOT, 'web', 'dist') }, // the built app at /, as in npm start
    apiDocs: { spec: path.join(ROOT, 'openapi', 'agora.json') }, // Swagger UI at /docs, as in npm start
    edgeKey: secrets.MESH_LOCAL_KEY,
  });

  return {
    url: ingressUrl,
    services,
    databases,
    meshKey: secrets.MESH_LOCAL_KEY,
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
  const api = createAgoraClient(base);
  const reg = await api.POST('/api/v1/auth/register', { body: { username, email: `${username}@example.com`, password } });
  if (reg.response.status !== 201 || !reg.data) throw new Error(`register failed: ${reg.response.status} ${JSON.stringify(reg.error)}`);
  const login = await api.POST('/api/v1/auth/login', { body: { login: username, password } });
  const tokens = login.data;
  if (!tokens || !('accessToken' in tokens)) throw new Error(`login failed: ${login.response.status} ${JSON.stringify(login.error ?? tokens)}`);
  return {
    id: reg.data.id,
    username,
    password,
    token: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    headers: { authorization: `Bearer ${tokens.accessToken}` },
  };
}
