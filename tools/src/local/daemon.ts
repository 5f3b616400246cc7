import { spawn, type ChildProcess } from 'node:child_process';
import { terminateChild } from './terminate.js';

/**
 * Runs one of the Prometheus project's servers (Prometheus, Alertmanager) from `.tools/bin/` as a
 * child process and waits until its `/-/ready` answers 200. The local run and the live tests use it.
 */

export interface DaemonOptions {
  /** For error messages: `prometheus`, `alertmanager`. */
  name: string;
  bin: string;
  args: string[];
  /** Base URL the server listens on, e.g. `http://127.0.0.1:9090`. */
  url: string;
  /** Each line of the server's own log (logfmt). */
  onLog?: (line: string) => void;
  readyTimeoutMs?: number;
}

/** What a caller chooses when it starts Prometheus or Alertmanager: where it keeps state and listens. */
export interface DaemonPlacement {
  dataDir: string;
  port: number;
  host?: string;
  /** The binary; `.tools/bin/<name>` when absent. */
  bin?: string;
  /** Each line of the server's own log (logfmt). */
  onLog?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningDaemon {
  readonly url: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (both flush their state), SIGKILL after `timeoutMs`. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const child: ChildProcess = spawn(options.bin, options.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let buffer = '';
  // the last lines of its log, for the error when it does not come up
  const tail: string[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      tail.push(line);
      if (tail.length > 5) tail.shift();
      options.onLog?.(line);
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

  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) {
      const { code, signal } = await exited;
      throw new Error(`${options.name} exited before it became ready (exit ${code ?? signal}): ${tail.join(' | ')}`);
    }
    try {
      const res = await fetch(`${options.url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop(2_000);
      throw new Error(`${options.name} not ready after ${readyTimeoutMs / 1000}s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: options.url, pid: child.pid!, exited, stop };
}
