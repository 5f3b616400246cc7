import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, type ServiceTopology } from '@agora/mesh/topology';
import { pipeLines, say } from './output.js';
import { serviceDir } from './paths.js';
import { SERVICE_NODE_FLAGS } from './service-env.js';
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
 * A service's compiled script. `main` is the bundled entry point (`npm run build` writes it after
 * tsc: one file instead of ≈ 1 500 modules, for the cold start; scripts/bundle.mjs), exactly what the
 * images run: it loads the service's code, dist/main.bundle.cjs, compiled from its V8 code cache
 * (dist/main.bundle.cache, scripts/code-cache.mjs) when the cache fits this node and SERVICE_NODE_FLAGS.
 * The one-shot scripts run as tsc wrote them.
 */
export function serviceScript(name: string, script: 'main' | 'migrate' | 'grant-role' | 'verify-email'): string {
  return path.join(serviceDir(name), 'dist', script === 'main' ? 'main.bundle.mjs' : `${script}.js`);
}

export async function discoverServices(services: readonly ServiceTopology[] = SERVICES): Promise<ServiceDiscovery> {
  const built: ServiceTopology[] = [];
  const missing: ServiceTopology[] = [];
  for (const s of services) ((await exists(serviceScript(s.name, 'main'))) ? built : missing).push(s);
  return { built, missing };
}

/** Runs a one-shot script (`node services/<name>/dist/<script>.js [args]`) to completion. */
export function runScript(
  service: ServiceTopology,
  script: 'migrate' | 'grant-role' | 'verify-email',
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
  timeoutMs = 180_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serviceScript(service.name, script), ...args], {
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
  /** What the process printed, with `output: 'capture'`; the end of its log file with `output: { file }`; empty otherwise. */
  output(): string;
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

async function waitReady(url: string, child: ChildProcess, exited: Promise<unknown>, timeoutMs: number, pollMs: number): Promise<void> {
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
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`not ready after ${timeoutMs / 1000}s (last: ${last})`);
}

export interface StartServiceOptions {
  readonly readyTimeoutMs?: number;
  /** How often /healthz/ready is asked (default 250 ms); the bench asks often, to time the start closely. */
  readonly readyPollMs?: number;
  /**
   * 'console' (the local run): each line prefixed with the service's name; 'capture': kept for
   * `output()`; `{ file }` (the bench): appended to that file and nothing piped back into this
   * process, as a container's output goes to its runtime; `output()` is then the file's tail.
   */
  readonly output?: 'console' | 'capture' | { readonly file: string };
  /** Another script than the bundled entry point (the bench's A/B runs of an unbundled build). */
  readonly script?: string;
  /** Node arguments instead of the images' (SERVICE_NODE_FLAGS): the bench's profiling and experiments. */
  readonly nodeArgs?: readonly string[];
}

/** The node arguments every service runs with, as in the images: the V8 flags (tracing starts inside the service, mesh's startService). */
export const SERVICE_NODE_ARGS: readonly string[] = [...SERVICE_NODE_FLAGS];

/** The last `bytes` of a file (empty when it cannot be read): a service's log in an error message. */
function tailOf(file: string, bytes = 20_000): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(bytes, size));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Starts the service (its bundled `dist/main.bundle.mjs`, with the images' V8 flags and the tracing
 * register, unless `options` say otherwise) on `env.PORT` — `env` is the whole environment it gets —
 * and waits until `/healthz/ready` answers 200. The one way every runner — the local run, the test
 * stack, the bench — starts a service.
 */
export async function startService(service: ServiceTopology, env: NodeJS.ProcessEnv, options: StartServiceOptions = {}): Promise<RunningService> {
  const {
    readyTimeoutMs = 60_000,
    readyPollMs = 250,
    output = 'console',
    script = serviceScript(service.name, 'main'),
    nodeArgs = SERVICE_NODE_ARGS,
  } = options;
  const logFd = typeof output === 'object' ? openSync(output.file, 'a') : undefined;
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: serviceDir(service.name),
    env,
    // Own process group: a terminal Ctrl-C reaches only the runner, which stops things in order.
    detached: true,
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  if (logFd !== undefined) closeSync(logFd);
  trackChild(child);
  let captured = '';
  if (output === 'console') {
    pipeLines(service.name, child.stdout!);
    pipeLines(service.name, child.stderr!, process.stderr);
  } else if (output === 'capture') {
    child.stdout!.on('data', (d) => (captured += d));
    child.stderr!.on('data', (d) => (captured += d));
  }
  const printed = typeof output === 'object' ? () => tailOf(output.file) : () => captured;
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
  const url = `http://127.0.0.1:${env.PORT ?? service.localPort}`;
  try {
    await waitReady(url, child, exited, readyTimeoutMs, readyPollMs);
  } catch (err) {
    await stop(5_000);
    const { code, signal } = await exited;
    const where = output === 'console' ? 'see its output above' : `its output:\n${printed()}`;
    throw new Error(`${service.name} ${(err as Error).message} (exit ${code ?? signal ?? 'unknown'}); ${where}`, { cause: err });
  }
  return { service, url, pid: child.pid!, exited, stop, output: printed };
}
