import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminateChild } from './terminate.js';

/**
 * Runs the real Prometheus server (the binary `scripts/install-tools.sh` puts in `.tools/bin/`)
 * against services on loopback: `npm start` uses it with observability/prometheus/prometheus.local.yml,
 * the live verification (test/observability/live-*.test.ts) with a derived config.
 */

/** The repository root (this file is mesh/src/observability/ or mesh/dist/observability/). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const PROMETHEUS_BIN = path.join(REPO_ROOT, '.tools', 'bin', 'prometheus');
export const PROMETHEUS_LOCAL_CONFIG = path.join(REPO_ROOT, 'observability', 'prometheus', 'prometheus.local.yml');

export interface PrometheusOptions {
  configFile: string;
  dataDir: string;
  port: number;
  host?: string;
  bin?: string;
  /** Each line of Prometheus' own log (logfmt). */
  onLog?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (Prometheus flushes its head block), SIGKILL after `timeoutMs`. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function prometheusInstalled(bin = PROMETHEUS_BIN): Promise<boolean> {
  return access(bin).then(
    () => true,
    () => false,
  );
}

/** Starts Prometheus and waits until `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    options.bin ?? PROMETHEUS_BIN,
    [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=${host}:${options.port}`,
      '--enable-feature=exemplar-storage',
      '--web.enable-lifecycle',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line) options.onLog?.(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 10_000) => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      await terminateChild(child, exited, timeoutMs);
    })();
    return stopping;
  };

  const url = `http://${host}:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) {
      const { code, signal } = await exited;
      throw new Error(`prometheus exited before it became ready (exit ${code ?? signal})`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop(2_000);
      throw new Error(`prometheus not ready after ${(options.readyTimeoutMs ?? 30_000) / 1000}s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid!, exited, stop };
}
