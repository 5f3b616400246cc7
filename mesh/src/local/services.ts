import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JWT_AUDIENCE, LOCAL_OBJECT_STORE, SERVICES, type ServiceTopology } from '../topology.js';
import { databaseUrl } from './databases.js';
import { pipeLines, say } from './output.js';
import { MAILBOX_DIR, REPO_ROOT, serviceDir } from './paths.js';
import type { LocalSecrets } from './secrets.js';
import { terminateChild } from './terminate.js';

/** Which services of the topology are built (have dist/main.js) and which are not. */
export interface ServiceDiscovery {
  readonly built: readonly ServiceTopology[];
  readonly missing: readonly ServiceTopology[];
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * Preloaded into every service process: starts OpenTelemetry before the service's modules load when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing otherwise (mesh/src/observability/register.ts),
 * bundled into one file as the images run it (scripts/bundle.mjs).
 */
export const TRACING_REGISTER = path.join(REPO_ROOT, 'mesh', 'dist', 'observability', 'register.bundle.mjs');

/**
 * V8 flags every service process runs with, here and in the images (the Dockerfiles' NODE_OPTIONS):
 * young-generation semi-spaces of at most 4 MiB instead of V8's default for the machine (16 MiB on
 * 64-bit with enough memory), which V8 grows to under load and keeps. Measured with `npm run bench`
 * (docs/benchmarks.md, row 5): RSS after 60 s of load 107–130 MiB instead of 121–165 MiB, same CPU
 * per request; 1 and 2 MiB were worse (objects promoted early grow the old generation), 8 MiB not enough.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=4'] as const;

/**
 * Environment every service process runs with, here and in the images (the Dockerfiles' ENV):
 * glibc's malloc serves blocks of 1 MiB and more with their own mmap, returned to the system when
 * freed, instead of raising its threshold after the first such free and keeping later ones in
 * per-thread arenas. Measured on auth after 15 s of sign-ins, twice each: 105 MiB settled RSS with
 * it, 114–117 MiB without (docs/benchmarks.md, row 5). (argon2id's own 19 MiB per hash is not
 * concerned: @node-rs/argon2 allocates with its bundled mimalloc, which gives it back within about a
 * second after the hashes end.)
 */
export const SERVICE_PROCESS_ENV = { MALLOC_MMAP_THRESHOLD_: '1048576' } as const;

/**
 * A service's compiled script. `main` is the bundled entry point (`npm run build` writes it after
 * tsc: one file instead of ≈ 1 500 modules, for the cold start; scripts/bundle.mjs), exactly what the
 * images run; the one-shot scripts run as tsc wrote them.
 */
export function serviceScript(name: string, script: 'main' | 'migrate' | 'seed'): string {
  return path.join(serviceDir(name), 'dist', script === 'main' ? 'main.bundle.mjs' : `${script}.js`);
}

export async function discoverServices(services: readonly ServiceTopology[] = SERVICES): Promise<ServiceDiscovery> {
  const built: ServiceTopology[] = [];
  const missing: ServiceTopology[] = [];
  for (const s of services) ((await exists(serviceScript(s.name, 'main'))) ? built : missing).push(s);
  return { built, missing };
}

export interface LocalEnvContext {
  readonly adminUrl: string;
  readonly ingressPort: number;
  readonly secrets: LocalSecrets;
  /** The runner's own environment: OTEL_*, LOG_LEVEL, CORS_ORIGINS etc. pass through. */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/** Variables of the runner that must not leak into the services. */
const RUNNER_ONLY = ['AGORA_POSTGRES_URL', 'TEST_DATABASE_URL', 'TEST_PG_ADMIN_URL', 'DATABASE_URL', 'PORT', 'HOST'];

/** The environment of one service in the local run (conventions.md, "Configuration"). */
export function serviceEnv(service: ServiceTopology, ctx: LocalEnvContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(ctx.baseEnv ?? process.env) };
  for (const key of RUNNER_ONLY) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith('SERVICE_URL_') || key.startsWith('npm_')) delete env[key];
  const auth = SERVICES.find((s) => s.name === 'auth')!;
  Object.assign(env, {
    NODE_ENV: env.NODE_ENV ?? 'development',
    PORT: String(service.localPort),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl(ctx.adminUrl, service.database),
    JWT_ISSUER: `http://localhost:${ctx.ingressPort}`,
    JWT_AUDIENCE,
    JWKS_URL: `http://127.0.0.1:${auth.localPort}/.well-known/jwks.json`,
    CORS_ORIGINS: env.CORS_ORIGINS ?? 'http://localhost:5173,http://localhost:3000',
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: ctx.secrets.MESH_LOCAL_KEY,
    SHUTDOWN_DELAY_MS: '0',
    // Below the runner's 10 s SIGKILL deadline, so a service always finishes its own drain.
    SHUTDOWN_TIMEOUT_MS: env.SHUTDOWN_TIMEOUT_MS ?? '8000',
    // Traces (when OTEL_EXPORTER_OTLP_ENDPOINT is set) are named after the service, as in the cluster.
    OTEL_SERVICE_NAME: service.name,
    ...SERVICE_PROCESS_ENV,
  });
  for (const s of SERVICES) env[`SERVICE_URL_${s.name.toUpperCase()}`] = `http://127.0.0.1:${s.localPort}`;
  if (service.name === 'auth') {
    Object.assign(env, {
      SIGNING_KEY_ENCRYPTION_KEY: ctx.secrets.SIGNING_KEY_ENCRYPTION_KEY,
      MAIL_TRANSPORT: 'mailbox',
      MAILBOX_DIR,
      // Everything on a laptop comes from 127.0.0.1: the product's 3 sign-ups per hour per IP would
      // stop the demo data and a developer trying things. The other limits stay as in production.
      RATE_LIMIT_SIGNUP_PER_IP: env.RATE_LIMIT_SIGNUP_PER_IP ?? '100',
    });
  } else delete env.SIGNING_KEY_ENCRYPTION_KEY;
  if (service.name === 'media') {
    // Browsers reach the local object store through the ingress; media asks it directly (HEAD).
    Object.assign(env, {
      MEDIA_STORE: 'local',
      LOCAL_STORE_URL: `http://localhost:${ctx.ingressPort}${LOCAL_OBJECT_STORE.publicPrefix}`,
      LOCAL_STORE_INTERNAL_URL: `http://127.0.0.1:${LOCAL_OBJECT_STORE.localPort}${LOCAL_OBJECT_STORE.publicPrefix}`,
      LOCAL_STORE_SIGNING_KEY: ctx.secrets.LOCAL_STORE_SIGNING_KEY,
    });
  } else delete env.LOCAL_STORE_SIGNING_KEY;
  return env;
}

/** Runs a one-shot script (`node services/<name>/dist/<script>.js`) to completion. */
export function runScript(
  service: ServiceTopology,
  script: 'migrate' | 'seed',
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serviceScript(service.name, script)], {
      cwd: serviceDir(service.name),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    pipeLines(`${service.name}:${script}`, child.stdout!);
    pipeLines(`${service.name}:${script}`, child.stderr!, process.stderr);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${service.name}: ${script} did not finish within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${service.name}: ${script} failed (exit ${code ?? signal}); see its output above`));
    });
  });
}

export interface RunningService {
  readonly service: ServiceTopology;
  readonly url: string;
  readonly pid: number;
  /** Resolves when the process exits, whatever the reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (the service drains), SIGKILL after `timeoutMs`. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Every child the runner started, so an unexpected exit of the runner still kills them. */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
}

/**
 * Signals every child still running (a migration, a seed, a service) and waits up to `waitMs` for
 * them to exit; whatever is left after that is killed.
 */
export async function killChildren(signal: NodeJS.Signals, waitMs: number): Promise<void> {
  const left = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of left) c.kill(signal);
  if (!waitMs || !left.length) return;
  await Promise.race([
    Promise.all(left.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))))),
    new Promise((r) => setTimeout(r, waitMs).unref()),
  ]);
  for (const c of children) c.kill('SIGKILL');
}

async function waitReady(url: string, child: ChildProcess, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (gone || child.exitCode !== null || child.signalCode !== null) throw new Error('exited before it became ready');
    try {
      const res = await fetch(`${url}/healthz/ready`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${timeoutMs / 1000}s (last: ${last})`);
}

/** Starts the service (its bundled `dist/main.bundle.mjs`) and waits until `/healthz/ready` answers 200. */
export async function startService(service: ServiceTopology, env: NodeJS.ProcessEnv, readyTimeoutMs = 60_000): Promise<RunningService> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', pathToFileURL(TRACING_REGISTER).href, serviceScript(service.name, 'main')], {
    cwd: serviceDir(service.name),
    env,
    // Own process group: a terminal Ctrl-C reaches only the runner, which stops things in order.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  pipeLines(service.name, child.stdout!);
  pipeLines(service.name, child.stderr!, process.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 10_000) => {
    stopping ??= terminateChild(child, exited, timeoutMs, () =>
      say('runner', `${service.name} did not stop within ${timeoutMs / 1000}s; killing it`),
    );
    return stopping;
  };
  const url = `http://127.0.0.1:${service.localPort}`;
  try {
    await waitReady(url, child, exited, readyTimeoutMs);
  } catch (err) {
    await stop(5_000);
    const { code, signal } = await exited;
    throw new Error(`${service.name} ${(err as Error).message} (exit ${code ?? signal ?? 'unknown'}); see its output above`);
  }
  return { service, url, pid: child.pid!, exited, stop };
}
